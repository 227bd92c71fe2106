/**
 * A saved index (issue 13, "start from a snapshot"): an {@link IncrementalIndex} as the bytes of
 * `snapshotFormat.ts`, so a restart reads in seconds what a cold build analyses in minutes.
 *
 * What a snapshot holds: the index's state (`IncrementalIndex.exportSteps`), and per article
 * position the article's id and a hash of what the index was built from (title and paragraphs:
 * all that `ParagraphAnalyser` reads). Not the articles' text: that is in the articles folder and
 * the database, which a restart reads anyway, and holding it twice would double the file. So a
 * snapshot is restored *with* the articles (`Library.assemble`): an article whose id and hash
 * match keeps its saved analysis, any other is analysed again.
 *
 * When a snapshot is not used, and why (each a {@link SnapshotError}): not a snapshot, another
 * container or state layout, damaged or cut short (the checksum), made by another
 * {@link PIPELINE_VERSION} (the same text would be indexed differently now), or with other index
 * options. Pure: bytes in and out; `src/indexSnapshotFile.ts` reads and writes the file.
 */
import { createHash } from "node:crypto";
import type { Article } from "../corpus/article.js";
import { IncrementalIndex, type IndexState } from "./IncrementalIndex.js";
import type { IndexOptions } from "./paragraphIndex.js";
import {
  decodeSnapshot,
  encodeSnapshot,
  SnapshotError,
  type SnapshotValue,
} from "./snapshotFormat.js";

/**
 * The version of what analysis puts in the index for a given text (terms, sentence starts,
 * mentions, kinds, aliases). Change it with any change to textPipeline.ts, sentences.ts,
 * acronyms.ts, answerKinds.ts, paragraphAnalysis.ts or the lexicons they read that changes an
 * index: a snapshot of another version is rebuilt, never served. `test/retrieval/
 * pipelineVersion.test.ts` fails when the index of a fixed corpus changes and this did not.
 */
export const PIPELINE_VERSION = 1;

/** Bytes of an article's hash: enough that two versions of one article never share one. */
const HASH_BYTES = 8;

/** Hashes already made, per article object (articles are never changed in place). */
const hashes = new WeakMap<Article, Uint8Array>();

/**
 * The hash of what the index reads of an article: its title and paragraphs, each prefixed by
 * its length so no two different articles give the same stream. Cached per article object.
 */
export function articleHash(article: Article): Uint8Array {
  let hash = hashes.get(article);
  if (hash) return hash;
  // SHA-256 (truncated): the fastest hash node:crypto has here (CPU instructions for it), a
  // tenth of a second per 100 MB of text.
  const h = createHash("sha256");
  // Lengths and texts as separate updates: a template string would copy every paragraph.
  h.update(`${article.title.length}:`);
  h.update(article.title);
  h.update(`|${article.paragraphs.length}`);
  for (const paragraph of article.paragraphs) {
    h.update(`|${paragraph.length}:`);
    h.update(paragraph);
  }
  hash = new Uint8Array(h.digest().subarray(0, HASH_BYTES));
  hashes.set(article, hash);
  return hash;
}

/** Whether `hash` is the hash at `position` of a snapshot's `hashes`. */
export function hashMatches(all: Uint8Array, position: number, hash: Uint8Array): boolean {
  const at = position * HASH_BYTES;
  for (let i = 0; i < HASH_BYTES; i++) if (all[at + i] !== hash[i]) return false;
  return true;
}

/** A decoded snapshot, ready for `IncrementalIndex.fromState` once its articles are matched. */
export interface IndexSnapshot {
  readonly state: IndexState;
  /** Per article position, the id of its article ("" for a removed one). */
  readonly ids: readonly string[];
  /** Per article position, {@link articleHash} of its article (8 bytes each). */
  readonly hashes: Uint8Array;
  /** {@link libraryHash} of the saved articles. */
  readonly libraryHash: string;
  /** Live articles and paragraphs when saved. */
  readonly articles: number;
  readonly paragraphs: number;
}

/**
 * A hash of a library's indexed articles in order (ids and content hashes): equal hashes, equal
 * indexes. In the header, so a look at a snapshot says which library it is of.
 */
export function libraryHash(articles: readonly Article[]): string {
  const h = createHash("sha1");
  h.update(`${PIPELINE_VERSION}`);
  for (const article of articles) {
    h.update(`|${article.id}|`);
    h.update(articleHash(article));
  }
  return h.digest("hex");
}

/**
 * An index as the bytes of a snapshot (pieces to write one after another; see
 * `encodeSnapshot`), at once. {@link encodeSteps} does the same a slice at a time.
 */
export function encodeIndexSnapshot(index: IncrementalIndex): Uint8Array[] {
  const steps = encodeSteps(index);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Articles hashed (or found hashed) between two slices of {@link encodeSteps}. */
const HASH_STEP = 500;

/**
 * {@link encodeIndexSnapshot} a slice at a time, each `next()` a few milliseconds of work
 * (hashing articles not hashed yet, copying the index's arrays: `IncrementalIndex.exportSteps`),
 * the last the checksum. The caller lets the event loop run between slices and must stop once
 * the index's `version` has moved since the first (the slices would mix two states).
 */
export function* encodeSteps(index: IncrementalIndex): Generator<void, Uint8Array[], void> {
  const articles = index.articles;
  const ids = new Array<string>(articles.length);
  const all = new Uint8Array(articles.length * HASH_BYTES);
  for (let position = 0; position < articles.length; position++) {
    const article = articles[position] as Article;
    const live = index.live[position] === 1;
    ids[position] = live ? article.id : "";
    if (live) all.set(articleHash(article), position * HASH_BYTES);
    if ((position + 1) % HASH_STEP === 0) yield;
  }
  const state = yield* index.exportSteps();
  // Header fields first (the table of contents keeps the record's order).
  const record: Record<string, SnapshotValue> = {
    pipelineVersion: PIPELINE_VERSION,
    libraryHash: libraryHash(articles.filter((_, p) => index.live[p] === 1)),
    articles: index.articleCount,
    paragraphs: index.documentCount,
    articleIds: ids,
    articleHashes: all,
  };
  for (const [name, value] of Object.entries(state)) record[`index.${name}`] = value;
  yield;
  return encodeSnapshot(record);
}

/**
 * Reads a snapshot's bytes for an index of `options`.
 * @throws SnapshotError: MAGIC, VERSION, TRUNCATED, CORRUPT (see snapshotFormat.ts), STALE
 *   (another {@link PIPELINE_VERSION}) or OPTIONS (another `IndexOptions.acronyms`)
 */
export function decodeIndexSnapshot(bytes: Uint8Array, options: IndexOptions = {}): IndexSnapshot {
  const record = decodeSnapshot(bytes);
  if (record.pipelineVersion !== PIPELINE_VERSION) {
    throw new SnapshotError(
      "STALE",
      `made by pipeline version ${String(record.pipelineVersion)}, this newsdesk indexes with ${PIPELINE_VERSION}`,
    );
  }
  const state: Record<string, SnapshotValue> = {};
  for (const [name, value] of Object.entries(record)) {
    if (name.startsWith("index.")) state[name.slice("index.".length)] = value;
  }
  if (state.stateVersion !== IncrementalIndex.STATE_VERSION) {
    throw new SnapshotError(
      "VERSION",
      `index layout ${String(state.stateVersion)}, this newsdesk reads ${IncrementalIndex.STATE_VERSION}`,
    );
  }
  const acronyms = options.acronyms ?? true;
  if (state.acronyms !== acronyms) {
    throw new SnapshotError(
      "OPTIONS",
      `made with acronyms ${state.acronyms ? "on" : "off"}, the library indexes with them ${acronyms ? "on" : "off"}`,
    );
  }
  const { articleIds: ids, articleHashes: all, libraryHash: hash } = record;
  if (
    !Array.isArray(ids) ||
    !(all instanceof Uint8Array) ||
    all.length !== ids.length * HASH_BYTES ||
    typeof hash !== "string" ||
    typeof record.articles !== "number" ||
    typeof record.paragraphs !== "number"
  ) {
    throw new SnapshotError("CORRUPT", "article ids or hashes missing");
  }
  return {
    state,
    ids,
    hashes: all,
    libraryHash: hash,
    articles: record.articles,
    paragraphs: record.paragraphs,
  };
}
