import { describe, expect, it } from "vitest";
import { decodeUtf8, firstInvalidUtf8Offset } from "../../src/corpus/utf8.js";

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const concat = (...parts: Uint8Array[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => [...p]));

describe("decodeUtf8", () => {
  it("decodes valid UTF-8, dropping a byte order mark and keeping curly quotes", () => {
    const decoded = decodeUtf8(concat(Uint8Array.of(0xef, 0xbb, 0xbf), utf8("Putin’s “signals”")));
    expect(decoded).toEqual({ ok: true, text: "Putin’s “signals”" });
  });

  it("gives the line and byte offset of the first bad byte", () => {
    const bytes = concat(utf8("Title\n\nCaf"), Uint8Array.of(0xe9), utf8(" au lait\n"));
    expect(decodeUtf8(bytes)).toEqual({
      ok: false,
      line: 3,
      message: "not valid UTF-8: byte 0xE9 at byte offset 10; re-save the file as UTF-8",
    });
  });

  it("recognizes UTF-16", () => {
    const decoded = decodeUtf8(Uint8Array.of(0xff, 0xfe, 0x41, 0x00));
    expect(decoded).toMatchObject({ ok: false, line: 1, message: expect.stringMatching(/UTF-16/) });
  });
});

describe("firstInvalidUtf8Offset", () => {
  it("agrees with the strict TextDecoder", () => {
    const cases: [number[], number][] = [
      [[0x41, 0xc3, 0xa9], -1],
      [[0x41, 0xc0, 0x80], 1], // overlong
      [[0xed, 0xa0, 0x80], 0], // surrogate
      [[0xf4, 0x90, 0x80, 0x80], 0], // above U+10FFFF
      [[0x41, 0x42, 0xe2, 0x80], 2], // truncated at the end
      [[0xf0, 0x9f, 0x93, 0xb0], -1], // 📰
    ];
    for (const [bytes, offset] of cases) {
      expect(firstInvalidUtf8Offset(Uint8Array.from(bytes)), bytes.join(",")).toBe(offset);
      expect(decodeUtf8(Uint8Array.from(bytes)).ok).toBe(offset === -1);
    }
  });
});
