/** Result of {@link decodeUtf8}. */
export type Utf8Decoded =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly line: number; readonly message: string };

/**
 * Offset of the first byte that starts an ill-formed UTF-8 sequence (per the WHATWG decoder:
 * overlong forms, surrogates and code points above U+10FFFF are ill-formed), or -1.
 *
 * @param bytes - raw file content
 */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] ?? 0;
    if (lead < 0x80) {
      i += 1;
      continue;
    }
    let continuation: number;
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) continuation = 1;
    else if (lead >= 0xe0 && lead <= 0xef) {
      continuation = 2;
      if (lead === 0xe0) low = 0xa0;
      if (lead === 0xed) high = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      continuation = 3;
      if (lead === 0xf0) low = 0x90;
      if (lead === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k <= continuation; k += 1) {
      const b = bytes[i + k];
      const min = k === 1 ? low : 0x80;
      const max = k === 1 ? high : 0xbf;
      if (b === undefined || b < min || b > max) return i;
    }
    i += continuation + 1;
  }
  return -1;
}

function hexByte(b: number): string {
  return `0x${b.toString(16).toUpperCase().padStart(2, "0")}`;
}

/**
 * Decodes a file as strict UTF-8 (a leading byte order mark is dropped). On failure says where the
 * first bad byte is, since editors can jump to a line but rarely show bytes.
 *
 * @param bytes - raw file content
 */
export function decodeUtf8(bytes: Uint8Array): Utf8Decoded {
  try {
    return { ok: true, text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
  } catch {
    const [b0, b1] = bytes;
    if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff)) {
      return { ok: false, line: 1, message: "file is UTF-16, not UTF-8; re-save it as UTF-8" };
    }
    const offset = Math.max(0, firstInvalidUtf8Offset(bytes));
    let line = 1;
    for (let i = 0; i < offset; i += 1) if (bytes[i] === 0x0a) line += 1;
    const bad = hexByte(bytes[offset] ?? 0);
    return {
      ok: false,
      line,
      message: `not valid UTF-8: byte ${bad} at byte offset ${offset}; re-save the file as UTF-8`,
    };
  }
}
