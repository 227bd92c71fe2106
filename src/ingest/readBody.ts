/**
 * Reading a response body within a size limit: decompressed as the server encoded it (gzip,
 * deflate, br), counted as it arrives, and abandoned (the connection closed, the rest never
 * downloaded) as soon as the count passes the limit. Decompressed bytes are counted, so a small
 * compressed body that inflates to gigabytes stops at the limit too.
 */
import type http from "node:http";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream";
import zlib from "node:zlib";
import type { FetchError } from "./errors.js";

/** A size for a message: `12 MB`, `640 KB`, `900 bytes`. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const [unit, size] = bytes < 1024 * 1024 ? ["KB", 1024] : ["MB", 1024 * 1024];
  return `${Number((bytes / size).toFixed(1))} ${unit}`;
}

/**
 * The reason for a body over the limit.
 *
 * @param length - its declared Content-Length, if that is how it is known
 * @param maxBytes - the limit
 */
export function tooLargeReason(length: number | undefined, maxBytes: number): string {
  const limit = formatSize(maxBytes);
  return length === undefined
    ? `the page is more than ${limit}, the most newsdesk reads`
    : `the page is ${formatSize(length)}, more than the ${limit} newsdesk reads`;
}

/** A body read, or why not. */
export type Body =
  | { readonly type: "bytes"; readonly bytes: Buffer }
  | { readonly type: "tooLarge" }
  | { readonly type: "error"; readonly code: FetchError["code"]; readonly reason: string };

/**
 * Reads a body, decompressed, and stops at `maxBytes`.
 *
 * @param response - the response, its head read
 * @param maxBytes - the most bytes kept
 * @param signal - the fetch's abort signal (its timeout), to tell a timeout from a broken connection
 */
export async function readBody(
  response: http.IncomingMessage,
  maxBytes: number,
  signal: AbortSignal,
): Promise<Body> {
  const encoding = (response.headers["content-encoding"] ?? "identity").trim().toLowerCase();
  let source: Readable = response;
  if (encoding === "gzip" || encoding === "x-gzip" || encoding === "deflate" || encoding === "br") {
    const inflate =
      encoding === "br"
        ? zlib.createBrotliDecompress()
        : encoding === "deflate"
          ? zlib.createInflate()
          : zlib.createGunzip();
    source = pipeline(response, inflate, () => undefined);
  } else if (encoding !== "identity") {
    return {
      type: "error",
      code: "badEncoding",
      reason: `is sent in an unknown encoding (${encoding})`,
    };
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of source) {
      const bytes = chunk as Buffer;
      total += bytes.length;
      if (total > maxBytes) {
        source.destroy();
        return { type: "tooLarge" };
      }
      chunks.push(bytes);
    }
  } catch (error) {
    if (signal.aborted) return { type: "error", code: "timeout", reason: "timed out" };
    const code = (error as NodeJS.ErrnoException).code;
    const why = code?.startsWith("Z_")
      ? "its compressed body is broken"
      : `the connection broke (${code ?? String(error)})`;
    return { type: "error", code: "connectionFailed", reason: why };
  }
  return { type: "bytes", bytes: Buffer.concat(chunks) };
}
