/**
 * The generator of `npm run bench -- --paragraphs N` (src/eval/scaleCorpus.ts), on a base of 60
 * made-up paragraphs in two groups: it never reads the datasets.
 */
import { describe, expect, it } from "vitest";
import {
  ARTICLE_PARAGRAPHS,
  type BaseGroup,
  generateScaleCorpus,
  newName,
} from "../../src/eval/scaleCorpus.js";
import { stem } from "../../src/retrieval/textPipeline.js";

const PLACES = ["Dover", "Calais", "Hull", "Bergen", "Cork", "Brest", "Ostend", "Kiel", "Oban"];
const BOATS = ["ferry", "trawler", "tug", "lifeboat", "barge", "yacht", "tanker"];
const BOARDS = ["harbour", "council", "port", "coastguard", "pilots"];

/** Paragraph i of a group: every one different, in words a reader can check. */
const paragraph = (i: number) =>
  `The ${BOATS[i % BOATS.length]} from ${PLACES[i % PLACES.length]} reached ${PLACES[(i * 4 + 1) % PLACES.length]} after ${10 + i} hours, Captain Morgan told the ${BOARDS[i % BOARDS.length]} board on Monday.`;

const group = (name: string, size: number, from: number): BaseGroup => ({
  name,
  paragraphs: Array.from({ length: size }, (_, i) => ({ text: paragraph(from + i), title: name })),
});

/**
 * 37 + 23 paragraphs, five of them two words long (where copies are likeliest to meet), and one
 * exact duplicate the generator drops.
 */
const BASE: BaseGroup[] = [
  group("Harbour", 37, 0),
  {
    name: "Budget",
    paragraphs: [
      ...group("Budget", 18, 100).paragraphs,
      ...BOARDS.map((board) => ({ text: `${board} closed.`, title: "Budget" })),
      { text: paragraph(0), title: "Budget" },
    ],
  },
];
const BASE_SIZE = 60;

const paragraphsOf = (articles: readonly { paragraphs: readonly string[] }[]) =>
  articles.flatMap((a) => a.paragraphs);
const wordsOf = (text: string) => text.match(/[\p{L}\p{N}]+/gu) ?? [];
const vocabulary = (texts: readonly string[]) =>
  new Set(texts.flatMap((t) => wordsOf(t).map((w) => w.toLowerCase()))).size;

describe("generateScaleCorpus", () => {
  it("makes the same corpus from the same seed, another from another seed", () => {
    const a = generateScaleCorpus(BASE, { paragraphs: 500, extraArticles: 3, seed: 7 });
    const b = generateScaleCorpus(BASE, { paragraphs: 500, extraArticles: 3, seed: 7 });
    const c = generateScaleCorpus(BASE, { paragraphs: 500, extraArticles: 3, seed: 8 });
    expect(b).toEqual(a);
    expect(paragraphsOf(c.articles)).not.toEqual(paragraphsOf(a.articles));
    // The originals come first whatever the seed.
    expect(paragraphsOf(c.articles).slice(0, BASE_SIZE)).toEqual(
      paragraphsOf(a.articles).slice(0, BASE_SIZE),
    );
  });

  it("holds exactly the paragraphs asked for, smaller or much larger than the base", () => {
    for (const size of [1, 25, BASE_SIZE, 61, 2_000]) {
      const { articles } = generateScaleCorpus(BASE, { paragraphs: size });
      expect(paragraphsOf(articles)).toHaveLength(size);
    }
    const { extra } = generateScaleCorpus(BASE, { paragraphs: 100, extraArticles: 4 });
    expect(extra.map((a) => a.paragraphs.length)).toEqual([10, 10, 10, 10]);
  });

  it("never repeats a paragraph byte for byte, extra articles included", () => {
    const { articles, extra } = generateScaleCorpus(BASE, { paragraphs: 3_000, extraArticles: 5 });
    const all = paragraphsOf([...articles, ...extra]);
    expect(new Set(all).size).toBe(all.length);
    expect(new Set([...articles, ...extra].map((a) => a.id.toLowerCase())).size).toBe(
      articles.length + extra.length,
    );
  });

  it("starts with the originals in order, then changes each copy by a few words", () => {
    const { articles } = generateScaleCorpus(BASE, { paragraphs: 5 * BASE_SIZE });
    const texts = paragraphsOf(articles);
    const originals = BASE.flatMap((g) => g.paragraphs.map((p) => p.text)).slice(0, BASE_SIZE);
    expect(texts.slice(0, BASE_SIZE)).toEqual(originals);
    for (let k = BASE_SIZE; k < texts.length; k++) {
      const copy = wordsOf(texts[k] as string);
      const original = wordsOf(originals[k % BASE_SIZE] as string);
      const kept = copy.filter((w, i) => w === original[i]).length;
      expect(copy.length).toBeGreaterThanOrEqual(original.length);
      expect(copy.length).toBeLessThanOrEqual(original.length + 1);
      // Two swaps, a number and a name at most (or more swaps for a copy that met another).
      expect(kept).toBeGreaterThanOrEqual(original.length - 6);
    }
  });

  it("cuts each group into articles of 10 to 25 paragraphs, titled after their group", () => {
    const { articles } = generateScaleCorpus(BASE, { paragraphs: 20 * BASE_SIZE + 7 });
    const lengths = articles.map((a) => a.paragraphs.length);
    for (const length of lengths.slice(0, -1)) {
      expect(length).toBeGreaterThanOrEqual(ARTICLE_PARAGRAPHS.min);
      expect(length).toBeLessThanOrEqual(ARTICLE_PARAGRAPHS.max);
    }
    // Articles end where their group ends: consecutive articles of a group add up to its size.
    const runs: number[] = [];
    articles.forEach((a, i) => {
      const same = i > 0 && articles[i - 1]?.title === a.title;
      if (same) runs.push((runs.pop() as number) + a.paragraphs.length);
      else runs.push(a.paragraphs.length);
    });
    expect(runs.slice(0, -1)).toEqual(Array.from({ length: 40 }, (_, i) => (i % 2 ? 23 : 37)));
    expect(runs.at(-1)).toBe(7);
    // Lengths are drawn, not fixed.
    expect(new Set(lengths).size).toBeGreaterThan(3);
  });

  it("grows the vocabulary with the corpus, more slowly than the corpus (Heaps' law)", () => {
    const sizes = [BASE_SIZE, 5 * BASE_SIZE, 20 * BASE_SIZE, 80 * BASE_SIZE];
    const grown = sizes.map((paragraphs) =>
      vocabulary(paragraphsOf(generateScaleCorpus(BASE, { paragraphs }).articles)),
    );
    for (let i = 1; i < grown.length; i++) {
      const ratio = (grown[i] as number) / (grown[i - 1] as number);
      expect(ratio).toBeGreaterThan(1);
      // Four times the words, about twice the vocabulary at β = 0.49: well below four times.
      if (i > 1) expect(ratio).toBeLessThan(3);
    }
  });
});

describe("newName", () => {
  it("gives a different word, and a different stem, for every number", () => {
    const names = Array.from({ length: 30_000 }, (_, k) => newName(k));
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(names.map((n) => stem(n.toLowerCase()))).size).toBe(names.length);
    expect(names.every((n) => /^[A-Z][a-z]+$/.test(n))).toBe(true);
  });
});
