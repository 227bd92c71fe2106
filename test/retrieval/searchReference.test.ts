import { describe, expect, it } from "vitest";
import type { Article } from "../../src/corpus/article.js";
import { IncrementalIndex } from "../../src/retrieval/IncrementalIndex.js";
import type { ParagraphIndex } from "../../src/retrieval/paragraphIndex.js";
import { analyzeQuestion } from "../../src/retrieval/question.js";
import { type SearchOptions, searchParagraphs } from "../../src/retrieval/search.js";
import { EXTRA, NEWS, NEWS_QUESTIONS } from "../support/newsArticles.js";
import { searchParagraphs as referenceSearch } from "../support/referenceSearch/search.js";

/**
 * The search against a frozen copy of it (test/support/referenceSearch/, search as it was before
 * the query cost work of issue 13): a change made to make questions cheaper must keep every hit,
 * score, relevance and evidence, on the kind-only and title-only documents too, which no
 * question term reaches.
 */
const QUESTIONS = [
  ...NEWS_QUESTIONS,
  "Who met officials in Kyiv?",
  "When will the London marathon pass the Tower?",
  "How many hours did Witkoff meet officials?",
  "Who said it?",
  "Where is the brewery?",
  "Ukraine",
  "When did the Kremlin send its message on the ceasefire?",
  // "goes": two forms in the index ("goe", and its root's "go"), both in some paragraphs.
  "Who goes by boat?",
  "Where does the bus go?",
];

/** Paragraphs holding both forms of "goes" ("goes", "go"), for those questions. */
const FORMS: Article = {
  id: "school-run",
  title: "Children go back to school",
  paragraphs: [
    "Every child in the village went back to school on Monday, and the children said they were glad to go.",
    "A child who lives by the river goes by boat; children from the hills went by bus.",
    "Teachers said the children would go on a trip in May.",
    "One child went home early.",
  ],
};

/** Each question is asked with each of these: defaults, deeper, scoped, restricted, reweighed. */
function variants(index: ParagraphIndex): SearchOptions[] {
  const everyOther = Uint8Array.from(index.articles, (_, a) => a % 2);
  return [
    {},
    { top: 12 },
    { top: 30, params: { rerankDepth: 30 } },
    { top: 10, params: { rerankDepth: 3 } },
    ...index.articles.map((_, article) => ({ article, top: 10 })),
    { allowed: everyOther, top: 10 },
    { allowed: everyOther, article: 1, top: 10 },
    { top: 10, params: { articleWeight: 0, inheritLede: 0, inheritTitle: 0, inheritArticle: 0 } },
    { top: 10, params: { kindWeight: 4, titleWeight: 2, inheritArticle: 0.5 } },
    { top: 10, params: { inheritTitle: 0, inheritLede: 0.3, inheritArticle: 0.6 } },
    { top: 10, params: { articleWeight: 0, inheritTitle: 0.5, inheritRerank: 0 } },
    { top: 10, params: { kindWeight: 0 } },
    { top: 10, params: { titleWeight: 0, relatedWeight: 0 } },
  ];
}

interface Tally {
  compared: number;
  kindOnly: number;
  titleOnly: number;
}

function expectSameHits(index: ParagraphIndex, tally: Tally): void {
  for (const question of QUESTIONS) {
    const analyzed = analyzeQuestion(question);
    for (const options of variants(index)) {
      const want = referenceSearch(index, analyzed, options).hits;
      const got = searchParagraphs(index, analyzed, options).hits;
      const where = `${question} ${JSON.stringify({ ...options, allowed: undefined })}`;
      expect(
        got.map((h) => h.doc),
        where,
      ).toEqual(want.map((h) => h.doc));
      for (const [i, hit] of got.entries()) {
        const expected = want[i];
        if (!expected) continue;
        expect(Math.abs(hit.score - expected.score), where).toBeLessThan(1e-9);
        expect(Math.abs(hit.relevance - expected.relevance), where).toBeLessThan(1e-9);
        expect(hit.evidence, where).toEqual(expected.evidence);
        tally.compared++;
        if (hit.evidence.matched.every((m) => m === 0)) {
          if (hit.evidence.kindMatched) tally.kindOnly++;
          else tally.titleOnly++;
        }
      }
    }
  }
}

const changed = (article: Article): Article => ({
  ...article,
  paragraphs: [...article.paragraphs, "Officials said on Friday that Maria Lopez would decide."],
});

describe("searchParagraphs against the frozen reference", () => {
  it("returns the same hits, scores and relevance while articles are added and removed", () => {
    const tally: Tally = { compared: 0, kindOnly: 0, titleOnly: 0 };
    const index = new IncrementalIndex();
    index.add([...EXTRA.slice(0, 1), FORMS]);
    index.add(NEWS.slice(0, 3));
    expectSameHits(index, tally);
    index.add([...NEWS.slice(3), ...EXTRA.slice(1)]);
    expectSameHits(index, tally);
    index.remove(0);
    index.remove(2);
    index.add([changed(NEWS[1] as Article)]);
    expectSameHits(index, tally);
    // The comparisons include documents no question term reaches (ranked by their title or
    // their kind alone), which a search that skips work must still rank.
    expect(tally.compared).toBeGreaterThan(1000);
    expect(tally.kindOnly).toBeGreaterThan(0);
    expect(tally.titleOnly).toBeGreaterThan(0);
  });
});
