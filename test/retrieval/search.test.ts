import { describe, expect, it } from "vitest";
import type { Article } from "../../src/corpus/article.js";
import { buildIndex, type ParagraphIndex } from "../../src/retrieval/paragraphIndex.js";
import { analyzeQuestion } from "../../src/retrieval/question.js";
import { bm25, idf, type SearchOptions, searchParagraphs } from "../../src/retrieval/search.js";
import { terms } from "../../src/retrieval/textPipeline.js";
import { type Thesaurus, tableThesaurus } from "../../src/retrieval/thesaurus.js";

/**
 * These fixtures put unrelated paragraphs in one article, so no paragraph inherits its first
 * sentence's words here; articleEvidence.test.ts tests that on stories.
 */
const NO_ARTICLE_EVIDENCE = {
  articleWeight: 0,
  inheritLede: 0,
  inheritTitle: 0,
  inheritArticle: 0,
};

/** An index of one article per list of paragraphs, with ids a0, a1, ... */
function indexOf(...articles: (readonly string[])[]): ParagraphIndex {
  return buildIndex(
    articles.map((paragraphs, a): Article => ({ id: `a${a}`, title: `Article ${a}`, paragraphs })),
  );
}

/** The hits as "article/paragraph" (both 0-based), best first. */
function ranked(
  index: ParagraphIndex,
  question: string,
  options: SearchOptions = {},
  thesaurus?: Thesaurus,
): string[] {
  return search(index, question, options, thesaurus).map((h) => h.at);
}

function search(
  index: ParagraphIndex,
  question: string,
  options: SearchOptions = {},
  thesaurus?: Thesaurus,
) {
  const params = { ...NO_ARTICLE_EVIDENCE, ...options.params };
  const { hits } = searchParagraphs(index, analyzeQuestion(question, thesaurus), {
    ...options,
    params,
  });
  return hits.map((hit) => {
    const ref = index.paragraphOf(hit.doc);
    return { ...hit, at: `${ref?.article}/${ref?.paragraph}` };
  });
}

const MATCH = [
  "Rovers beat United by two goals to one in the derby on Saturday.",
  "The referee sent off a United defender early in the second half.",
  "Fans filled the stadium long before kick-off, and the shop sold out of scarves.",
  "Captain Marco Rossi was replaced at half time after an injury.",
  "Rossi was replaced as captain by Elena Moretti at half time.",
];

const BUDGET = [
  "The mayor cut the library budget. Residents were angry, and the council promised that parks and swimming pools would stay open all summer.",
  "The mayor spoke first. Residents asked about the library. The budget was debated. Some jobs were cut.",
  "Roadworks will close the bridge for a three-week period.",
  "The roadworks are noisy, and neighbours say the roadworks never end.",
  "The council approved the new bus lanes on Monday.",
];

describe("searchParagraphs: ranking", () => {
  it("ranks a paragraph with a rare matching word above ones with a common one", () => {
    const index = indexOf([
      "The stadium was full on Saturday.",
      "Fans reached the stadium by train.",
      "The stadium roof leaked in the rain.",
      "The referee arrived late on Saturday.",
    ]);
    const hits = ranked(index, "Did the referee leave the stadium?");
    expect(hits[0]).toBe("0/3");
    expect(hits.slice(1).sort()).toEqual(["0/0", "0/1", "0/2"]);
  });

  it("ranks a paragraph whose matches meet in one sentence above one where they are spread", () => {
    const index = indexOf(BUDGET, MATCH);
    const question = "Did the mayor cut the library budget?";
    expect(ranked(index, question).slice(0, 2)).toEqual(["0/0", "0/1"]);
    // The clustered paragraph is the longer one: BM25 alone prefers the other.
    const bm25Only = { params: { sentenceWeight: 0, windowWeight: 0 } };
    expect(ranked(index, question, bm25Only).slice(0, 2)).toEqual(["0/1", "0/0"]);
  });

  it("answers how long with the paragraph naming a duration, not the one repeating the words", () => {
    const index = indexOf(BUDGET, MATCH);
    const question = "How long will the roadworks last?";
    expect(ranked(index, question).slice(0, 2)).toEqual(["0/2", "0/3"]);
    // Without the kind, the paragraph that says "roadworks" twice wins.
    const noKind = { params: { kindWeight: 0, sentenceWeight: 0 } };
    expect(ranked(index, question, noKind).slice(0, 2)).toEqual(["0/3", "0/2"]);
  });

  it("answers who with the sentence naming a person the question does not name", () => {
    const index = indexOf(BUDGET, MATCH);
    const question = "Who replaced Rossi as captain?";
    // Both paragraphs have the question's words once, the same length and a person ("Marco
    // Rossi", "Elena Moretti"); only Elena Moretti is not in the question.
    expect(terms(MATCH[3] ?? "")).toHaveLength(terms(MATCH[4] ?? "").length);
    expect(ranked(index, question).slice(0, 2)).toEqual(["1/4", "1/3"]);
    const noSentence = { params: { sentenceWeight: 0 } };
    expect(ranked(index, question, noSentence).slice(0, 2)).toEqual(["1/3", "1/4"]);
  });

  it("ranks by score, best first", () => {
    const hits = search(indexOf(BUDGET, MATCH), "Did the mayor cut the library budget?");
    const scores = hits.map((h) => h.score);
    expect(scores).toEqual([...scores].sort((x, y) => y - x));
  });
});

describe("searchParagraphs: options", () => {
  const index = indexOf(
    ["The stadium was full.", "The new stadium opened in May."],
    ["The city paid for the stadium.", "The stadium roof leaked."],
  );

  it("searches every article by default", () => {
    expect(ranked(index, "What about the stadium?").sort()).toEqual(["0/0", "0/1", "1/0", "1/1"]);
  });

  it("restricts the hits to one article with `article`", () => {
    expect(ranked(index, "What about the stadium?", { article: 1 }).sort()).toEqual(["1/0", "1/1"]);
    expect(ranked(index, "What about the stadium?", { article: 0 }).sort()).toEqual(["0/0", "0/1"]);
  });

  it("returns at most `top` hits, five by default", () => {
    const many = indexOf(Array.from({ length: 8 }, (_, i) => `Stadium gate ${i + 10} opened.`));
    expect(ranked(many, "Which stadium gate?")).toHaveLength(5);
    expect(ranked(many, "Which stadium gate?", { top: 2 })).toHaveLength(2);
    expect(ranked(many, "Which stadium gate?", { top: 1 })).toHaveLength(1);
    expect(ranked(many, "Which stadium gate?", { top: 20 })).toHaveLength(8);
  });

  it("returns no hits when the question has no word the corpus knows", () => {
    expect(ranked(index, "Why did the zeppelin hover?")).toEqual([]);
    expect(ranked(index, "What is it?")).toEqual([]);
  });
});

describe("searchParagraphs: relevance", () => {
  const index = indexOf(BUDGET, MATCH);

  it("is between 0 and 1 for every hit", () => {
    for (const question of [
      "Did the mayor cut the library budget?",
      "How long will the roadworks last?",
      "Who replaced Rossi as captain?",
      "Did the mayor fire the zookeeper?",
    ]) {
      for (const hit of search(index, question, { top: 20 })) {
        expect(hit.relevance, question).toBeGreaterThan(0);
        expect(hit.relevance, question).toBeLessThanOrEqual(1);
      }
    }
  });

  it("is 1 when the paragraph matches every question word", () => {
    const [best] = search(index, "Did the mayor cut the library budget?");
    expect(best?.at).toBe("0/0");
    expect(best?.relevance).toBeCloseTo(1, 10);
  });

  it("is lower when a question word is missing from the corpus", () => {
    const [all] = search(index, "Did the mayor cut the library budget?");
    const [missing] = search(index, "Did the mayor cut the zookeeper budget?");
    expect(missing?.at).toBe("0/0");
    expect(missing?.relevance).toBeLessThan(all?.relevance ?? 0);
  });

  it("counts the asked-for kind: a paragraph without a duration matches less of how long", () => {
    const hits = search(index, "How long will the roadworks last?");
    const withDuration = hits.find((h) => h.at === "0/2");
    const without = hits.find((h) => h.at === "0/3");
    expect(withDuration?.relevance).toBeCloseTo(1, 10);
    expect(without?.relevance).toBeLessThan(withDuration?.relevance ?? 0);
  });
});

describe("searchParagraphs: related words", () => {
  const index = indexOf([
    "The club thanked the coach after the defeat.",
    "The club dismissed the coach after the defeat.",
    "The club sacked the coach after the defeat.",
  ]);
  const thesaurus = tableThesaurus({ sack: ["dismiss"] });

  it("matches a related word, at a discount to the word itself", () => {
    expect(ranked(index, "Was the coach sacked?", {}, thesaurus)).toEqual(["0/2", "0/1", "0/0"]);
  });

  it("counts a related word less than the word in relevance", () => {
    const hits = search(index, "Was the coach sacked?", {}, thesaurus);
    const relevance = (at: string) => hits.find((h) => h.at === at)?.relevance ?? 0;
    expect(relevance("0/2")).toBeGreaterThan(relevance("0/1"));
    expect(relevance("0/1")).toBeGreaterThan(relevance("0/0"));
  });

  it("does not relate the words without the thesaurus", () => {
    const hits = search(index, "Was the coach sacked?");
    expect(hits[0]?.at).toBe("0/2");
    const others = hits.filter((h) => h.at !== "0/2");
    expect(others.map((h) => h.relevance)).toEqual([others[0]?.relevance, others[0]?.relevance]);
  });
});

describe("bm25", () => {
  const termIdf = 2;
  const k1 = 1.2;
  const b = 0.75;

  it("grows with term frequency but saturates", () => {
    const at = (tf: number) => bm25(tf, termIdf, 10, 10, k1, b);
    expect(at(0)).toBe(0);
    const gains = [1, 2, 3, 4].map((tf) => at(tf) - at(tf - 1));
    for (const gain of gains) expect(gain).toBeGreaterThan(0);
    for (let i = 1; i < gains.length; i++) expect(gains[i]).toBeLessThan(gains[i - 1] ?? 0);
    expect(at(1000)).toBeLessThan(termIdf * (k1 + 1));
  });

  it("decreases with the paragraph's length", () => {
    const at = (length: number) => bm25(2, termIdf, length, 10, k1, b);
    expect(at(5)).toBeGreaterThan(at(10));
    expect(at(10)).toBeGreaterThan(at(40));
  });

  it("is proportional to the term's IDF", () => {
    expect(bm25(2, 4, 10, 10, k1, b)).toBeCloseTo(2 * bm25(2, 2, 10, 10, k1, b), 10);
  });
});

describe("idf", () => {
  it("decreases with document frequency and stays positive", () => {
    const values = [0, 1, 5, 9, 10].map((df) => idf(10, df));
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeLessThan(values[i - 1] ?? 0);
    for (const value of values) expect(value).toBeGreaterThan(0);
  });
});
