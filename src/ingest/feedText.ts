/**
 * The values of a parsed feed as newsdesk keeps them: JSON-ish nodes read safely, HTML turned
 * into text (titles one line, content paragraphs separated by a blank line), absent fields
 * left out. Pure.
 */
import { linkedomParser } from "./dom.js";
import { articleParagraphs, normalizeWhitespace } from "./paragraphs.js";

/** An element of parsed XML, or an object of JSON. */
export type FeedNode = Record<string, unknown>;

/** The value as an object, if it is one. */
export function asNode(value: unknown): FeedNode | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as FeedNode)
    : undefined;
}

/** The value as a list: one element alone, nothing as none. */
export function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** The value if it is a string with some text in it. */
export function stringOf(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

const LOOKS_LIKE_HTML = /<[a-z!/]|&(#\d+|#x[\da-f]+|[a-z]+);/i;

/** Text that may be HTML (as feeds' titles often are, escaped) as one line of plain text. */
export function plainText(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const plain = LOOKS_LIKE_HTML.test(text)
    ? normalizeWhitespace(
        linkedomParser(`<body>${text}</body>`, "").documentElement.textContent ?? "",
      )
    : normalizeWhitespace(text);
  return plain === "" ? undefined : plain;
}

/** HTML (or plain text) as paragraphs separated by blank lines. */
export function htmlText(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (!LOOKS_LIKE_HTML.test(text)) return plainText(text);
  const body = linkedomParser(`<html><body>${text}</body></html>`, "").querySelector("body");
  if (body === null) return undefined;
  const paragraphs = articleParagraphs(body, "").map((p) => p.text);
  return paragraphs.length === 0 ? undefined : paragraphs.join("\n\n");
}

/** The object without its undefined fields (the project's optional fields are absent, not undefined). */
export function defined<T extends Record<string, unknown>>(
  fields: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
