import { describe, expect, it } from "vitest";
import { lineColumnAt, lineNumbersAt, scanJson } from "../../src/corpus/jsonScan.js";

function errorAt(text: string): { line: number; column: number; reason: string } {
  const scan = scanJson(text);
  if (scan.ok) throw new Error(`expected ${JSON.stringify(text)} to be invalid`);
  return { ...lineColumnAt(text, scan.offset), reason: scan.reason };
}

describe("scanJson", () => {
  it("accepts what JSON.parse accepts", () => {
    for (const text of [
      "{}",
      "[]",
      ' { "a" : [1, -2.5e3, true, false, null, "x\\n\\u00e9\\"" ], "b": {} } ',
      '"just a string"',
      "0",
    ]) {
      expect(scanJson(text).ok, text).toBe(true);
      expect(() => JSON.parse(text)).not.toThrow();
    }
  });

  it("notes where each item of a top-level array starts", () => {
    const text = '[\n  {"a": [1, 2]},\n  3\n]';
    const scan = scanJson(text);
    expect(scan.ok && scan.itemOffsets.map((o) => lineColumnAt(text, o))).toEqual([
      { line: 2, column: 3 },
      { line: 3, column: 3 },
    ]);
  });

  it("points at a trailing comma", () => {
    expect(errorAt('{\n  "p": ["a",]\n}')).toEqual({
      line: 2,
      column: 13,
      reason: "expected a value, found ']' (trailing comma?)",
    });
  });

  it("points at a missing comma", () => {
    expect(errorAt('{"a": 1\n "b": 2}')).toEqual({
      line: 2,
      column: 2,
      reason: "expected ',' or '}', found '\"'",
    });
  });

  it("explains single quotes, unclosed strings, raw line breaks and a truncated file", () => {
    expect(errorAt("{'a': 1}").reason).toBe("expected a property name in double quotes, found '''");
    expect(errorAt('{"a": "oops}')).toMatchObject({
      column: 7,
      reason: expect.stringMatching(/never closed/),
    });
    expect(errorAt('["a\nb"]').reason).toBe("U+000A inside a string (write a line break as \\n)");
    expect(errorAt('[{"a": 1}')).toMatchObject({
      column: 10,
      reason: "unexpected end of file (missing ']')",
    });
    expect(errorAt("{} {}").reason).toBe("unexpected '{' after the JSON value");
  });

  it("handles deep nesting without recursion", () => {
    const depth = 100_000;
    expect(scanJson("[".repeat(depth) + "]".repeat(depth)).ok).toBe(true);
  });
});

describe("lineNumbersAt", () => {
  it("agrees with lineColumnAt for ascending offsets", () => {
    const text = "a\nbb\r\nccc\rd\n\ne";
    const offsets = [0, 1, 2, 5, 6, 10, 12, 13, 14];
    expect(lineNumbersAt(text, offsets)).toEqual(offsets.map((o) => lineColumnAt(text, o).line));
  });
});
