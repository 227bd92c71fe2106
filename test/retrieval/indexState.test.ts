/**
 * `IncrementalIndex.exportSteps` / `fromState` through a snapshot's bytes: the restored index is
 * the saved one structure by structure, and positions restored without their article are removed
 * exactly as `remove` removes them.
 */
import { describe, expect, it } from "vitest";
import type { Article } from "../../src/corpus/article.js";
import { IncrementalIndex } from "../../src/retrieval/IncrementalIndex.js";
import {
  articleHash,
  decodeIndexSnapshot,
  encodeIndexSnapshot,
  hashMatches,
} from "../../src/retrieval/indexSnapshot.js";
import type { ParagraphIndex } from "../../src/retrieval/paragraphIndex.js";
import { SnapshotError } from "../../src/retrieval/snapshotFormat.js";
import { joined } from "../support/bytes.js";
import { readerView } from "../support/indexDocuments.js";
import { EXTRA, NEWS } from "../support/newsArticles.js";

const ARTICLES = [...NEWS, ...EXTRA];

/** Everything a reader sees, as plain values, and the articles at their positions. */
function view(index: ParagraphIndex) {
  const seen = readerView(index);
  return {
    ...seen,
    // Looked up by key, so listed in key order: a restored index may list them in another.
    prefixGroups: [...seen.prefixGroups].sort(),
    articles: index.articles.map((a) => a.id),
  };
}

/** `index` saved and read back as bytes, restored with `articles` per position. */
function restored(index: IncrementalIndex, articles: (Article | undefined)[]): IncrementalIndex {
  const snapshot = decodeIndexSnapshot(joined(encodeIndexSnapshot(index)));
  return IncrementalIndex.fromState(snapshot.state, articles);
}

describe("an index restored from its state", () => {
  it("is the saved index, structure by structure, and changes as it would", () => {
    const index = new IncrementalIndex();
    index.add(ARTICLES);
    index.remove(2);
    const copy = restored(
      index,
      index.articles.map((a, p) => (index.live[p] ? a : undefined)),
    );
    expect(view(copy)).toEqual(view(index));
    const late: Article = {
      id: "late",
      title: "Ferry news",
      paragraphs: ["The ferry sails at noon."],
    };
    index.add([late]);
    copy.add([late]);
    index.remove(0);
    copy.remove(0);
    expect(view(copy)).toEqual(view(index));
  });

  it("removes positions given no article exactly as remove would", () => {
    const index = new IncrementalIndex();
    index.add(ARTICLES);
    const gone = new Set([0, 3, ARTICLES.length - 1]);
    const copy = restored(
      index,
      index.articles.map((a, p) => (gone.has(p) ? undefined : a)),
    );
    for (const position of gone) index.remove(position);
    expect(view(copy)).toEqual(view(index));
  });

  it("saves each article's id and hash, and refuses a state that does not fit its articles", () => {
    const index = new IncrementalIndex();
    index.add(ARTICLES);
    index.remove(1);
    const snapshot = decodeIndexSnapshot(joined(encodeIndexSnapshot(index)));
    expect(snapshot.ids).toEqual(ARTICLES.map((a, p) => (p === 1 ? "" : a.id)));
    expect(hashMatches(snapshot.hashes, 0, articleHash(ARTICLES[0] as Article))).toBe(true);
    const edited = { ...(ARTICLES[0] as Article), paragraphs: ["Changed."] };
    expect(hashMatches(snapshot.hashes, 0, articleHash(edited))).toBe(false);
    expect(() => IncrementalIndex.fromState(snapshot.state, ARTICLES.slice(1))).toThrow(
      SnapshotError,
    );
    const shorter = ARTICLES.map((a) => ({ ...a, paragraphs: a.paragraphs.slice(1) }));
    expect(() => IncrementalIndex.fromState(snapshot.state, shorter)).toThrow(/has changed/);
  });
});
