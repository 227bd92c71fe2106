/**
 * JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1): items with `id`, `url`, `title`,
 * `date_published` and `content_html` or `content_text`. Pure; called by `parseFeed`.
 */
import { FeedError, type Result } from "./errors.js";
import type { Feed, FeedItem } from "./feed.js";
import { asNode, defined, htmlText, plainText, stringOf } from "./feedText.js";
import { toIsoDate } from "./isoDate.js";
import { resolveLink } from "./links.js";

/**
 * Parses a JSON Feed.
 *
 * @param source - the feed's text, starting with `{`
 * @param url - where it came from: relative links resolve against it, and errors name it
 */
export function parseJsonFeed(source: string, url: string): Result<Feed, FeedError> {
  const fail = (code: FeedError["code"], reason: string) => ({
    ok: false as const,
    error: new FeedError(code, url, reason),
  });
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return fail("malformed", `the feed is not valid JSON (${why})`);
  }
  const root = asNode(value);
  const version = root?.version;
  if (
    root === undefined ||
    typeof version !== "string" ||
    !version.startsWith("https://jsonfeed.org/version/")
  ) {
    return fail("notAFeed", "is JSON but not a JSON Feed (no jsonfeed.org version)");
  }
  if (!Array.isArray(root.items)) return fail("malformed", 'the JSON Feed has no "items" list');
  const items = root.items.map((value): FeedItem => {
    const item = asNode(value) ?? {};
    const id = item.id;
    return defined({
      guid: typeof id === "string" || typeof id === "number" ? String(id) : undefined,
      link: resolveLink(stringOf(item.url) ?? stringOf(item.external_url), url),
      title: plainText(stringOf(item.title)),
      published: toIsoDate(stringOf(item.date_published) ?? stringOf(item.date_modified)),
      content:
        htmlText(stringOf(item.content_html)) ??
        htmlText(stringOf(item.content_text)) ??
        htmlText(stringOf(item.summary)),
    });
  });
  return {
    ok: true,
    value: {
      format: "jsonfeed",
      ...defined({
        title: plainText(stringOf(root.title)),
        link: resolveLink(stringOf(root.home_page_url), url),
      }),
      items,
    },
  };
}
