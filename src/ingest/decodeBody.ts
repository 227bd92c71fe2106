/**
 * Bytes to text: the charset from the Content-Type header, else the one the document declares
 * (`<meta charset>` in the first 1024 bytes of HTML, the XML declaration's `encoding`), else
 * UTF-8, as browsers do (WHATWG Encoding and HTML's prescan, simplified). Pure.
 */
import { TextDecoder } from "node:util";
import type { BodyKind } from "./contentType.js";

/** How many leading bytes are searched for a declared charset (HTML's prescan reads 1024). */
const PRESCAN_BYTES = 1024;

/**
 * The charset the document declares in its first bytes, if any.
 *
 * @param bytes - the body
 * @param kind - what the body holds
 */
export function declaredCharset(bytes: Uint8Array, kind: BodyKind): string | undefined {
  if (kind === "json") return undefined;
  const head = Buffer.from(bytes.subarray(0, PRESCAN_BYTES)).toString("latin1");
  const pattern =
    kind === "xml"
      ? /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([\w.:-]+)["']/i
      : /<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i;
  return pattern.exec(head)?.[1]?.toLowerCase();
}

/**
 * Decodes a body. A byte order mark wins over every declaration; an unknown charset name falls
 * back to UTF-8; malformed bytes become U+FFFD rather than failing the page.
 *
 * @param bytes - the body
 * @param kind - what the body holds
 * @param headerCharset - the Content-Type's charset parameter, if any
 */
export function decodeBody(bytes: Uint8Array, kind: BodyKind, headerCharset?: string): string {
  const charset = headerCharset ?? declaredCharset(bytes, kind) ?? "utf-8";
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset);
  } catch {
    decoder = new TextDecoder("utf-8");
  }
  // TextDecoder honours a UTF-8 or UTF-16 byte order mark only for its own encoding; sniff first.
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) decoder = new TextDecoder();
  else if (bytes[0] === 0xff && bytes[1] === 0xfe) decoder = new TextDecoder("utf-16le");
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) decoder = new TextDecoder("utf-16be");
  return decoder.decode(bytes);
}
