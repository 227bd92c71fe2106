/**
 * Checking a feed address before a server follows it (`/feeds add`): the address is normalized,
 * fetched with the safe fetcher and parsed, and the feed is accepted only when it is a feed with
 * at least one item. Whatever stands in the way comes back as a {@link FeedCheckError}, a value
 * with a stable code and one line of reason, so the moderator is told why at once instead of
 * learning it from a feed that silently never brings an article. No discord.js, no database.
 *
 * A web page given instead of its feed is the most common mistake; when the page names its feed
 * (`<link rel="alternate" type="application/rss+xml" href="…">`, how browsers and feed readers
 * discover feeds), the error carries that address so the moderator can be told which to give.
 */
import { linkedomParser } from "../ingest/dom.js";
import type { FeedErrorCode, FetchErrorCode } from "../ingest/errors.js";
import type { FeedFormat } from "../ingest/feed.js";
import { normalizeLink, resolveLink } from "../ingest/links.js";
import { parseFeed } from "../ingest/parseFeed.js";
import type { Fetcher } from "../ingest/safeFetch.js";

/**
 * The longest feed address accepted. Feed addresses are short; a longer one is a tracking or
 * session link, and would not fit where it is shown (a linked title in a list).
 */
export const MAX_FEED_URL_CHARS = 512;

/** Why a feed was refused: the fetcher's and the parser's codes, and `empty` (no item). */
export type FeedCheckCode = FetchErrorCode | FeedErrorCode | "empty";

/** A refused feed address. The message is `feeds: <url>: <reason>`, one line. */
export class FeedCheckError extends Error {
  override readonly name = "FeedCheckError";

  constructor(
    readonly code: FeedCheckCode,
    /** The address as given (trimmed). */
    readonly url: string,
    /** The reason alone, one line, as the fetcher or the parser gave it. */
    readonly reason: string,
    /** For a web page given instead of a feed: the feed the page names, absolute. */
    readonly feedLink?: string,
  ) {
    super(`feeds: ${url}: ${reason}`.replace(/\s+/g, " "));
  }
}

/** A feed that can be followed. */
export interface CheckedFeed {
  /** The address to store: as given, normalized (`normalizeLink`). */
  readonly url: string;
  /** Where the feed was read from, after redirects. */
  readonly finalUrl: string;
  readonly format: FeedFormat;
  /** The feed's own title, when it has one. */
  readonly title?: string;
  /** How many items the feed lists now (at least 1). */
  readonly items: number;
}

/** The media types a page's `<link rel="alternate">` names a feed with. */
const FEED_LINK_TYPES = [
  "application/rss+xml",
  "application/atom+xml",
  "application/feed+json",
  "application/json",
];

/**
 * The feed a web page names in its head, resolved against the page's address; undefined when
 * it names none (or the page cannot be read as HTML).
 */
export function discoverFeedLink(html: string, pageUrl: string): string | undefined {
  let document: ReturnType<typeof linkedomParser>;
  try {
    document = linkedomParser(html, pageUrl);
  } catch {
    return undefined;
  }
  const links = Array.from(document.querySelectorAll('link[rel~="alternate"][href]'));
  for (const type of FEED_LINK_TYPES) {
    const link = links.find((l) => l.getAttribute("type")?.trim().toLowerCase() === type);
    const href = resolveLink(link?.getAttribute("href"), pageUrl);
    if (href !== undefined) return href;
  }
  return undefined;
}

/**
 * Checks that `url` is a feed newsdesk can follow.
 *
 * @param url - the address a moderator typed
 * @param fetch - the safe fetcher (its limits: private addresses, time, size, redirects)
 * @returns the feed's address to store, title and item count, or why it cannot be followed
 */
export async function checkFeed(
  url: string,
  fetch: Fetcher,
): Promise<{ ok: true; value: CheckedFeed } | { ok: false; error: FeedCheckError }> {
  const given = url.trim();
  const refuse = (code: FeedCheckCode, reason: string, feedLink?: string) => ({
    ok: false as const,
    error: new FeedCheckError(code, given, reason, feedLink),
  });
  if (given.length > MAX_FEED_URL_CHARS) {
    return refuse(
      "badUrl",
      `is ${given.length} characters long; a feed's address is at most ${MAX_FEED_URL_CHARS}`,
    );
  }
  const normalized = normalizeLink(given);
  if (normalized === undefined) {
    return refuse("badUrl", "is not a web address (expected http:// or https://...)");
  }
  const fetched = await fetch(normalized);
  if (!fetched.ok) return refuse(fetched.error.code, fetched.error.reason);
  const body = fetched.value;
  // No validators were sent, so a 304 is the site's mistake; it says nothing about a feed.
  if (body.kind === "notModified")
    return refuse("httpStatus", "the site answered 304 Not Modified");
  const parsed = parseFeed(body.text, body.finalUrl);
  if (!parsed.ok) {
    const feedLink =
      body.bodyKind === "html" ? discoverFeedLink(body.text, body.finalUrl) : undefined;
    // A page that names itself as its feed would send the moderator round in circles.
    const useful = feedLink !== undefined && normalizeLink(feedLink) !== normalized;
    return refuse(parsed.error.code, parsed.error.reason, useful ? feedLink : undefined);
  }
  const feed = parsed.value;
  if (feed.items.length === 0) {
    return refuse("empty", "the feed lists no items, so there is nothing to take from it yet");
  }
  return {
    ok: true,
    value: {
      url: normalized,
      finalUrl: body.finalUrl,
      format: feed.format,
      ...(feed.title === undefined || feed.title.trim() === "" ? {} : { title: feed.title }),
      items: feed.items.length,
    },
  };
}
