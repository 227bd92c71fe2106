/**
 * The index structure: an inverted index over paragraphs, plus a smaller one over article titles.
 * Readers see plain arrays; `IncrementalIndex.ts` builds and updates them (articles added and
 * removed while the bot runs). Scoring lives in search.ts and articleEvidence.ts.
 */
import type { Article } from "../corpus/article.js";
import { IncrementalIndex } from "./IncrementalIndex.js";
import type { AnswerKind } from "./question.js";

export { PREFIX_LENGTH } from "./IncrementalIndex.js";

/** Where a paragraph sits in the corpus. */
export interface ParagraphRef {
  readonly article: number;
  /** 0-based index into `article.paragraphs`. */
  readonly paragraph: number;
}

/** A mention of an answer kind ("Steve Witkoff", a person) in sentence `sentence` of a paragraph. */
export interface IndexedMention {
  readonly sentence: number;
  /** One of `KIND_BITS`. */
  readonly bit: number;
  /** Term ids of the mention's words (a mention sharing a term with the question repeats it). */
  readonly terms: readonly number[];
}

/** Postings of one term: the documents holding it and how often (parallel arrays). */
export interface Postings {
  readonly docs: Int32Array;
  readonly freqs: Uint16Array;
}

/**
 * What the scorers read. Positions and document ids of removed articles stay taken (never
 * reused): a removed article's position holds an empty article, its documents have length 0,
 * no kind and no terms, and are in no postings list. Counts and averages are over live ones.
 */
export interface ParagraphIndex {
  /** Article position -> article (positions of removed articles hold an empty one). */
  readonly articles: readonly Article[];
  /** Per article position, 1 while the article is in the index, 0 once removed. */
  readonly live: Uint8Array;
  /** Live articles (`articles.length` counts removed positions too). */
  readonly articleCount: number;
  /** Live paragraphs: the N of every IDF (`paragraphs.length` counts removed ids too). */
  readonly documentCount: number;
  /** Moves on every change of the index, for caches kept per index state. */
  readonly version: number;
  /** Where document `doc` sits (undefined past the last id; a removed one's place stays). */
  paragraphOf(doc: number): ParagraphRef | undefined;
  /**
   * Document `doc`'s terms in order (term ids), for proximity and excerpts: decoded per call from
   * the index's compact storage, so read it once per document (empty for a removed document).
   */
  sequenceOf(doc: number): Int32Array;
  /**
   * Per sentence of document `doc`, the position in its sequence where it starts: a view into
   * the index's storage, made per call. Do not write to it.
   */
  sentenceStartsOf(doc: number): Int32Array;
  /** The answer-kind mentions of document `doc`'s sentences, decoded per call. */
  mentionsOf(doc: number): readonly IndexedMention[];
  readonly lengths: Float64Array;
  readonly averageLength: number;
  readonly termIds: ReadonlyMap<string, number>;
  readonly postings: readonly Postings[];
  /** Term ids by their first `PREFIX_LENGTH` letters, for terms at least that long. */
  readonly prefixGroups: ReadonlyMap<string, readonly number[]>;
  /** Same as `postings`, but documents are articles and the text is their title. */
  readonly titlePostings: readonly Postings[];
  readonly titleLengths: Float64Array;
  readonly averageTitleLength: number;
  /** Per paragraph, the answer kinds it mentions (a mask of `KIND_BITS`). */
  readonly kinds: Uint8Array;
  /** How many paragraphs mention each answer kind: its document frequency, for its IDF. */
  readonly kindFrequency: Readonly<Record<Exclude<AnswerKind, "none">, number>>;
  /** First document id of each article; its paragraphs are consecutive. */
  readonly articleStart: Int32Array;
  /** Document id -> article position (its length: the document ids given, removed ones too). */
  readonly articleOf: Int32Array;
  /** Per article position, the sum of its paragraphs' lengths (0 once removed). */
  readonly articleLengths: Float64Array;
  /** Mean of `articleLengths` over live articles (at least 1). */
  readonly averageArticleLength: number;
}

export interface IndexOptions {
  /**
   * An acronym an article defines ("Athletics Kenya (AK)") also stands for its long form in that
   * article's paragraphs, and the long form for it (`acronyms.ts`). Default on.
   */
  readonly acronyms?: boolean;
}

/**
 * Builds the index of a corpus: an {@link IncrementalIndex} with every article added in one
 * batch, on this thread. Linear in the corpus size; compromise only splits sentences (where a
 * paragraph has somewhere to split) and finds answer-kind mentions.
 * @param articles - the corpus, in a stable order (document ids follow it)
 */
export function buildIndex(
  articles: readonly Article[],
  options: IndexOptions = {},
): IncrementalIndex {
  const index = new IncrementalIndex(options);
  index.add(articles);
  return index;
}
