/**
 * The index a build makes, structure by structure, against a stored snapshot of what the code
 * made before the build was sped up (issue 13): faster tokenizing, sentence splitting and
 * mention finding must not move one term, posting, sentence start or mention. The corpus is the
 * tests' small ones (not data/, which changes with the library) plus an article of tricky text (contractions, "U.S.", grouped numbers,
 * acronyms, curly quotes, hyphens, abbreviations, non-Latin scripts).
 *
 * After a change that is meant to change the index (a new stopword, a new kind pattern), run
 * `npx vitest run --project unit test/retrieval/indexSnapshot.test.ts -u` and review the diff
 * of the snapshot.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Article } from "../../src/corpus/article.js";
import { loadCorpus } from "../../src/corpus/loadCorpus.js";
import { findAcronyms, withAliases } from "../../src/retrieval/acronyms.js";
import { type BuildProgress, IncrementalIndex } from "../../src/retrieval/IncrementalIndex.js";
import { addInParallel } from "../../src/retrieval/parallelBuild.js";
import { splitSentences } from "../../src/retrieval/sentences.js";
import { terms } from "../../src/retrieval/textPipeline.js";
import { readerView } from "../support/indexDocuments.js";
import { EXTRA, NEWS } from "../support/newsArticles.js";

const here = (p: string) => path.join(path.dirname(fileURLToPath(import.meta.url)), p);

/** Text that has tripped the tokenizer, the sentence splitter or the kind patterns. */
const TRICKY: Article = {
  id: "tricky",
  title: "U.S. and U.N. officials can’t agree on the Karachi Stock Exchange (KSE) deal",
  paragraphs: [
    "The U.S. said on Monday it won't pay $26,500, or 1,000,000 yen, for the 30-day review. Mr. Smith didn’t agree.",
    "Officials from the Karachi Stock Exchange (KSE) met Dr. Jane Doe in New York; KSE’s chief, Sen. John McCain's aide, wasn't there.",
    "“It’s a well-known, long-term problem,” said Zelenskyy’s envoy in Zürich — twice. Prices rose 3.5% in 2024, up from 2.1 in the 1990s.",
    "Four children, 4 children and forty-four adults waited two weeks (14 days) until the 21st century's first decade-long plan... Then? Nothing!",
    "US troops, U.S.A. veterans and the USA team; us and them. She'd have gone. They're here, we've seen, I'm sure, you'll see.",
    "Ελλάδα and Россия signed a 5-year pact with São Paulo on 3 March 2025, e.g. at 10 a.m. on Tue. the 4th. Vladimir Putin replied in a week.",
    "The Confederation of British Industry (CBI) and the Ministry of Defence (MoD) said the CBI's view and the MoD’s plans differ.",
    "",
    "news news NEWS: the News said children went, held, took and carried; can't, won't, shan't.",
  ],
};

async function corpus(): Promise<Article[]> {
  const fixtures = await loadCorpus(here("../fixtures/corpus/good"));
  return [...NEWS, ...EXTRA, TRICKY, ...fixtures.articles];
}

describe("the built index", () => {
  it("is, structure by structure, the stored snapshot", async () => {
    const articles = await corpus();
    expect(articles.length).toBeGreaterThan(NEWS.length + EXTRA.length + 3);
    const index = new IncrementalIndex();
    index.add(articles);
    await expect(`${JSON.stringify(readerView(index), null, 1)}\n`).toMatchFileSnapshot(
      "../fixtures/index-snapshot.json",
    );
  });

  it("is the same built in one batch, article by article, or without acronyms as stored", async () => {
    const articles = await corpus();
    const one = new IncrementalIndex();
    one.add(articles);
    const each = new IncrementalIndex();
    for (const article of articles) each.add([article]);
    expect(readerView(each)).toEqual(readerView(one));
    const plain = new IncrementalIndex({ acronyms: false });
    plain.add([TRICKY]);
    // Removing an article reads its title's terms again.
    plain.remove(0);
    plain.add([TRICKY, NEWS[0] as Article]);
    await expect(`${JSON.stringify(readerView(plain), null, 1)}\n`).toMatchFileSnapshot(
      "../fixtures/index-snapshot-no-acronyms.json",
    );
  });

  it("is the same built across worker threads, in chunks merged in order", async () => {
    // Three copies, so later chunks meet terms that earlier chunks (of the other thread) added.
    const articles = await corpus();
    const three = [...articles, ...articles, ...articles];
    const one = new IncrementalIndex();
    one.add(three);
    const parallel = new IncrementalIndex();
    const reports: BuildProgress[] = [];
    const building = addInParallel(parallel, three, {
      threads: 2,
      parallelFrom: 0,
      chunkParagraphs: 5,
      onProgress: (p) => reports.push(p),
    });
    // Nothing may change the index between its merges.
    expect(() => parallel.add([TRICKY])).toThrow(/parallel add is under way/);
    const positions = await building;
    expect(positions).toEqual(three.map((_, i) => i));
    expect(readerView(parallel)).toEqual(readerView(one));
    expect(reports.length).toBeGreaterThan(10);
    expect(reports.at(-1)).toEqual({ done: one.articleOf.length, total: one.articleOf.length });
    // A small batch stays on this thread, and the index takes adds and removes after either.
    await addInParallel(parallel, [TRICKY]);
    one.add([TRICKY]);
    parallel.remove(1);
    one.remove(1);
    expect(readerView(parallel)).toEqual(readerView(one));
  });

  it("holds, per paragraph, the terms of its sentences with withAliases' aliases, as term ids", () => {
    // The analyser inserts aliases on term ids; acronyms.ts's withAliases on terms is the rule.
    const index = new IncrementalIndex();
    const [position] = index.add([TRICKY]);
    const definitions = findAcronyms([TRICKY.title, ...TRICKY.paragraphs].join("\n"));
    expect(definitions.map((d) => d.acronym)).toEqual(["kse", "cbi", "mod"]);
    TRICKY.paragraphs.forEach((text, p) => {
      const doc = (index.articleStart[position as number] as number) + p;
      const expected = splitSentences(text).flatMap((s) =>
        withAliases(terms(s.text), definitions).map((t) => index.termIds.get(t)),
      );
      expect(Array.from(index.sequenceOf(doc)), text).toEqual(expected);
    });
  });
});
