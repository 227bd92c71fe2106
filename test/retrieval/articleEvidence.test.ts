import { describe, expect, it } from "vitest";
import type { Article } from "../../src/corpus/article.js";
import { buildIndex, type ParagraphIndex } from "../../src/retrieval/paragraphIndex.js";
import { type SearchParams, searchParagraphs } from "../../src/retrieval/search.js";

/** An index of one article per list of paragraphs, titled as given, with ids a0, a1, ... */
function indexOf(...articles: { title: string; paragraphs: string[] }[]): ParagraphIndex {
  return buildIndex(articles.map((a, i): Article => ({ id: `a${i}`, ...a })));
}

/** The hits as "article/paragraph" (both 0-based), best first. */
function ranked(index: ParagraphIndex, question: string, params: Partial<SearchParams>): string[] {
  return searchParagraphs(index, question, { params }).hits.map((hit) => {
    const ref = index.paragraphOf(hit.doc);
    return `${ref?.article}/${ref?.paragraph}`;
  });
}

const OFF = { inheritLede: 0, inheritTitle: 0, inheritArticle: 0, articleWeight: 0 };
const LEDE_ONLY = { ...OFF, inheritLede: 1, inheritRerank: 0.75 };

// The lede names the firms; the answer paragraph calls them "the Russian group" and "the brewer".
const BREWERS = {
  title: "Inbev buys brewery stake",
  paragraphs: [
    "Inbev has agreed to buy the stake of Alfa Eco in Sun Interbrew for 259 million dollars.",
    "The Russian group holds a one-fifth share of the brewer, analysts said.",
    "Shares rose in Moscow trading on Monday.",
  ],
};
const OTHERS = [
  {
    title: "Rail strike",
    paragraphs: ["Train drivers walked out on Monday.", "The union holds talks today."],
  },
  {
    title: "Weather",
    paragraphs: ["Snow closed schools in the north.", "Roads were gritted overnight."],
  },
  {
    title: "Markets",
    paragraphs: ["Shares fell in London trading.", "Investors sold bank stocks."],
  },
];

describe("inherited terms", () => {
  const index = indexOf(BREWERS, ...OTHERS);
  const question = "How big a share of Sun Interbrew does Alfa Eco hold?";

  it("without them, the lede that repeats the names wins", () => {
    expect(ranked(index, question, OFF)[0]).toBe("0/0");
  });

  it("with the lede's names inherited, the paragraph with the detail wins", () => {
    expect(ranked(index, question, LEDE_ONLY)[0]).toBe("0/1");
  });

  it("in the score alone, at the share the rerank uses too, they are not enough", () => {
    // The lede's names also fill its best sentence and window; the rerank must see the
    // inherited names in the other paragraph's sentences as well.
    expect(ranked(index, question, { ...LEDE_ONLY, inheritRerank: 0 })[0]).toBe("0/0");
  });

  it("names are inherited only within their own article", () => {
    // The rail story's "holds" paragraph inherits nothing from the brewers' lede.
    const hits = ranked(index, question, LEDE_ONLY);
    expect(hits.indexOf("0/1")).toBeLessThan(hits.indexOf("1/1"));
    expect(hits.indexOf("0/2")).toBeLessThan(hits.indexOf("1/1"));
  });
});

describe("article fusion", () => {
  // One paragraph of the rail story matches "union" and "talks" exactly; the strike story's
  // paragraphs each hold part of the question, the story as a whole holds all of it.
  const index = indexOf(
    {
      title: "Strike",
      paragraphs: [
        "Tube drivers will strike on Friday over pay.",
        "The union said talks with managers had failed.",
      ],
    },
    { title: "Chess", paragraphs: ["The chess union holds talks in Oslo."] },
    ...OTHERS.slice(1),
  );
  const question = "Why did talks between the drivers' union and managers about the strike fail?";

  it("ranks the story that matches as a whole first", () => {
    expect(ranked(index, question, { ...OFF, articleWeight: 1 })[0]).toMatch(/^0\//);
  });
});
