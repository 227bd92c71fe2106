/**
 * The paragraph index as a structure that grows and shrinks one article at a time, so a library
 * that changes while the bot runs never needs a rebuild.
 *
 * - Articles and their paragraphs are appended: an article gets the next article position, its
 *   paragraphs the next document ids, and neither is ever reused while the index lives.
 * - Postings live in growable typed buffers; the `docs` / `freqs` a reader sees are exact-length
 *   views of them (the buffers themselves once a build trims them), replaced after each change,
 *   so readers keep reading plain arrays.
 * - What the index keeps per paragraph for the reranked candidates (term sequence, sentence
 *   starts, answer-kind mentions) lives in three flat columns, paragraph after paragraph, with
 *   per-document offsets ({@link Column}): term ids as varints, the rest as ints. Not in three
 *   small objects per paragraph: at 300,000 paragraphs the objects cost more than their contents
 *   (per-paragraph objects and per-term buffers were about 70% of the index's memory). Readers
 *   get views or decoded copies, made per call (`sequenceOf(doc)`, `mentionsOf(doc)`).
 * - Removing an article tombstones it: its documents leave every postings list at once (one
 *   binary search and one `copyWithin` per distinct term, so document frequencies stay exact),
 *   their lengths and kinds are zeroed, and the live counts and sums behind the averages are
 *   updated. A tombstoned document is in no postings list and has no kind, so no scoring loop can
 *   credit it; its id stays taken, and its range of the per-paragraph columns stays as garbage
 *   (read as empty) until `Library.compact` builds a fresh index.
 *
 * Every statistic the scorer reads (document frequency, live paragraph and article counts,
 * average lengths, kind frequencies) is the one a fresh `buildIndex` over the live articles
 * would compute, and lengths are integers, so the sums behind the averages are exact: a fresh
 * index and one built by adding and removing articles rank the same, score for score.
 *
 * Building is two steps: `ParagraphAnalyser` (paragraphAnalysis.ts) turns a chunk of articles
 * into term ids local to it (sentences, terms, aliases, mentions: nine tenths of the time), and
 * `#merge` maps them to the index's ids and fills the postings, chunk after chunk in order. The
 * analysis can run on worker threads (`addInParallel`, parallelBuild.ts); the index is the same.
 *
 * Prefix groups are kept in code-unit order of their terms (not in the order terms were first
 * seen), so related words that tie in weight are tried in the same order however the library
 * was assembled.
 *
 * Concurrency: updates and searches are synchronous and Node runs them on one thread, so a
 * search sees the index before or after an update, never during one. The `version` counter moves
 * on every change, for any cache a caller keeps per index state.
 */
import type { Article } from "../corpus/article.js";
import { KIND_BITS } from "./answerKinds.js";
import { type AnalysedBatch, ParagraphAnalyser } from "./paragraphAnalysis.js";
import type {
  IndexedMention,
  IndexOptions,
  ParagraphIndex,
  ParagraphRef,
  Postings,
} from "./paragraphIndex.js";
import type { AnswerKind } from "./question.js";
import { SnapshotError, type SnapshotValue } from "./snapshotFormat.js";
import { terms } from "./textPipeline.js";

/**
 * Length of the prefix that makes two terms related. Truncating words to their first five
 * letters is a crude stemmer that rivals Porter in evaluations (Mayfield & McNamee, "Single
 * n-gram stemming", SIGIR 2003); here it only adds weaker matches beside Porter's.
 */
export const PREFIX_LENGTH = 5;

type Kind = Exclude<AnswerKind, "none">;
const KINDS = Object.entries(KIND_BITS) as [Kind, number][];
const EMPTY_INT32 = new Int32Array(0);
const EMPTY_UINT16 = new Uint16Array(0);
const EMPTY_POSTINGS: Postings = { docs: EMPTY_INT32, freqs: EMPTY_UINT16 };
const NO_MENTIONS: readonly IndexedMention[] = [];
/** Ints a mention takes before its term ids in the mentions column: sentence, kind bit, count. */
const MENTION_HEADER = 3;
/** What a removed article's position holds: no title, no paragraphs. */
const REMOVED: Article = { id: "", title: "", paragraphs: [] };

/** Grows a typed array to at least `size` elements, doubling, keeping its contents. */
function grown<T extends Int32Array | Uint16Array | Float64Array | Uint8Array>(
  array: T,
  size: number,
): T {
  if (size <= array.length) return array;
  let capacity = Math.max(4, array.length);
  while (capacity < size) capacity *= 2;
  const next = new (array.constructor as new (n: number) => T)(capacity);
  next.set(array);
  return next;
}

/**
 * One flat column of ints (or bytes) for all paragraphs, paragraph after paragraph: document
 * `doc`'s values are `values[starts[doc]]` up to `values[starts[doc + 1]]` (documents are
 * appended in id order, so one offset per document is enough). Both arrays grow by doubling;
 * `values.subarray(0, length)` and `starts.subarray(0, documents + 1)` are the whole column,
 * ready to dump.
 */
class Column<T extends Int32Array | Uint8Array> {
  values: T;
  length = 0;
  starts = new Int32Array(1);

  constructor(empty: T) {
    this.values = empty;
  }

  /** Room for `extra` more values. */
  reserve(extra: number): void {
    this.values = grown(this.values, this.length + extra);
  }

  /** Capacity for `total` values and `documents` documents, grown once to exactly that. */
  reserveTotal(total: number, documents: number): void {
    this.values = resized(this.values, total);
    this.starts = resized(this.starts, documents + 1);
  }

  /**
   * After a large batch, gives back capacity past a sixteenth of headroom (the headroom keeps the
   * next adds from copying the column): one copy, when the batch's estimate was high or doubling
   * took over from it.
   */
  trim(documents: number): void {
    if (this.values.length > this.length + (this.length >> 3)) {
      this.values = this.values.slice(0, this.length + (this.length >> 4)) as T;
    }
    if (this.starts.length > documents + 1 + (documents >> 3)) {
      this.starts = this.starts.slice(0, documents + 1 + (documents >> 4));
    }
  }

  /** Appends `values` to the open document's; returns where they start. */
  append(values: ArrayLike<number>): number {
    this.reserve(values.length);
    const at = this.length;
    this.values.set(values, at);
    this.length = at + values.length;
    return at;
  }

  /** Closes document `doc`'s values (the ones added since the last `end`). */
  end(doc: number): void {
    this.starts = grown(this.starts, doc + 2);
    this.starts[doc + 1] = this.length;
  }

  /** Document `doc`'s values, as a view (no copy). */
  of(doc: number): T {
    return this.values.subarray(this.starts[doc] as number, this.starts[doc + 1] as number) as T;
  }
}

/** Bytes `value` (at least 0) takes as a varint: 7 bits a byte, low bits first (LEB128). */
function varintSize(value: number): number {
  let size = 1;
  for (let v = value; v >= 0x80; v >>>= 7) size++;
  return size;
}

/** Writes `value` (at least 0) as a varint at `at`; returns the position after it. */
function writeVarint(bytes: Uint8Array, at: number, value: number): number {
  let v = value;
  let to = at;
  while (v >= 0x80) {
    bytes[to++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  bytes[to++] = v;
  return to;
}

/** Decodes `count` varints from `bytes`. */
function readVarints(bytes: Uint8Array, count: number): Int32Array {
  const out = new Int32Array(count);
  let at = 0;
  for (let i = 0; i < count; i++) {
    let value = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = bytes[at++] as number;
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte >= 0x80);
    out[i] = value;
  }
  return out;
}

/** `array` grown to exactly `size` elements, keeping its contents (itself if already as long). */
function resized<T extends Int32Array | Uint16Array | Float64Array | Uint8Array>(
  array: T,
  size: number,
): T {
  if (size <= array.length) return array;
  const next = new (array.constructor as new (n: number) => T)(size);
  next.set(array);
  return next;
}

/** How far one `add` has gone, in paragraphs (of all its articles). */
export interface BuildProgress {
  readonly done: number;
  readonly total: number;
}

/** Options of {@link IncrementalIndex.add}. */
export interface AddOptions {
  /**
   * Called with `done` 0 first, then about every {@link PROGRESS_STEP} paragraphs (after the
   * article that crosses a step), and last with `done === total`. The index only counts: timing,
   * throttling and drawing are the caller's (a terminal's progress bar, the bot's log).
   */
  readonly onProgress?: (progress: BuildProgress) => void;
}

/**
 * Paragraphs an `add` analyses and merges at a time, and between two progress reports (about a
 * tenth of a second of work; a parallel build's unit of work for a thread).
 */
export const PROGRESS_STEP = 1000;

/** Articles cut into runs of whole articles of at least `size` paragraphs (the last less). */
function chunks(articles: readonly Article[], size = PROGRESS_STEP): Article[][] {
  const out: Article[][] = [];
  let chunk: Article[] = [];
  let paragraphs = 0;
  for (const article of articles) {
    chunk.push(article);
    paragraphs += article.paragraphs.length;
    if (paragraphs >= size) {
      out.push(chunk);
      chunk = [];
      paragraphs = 0;
    }
  }
  if (chunk.length > 0) out.push(chunk);
  return out;
}

/**
 * Where a parallel build's chunks are analysed: worker threads, each with its own
 * `ParagraphAnalyser` (parallelBuild.ts).
 */
export interface AnalysisPool {
  /** How many chunks may be out at once (e.g. two per thread, so none waits for work). */
  readonly capacity: number;
  /** Paragraphs of a chunk, at least (default `PROGRESS_STEP`). */
  readonly chunkParagraphs?: number;
  /**
   * Analyses a chunk; `analyser` names the analyser that did, whose local term ids continue
   * across the chunks it is given (they are given in order).
   */
  analyse(articles: readonly Article[]): Promise<AnalysedChunk>;
  /**
   * Called once every chunk's analysis is back, before the batch's last step (trimming and the
   * readers' views, the copies that make a build's peak): a pool lets its threads go here, so
   * that their memory is given back before that peak rather than after it.
   */
  finished?(): void;
}

/** A chunk's analysis and the analyser that made it. */
export interface AnalysedChunk {
  readonly analyser: number;
  readonly batch: AnalysedBatch;
}

/** An analyser's local term ids -> the index's term ids, grown with each batch it analysed. */
class TermMap {
  ids = new Int32Array(1024);
  length = 0;
}

/** Postings lists up to this long are trimmed to their exact length (see `PostingsBuffer.trim`). */
const SHORT_POSTINGS = 64;

/**
 * Headroom of the columns' one-time growth for a large batch, over the values per character its
 * first chunk gave (see `IncrementalIndex.#reserve`): at 300,000 paragraphs the estimate fell
 * within 5% of the sequences' final length.
 */
const RESERVE_MARGIN = 1.05;

/**
 * The same for the varint-coded sequences, whose bytes per term id grow through a build: ids go
 * by first occurrence, so later chunks' new terms have longer ids (at 300,000 paragraphs the
 * first chunk gave a fifth fewer bytes per character than the whole). The trim after the batch
 * gives back what is left over.
 */
const SEQUENCE_RESERVE_MARGIN = 1.3;

/** One growable postings list. */
class PostingsBuffer {
  docs: Int32Array = EMPTY_INT32;
  freqs: Uint16Array = EMPTY_UINT16;
  length = 0;
  view: Postings = EMPTY_POSTINGS;
  /** Changed since `view` was made (the list is then in the batch's list of stale ones). */
  stale = false;

  /** Counts one occurrence in `doc`, which is the last document added or a newer one. */
  add(doc: number): void {
    const last = this.length - 1;
    if (last >= 0 && this.docs[last] === doc) {
      // Past 65,535 a Uint16 wraps, as the frozen arrays of the first index did.
      this.freqs[last] = (this.freqs[last] as number) + 1;
      return;
    }
    this.docs = grown(this.docs, this.length + 1);
    this.freqs = grown(this.freqs, this.length + 1);
    this.docs[this.length] = doc;
    this.freqs[this.length] = 1;
    this.length++;
  }

  /** Removes `doc` if present (docs ascend, so a binary search finds it). */
  remove(doc: number): void {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.docs[mid] as number) < doc) lo = mid + 1;
      else hi = mid;
    }
    if (lo >= this.length || this.docs[lo] !== doc) return;
    this.docs.copyWithin(lo, lo + 1, this.length);
    this.freqs.copyWithin(lo, lo + 1, this.length);
    this.length--;
  }

  /**
   * Gives back the capacity doubling left unused, after a large batch: a short list (most terms
   * are rare) keeps exactly its length, and its view is its buffers themselves (no `subarray`
   * objects); a long one keeps a sixteenth of headroom, so adding an article or two after a build
   * copies none of the long lists, which are the expensive ones to copy.
   */
  trim(): void {
    const capacity = this.length <= SHORT_POSTINGS ? this.length : this.length + (this.length >> 4);
    if (capacity >= this.docs.length) return;
    this.docs = this.docs.slice(0, capacity);
    this.freqs = this.freqs.slice(0, capacity);
  }

  /**
   * Moves a short list (see `trim`) into shared slabs at `at`, exactly its length: its arrays
   * become views of the slabs, so that it owns no buffer of its own. Most terms are rare (at
   * 1,000,000 paragraphs, 346,000 of 376,000 lists hold at most 64 documents), and a small typed
   * array of its own costs about 110 bytes of heap for its buffer besides the view: the two
   * arrays of a list in slabs take half the heap. A list that grows later gets a buffer of its
   * own again (`grown` copies it), and removing a document shifts it within its own range.
   */
  pack(docs: Int32Array, freqs: Uint16Array, at: number): void {
    docs.set(this.docs.subarray(0, this.length), at);
    freqs.set(this.freqs.subarray(0, this.length), at);
    this.docs = docs.subarray(at, at + this.length);
    this.freqs = freqs.subarray(at, at + this.length);
  }

  refresh(): Postings {
    this.stale = false;
    if (this.length === 0) this.view = EMPTY_POSTINGS;
    else if (this.length === this.docs.length) this.view = { docs: this.docs, freqs: this.freqs };
    else {
      this.view = {
        docs: this.docs.subarray(0, this.length),
        freqs: this.freqs.subarray(0, this.length),
      };
    }
    return this.view;
  }
}

/**
 * The index's state as flat typed arrays, string lists and scalars: what
 * {@link IncrementalIndex.exportSteps} gives and {@link IncrementalIndex.fromState} takes, and
 * what a snapshot saves (`indexSnapshot.ts`). Field names are the index's own business.
 */
export type IndexState = Readonly<Record<string, SnapshotValue>>;

type ArenaArray = Int32Array | Uint32Array | Uint16Array | Uint8Array | Float64Array;
type ArenaType = (new (
  buffer: ArrayBuffer,
  offset: number,
  length: number,
) => ArenaArray) & {
  readonly BYTES_PER_ELEMENT: number;
};

/**
 * Typed arrays of sizes known in advance, carved in order out of one buffer (each at a multiple
 * of 8 bytes): one allocation instead of one per array.
 */
class Arena {
  readonly #buffer: ArrayBuffer;
  readonly #layout: { type: ArenaType; offset: number; length: number }[] = [];
  #next = 0;

  constructor(arrays: readonly (readonly [ArenaType, number])[]) {
    let offset = 0;
    for (const [type, length] of arrays) {
      this.#layout.push({ type, offset, length });
      offset += Math.ceil((length * type.BYTES_PER_ELEMENT) / 8) * 8;
    }
    this.#buffer = new ArrayBuffer(offset);
  }

  /** The next array of the layout, which must be of `type`. */
  next<T extends ArenaArray>(type: new (n: number) => T): T {
    const slot = this.#layout[this.#next++];
    if (!slot || (slot.type as unknown) !== type)
      throw new Error("IncrementalIndex: arena out of order");
    return new slot.type(this.#buffer, slot.offset, slot.length) as T;
  }
}

/**
 * Values {@link IncrementalIndex.exportSteps} copies in one slice: a few milliseconds of work
 * (about 2 MB), so the event loop is never held long between slices.
 */
export const EXPORT_STEP = 500_000;

/**
 * The capacity a restored list of `length` values gets (`IncrementalIndex.fromState`): an eighth
 * more and a few, so the articles a library gains over days are added in place.
 */
function roomFor(length: number): number {
  return length + (length >> 3) + 4;
}

/** A copy of `array` in a buffer of {@link roomFor} its length. */
function withRoom<T extends Int32Array | Uint8Array | Float64Array>(array: T): T {
  const next = new (array.constructor as new (n: number) => T)(roomFor(array.length));
  next.set(array);
  return next;
}

/** How many characters the paragraphs of `articles` hold. */
function charactersOf(articles: readonly Article[]): number {
  let count = 0;
  for (const article of articles) for (const text of article.paragraphs) count += text.length;
  return count;
}

/** How many paragraphs `articles` hold. */
function paragraphsOf(articles: readonly Article[]): number {
  let count = 0;
  for (const article of articles) count += article.paragraphs.length;
  return count;
}

/**
 * A {@link ParagraphIndex} that articles can be added to and removed from. Readers take it as a
 * `ParagraphIndex`; only its owner (the library) calls `add` and `remove`.
 */
export class IncrementalIndex implements ParagraphIndex {
  readonly #acronyms: boolean;
  readonly #articles: Article[] = [];
  /** Document ids given so far (removed ones included). */
  #documents = 0;
  /**
   * Per document, its term ids in order (see `ParagraphIndex.sequenceOf`), as varints: the ids of
   * frequent terms are small (ids go by first occurrence), so an id takes about two bytes, not
   * four (300,000 paragraphs: 30 MB, not 59), and only the ~20 reranked candidates of a question
   * are decoded. Its count of ids is the document's length.
   */
  readonly #sequences = new Column(new Uint8Array(0));
  /** Per document, where each of its sentences starts in its sequence. */
  readonly #sentenceStarts = new Column(new Int32Array(0));
  /**
   * Per document, its mentions, each as sentence, kind bit, term count, then the term ids (the
   * analysis batch's encoding, with the index's term ids).
   */
  readonly #mentions = new Column(new Int32Array(0));
  readonly #termIds = new Map<string, number>();
  readonly #postingsBuffers: PostingsBuffer[] = [];
  /** Made on a term's first title occurrence: most terms are in no title. */
  readonly #titleBuffers: (PostingsBuffer | undefined)[] = [];
  readonly #postings: Postings[] = [];
  readonly #titlePostings: Postings[] = [];
  readonly #prefixGroups = new Map<string, number[]>();
  readonly #termText: string[] = [];
  /** Set while `addInParallel` runs: no other change may interleave with its merges. */
  #busy = false;
  #lengthBuffer = new Float64Array(0);
  #kindBuffer = new Uint8Array(0);
  #articleOfBuffer = new Int32Array(0);
  #titleLengthBuffer = new Float64Array(0);
  #articleLengthBuffer = new Float64Array(0);
  #articleStartBuffer = new Int32Array(1);
  #liveBuffer = new Uint8Array(0);
  #totalLength = 0;
  #totalTitleLength = 0;
  #liveDocuments = 0;
  #liveArticles = 0;
  readonly #kindFrequency: Record<Kind, number> = Object.fromEntries(
    KINDS.map(([kind]) => [kind, 0]),
  ) as Record<Kind, number>;

  // The reader's view, replaced after each change (see ParagraphIndex for each field).
  lengths = new Float64Array(0);
  averageLength = 1;
  titleLengths = new Float64Array(0);
  averageTitleLength = 1;
  kinds = new Uint8Array(0);
  articleStart = new Int32Array(1);
  articleOf = new Int32Array(0);
  articleLengths = new Float64Array(0);
  averageArticleLength = 1;
  live = new Uint8Array(0);
  documentCount = 0;
  articleCount = 0;
  version = 0;

  constructor(options: IndexOptions = {}) {
    this.#acronyms = options.acronyms ?? true;
  }

  /** Whether acronym definitions alias their forms (`IndexOptions.acronyms`). */
  get acronyms(): boolean {
    return this.#acronyms;
  }
  get articles(): readonly Article[] {
    return this.#articles;
  }
  /** Whether document `doc` was given and its article is still in the index. */
  #isLive(doc: number): boolean {
    return (
      doc >= 0 &&
      doc < this.#documents &&
      this.#liveBuffer[this.#articleOfBuffer[doc] as number] === 1
    );
  }
  paragraphOf(doc: number): ParagraphRef | undefined {
    if (doc < 0 || doc >= this.#documents) return undefined;
    const article = this.#articleOfBuffer[doc] as number;
    return { article, paragraph: doc - (this.#articleStartBuffer[article] as number) };
  }
  sequenceOf(doc: number): Int32Array {
    return this.#isLive(doc) ? this.#sequence(doc) : EMPTY_INT32;
  }
  /** Document `doc`'s term ids, decoded (live or not yet zeroed). */
  #sequence(doc: number): Int32Array {
    return readVarints(this.#sequences.of(doc), this.#lengthBuffer[doc] as number);
  }
  sentenceStartsOf(doc: number): Int32Array {
    return this.#isLive(doc) ? this.#sentenceStarts.of(doc) : EMPTY_INT32;
  }
  mentionsOf(doc: number): readonly IndexedMention[] {
    if (!this.#isLive(doc)) return NO_MENTIONS;
    const encoded = this.#mentions.of(doc);
    if (encoded.length === 0) return NO_MENTIONS;
    const found: IndexedMention[] = [];
    for (let k = 0; k < encoded.length; ) {
      const count = encoded[k + 2] as number;
      const from = k + MENTION_HEADER;
      found.push({
        sentence: encoded[k] as number,
        bit: encoded[k + 1] as number,
        terms: Array.from(encoded.subarray(from, from + count)),
      });
      k = from + count;
    }
    return found;
  }
  get termIds(): ReadonlyMap<string, number> {
    return this.#termIds;
  }
  get postings(): readonly Postings[] {
    return this.#postings;
  }
  get titlePostings(): readonly Postings[] {
    return this.#titlePostings;
  }
  get prefixGroups(): ReadonlyMap<string, readonly number[]> {
    return this.#prefixGroups;
  }
  get kindFrequency(): Readonly<Record<Kind, number>> {
    return this.#kindFrequency;
  }

  /**
   * Appends articles (one batch refreshes the readers' views once).
   * @param articles - in the order their positions are given
   * @param options - see {@link AddOptions}
   * @returns each article's position in `articles`
   */
  add(articles: readonly Article[], options: AddOptions = {}): number[] {
    this.#checkIdle();
    const parts = chunks(articles);
    const batch = this.#batch(articles, parts, options);
    // One analyser for the whole call: its token cache serves every chunk.
    const analyser = new ParagraphAnalyser(this.#acronyms);
    const map = new TermMap();
    for (let k = 0; k < parts.length; k++) {
      batch.merge(k, analyser.analyse(parts[k] as Article[]), map);
    }
    return batch.finish();
  }

  /**
   * Appends articles as `add` does (same ids, same index), their analysis done by `pool` (worker
   * threads) a chunk at a time while this thread merges the chunks in order. Readers see the
   * index before or after the whole batch, as with `add`; no other change may be made to it
   * until the returned promise settles. If the pool fails (a thread crashed), the promise
   * rejects and this index is left half-built: drop it (`Library.build` and `Library.assemble`
   * never hand it out).
   * @param pool - see {@link AnalysisPool}
   * @param options - see {@link AddOptions}
   * @returns each article's position
   */
  async addInParallel(
    articles: readonly Article[],
    pool: AnalysisPool,
    options: AddOptions = {},
  ): Promise<number[]> {
    this.#checkIdle();
    this.#busy = true;
    try {
      const parts = chunks(articles, pool.chunkParagraphs);
      const batch = this.#batch(articles, parts, options);
      // A chunk's analysis (about a megabyte of arrays) is let go once merged: kept here until
      // the batch ended, every chunk's would stay alive at once (about 300 MB at 1,000,000
      // paragraphs, measured by the transferred buffers' external memory).
      const pending: (Promise<AnalysedChunk> | undefined)[] = [];
      const send = (chunk: Article[]) => {
        const analysed = pool.analyse(chunk);
        // Awaited in order below; a failure of one not yet awaited must not go unhandled.
        analysed.catch(() => undefined);
        pending.push(analysed);
      };
      for (const chunk of parts.slice(0, pool.capacity)) send(chunk);
      const maps = new Map<number, TermMap>();
      for (let k = 0; k < parts.length; k++) {
        const { analyser, batch: analysed } = await (pending[k] as Promise<AnalysedChunk>);
        pending[k] = undefined;
        const next = parts[k + pool.capacity];
        if (next) send(next);
        let map = maps.get(analyser);
        if (!map) {
          map = new TermMap();
          maps.set(analyser, map);
        }
        batch.merge(k, analysed, map);
      }
      pool.finished?.();
      return batch.finish();
    } finally {
      this.#busy = false;
    }
  }

  /**
   * One `add` (or `addInParallel`) of `articles`, cut into `parts`: `merge` takes each part's
   * analysis in order (the first of several also reserves the batch's room, see `#reserve`),
   * reporting progress; `finish` makes the readers' views, reports the end (done means
   * searchable) and gives each article's position.
   */
  #batch(
    articles: readonly Article[],
    parts: readonly Article[][],
    { onProgress }: AddOptions,
  ): {
    merge(k: number, analysed: AnalysedBatch, map: TermMap): void;
    finish(): number[];
  } {
    const total = paragraphsOf(articles);
    onProgress?.({ done: 0, total });
    const dirty: number[] = [];
    const dirtyTitles: number[] = [];
    const positions: number[] = [];
    let done = 0;
    return {
      merge: (k, analysed, map) => {
        const chunk = parts[k] as Article[];
        this.#merge(chunk, analysed, map, positions, dirty, dirtyTitles);
        done += paragraphsOf(chunk);
        if (k === 0 && parts.length > 1) this.#reserve(chunk, articles);
        if (done < total) onProgress?.({ done, total });
      },
      finish: () => {
        this.#finish(dirty, dirtyTitles, parts.length > 1);
        onProgress?.({ done: total, total });
        return positions;
      },
    };
  }

  #checkIdle(): void {
    if (this.#busy) {
      throw new Error("IncrementalIndex: a parallel add is under way; wait for it to finish");
    }
  }

  /**
   * Grows the per-paragraph columns once for a large batch, after its first chunk (`merged`), at
   * the values per character of text that chunk gave: doubling would copy each column about
   * twenty times during a build of a million paragraphs (old and new arrays alive at once) and
   * leave up to half of it unused. Per character, not per paragraph: paragraph lengths vary from
   * one source to the next far more than words per character do (at 300,000 paragraphs the first
   * chunk's paragraphs were half as long again as the average). A batch that outgrows the
   * estimate goes on doubling.
   */
  #reserve(merged: readonly Article[], batch: readonly Article[]): void {
    const chunkCharacters = Math.max(1, charactersOf(merged));
    const remaining = charactersOf(batch) - chunkCharacters;
    const total = this.#documents + paragraphsOf(batch) - paragraphsOf(merged);
    // Per-document arrays: their final size is known; a sixteenth more keeps the next adds from
    // copying them.
    const documents = total + (total >> 4);
    const columns = [
      [this.#sequences, SEQUENCE_RESERVE_MARGIN],
      [this.#sentenceStarts, RESERVE_MARGIN],
      [this.#mentions, RESERVE_MARGIN],
    ] as const;
    for (const [column, margin] of columns) {
      const chunkValues =
        column.length - (column.starts[this.#documents - paragraphsOf(merged)] as number);
      const perCharacter = chunkValues / chunkCharacters;
      column.reserveTotal(Math.ceil(column.length + perCharacter * remaining * margin), documents);
    }
    this.#lengthBuffer = resized(this.#lengthBuffer, documents);
    this.#kindBuffer = resized(this.#kindBuffer, documents);
    this.#articleOfBuffer = resized(this.#articleOfBuffer, documents);
  }

  /**
   * Makes the readers' views of what the merged chunks changed, after trimming the columns and
   * the changed postings buffers when the batch was `large` (several chunks: a build, not an
   * article or two, which would copy a column on each add).
   */
  #finish(dirty: readonly number[], dirtyTitles: readonly number[], large = false): void {
    if (large) {
      for (const column of [this.#sequences, this.#sentenceStarts, this.#mentions]) {
        column.trim(this.#documents);
      }
      this.#packShort(dirty);
    }
    for (const id of dirty) {
      const buffer = this.#postingsBuffers[id] as PostingsBuffer;
      if (large) buffer.trim();
      this.#postings[id] = buffer.refresh();
    }
    for (const id of dirtyTitles) {
      const buffer = this.#titleBuffers[id] as PostingsBuffer;
      if (large) buffer.trim();
      this.#titlePostings[id] = buffer.refresh();
    }
    this.#refresh();
  }

  /**
   * After a large batch, moves the short postings lists it changed into one pair of slabs (see
   * `PostingsBuffer.pack`), instead of trimming each into buffers of its own: at 1,000,000
   * paragraphs about 75 MB less heap, with the same values.
   */
  #packShort(dirty: readonly number[]): void {
    let total = 0;
    for (const id of dirty) {
      const { length } = this.#postingsBuffers[id] as PostingsBuffer;
      if (length <= SHORT_POSTINGS) total += length;
    }
    const docs = new Int32Array(total);
    const freqs = new Uint16Array(total);
    let at = 0;
    for (const id of dirty) {
      const buffer = this.#postingsBuffers[id] as PostingsBuffer;
      if (buffer.length > SHORT_POSTINGS) continue;
      buffer.pack(docs, freqs, at);
      at += buffer.length;
    }
  }

  /**
   * Removes the article at `position` (a no-op for one already removed or never added). Its
   * position and document ids are not reused.
   */
  remove(position: number): void {
    this.#checkIdle();
    if (!this.#liveBuffer[position]) return;
    const from = this.#articleStartBuffer[position] as number;
    const to = this.#articleStartBuffer[position + 1] as number;
    const dirty = new Set<number>();
    for (let doc = from; doc < to; doc++) {
      for (const id of new Set(this.#sequence(doc))) {
        (this.#postingsBuffers[id] as PostingsBuffer).remove(doc);
        dirty.add(id);
      }
      const mask = this.#kindBuffer[doc] as number;
      for (const [kind, bit] of KINDS) if (mask & bit) this.#kindFrequency[kind]--;
      this.#totalLength -= this.#lengthBuffer[doc] as number;
      this.#lengthBuffer[doc] = 0;
      this.#kindBuffer[doc] = 0;
      this.#liveDocuments--;
    }
    for (const id of dirty)
      this.#postings[id] = (this.#postingsBuffers[id] as PostingsBuffer).refresh();
    const article = this.#articles[position] as Article;
    for (const term of new Set(terms(article.title))) {
      const id = this.#termIds.get(term);
      if (id === undefined) continue;
      const buffer = this.#titleBuffers[id];
      if (!buffer) continue;
      buffer.remove(position);
      this.#titlePostings[id] = buffer.refresh();
    }
    this.#totalTitleLength -= this.#titleLengthBuffer[position] as number;
    this.#titleLengthBuffer[position] = 0;
    this.#articleLengthBuffer[position] = 0;
    this.#liveBuffer[position] = 0;
    this.#articles[position] = REMOVED;
    this.#liveArticles--;
    this.#refresh();
  }

  /**
   * Changes whenever {@link exportSteps} / {@link fromState} change what they write or read, so
   * a snapshot of another layout is rebuilt instead of misread.
   */
  static readonly STATE_VERSION = 2;

  /**
   * The index as flat arrays (see {@link IndexState}), for a snapshot, a slice at a time: each
   * `next()` copies about {@link EXPORT_STEP} values, so a caller can let the event loop run
   * between slices (at a million paragraphs the whole copy holds it for seconds). Copies, so that
   * changes made to the index once the export is done cannot reach the bytes being written; each
   * slice reads the index as it is then, so the caller must stop (and start again later) once
   * `version` has moved since the first slice. Articles are not in it (a snapshot keeps their ids
   * and hashes, not their text). This method and {@link fromState} are the only code that knows
   * both the index's private layout and the snapshot's: a change to one changes both, and
   * `STATE_VERSION`.
   */
  *exportSteps(): Generator<void, IndexState, void> {
    this.#checkIdle();
    const docs = this.#documents;
    const articles = this.#articles.length;
    const terms = this.#termText.length;
    // Sizes first, then every array carved out of one buffer: each large typed array allocated
    // apart counts as external memory, which at a million paragraphs set off a full garbage
    // collection (about a second over a 2 GB heap) per few allocations.
    const total = (lists: readonly ArrayLike<number>[]) => {
      let n = 0;
      for (const list of lists) n += list.length;
      return n;
    };
    const docsOf = (lists: readonly Postings[]) => lists.map((p) => p.docs);
    const columns = [this.#sequences, this.#sentenceStarts, this.#mentions] as const;
    const arena = new Arena([
      [Uint32Array, terms + 1],
      [Int32Array, total(docsOf(this.#postings))],
      [Uint16Array, total(docsOf(this.#postings))],
      [Uint32Array, terms + 1],
      [Int32Array, total(docsOf(this.#titlePostings))],
      [Uint16Array, total(docsOf(this.#titlePostings))],
      [Int32Array, docs + 1],
      [Uint8Array, columns[0].length],
      [Int32Array, docs + 1],
      [Int32Array, columns[1].length],
      [Int32Array, docs + 1],
      [Int32Array, columns[2].length],
      [Float64Array, docs],
      [Uint8Array, docs],
      [Int32Array, docs],
      [Float64Array, articles],
      [Float64Array, articles],
      [Int32Array, articles + 1],
      [Uint8Array, articles],
    ]);
    // Values copied since the last slice ended.
    let work = 0;
    const due = (done: number) => {
      work += done;
      if (work < EXPORT_STEP) return false;
      work = 0;
      return true;
    };
    // From the readers' views (exact length, current after every change): no new view per term.
    function* postings(lists: readonly Postings[]) {
      const starts = arena.next(Uint32Array);
      const docs = arena.next(Int32Array);
      const freqs = arena.next(Uint16Array);
      let at = 0;
      for (let id = 0; id < lists.length; id++) {
        const list = lists[id] as Postings;
        docs.set(list.docs, at);
        freqs.set(list.freqs, at);
        at += list.docs.length;
        starts[id + 1] = at;
        if (due(list.docs.length + 1)) yield;
      }
      return { starts, docs, freqs };
    }
    // A column as it is: its values (a removed document's among them, as garbage no reader
    // reaches) and each document's start in them.
    function* column<T extends Int32Array | Uint8Array>(
      source: Column<T>,
      type: new (n: number) => T,
    ) {
      const starts = arena.next(Int32Array);
      starts.set(source.starts.subarray(0, docs + 1));
      const values = arena.next(type);
      for (let at = 0; at < source.length; at += EXPORT_STEP) {
        values.set(source.values.subarray(at, Math.min(source.length, at + EXPORT_STEP)), at);
        if (due(Math.min(EXPORT_STEP, source.length - at))) yield;
      }
      return { starts, values };
    }
    const body = yield* postings(this.#postings);
    const title = yield* postings(this.#titlePostings);
    const sequences = yield* column(this.#sequences, Uint8Array);
    const sentences = yield* column(this.#sentenceStarts, Int32Array);
    const mentions = yield* column(this.#mentions, Int32Array);
    const copy = <T extends Float64Array | Uint8Array | Int32Array>(
      type: new (n: number) => T,
      from: T,
    ): T => {
      const to = arena.next(type);
      to.set(from.subarray(0, to.length));
      return to;
    };
    return {
      stateVersion: IncrementalIndex.STATE_VERSION,
      acronyms: this.#acronyms,
      terms: this.#termText.slice(),
      postingStarts: body.starts,
      postingDocs: body.docs,
      postingFreqs: body.freqs,
      titleStarts: title.starts,
      titleDocs: title.docs,
      titleFreqs: title.freqs,
      sequenceStarts: sequences.starts,
      sequences: sequences.values,
      sentenceStarts: sentences.starts,
      sentences: sentences.values,
      mentionStarts: mentions.starts,
      mentions: mentions.values,
      lengths: copy(Float64Array, this.#lengthBuffer),
      kinds: copy(Uint8Array, this.#kindBuffer),
      articleOf: copy(Int32Array, this.#articleOfBuffer),
      titleLengths: copy(Float64Array, this.#titleLengthBuffer),
      articleLengths: copy(Float64Array, this.#articleLengthBuffer),
      articleStart: copy(Int32Array, this.#articleStartBuffer),
      live: copy(Uint8Array, this.#liveBuffer),
    };
  }

  /**
   * The index {@link exportSteps} saved, with its articles given back. Positions whose article
   * is not given are removed, as `remove` would (all at once: one pass over the postings however
   * many are removed), so a snapshot whose library has lost or changed articles is brought up to
   * date here, and the caller adds what is new. Every array is copied into one with room to grow,
   * but the removals are first written into `state`'s own arrays (lengths, kinds, live, title and
   * article lengths): do not use `state` afterwards.
   * @param articles - per position of the saved index, its article, or undefined for one that
   *   is gone or changed (ignored where the saved index had already removed it)
   * @throws SnapshotError VERSION for a state of another `STATE_VERSION`, CORRUPT for one whose
   *   fields do not fit together or do not fit `articles`
   */
  static fromState(
    state: IndexState,
    articles: readonly (Article | undefined)[],
  ): IncrementalIndex {
    const bad = (what: string) => new SnapshotError("CORRUPT", `index state: ${what}`);
    if (state.stateVersion !== IncrementalIndex.STATE_VERSION) {
      throw new SnapshotError(
        "VERSION",
        `index state version ${String(state.stateVersion)}, this newsdesk reads ${IncrementalIndex.STATE_VERSION}`,
      );
    }
    const field = <T>(name: string, type: abstract new (...args: never[]) => T): T => {
      const value = state[name];
      if (!(value instanceof type)) throw bad(`${name} is missing or not a ${type.name}`);
      return value;
    };
    const termText = state.terms;
    if (!Array.isArray(termText)) throw bad("terms is missing");
    const postingStarts = field("postingStarts", Uint32Array);
    const postingDocs = field("postingDocs", Int32Array);
    const postingFreqs = field("postingFreqs", Uint16Array);
    const titleStarts = field("titleStarts", Uint32Array);
    const titleDocs = field("titleDocs", Int32Array);
    const titleFreqs = field("titleFreqs", Uint16Array);
    const sequenceStarts = field("sequenceStarts", Int32Array);
    const sequences = field("sequences", Uint8Array);
    const sentenceStarts = field("sentenceStarts", Int32Array);
    const sentences = field("sentences", Int32Array);
    const mentionStarts = field("mentionStarts", Int32Array);
    const mentions = field("mentions", Int32Array);
    const lengths = field("lengths", Float64Array);
    const kinds = field("kinds", Uint8Array);
    const articleOf = field("articleOf", Int32Array);
    const titleLengths = field("titleLengths", Float64Array);
    const articleLengths = field("articleLengths", Float64Array);
    const articleStart = field("articleStart", Int32Array);
    const live = field("live", Uint8Array);
    const docs = lengths.length;
    const positions = live.length;
    const terms = termText.length;
    if (
      articles.length !== positions ||
      articleStart.length !== positions + 1 ||
      articleStart[positions] !== docs ||
      titleLengths.length !== positions ||
      articleLengths.length !== positions ||
      kinds.length !== docs ||
      articleOf.length !== docs ||
      [sequenceStarts, sentenceStarts, mentionStarts].some((s) => s.length !== docs + 1) ||
      postingStarts.length !== terms + 1 ||
      titleStarts.length !== terms + 1 ||
      postingStarts[terms] !== postingDocs.length ||
      titleStarts[terms] !== titleDocs.length ||
      sequenceStarts[docs] !== sequences.length ||
      sentenceStarts[docs] !== sentences.length ||
      mentionStarts[docs] !== mentions.length
    ) {
      throw bad("sizes do not fit together or do not fit the articles");
    }

    const index = new IncrementalIndex({ acronyms: state.acronyms === true });
    // Which saved articles leave now: their documents' lengths, kinds and terms are dropped, as
    // `remove` does, and their documents filtered out of the postings below.
    const dropDoc = new Uint8Array(docs);
    const dropArticle = new Uint8Array(positions);
    let dropping = false;
    for (let a = 0; a < positions; a++) {
      const article = articles[a];
      const from = articleStart[a] as number;
      const to = articleStart[a + 1] as number;
      if (!live[a]) {
        index.#articles.push(REMOVED);
      } else if (article === undefined) {
        index.#articles.push(REMOVED);
        dropArticle[a] = 1;
        dropDoc.fill(1, from, to);
        dropping = true;
      } else {
        if (article.paragraphs.length !== to - from) throw bad(`article ${article.id} has changed`);
        index.#articles.push(article);
      }
    }
    for (let a = 0; a < positions; a++) {
      if (dropArticle[a]) {
        live[a] = 0;
        titleLengths[a] = 0;
        articleLengths[a] = 0;
      }
      if (live[a]) {
        index.#liveArticles++;
        index.#totalTitleLength += titleLengths[a] as number;
      }
    }
    for (let doc = 0; doc < docs; doc++) {
      const a = articleOf[doc] as number;
      if (dropDoc[doc]) {
        lengths[doc] = 0;
        kinds[doc] = 0;
      }
      const gone = !live[a];
      if (gone) continue;
      index.#liveDocuments++;
      index.#totalLength += lengths[doc] as number;
      const mask = kinds[doc] as number;
      if (mask !== 0) for (const [kind, bit] of KINDS) if (mask & bit) index.#kindFrequency[kind]++;
    }

    /**
     * Every term's postings, without the documents `drop` marks, copied into one buffer where
     * each list has room to grow (see {@link roomFor}): as exact-length views of the file, the
     * first article added after a start copied each long list it touched into a buffer of its
     * own, and at a million paragraphs those allocations set off full garbage collections,
     * adds of up to a second.
     */
    const restoreAll = (
      starts: Uint32Array,
      flatDocs: Int32Array,
      flatFreqs: Uint16Array,
      drop: Uint8Array,
    ): PostingsBuffer[] => {
      const kept = new Uint32Array(terms);
      let capacity = 0;
      for (let id = 0; id < terms; id++) {
        const from = starts[id] as number;
        const to = starts[id + 1] as number;
        let count = to - from;
        if (dropping) for (let k = from; k < to; k++) if (drop[flatDocs[k] as number]) count--;
        kept[id] = count;
        if (count > 0) capacity += roomFor(count);
      }
      const allDocs = new Int32Array(capacity);
      const allFreqs = new Uint16Array(capacity);
      const buffers: PostingsBuffer[] = new Array(terms);
      let at = 0;
      for (let id = 0; id < terms; id++) {
        const buffer = new PostingsBuffer();
        buffers[id] = buffer;
        const count = kept[id] as number;
        if (count === 0) continue;
        const from = starts[id] as number;
        const to = starts[id + 1] as number;
        if (count === to - from) {
          allDocs.set(flatDocs.subarray(from, to), at);
          allFreqs.set(flatFreqs.subarray(from, to), at);
        } else {
          let k = at;
          for (let j = from; j < to; j++) {
            if (drop[flatDocs[j] as number]) continue;
            allDocs[k] = flatDocs[j] as number;
            allFreqs[k++] = flatFreqs[j] as number;
          }
        }
        const room = roomFor(count);
        buffer.docs = allDocs.subarray(at, at + room);
        buffer.freqs = allFreqs.subarray(at, at + room);
        buffer.length = count;
        buffer.refresh();
        at += room;
      }
      return buffers;
    };
    // The columns as saved, with room to grow; a dropped or removed document's range stays, as
    // garbage no reader reaches (its article is not live), until the index is compacted.
    index.#documents = docs;
    const restoreColumn = <T extends Int32Array | Uint8Array>(
      column: Column<T>,
      starts: Int32Array,
      values: T,
    ) => {
      column.values = withRoom(values);
      // Typed as over an ArrayBuffer, which a decoded snapshot's arrays are (never a shared one).
      column.starts = withRoom(starts as Int32Array<ArrayBuffer>);
      column.length = values.length;
    };
    restoreColumn(index.#sequences, sequenceStarts, sequences);
    restoreColumn(index.#sentenceStarts, sentenceStarts, sentences);
    restoreColumn(index.#mentions, mentionStarts, mentions);
    const bodies = restoreAll(postingStarts, postingDocs, postingFreqs, dropDoc);
    const titles = restoreAll(titleStarts, titleDocs, titleFreqs, dropArticle);
    for (let id = 0; id < terms; id++) {
      const term = termText[id] as string;
      index.#termIds.set(term, id);
      index.#termText.push(term);
      const body = bodies[id] as PostingsBuffer;
      const title = titles[id] as PostingsBuffer;
      index.#postingsBuffers.push(body);
      // As `#idOf` leaves them: a title buffer only for a term some title holds.
      index.#titleBuffers.push(title.length === 0 ? undefined : title);
      index.#postings.push(body.view);
      index.#titlePostings.push(title.view);
      if (term.length >= PREFIX_LENGTH) {
        const key = term.slice(0, PREFIX_LENGTH);
        const group = index.#prefixGroups.get(key);
        if (group) group.push(id);
        else index.#prefixGroups.set(key, [id]);
      }
    }
    if (index.#termIds.size !== terms) throw bad("a term is listed twice");
    // Code-unit order of the terms, as `#idOf` keeps it (see the file comment).
    for (const group of index.#prefixGroups.values()) {
      group.sort((x, y) => {
        const a = termText[x] as string;
        const b = termText[y] as string;
        return a < b ? -1 : a > b ? 1 : 0;
      });
    }
    // With room to grow, as the postings above: the first add must not copy them all.
    index.#lengthBuffer = withRoom(lengths);
    index.#kindBuffer = withRoom(kinds);
    index.#articleOfBuffer = withRoom(articleOf);
    index.#titleLengthBuffer = withRoom(titleLengths);
    index.#articleLengthBuffer = withRoom(articleLengths);
    index.#articleStartBuffer = withRoom(articleStart);
    index.#liveBuffer = withRoom(live);
    index.#refresh();
    return index;
  }

  #idOf(term: string): number {
    let id = this.#termIds.get(term);
    if (id !== undefined) return id;
    id = this.#termIds.size;
    this.#termIds.set(term, id);
    this.#termText.push(term);
    this.#postingsBuffers.push(new PostingsBuffer());
    this.#titleBuffers.push(undefined);
    this.#postings.push(EMPTY_POSTINGS);
    this.#titlePostings.push(EMPTY_POSTINGS);
    if (term.length >= PREFIX_LENGTH) {
      const key = term.slice(0, PREFIX_LENGTH);
      const group = this.#prefixGroups.get(key);
      if (!group) this.#prefixGroups.set(key, [id]);
      else {
        // Code-unit order of the terms (see the file comment); groups are a handful of terms.
        let at = group.length;
        while (at > 0 && (this.#termText[group[at - 1] as number] as string) > term) at--;
        group.splice(at, 0, id);
      }
    }
    return id;
  }

  /**
   * Appends the articles of one analysed chunk: their analyser's new terms get their ids first
   * (in its order, which is the order a sequential build meets them), then every paragraph's
   * term ids are mapped to the index's and counted in the postings.
   */
  #merge(
    articles: readonly Article[],
    batch: AnalysedBatch,
    map: TermMap,
    positions: number[],
    dirty: number[],
    dirtyTitles: number[],
  ): void {
    if (map.ids.length < map.length + batch.newTerms.length) {
      map.ids = grown(map.ids, map.length + batch.newTerms.length);
    }
    for (const term of batch.newTerms) map.ids[map.length++] = this.#idOf(term);
    const ids = map.ids;
    const {
      titleTerms,
      titleStarts,
      sequence: local,
      sequenceStarts,
      sentences,
      sentenceStarts,
      mentions,
      mentionStarts,
      kinds,
    } = batch;
    let p = 0;
    for (let i = 0; i < articles.length; i++) {
      const article = articles[i] as Article;
      const a = this.#articles.length;
      positions.push(a);
      this.#articles.push(article);
      const firstDoc = this.#documents;
      const lastDoc = firstDoc + article.paragraphs.length;
      this.#articleStartBuffer = grown(this.#articleStartBuffer, a + 2);
      this.#articleStartBuffer[a] = firstDoc;
      this.#articleStartBuffer[a + 1] = lastDoc;
      this.#titleLengthBuffer = grown(this.#titleLengthBuffer, a + 1);
      this.#articleLengthBuffer = grown(this.#articleLengthBuffer, a + 1);
      this.#liveBuffer = grown(this.#liveBuffer, a + 1);
      this.#lengthBuffer = grown(this.#lengthBuffer, lastDoc);
      this.#kindBuffer = grown(this.#kindBuffer, lastDoc);
      this.#articleOfBuffer = grown(this.#articleOfBuffer, lastDoc);

      const titleFrom = titleStarts[i] as number;
      const titleTo = titleStarts[i + 1] as number;
      this.#titleLengthBuffer[a] = titleTo - titleFrom;
      this.#totalTitleLength += titleTo - titleFrom;
      for (let k = titleFrom; k < titleTo; k++) {
        const id = ids[titleTerms[k] as number] as number;
        let buffer = this.#titleBuffers[id];
        if (!buffer) {
          buffer = new PostingsBuffer();
          this.#titleBuffers[id] = buffer;
        }
        buffer.add(a);
        if (!buffer.stale) {
          buffer.stale = true;
          dirtyTitles.push(id);
        }
      }

      let articleLength = 0;
      for (let j = 0; j < article.paragraphs.length; j++, p++) {
        const doc = this.#documents++;
        const from = sequenceStarts[p] as number;
        const length = (sequenceStarts[p + 1] as number) - from;
        const sequences = this.#sequences;
        let bytes = 0;
        for (let k = from; k < from + length; k++) {
          bytes += varintSize(ids[local[k] as number] as number);
        }
        sequences.reserve(bytes);
        const encodedSequence = sequences.values;
        let at = sequences.length;
        for (let k = from; k < from + length; k++) {
          at = writeVarint(encodedSequence, at, ids[local[k] as number] as number);
        }
        sequences.length = at;
        sequences.end(doc);
        this.#sentenceStarts.append(
          sentences.subarray(sentenceStarts[p] as number, sentenceStarts[p + 1] as number),
        );
        this.#sentenceStarts.end(doc);
        // Copied as encoded, the term ids mapped to the index's in place.
        const mentionsFrom = mentionStarts[p] as number;
        const mentionsTo = mentionStarts[p + 1] as number;
        const base =
          this.#mentions.append(mentions.subarray(mentionsFrom, mentionsTo)) - mentionsFrom;
        const encoded = this.#mentions.values;
        for (let k = mentionsFrom; k < mentionsTo; ) {
          const count = mentions[k + 2] as number;
          const termsFrom = k + MENTION_HEADER;
          for (let t = termsFrom; t < termsFrom + count; t++) {
            encoded[base + t] = ids[mentions[t] as number] as number;
          }
          k = termsFrom + count;
        }
        this.#mentions.end(doc);
        const mask = kinds[p] as number;
        this.#lengthBuffer[doc] = length;
        this.#kindBuffer[doc] = mask;
        this.#articleOfBuffer[doc] = a;
        if (mask !== 0)
          for (const [kind, bit] of KINDS) if (mask & bit) this.#kindFrequency[kind]++;
        for (let k = from; k < from + length; k++) {
          const id = ids[local[k] as number] as number;
          const buffer = this.#postingsBuffers[id] as PostingsBuffer;
          buffer.add(doc);
          if (!buffer.stale) {
            buffer.stale = true;
            dirty.push(id);
          }
        }
        articleLength += length;
        this.#totalLength += length;
        this.#liveDocuments++;
      }
      this.#articleLengthBuffer[a] = articleLength;
      this.#liveBuffer[a] = 1;
      this.#liveArticles++;
    }
  }

  /** Replaces the readers' views with ones of the current sizes and sums. */
  #refresh(): void {
    const docs = this.#documents;
    const articles = this.#articles.length;
    this.lengths = this.#lengthBuffer.subarray(0, docs);
    this.kinds = this.#kindBuffer.subarray(0, docs);
    this.articleOf = this.#articleOfBuffer.subarray(0, docs);
    this.titleLengths = this.#titleLengthBuffer.subarray(0, articles);
    this.articleLengths = this.#articleLengthBuffer.subarray(0, articles);
    this.live = this.#liveBuffer.subarray(0, articles);
    this.articleStart = this.#articleStartBuffer.subarray(0, articles + 1);
    this.documentCount = this.#liveDocuments;
    this.articleCount = this.#liveArticles;
    // Lengths are whole numbers, so these sums are exact and the averages equal a fresh build's.
    const mean = (total: number, count: number) => Math.max(1, count ? total / count : 0);
    this.averageLength = mean(this.#totalLength, this.#liveDocuments);
    this.averageTitleLength = mean(this.#totalTitleLength, this.#liveArticles);
    this.averageArticleLength = mean(this.#totalLength, this.#liveArticles);
    this.version++;
  }
}
