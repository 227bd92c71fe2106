import { describe, expect, it } from "vitest";
import {
  degreeCentrality,
  lexRank,
  rankSentences,
  selectSentences,
  sentenceVectors,
} from "../../src/summary/extract.js";
import { articleSentences } from "../../src/summary/sentenceUnits.js";
import { extractSummary } from "../../src/summary/summarize.js";
import { FLOOD, FLOOD_CENTRAL, longArticle } from "./fixtures.js";

const texts = (sentences: readonly { text: string }[]) => sentences.map((s) => s.text);

describe("centrality", () => {
  const { vectors, size } = sentenceVectors([
    "the river flood closed the bridge",
    "the flood reached the bridge",
    "the river rose",
    "bread was free at the bakery",
  ]);

  it("ranks the sentence that shares most with the others first, the unrelated one last", () => {
    for (const scores of [degreeCentrality(vectors, size), lexRank(vectors)]) {
      const order = [...scores.keys()].sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0));
      expect(order[0]).toBe(0);
      expect(order[3]).toBe(3);
    }
  });

  it("gives LexRank scores that sum to 1", () => {
    const total = lexRank(vectors).reduce((s, x) => s + x, 0);
    expect(total).toBeCloseTo(1, 6);
  });
});

describe("selectSentences on a five-paragraph article", () => {
  const units = articleSentences(FLOOD.paragraphs);

  it("scores the central sentence highest when position is left out", () => {
    const { scored } = rankSentences(units, { title: FLOOD.title, params: { positionWeight: 0 } });
    const best = [...scored].sort((a, b) => b.score - a.score)[0];
    expect(best?.text).toBe(FLOOD_CENTRAL);
  });

  it("keeps the lede and the central sentence, and leaves out the unrelated one", () => {
    const summary = extractSummary(FLOOD, 2);
    expect(texts(summary)).toEqual([FLOOD.paragraphs[0], FLOOD_CENTRAL]);
    expect(texts(extractSummary(FLOOD, 6))).not.toContain("A local bakery handed out free bread.");
  });

  it("returns the sentences in article order, each with its 1-based paragraph", () => {
    const summary = extractSummary(FLOOD, 4);
    expect(summary).toHaveLength(4);
    for (const s of summary) expect(FLOOD.paragraphs[s.paragraph - 1]).toContain(s.text);
    const positions = summary.map((s) => units.findIndex((u) => u.text === s.text));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(summary.find((s) => s.text === FLOOD_CENTRAL)?.paragraph).toBe(2);
  });

  it("never chooses two near-identical sentences, however many are asked for", () => {
    const twin =
      "The river flood forced the evacuation of the riverside homes and closed a bridge.";
    const paragraphs = [...FLOOD.paragraphs, twin];
    const summary = texts(extractSummary({ ...FLOOD, paragraphs }, 20));
    expect(summary.filter((t) => t === FLOOD_CENTRAL || t === twin)).toHaveLength(1);
    // Without the redundancy control both would be taken: the control is what keeps one out.
    const unchecked = texts(extractSummary({ ...FLOOD, paragraphs }, 20, { redundancy: 1 }));
    expect(unchecked).toEqual(expect.arrayContaining([FLOOD_CENTRAL, twin]));
  });

  it("drops an exact repeat even with the redundancy control off", () => {
    const paragraphs = ["Markets fell sharply today.", "Markets fell sharply today."];
    expect(extractSummary({ title: "", paragraphs }, 5, { redundancy: 1 })).toHaveLength(1);
  });
});

describe("edge cases", () => {
  it("summarizes a one-paragraph article", () => {
    const article = {
      title: "Port strike",
      paragraphs: [
        "Dock workers at the port went on strike on Monday. The strike stopped all container traffic. Talks with the port authority resume on Friday. Shops reported no shortages yet.",
      ],
    };
    const summary = extractSummary(article, 2);
    expect(summary).toHaveLength(2);
    expect(summary.every((s) => s.paragraph === 1)).toBe(true);
    expect(summary[0]?.text).toBe("Dock workers at the port went on strike on Monday.");
  });

  it("summarizes a 300-paragraph article: N sentences, in order, from paragraphs that exist", () => {
    const article = longArticle(300);
    const units = articleSentences(article.paragraphs);
    expect(units).toHaveLength(900);
    for (const centrality of ["degree", "lexrank"] as const) {
      const summary = selectSentences(units, 5, { title: article.title, params: { centrality } });
      expect(summary).toHaveLength(5);
      const positions = summary.map((s) => s.position);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      expect(new Set(positions).size).toBe(5);
      for (const s of summary) expect(article.paragraphs[s.paragraph]).toContain(s.text);
    }
  });

  it("splits text without sentence punctuation at line breaks and long runs", () => {
    const lines = [
      "storm warning for the north coast tonight",
      "ferries cancelled until the wind drops",
      "schools on the islands stay closed tomorrow",
      "the coast guard asks boats to stay in harbour",
    ];
    const run = Array.from({ length: 230 }, (_, i) => `word${i % 37}`).join(" ");
    const units = articleSentences([lines.join("\n"), run]);
    expect(texts(units.slice(0, 4))).toEqual(lines);
    expect(units.length).toBeGreaterThan(5);
    for (const u of units) expect(u.text.split(" ").length).toBeLessThanOrEqual(80);
    // The run is cut, and nothing of it is lost.
    expect(texts(units.slice(4)).join(" ")).toBe(run);
    const summary = extractSummary({ title: "Storm", paragraphs: [lines.join("\n")] }, 2);
    expect(summary).toHaveLength(2);
    for (const s of summary) expect(lines).toContain(s.text);
  });

  it("returns every sentence, in order, when asked for more than there are", () => {
    const paragraphs = [
      "The vote was close.",
      "Turnout rose to 70 percent. Counting ends tonight.",
    ];
    const summary = extractSummary({ title: "Election", paragraphs }, 10);
    expect(summary).toEqual([
      { text: "The vote was close.", paragraph: 1 },
      { text: "Turnout rose to 70 percent.", paragraph: 2 },
      { text: "Counting ends tonight.", paragraph: 2 },
    ]);
  });

  it("returns nothing for an empty article or no sentences asked", () => {
    expect(extractSummary({ title: "Empty", paragraphs: [] }, 3)).toEqual([]);
    expect(extractSummary({ title: "Blank", paragraphs: ["  ", "—"] }, 3)).toEqual([]);
    expect(extractSummary(FLOOD, 0)).toEqual([]);
  });
});
