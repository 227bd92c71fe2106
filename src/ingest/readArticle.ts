/**
 * One news page's article, fetched and read: what the command line's add-article, the feed
 * poller (for an item's link) and the bot's `/articles add` share, so a page is judged the same
 * way wherever its link comes from.
 */
import { ExtractError, type FetchError, type Result } from "./errors.js";
import { type ExtractedArticle, extractArticle } from "./extractArticle.js";
import type { Fetcher } from "./safeFetch.js";

/**
 * Fetches `url` with `fetch` and reads its article.
 *
 * @param fetch - the safe fetcher (`createFetcher`), which refuses private addresses, huge and
 *   slow pages and redirect loops with a one-line {@link FetchError}
 * @param url - the page's address as given
 * @param fallbackPublished - a date to use when the page states none (a feed item's)
 * @returns the article, or why there is none, as one line starting `fetch:` or `extract:`: the
 *   fetcher's errors, a page that is a feed or data (`notHtml`), and the extractor's
 */
export async function readArticle(
  fetch: Fetcher,
  url: string,
  fallbackPublished?: string,
): Promise<Result<ExtractedArticle, FetchError | ExtractError>> {
  const fetched = await fetch(url);
  if (!fetched.ok) return fetched;
  const page = fetched.value;
  // No validators are sent, so a 304 is the site's oddity; it still leaves no text to read.
  if (page.kind !== "fetched") {
    return notArticle(page.finalUrl, "the site sent no page (304 Not Modified)");
  }
  if (page.bodyKind !== "html") {
    return notArticle(
      page.finalUrl,
      `is a feed or data (${page.mediaType}), not an article page; give the link of one article`,
    );
  }
  return extractArticle({
    html: page.text,
    url: page.finalUrl,
    ...(fallbackPublished === undefined ? {} : { fallbackPublished }),
  });
}

function notArticle(url: string, reason: string) {
  return { ok: false as const, error: new ExtractError("notHtml", url, reason) };
}
