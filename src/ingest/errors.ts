/**
 * The expected failures of ingestion, as values: each has a stable `code` for code to branch on
 * and a one-line `message` a moderator can read and act on, starting with the module and the
 * URL (`fetch: https://x/y: the page is 12 MB, more than the 5 MB newsdesk reads`).
 *
 * They extend Error so that a stack is kept when one is thrown after all, but the ingest
 * functions return them (`{ ok: false, error }`) rather than throw: a bad link is not a bug.
 */

/** Text on one line: a URL typed with a line break, or a parser's message, cannot split a log line. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** Why a fetch failed. */
export type FetchErrorCode =
  | "badUrl"
  | "forbiddenAddress"
  | "dnsFailure"
  | "connectionFailed"
  | "timeout"
  | "tooLarge"
  | "tooManyRedirects"
  | "redirectLoop"
  | "badRedirect"
  | "httpStatus"
  | "rateLimited"
  | "unsupportedContentType"
  | "badEncoding"
  /** The fetcher's `signal` was aborted: the bot is stopping. */
  | "aborted";

/** Why a page yielded no article. */
export type ExtractErrorCode = "notHtml" | "noArticle" | "tooLittleText" | "mostlyLinks";

/** Why a feed could not be read. */
export type FeedErrorCode = "malformed" | "notAFeed";

/** A failed fetch. The message is `fetch: <url>: <reason>`. */
export class FetchError extends Error {
  override readonly name = "FetchError";

  constructor(
    readonly code: FetchErrorCode,
    /** The URL that failed (after redirects, the hop that failed). */
    readonly url: string,
    /** The reason alone, without the module and URL. */
    readonly reason: string,
    /**
     * For `rateLimited` (429 and 503): the seconds the site asked to wait (its Retry-After), if
     * it said.
     */
    readonly retryAfterSeconds?: number,
  ) {
    super(`fetch: ${oneLine(url)}: ${oneLine(reason)}`);
  }
}

/** A page that yielded no article. The message is `extract: <url>: <reason>`. */
export class ExtractError extends Error {
  override readonly name = "ExtractError";

  constructor(
    readonly code: ExtractErrorCode,
    readonly url: string,
    readonly reason: string,
  ) {
    super(`extract: ${oneLine(url)}: ${oneLine(reason)}`);
  }
}

/** A feed that could not be read. The message is `feed: <url>: <reason>`. */
export class FeedError extends Error {
  override readonly name = "FeedError";

  constructor(
    readonly code: FeedErrorCode,
    readonly url: string,
    readonly reason: string,
  ) {
    super(`feed: ${oneLine(url)}: ${oneLine(reason)}`);
  }
}

/** Any expected ingest failure. */
export type IngestError = FetchError | ExtractError | FeedError;

/** A value or the expected failure that stood in its way. */
export type Result<T, E extends Error> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: E };
