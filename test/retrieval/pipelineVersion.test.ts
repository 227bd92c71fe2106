/**
 * PIPELINE_VERSION must change whenever analysis changes what the index holds for a text, or a
 * restart would serve a snapshot made by the old analysis (wrong terms, wrong sentence starts)
 * beside articles analysed by the new one. This test keeps, per pipeline version, a digest of
 * the index of a fixed corpus: when the index changes and the version did not, it fails and says
 * what to do.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadCorpus } from "../../src/corpus/loadCorpus.js";
import { IncrementalIndex } from "../../src/retrieval/IncrementalIndex.js";
import { PIPELINE_VERSION } from "../../src/retrieval/indexSnapshot.js";
import type { ParagraphIndex } from "../../src/retrieval/paragraphIndex.js";
import { documentsOf } from "../support/indexDocuments.js";
import { EXTRA, NEWS } from "../support/newsArticles.js";

const here = (p: string) => path.join(path.dirname(fileURLToPath(import.meta.url)), p);
const DIGESTS = "../fixtures/pipeline-digests.json";

/** A digest of everything a reader of the index sees (term ids and texts included). */
function digest(index: ParagraphIndex): string {
  const h = createHash("sha256");
  const list = (array: ArrayLike<number>) => h.update(`${Array.from(array).join(" ")}\n`);
  h.update(
    JSON.stringify([
      index.documentCount,
      index.articleCount,
      index.averageLength,
      index.averageTitleLength,
      index.averageArticleLength,
      index.kindFrequency,
      [...index.termIds],
      [...index.prefixGroups],
    ]),
  );
  for (const array of [index.lengths, index.titleLengths, index.kinds, index.articleStart])
    list(array);
  for (const p of [...index.postings, ...index.titlePostings]) {
    list(p.docs);
    list(p.freqs);
  }
  const documents = documentsOf(index);
  for (const sequence of documents.sequences) list(sequence);
  for (const starts of documents.sentenceStarts) list(starts);
  h.update(JSON.stringify(documents.mentions));
  return h.digest("hex");
}

describe("PIPELINE_VERSION", () => {
  it("changes whenever the index of a fixed corpus changes", async () => {
    const fixtures = await loadCorpus(here("../fixtures/corpus/good"));
    const articles = [...NEWS, ...EXTRA, ...fixtures.articles];
    expect(articles.length).toBeGreaterThan(NEWS.length + EXTRA.length + 3);
    const withAcronyms = new IncrementalIndex();
    withAcronyms.add(articles);
    const without = new IncrementalIndex({ acronyms: false });
    without.add(articles);
    const now = `${digest(withAcronyms)} ${digest(without)}`;
    const stored = JSON.parse(readFileSync(here(DIGESTS), "utf8")) as Record<string, string>;
    const known = stored[String(PIPELINE_VERSION)];
    if (known === undefined) {
      expect.fail(
        `PIPELINE_VERSION ${PIPELINE_VERSION} has no digest yet: add "${PIPELINE_VERSION}": "${now}" to test/fixtures/pipeline-digests.json`,
      );
    }
    if (known !== now) {
      const earlier = Object.entries(stored).find(([, d]) => d === now)?.[0];
      expect.fail(
        earlier !== undefined
          ? `the index is the one of PIPELINE_VERSION ${earlier} again: set PIPELINE_VERSION to a new number (snapshots of ${PIPELINE_VERSION} differ) and add its digest to test/fixtures/pipeline-digests.json`
          : `the index of the fixed corpus changed, but PIPELINE_VERSION is still ${PIPELINE_VERSION}: snapshots made by the old analysis would be served with the new one. Raise PIPELINE_VERSION in src/retrieval/indexSnapshot.ts to ${PIPELINE_VERSION + 1} and add "${PIPELINE_VERSION + 1}": "${now}" to test/fixtures/pipeline-digests.json (keep the old entries)`,
      );
    }
  });
});
