import nlp from "compromise";
import { describe, expect, it } from "vitest";
import { splitSentences } from "../../src/retrieval/sentences.js";

/** What compromise's splitter gives, mapped to spans as sentences.ts maps it: the oracle. */
function throughCompromise(text: string) {
  type Split = (text: string, world: unknown) => string[];
  const split = (nlp.methods() as { one: { tokenize: { splitSentences: Split } } }).one.tokenize
    .splitSentences;
  const out: { text: string; start: number; end: number }[] = [];
  let cursor = 0;
  for (const piece of split(text, nlp.world())) {
    const sentence = piece.trim();
    const start = sentence ? text.indexOf(sentence, cursor) : -1;
    if (start < 0) continue;
    out.push({ text: sentence, start, end: start + sentence.length });
    cursor = start + sentence.length;
  }
  return out.length ? out : [{ text: text.trim(), start: 0, end: text.trim().length }];
}

describe("splitSentences", () => {
  it("splits at sentence ends but not after abbreviations, with exact spans", () => {
    const text = "Mr. Smith went to the U.S. on Monday. He met Dr. Jones there! Did it work?";
    expect(splitSentences(text).map((s) => text.slice(s.start, s.end))).toEqual([
      "Mr. Smith went to the U.S. on Monday.",
      "He met Dr. Jones there!",
      "Did it work?",
    ]);
  });

  it("gives text with nowhere to split whole, as compromise does, without running it", () => {
    for (const text of [
      "Kremlin sends message on Ukraine ceasefire",
      "  padded title with a stop at the end.  ",
      "prices rose 3.5% to $26,500 (a record",
      "“Quoted” and (bracketed) text, e.g.no space after stops.",
      "Ελλάδα και Россия",
      "",
      "   ",
      "...",
      "no letters 123",
    ]) {
      expect(splitSentences(text), JSON.stringify(text)).toEqual(throughCompromise(text));
    }
  });

  it("leaves text that may split to compromise: stops before white space, line breaks, CJK stops", () => {
    for (const text of [
      "One. Two",
      "One.\nTwo",
      "Line one\nline two",
      "Line one\r\nline two",
      "He said “no sir. i will not beg” and left. Then?",
      "日本語です。次の文",
      "Trailing stop. ",
    ]) {
      expect(splitSentences(text), JSON.stringify(text)).toEqual(throughCompromise(text));
    }
    expect(splitSentences("One. Two")).toHaveLength(2);
  });
});
