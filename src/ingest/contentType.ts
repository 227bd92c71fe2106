/**
 * Which responses the fetcher reads: web pages and feeds, by their Content-Type. Pure.
 */

/** What a response holds, as far as ingestion cares. */
export type BodyKind = "html" | "xml" | "json";

/** The accepted media types and what each holds. */
export const ACCEPTED_MEDIA_TYPES: Readonly<Record<string, BodyKind>> = {
  "text/html": "html",
  "application/xhtml+xml": "html",
  "application/xml": "xml",
  "text/xml": "xml",
  "application/rss+xml": "xml",
  "application/atom+xml": "xml",
  "application/rdf+xml": "xml",
  "application/feed+json": "json",
  // JSON Feed is often served as plain application/json.
  "application/json": "json",
};

/** The Accept header that asks for what {@link ACCEPTED_MEDIA_TYPES} lists, pages first. */
export const ACCEPT_HEADER =
  "text/html, application/xhtml+xml, application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8";

/** A Content-Type header, split. */
export interface ContentType {
  /** Lower-case, without parameters: `text/html`. */
  readonly mediaType: string;
  /** The `charset` parameter, lower-case, if given. */
  readonly charset?: string;
}

/**
 * Splits a Content-Type header.
 *
 * @param header - e.g. `text/html; charset=UTF-8`
 */
export function parseContentType(header: string): ContentType {
  const [type = "", ...parameters] = header.split(";");
  const charset = parameters
    .map((p) => /^\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(p)?.[1])
    .find((c) => c !== undefined);
  const mediaType = type.trim().toLowerCase();
  return charset === undefined ? { mediaType } : { mediaType, charset: charset.toLowerCase() };
}

/**
 * What a media type holds, or undefined when the fetcher does not read it.
 *
 * @param mediaType - lower-case, without parameters
 */
export function bodyKindOf(mediaType: string): BodyKind | undefined {
  return Object.hasOwn(ACCEPTED_MEDIA_TYPES, mediaType)
    ? ACCEPTED_MEDIA_TYPES[mediaType]
    : undefined;
}
