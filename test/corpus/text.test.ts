import { describe, expect, it } from "vitest";
import {
  normalizeSpace,
  splitLines,
  splitOnBlankLines,
  splitTextParagraphs,
  stripBom,
} from "../../src/corpus/text.js";

describe("splitLines", () => {
  it("splits on \\n, \\r\\n and a lone \\r", () => {
    expect(splitLines("a\nb\r\nc\rd")).toEqual(["a", "b", "c", "d"]);
  });
});

describe("stripBom", () => {
  it("drops a leading byte order mark only", () => {
    expect(stripBom("\uFEFFTitle")).toBe("Title");
    expect(stripBom("Title\uFEFF")).toBe("Title\uFEFF");
  });
});

describe("normalizeSpace", () => {
  it("trims and collapses whitespace runs, keeping every other character", () => {
    expect(normalizeSpace("  “Quoted”\t text —\u00A0dash\n ")).toBe("“Quoted” text — dash");
  });
});

describe("splitTextParagraphs", () => {
  it("uses blank lines as separators and joins wrapped lines with a space", () => {
    expect(splitTextParagraphs("one\ntwo\n\n  \nthree\n")).toEqual(["one two", "three"]);
  });

  it("makes every line a paragraph when the body has no blank line", () => {
    expect(splitTextParagraphs("\n\none\ntwo  \nthree\n\n")).toEqual(["one", "two", "three"]);
  });

  it("returns nothing for a blank body", () => {
    expect(splitTextParagraphs(" \n\t\n")).toEqual([]);
  });
});

describe("splitOnBlankLines", () => {
  it("never splits on single line breaks", () => {
    expect(splitOnBlankLines(["one", "two", "", "three"])).toEqual(["one two", "three"]);
  });
});
