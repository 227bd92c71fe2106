/**
 * How newsdesk tells that it has seen an item before, whether it comes again from the same feed,
 * from another feed, or as a link a member pasted. Pure; later code stores the keys.
 */
import { createHash } from "node:crypto";
import { normalizeLink } from "./links.js";
import { normalizeWhitespace } from "./paragraphs.js";

/** What identifies an item: any of these may be missing. */
export interface IdentifiableItem {
  readonly guid?: string;
  readonly link?: string;
  readonly title?: string;
  /** The item's text (feed content or the article's paragraphs joined). */
  readonly text?: string;
}

/**
 * The item's keys, strongest first: `guid:<guid>` (the feed's own identity, stable when the
 * link changes), `link:<normalized link>` (see `normalizeLink`: lower-case host, no fragment, no
 * `utm_*`; the same article reached by a pasted link), `hash:<sha256>` of the title and text,
 * whitespace and case folded (items with neither). Store them all: two sightings are the same
 * item when they share any key.
 *
 * @param item - the item's identity fields
 * @returns one to three keys; empty only when the item has none of the fields
 */
export function dedupKeys(item: IdentifiableItem): string[] {
  const keys: string[] = [];
  const guid = item.guid?.trim();
  if (guid !== undefined && guid !== "") keys.push(`guid:${guid}`);
  const link = item.link === undefined ? undefined : normalizeLink(item.link);
  if (link !== undefined) keys.push(`link:${link}`);
  const title = normalizeWhitespace(item.title ?? "").toLowerCase();
  const text = normalizeWhitespace(item.text ?? "").toLowerCase();
  if (title !== "" || text !== "") {
    const digest = createHash("sha256").update(`${title}\n${text}`).digest("hex");
    keys.push(`hash:${digest}`);
  }
  return keys;
}

/**
 * The item's identity: its strongest key (see {@link dedupKeys}).
 *
 * @param item - the item's identity fields
 * @returns undefined for an item with no guid, link, title or text
 */
export function identityKey(item: IdentifiableItem): string | undefined {
  return dedupKeys(item)[0];
}
