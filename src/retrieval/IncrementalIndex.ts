/**
 * The paragraph index as a structure that grows and shrinks one article at a time, so a library
 * that changes while the bot runs never needs a rebuild.
 *
 * - Articles and their paragraphs are appended: an article gets the next article position, its
 *   paragraphs the next document ids, and neither is ever reused while the index lives.
 * - Postings live in growable typed buffers; the `docs` / `freqs` a reader sees are exact-length
 *   `subarray` views of them, replaced after each change, so readers keep reading plain arrays.
 * - Removing an article tombstones it: its documents leave every postings list at once (one
 *   binary search and one `copyWithin` per distinct term, so document frequencies stay exact),
 *   their lengths, kinds and sequences are zeroed, and the live counts and sums behind the
 *   averages are updated. A tombstoned document is in no postings list and has no kind, so no
 *   scoring loop can credit it; its id stays taken.
 *
 * Every statistic the scorer reads (document frequency, live paragraph and article counts,
 * average lengths, kind frequencies) is the one a fresh `buildIndex` over the live articles
 * would compute, and lengths are integers, so the sums behind the averages are exact: a fresh
 * index and one built by adding and removing articles rank the same, score for score.
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
import { type AcronymDefinition, findAcronyms } from "./acronyms.js";
import { findMentions, KIND_BITS } from "./answerKinds.js";
import type {
  IndexedMention,
  IndexOptions,
  ParagraphIndex,
  ParagraphRef,
  Postings,
} from "./paragraphIndex.js";
import type { AnswerKind } from "./question.js";
import { splitSentences } from "./sentences.js";
import { rawTokens, termOfToken, terms } from "./textPipeline.js";

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
/** What a removed article's position holds: no title, no paragraphs. */
const REMOVED: Article = { id: "", title: "", paragraphs: [] };
/** The most distinct tokens one `add` remembers the term ids of (about 100 MB at most). */
const TOKEN_IDS_LIMIT = 1_000_000;

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
 * An acronym definition with the term ids of its forms, each looked up once it exists (-1 until
 * then: a term with no id yet cannot be in any sequence, so it matches nothing).
 */
interface DefinitionIds {
  readonly definition: AcronymDefinition;
  acronym: number;
  readonly expansion: Int32Array;
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

/** Paragraphs between two progress reports of a large `add` (about a tenth of a second). */
export const PROGRESS_STEP = 1000;

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

  refresh(): Postings {
    this.stale = false;
    this.view =
      this.length === 0
        ? EMPTY_POSTINGS
        : { docs: this.docs.subarray(0, this.length), freqs: this.freqs.subarray(0, this.length) };
    return this.view;
  }
}

/**
 * A {@link ParagraphIndex} that articles can be added to and removed from. Readers take it as a
 * `ParagraphIndex`; only its owner (the library) calls `add` and `remove`.
 */
export class IncrementalIndex implements ParagraphIndex {
  readonly #acronyms: boolean;
  readonly #articles: Article[] = [];
  readonly #paragraphs: ParagraphRef[] = [];
  readonly #sequences: Int32Array[] = [];
  readonly #sentenceStarts: Int32Array[] = [];
  readonly #mentions: (readonly IndexedMention[])[] = [];
  readonly #termIds = new Map<string, number>();
  readonly #postingsBuffers: PostingsBuffer[] = [];
  readonly #titleBuffers: PostingsBuffer[] = [];
  readonly #postings: Postings[] = [];
  readonly #titlePostings: Postings[] = [];
  readonly #prefixGroups = new Map<string, number[]>();
  readonly #termText: string[] = [];
  /**
   * During one `add`, the term id of each raw token met so far (-1 for a token with no term, a
   * stopword): a token seen again costs one lookup instead of normalizing, stemming and a second
   * lookup of its term. Emptied after each `add`, so it never outlives the batch it speeds up.
   */
  readonly #tokenIds = new Map<string, number>();
  /** Scratch for the sequence of the paragraph being added (copied out at exact length). */
  #sequence = new Int32Array(256);
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

  get articles(): readonly Article[] {
    return this.#articles;
  }
  get paragraphs(): readonly ParagraphRef[] {
    return this.#paragraphs;
  }
  get sequences(): readonly Int32Array[] {
    return this.#sequences;
  }
  get sentenceStarts(): readonly Int32Array[] {
    return this.#sentenceStarts;
  }
  get mentions(): readonly (readonly IndexedMention[])[] {
    return this.#mentions;
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
    const { onProgress } = options;
    let total = 0;
    if (onProgress) for (const article of articles) total += article.paragraphs.length;
    onProgress?.({ done: 0, total });
    const dirty: number[] = [];
    const dirtyTitles: number[] = [];
    let done = 0;
    let next = PROGRESS_STEP;
    const positions = articles.map((article) => {
      const position = this.#addOne(article, dirty, dirtyTitles);
      done += article.paragraphs.length;
      if (onProgress && done >= next && done < total) {
        onProgress({ done, total });
        next = done + PROGRESS_STEP;
      }
      return position;
    });
    this.#tokenIds.clear();
    for (const id of dirty)
      this.#postings[id] = (this.#postingsBuffers[id] as PostingsBuffer).refresh();
    for (const id of dirtyTitles) {
      this.#titlePostings[id] = (this.#titleBuffers[id] as PostingsBuffer).refresh();
    }
    this.#refresh();
    // Last, once the readers' views are refreshed: done means searchable.
    onProgress?.({ done: total, total });
    return positions;
  }

  /**
   * Removes the article at `position` (a no-op for one already removed or never added). Its
   * position and document ids are not reused.
   */
  remove(position: number): void {
    if (!this.#liveBuffer[position]) return;
    const from = this.#articleStartBuffer[position] as number;
    const to = this.#articleStartBuffer[position + 1] as number;
    const dirty = new Set<number>();
    for (let doc = from; doc < to; doc++) {
      for (const id of new Set(this.#sequences[doc])) {
        (this.#postingsBuffers[id] as PostingsBuffer).remove(doc);
        dirty.add(id);
      }
      const mask = this.#kindBuffer[doc] as number;
      for (const [kind, bit] of KINDS) if (mask & bit) this.#kindFrequency[kind]--;
      this.#totalLength -= this.#lengthBuffer[doc] as number;
      this.#lengthBuffer[doc] = 0;
      this.#kindBuffer[doc] = 0;
      this.#sequences[doc] = EMPTY_INT32;
      this.#sentenceStarts[doc] = EMPTY_INT32;
      this.#mentions[doc] = NO_MENTIONS;
      this.#liveDocuments--;
    }
    for (const id of dirty)
      this.#postings[id] = (this.#postingsBuffers[id] as PostingsBuffer).refresh();
    const article = this.#articles[position] as Article;
    for (const term of new Set(terms(article.title))) {
      const id = this.#termIds.get(term);
      if (id === undefined) continue;
      const buffer = this.#titleBuffers[id] as PostingsBuffer;
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

  #idOf(term: string): number {
    let id = this.#termIds.get(term);
    if (id !== undefined) return id;
    id = this.#termIds.size;
    this.#termIds.set(term, id);
    this.#termText.push(term);
    this.#postingsBuffers.push(new PostingsBuffer());
    this.#titleBuffers.push(new PostingsBuffer());
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

  /** The term id of a raw token (-1 when it has no term), through `#tokenIds`. */
  #tokenId(raw: string): number {
    let id = this.#tokenIds.get(raw);
    if (id === undefined) {
      const term = termOfToken(raw);
      id = term === null ? -1 : this.#idOf(term);
      if (this.#tokenIds.size < TOKEN_IDS_LIMIT) this.#tokenIds.set(raw, id);
    }
    return id;
  }

  /** The term ids of a text in order (what `terms(text).map(idOf)` gives, with fewer lookups). */
  #idsOf(text: string): number[] {
    const ids: number[] = [];
    for (const raw of rawTokens(text)) {
      const id = this.#tokenId(raw);
      if (id >= 0) ids.push(id);
    }
    return ids;
  }

  /** The id of a definition's term `k` (-1: the acronym), or -1 while the index has none. */
  #definitionId(d: DefinitionIds, k: number): number {
    const known = k < 0 ? d.acronym : (d.expansion[k] as number);
    if (known >= 0) return known;
    const term = k < 0 ? d.definition.acronym : (d.definition.expansion[k] as string);
    const id = this.#termIds.get(term) ?? -1;
    if (k < 0) d.acronym = id;
    else d.expansion[k] = id;
    return id;
  }

  /**
   * Appends a sentence's term ids to the scratch sequence at `at`, each form of a definition
   * followed by the other: acronyms.ts's `withAliases` on term ids, which asks for the ids of the
   * added forms in the same order, so new terms get the same ids as through it.
   * @returns the next position in the scratch sequence
   */
  #pushAliased(sentence: string, definitions: readonly DefinitionIds[], at: number): number {
    const plain: number[] = [];
    let length = at;
    for (const raw of rawTokens(sentence)) {
      const id = this.#tokenId(raw);
      if (id < 0) continue;
      plain.push(id);
      length = this.#push(length, id);
      for (const d of definitions) {
        const expansion = d.definition.expansion;
        const n = expansion.length;
        if (id === this.#definitionId(d, -1)) {
          for (const term of expansion) length = this.#push(length, this.#idOf(term));
        } else if (id === this.#definitionId(d, n - 1) && plain.length >= n) {
          let whole = true;
          for (let k = 0; k < n - 1 && whole; k++) {
            whole = plain[plain.length - n + k] === this.#definitionId(d, k);
          }
          if (whole) length = this.#push(length, this.#idOf(d.definition.acronym));
        }
      }
    }
    return length;
  }

  /** Appends a term id to the scratch sequence at `at`; returns the next position. */
  #push(at: number, id: number): number {
    if (at === this.#sequence.length) this.#sequence = grown(this.#sequence, at + 1);
    this.#sequence[at] = id;
    return at + 1;
  }

  #addOne(article: Article, dirty: number[], dirtyTitles: number[]): number {
    const a = this.#articles.length;
    this.#articles.push(article);
    const firstDoc = this.#paragraphs.length;
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

    const titleIds = this.#idsOf(article.title);
    this.#titleLengthBuffer[a] = titleIds.length;
    this.#totalTitleLength += titleIds.length;
    for (const id of titleIds) {
      const buffer = this.#titleBuffers[id] as PostingsBuffer;
      buffer.add(a);
      if (!buffer.stale) {
        buffer.stale = true;
        dirtyTitles.push(id);
      }
    }
    const definitions: DefinitionIds[] = (
      this.#acronyms ? findAcronyms([article.title, ...article.paragraphs].join("\n")) : []
    ).map((definition) => ({
      definition,
      acronym: -1,
      expansion: new Int32Array(definition.expansion.length).fill(-1),
    }));
    let articleLength = 0;
    const paragraphs = article.paragraphs;
    for (let p = 0; p < paragraphs.length; p++) {
      const doc = this.#paragraphs.length;
      this.#paragraphs.push({ article: a, paragraph: p });
      let length = 0;
      const starts: number[] = [];
      const found: IndexedMention[] = [];
      let mask = 0;
      const sentences = splitSentences(paragraphs[p] as string);
      for (let s = 0; s < sentences.length; s++) {
        const sentence = (sentences[s] as { text: string }).text;
        starts.push(length);
        if (definitions.length === 0) {
          for (const raw of rawTokens(sentence)) {
            const id = this.#tokenId(raw);
            if (id >= 0) length = this.#push(length, id);
          }
        } else length = this.#pushAliased(sentence, definitions, length);
        for (const mention of findMentions(sentence)) {
          found.push({ sentence: s, bit: mention.bit, terms: this.#idsOf(mention.text) });
          mask |= mention.bit;
        }
      }
      const sequence = this.#sequence.slice(0, length);
      this.#sequences.push(sequence);
      this.#sentenceStarts.push(Int32Array.from(starts));
      this.#mentions.push(found);
      this.#lengthBuffer[doc] = length;
      this.#kindBuffer[doc] = mask;
      this.#articleOfBuffer[doc] = a;
      if (mask !== 0) for (const [kind, bit] of KINDS) if (mask & bit) this.#kindFrequency[kind]++;
      for (let i = 0; i < length; i++) {
        const id = sequence[i] as number;
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
    return a;
  }

  /** Replaces the readers' views with ones of the current sizes and sums. */
  #refresh(): void {
    const docs = this.#paragraphs.length;
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
