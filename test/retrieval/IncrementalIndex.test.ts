import { describe, expect, it } from "vitest";
import type { Article } from "../../src/corpus/article.js";
import {
  type AnalysedChunk,
  type AnalysisPool,
  type BuildProgress,
  IncrementalIndex,
  PROGRESS_STEP,
} from "../../src/retrieval/IncrementalIndex.js";
import { ParagraphAnalyser } from "../../src/retrieval/paragraphAnalysis.js";
import { buildIndex, type ParagraphIndex } from "../../src/retrieval/paragraphIndex.js";
import { type SearchOptions, searchParagraphs } from "../../src/retrieval/search.js";
import { terms } from "../../src/retrieval/textPipeline.js";
import { documentsOf } from "../support/indexDocuments.js";
import { EXTRA, NEWS, NEWS_QUESTIONS } from "../support/newsArticles.js";

/** Every question's hits, by article id and paragraph, with everything the scorer reported. */
function rankings(index: ParagraphIndex, options: SearchOptions = {}) {
  return NEWS_QUESTIONS.map((question) =>
    searchParagraphs(index, question, { top: 10, ...options }).hits.map((hit) => {
      const ref = index.paragraphOf(hit.doc);
      return {
        at: `${index.articles[ref?.article ?? -1]?.id}/${ref?.paragraph}`,
        score: hit.score,
        relevance: hit.relevance,
        evidence: hit.evidence,
      };
    }),
  );
}

/** Same hits in the same order, same evidence, same scores up to float rounding. */
function expectSameRanking(actual: ParagraphIndex, expected: ParagraphIndex): void {
  const got = rankings(actual);
  const want = rankings(expected);
  expect(want.flat().length).toBeGreaterThan(NEWS_QUESTIONS.length); // the fixture ranks things
  expect(got.map((hits) => hits.map((h) => h.at))).toEqual(
    want.map((hits) => hits.map((h) => h.at)),
  );
  got.forEach((hits, q) => {
    hits.forEach((hit, i) => {
      const other = want[q]?.[i];
      expect(hit.score).toBeCloseTo(other?.score ?? Number.NaN, 9);
      expect(hit.relevance).toBeCloseTo(other?.relevance ?? Number.NaN, 9);
      expect(hit.evidence).toEqual(other?.evidence);
    });
  });
}

function withId(id: string): Article {
  const article = [...NEWS, ...EXTRA].find((a) => a.id === id);
  if (!article) throw new Error(`no fixture article ${id}`);
  return article;
}

const RAIL_CHANGED: Article = {
  ...withId("rail"),
  paragraphs: ["The strike by train drivers was called off on Sunday after a pay offer."],
};

describe("IncrementalIndex", () => {
  it("ranks articles added one by one as a fresh build of them does", () => {
    const index = new IncrementalIndex();
    for (const article of NEWS) index.add([article]);
    expectSameRanking(index, buildIndex(NEWS));
  });

  it("ranks as a fresh build of the survivors after articles interleaved with them are removed", () => {
    const index = new IncrementalIndex();
    // The extras come first, so their words ("ukrainians", "ceasefire") get the lower term ids.
    const [extraA, extraB] = index
      .add([withId("ukraine-talks")])
      .concat(index.add([withId("marathon")]));
    index.add(NEWS.slice(0, 2));
    index.remove(extraA as number);
    index.add(NEWS.slice(2));
    index.remove(extraB as number);
    expectSameRanking(index, buildIndex(NEWS));
  });

  it("ranks a replaced article (removed, then added changed) as a fresh build with the new text", () => {
    const index = buildIndex(NEWS);
    index.remove(NEWS.findIndex((a) => a.id === "rail"));
    index.add([RAIL_CHANGED]);
    expectSameRanking(index, buildIndex([...NEWS.filter((a) => a.id !== "rail"), RAIL_CHANGED]));
  });

  it("forgets a removed article: no hit, no postings, no title, no kind counted", () => {
    const index = buildIndex([...NEWS, ...EXTRA]);
    const before = rankings(index);
    expect(before.flat().some((h) => h.at.startsWith("ukraine-talks/"))).toBe(true);
    const witkoff = index.termIds.get("witkoff") as number;
    expect(index.postings[witkoff]?.docs.length).toBe(2);
    const kindsBefore = { ...index.kindFrequency };

    index.remove(NEWS.length); // ukraine-talks
    expect(
      rankings(index)
        .flat()
        .some((h) => h.at.startsWith("ukraine-talks/")),
    ).toBe(false);
    expect(index.postings[witkoff]?.docs.length).toBe(1);
    expect(
      index.titlePostings[index.termIds.get(terms("cautious")[0] ?? "") as number]?.docs.length,
    ).toBe(0);
    const survivors = buildIndex([...NEWS, ...EXTRA.slice(1)]);
    expect(index.kindFrequency).toEqual(survivors.kindFrequency);
    expect(index.kindFrequency).not.toEqual(kindsBefore);
    expect(index.averageLength).toBe(survivors.averageLength);
    expect(index.averageArticleLength).toBe(survivors.averageArticleLength);
    expect(index.articleCount).toBe(NEWS.length + EXTRA.length - 1);
    expect(index.live[NEWS.length]).toBe(0);
  });

  it("never reuses a removed article's position or document ids, and moves its version on each change", () => {
    const index = buildIndex(NEWS);
    const documents = index.articleOf.length;
    const version = index.version;
    index.remove(0);
    expect(index.version).toBeGreaterThan(version);
    expect(index.documentCount).toBe(documents - (NEWS[0]?.paragraphs.length ?? 0));
    const [position] = index.add([withId("marathon")]);
    expect(position).toBe(NEWS.length);
    expect(index.articleStart[NEWS.length]).toBe(documents);
    expect(index.articleOf.length).toBe(documents + 1);
    index.remove(0); // already removed: nothing changes
    expect(index.documentCount).toBe(documents - (NEWS[0]?.paragraphs.length ?? 0) + 1);
  });

  it("finds a newly added article's paragraph first for its own question", () => {
    const index = buildIndex(NEWS);
    const question = "Which landmark will the London marathon pass for the first time?";
    const [position] = index.add([withId("marathon")]);
    const [best] = searchParagraphs(index, question).hits;
    expect(index.paragraphOf(best?.doc ?? -1)?.article).toBe(position);
  });

  it("keeps postings views exact-length and ascending as they grow and shrink", () => {
    const index = new IncrementalIndex();
    for (const article of [...NEWS, ...EXTRA]) index.add([article]);
    index.remove(1);
    index.remove(NEWS.length);
    for (const { docs, freqs } of index.postings) {
      expect(freqs.length).toBe(docs.length);
      for (let i = 1; i < docs.length; i++) expect(docs[i]).toBeGreaterThan(docs[i - 1] as number);
      for (const doc of docs) expect(index.live[index.articleOf[doc] as number]).toBe(1);
    }
  });
});

describe("searchParagraphs with allowed articles", () => {
  it("returns only allowed articles, and as many hits as they have, not fewer", () => {
    const index = buildIndex([...NEWS, ...EXTRA]);
    const question = "What did they say about the talks on Monday?";
    const everyone = searchParagraphs(index, question, { top: 3 }).hits;
    const first = index.paragraphOf(everyone[0]?.doc ?? -1)?.article as number;
    // Hide the article of the best hit: the next best take its place, three of them.
    const allowed = new Uint8Array(index.articles.length).fill(1);
    allowed[first] = 0;
    const hidden = searchParagraphs(index, question, { top: 3, allowed }).hits;
    expect(hidden).toHaveLength(3);
    for (const hit of hidden) expect(index.paragraphOf(hit.doc)?.article).not.toBe(first);
    expect(everyone.some((h) => index.paragraphOf(h.doc)?.article === first)).toBe(true);
  });

  it("reports a batch's progress: 0 first, then every step or so, last done and searchable", () => {
    // Articles of 7 short paragraphs, so steps fall inside articles and reports come after them.
    const many: Article[] = Array.from({ length: 400 }, (_, a) => ({
      id: `a${a}`,
      title: `Story ${a}`,
      paragraphs: Array.from({ length: 7 }, (_, p) => `Paragraph ${p} of story ${a} on Monday.`),
    }));
    const index = new IncrementalIndex();
    index.add(NEWS.slice(0, 1));
    const reports: BuildProgress[] = [];
    const searchableAtEnd: number[] = [];
    index.add(many, {
      onProgress: (progress) => {
        reports.push(progress);
        if (progress.done === progress.total) searchableAtEnd.push(index.documentCount);
      },
    });
    const total = 400 * 7;
    expect(reports[0]).toEqual({ done: 0, total });
    expect(reports.at(-1)).toEqual({ done: total, total });
    expect(searchableAtEnd).toEqual([total + (NEWS[0]?.paragraphs.length ?? 0)]);
    const done = reports.map((r) => r.done);
    // Whole articles, ascending, one report per step crossed (the first at the article crossing it).
    expect(done.every((d, i) => d % 7 === 0 && (i === 0 || d > (done[i - 1] as number)))).toBe(
      true,
    );
    const first = Math.ceil(PROGRESS_STEP / 7) * 7; // 1001 for steps of 1000
    const second = Math.ceil((first + PROGRESS_STEP) / 7) * 7;
    expect(done.slice(1, -1)).toEqual([first, second].filter((d) => d < total));
    expect(done.length).toBeGreaterThan(3);
    expect(reports.every((r) => r.total === total)).toBe(true);
  });

  it("reports an empty batch as done at once", () => {
    const reports: BuildProgress[] = [];
    new IncrementalIndex().add([], { onProgress: (p) => reports.push(p) });
    expect(reports).toEqual([
      { done: 0, total: 0 },
      { done: 0, total: 0 },
    ]);
  });

  it("keeps a large batch's columns and postings as adds one by one do, with term ids past two varint bytes", () => {
    // Made-up words (letters only, so each is a term of its own): over 16,384 distinct terms,
    // whose ids take three bytes in the varint-coded sequences, in over PROGRESS_STEP paragraphs,
    // so the batch is merged in chunks, reserves its columns and trims its postings.
    let next = 0;
    const word = () => {
      let n = next++;
      let text = "zq";
      do {
        text += String.fromCharCode(97 + (n % 20));
        n = Math.floor(n / 20);
      } while (n > 0);
      return text;
    };
    const many: Article[] = Array.from({ length: 30 }, (_, a) => ({
      id: `made-up-${a}`,
      title: `Made-up story ${a}`,
      paragraphs: Array.from(
        { length: 40 },
        (_, p) =>
          `Paragraph ${p} said ${Array.from({ length: 15 }, word).join(" ")}. Then nothing.`,
      ),
    }));
    const articles = [...NEWS, ...EXTRA, ...many];
    const batch = new IncrementalIndex();
    batch.add(articles);
    const each = new IncrementalIndex();
    for (const article of articles) each.add([article]);
    expect(batch.termIds.size).toBeGreaterThan(2 ** 14 + 1000);
    const lastDoc = batch.articleOf.length - 1;
    const last = many.at(-1)?.paragraphs.at(-1) as string;
    expect(Array.from(batch.sequenceOf(lastDoc))).toEqual(
      terms(last).map((t) => batch.termIds.get(t)),
    );
    expect(Math.max(...batch.sequenceOf(lastDoc))).toBeGreaterThan(2 ** 14);
    const view = (index: IncrementalIndex) => ({
      sequences: documentsOf(index).sequences.map((s) => Array.from(s)),
      sentenceStarts: documentsOf(index).sentenceStarts.map((s) => Array.from(s)),
      mentions: documentsOf(index).mentions,
      postings: index.postings.map((p) => [Array.from(p.docs), Array.from(p.freqs)]),
      titlePostings: index.titlePostings.map((p) => [Array.from(p.docs), Array.from(p.freqs)]),
    });
    expect(view(batch)).toEqual(view(each));
    // The batch's short lists are views of one pair of slabs, not buffers of their own.
    const short = batch.postings.filter((p) => p.docs.length > 0 && p.docs.length <= 64);
    expect(short.length).toBeGreaterThan(2 ** 14);
    expect(new Set(short.map((p) => p.docs.buffer)).size).toBe(1);
    expect(new Set(short.map((p) => p.freqs.buffer)).size).toBe(1);
    // Trimmed and packed lists take adds and removes as before.
    for (const index of [batch, each]) {
      index.remove(NEWS.length);
      index.add([NEWS[0] as Article, many[0] as Article]);
    }
    expect(view(batch)).toEqual(view(each));
    expectSameRanking(batch, each);
  });

  it("merges chunks analysed out of order by two analysers as one add does", async () => {
    const analysers = [new ParagraphAnalyser(true), new ParagraphAnalyser(true)];
    const parallel = new IncrementalIndex();
    let sent = 0;
    let analysed = 0;
    const finished: { sent: number; analysed: number; documents: number }[] = [];
    const pool: AnalysisPool = {
      capacity: 4,
      chunkParagraphs: 2,
      analyse: (articles) => {
        const analyser = sent++ % 2;
        const batch = (analysers[analyser] as ParagraphAnalyser).analyse(articles);
        // Later chunks finish first: the merge must still go in order.
        return new Promise<AnalysedChunk>((resolve) =>
          setTimeout(
            () => {
              analysed++;
              resolve({ analyser, batch });
            },
            20 - (sent % 4) * 5,
          ),
        );
      },
      // The threads may go once every chunk is back, before the batch's views are made.
      finished: () => finished.push({ sent, analysed, documents: parallel.documentCount }),
    };
    await parallel.addInParallel([...NEWS, ...EXTRA], pool);
    const one = buildIndex([...NEWS, ...EXTRA]);
    expect(sent).toBeGreaterThan(4);
    expect(finished).toEqual([{ sent, analysed: sent, documents: 0 }]);
    expect([...parallel.termIds]).toEqual([...one.termIds]);
    const [mine, theirs] = [documentsOf(parallel), documentsOf(one)];
    expect(mine.sequences).toEqual(theirs.sequences);
    expect(mine.mentions).toEqual(theirs.mentions);
    expectSameRanking(parallel, one);
  });

  it("rejects when the pool fails, with no failure left unhandled, and takes changes again", async () => {
    const analyser = new ParagraphAnalyser(true);
    let sent = 0;
    const pool: AnalysisPool = {
      capacity: 3,
      chunkParagraphs: 1,
      analyse: (articles) => {
        sent++;
        if (sent >= 2) return Promise.reject(new Error("a worker exited"));
        return Promise.resolve({ analyser: 0, batch: analyser.analyse(articles) });
      },
    };
    const index = new IncrementalIndex();
    await expect(index.addInParallel(NEWS, pool)).rejects.toThrow("a worker exited");
    // Three sent at once, a fourth once the first was merged; the second's failure ends the
    // build, and the third's and fourth's (never awaited) are handled.
    expect(sent).toBe(4);
    expect(() => index.add([withId("marathon")])).not.toThrow();
  });
});
