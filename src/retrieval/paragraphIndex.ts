/**
 * The index structure: an inverted index over paragraphs, plus a smaller one over article titles.
 * Pure data, built once; scoring lives in bm25.ts and search.ts.
 */
import type { Article } from "../corpus/article.js";
import { findAcronyms, withAliases } from "./acronyms.js";
import { findMentions, KIND_BITS } from "./answerKinds.js";
import type { AnswerKind } from "./question.js";
import { splitSentences } from "./sentences.js";
import { terms } from "./textPipeline.js";

/**
 * Length of the prefix that makes two terms related. Truncating words to their first five
 * letters is a crude stemmer that rivals Porter in evaluations (Mayfield & McNamee, "Single
 * n-gram stemming", SIGIR 2003); here it only adds weaker matches beside Porter's.
 */
export const PREFIX_LENGTH = 5;

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

export interface ParagraphIndex {
  readonly articles: readonly Article[];
  /** Document id -> paragraph. Document ids are positions in this array. */
  readonly paragraphs: readonly ParagraphRef[];
  /** Each paragraph's terms in order (term ids), for proximity and excerpts. */
  readonly sequences: readonly Int32Array[];
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
  /** Per paragraph, the position in `sequences` where each of its sentences starts. */
  readonly sentenceStarts: readonly Int32Array[];
  /** Per paragraph, the answer-kind mentions of its sentences, with their terms. */
  readonly mentions: readonly (readonly IndexedMention[])[];
  /** Per paragraph, the answer kinds it mentions (a mask of `KIND_BITS`). */
  readonly kinds: Uint8Array;
  /** How many paragraphs mention each answer kind: its document frequency, for its IDF. */
  readonly kindFrequency: Readonly<Record<Exclude<AnswerKind, "none">, number>>;
  /** First document id of each article; its paragraphs are consecutive. */
  readonly articleStart: Int32Array;
}

class PostingsBuilder {
  docs: number[] = [];
  freqs: number[] = [];
  add(doc: number): void {
    const last = this.docs.length - 1;
    if (last >= 0 && this.docs[last] === doc) this.freqs[last] = (this.freqs[last] ?? 0) + 1;
    else {
      this.docs.push(doc);
      this.freqs.push(1);
    }
  }
  freeze(): Postings {
    return { docs: Int32Array.from(this.docs), freqs: Uint16Array.from(this.freqs) };
  }
}

export interface IndexOptions {
  /**
   * An acronym an article defines ("Athletics Kenya (AK)") also stands for its long form in that
   * article's paragraphs, and the long form for it (`acronyms.ts`). Default on.
   */
  readonly acronyms?: boolean;
}

/**
 * Builds the index. Linear in the corpus size; uses only the cheap text pipeline (no compromise).
 * @param articles - the corpus, in a stable order (document ids follow it)
 */
export function buildIndex(
  articles: readonly Article[],
  options: IndexOptions = {},
): ParagraphIndex {
  const acronyms = options.acronyms ?? true;
  const termIds = new Map<string, number>();
  const builders: PostingsBuilder[] = [];
  const titleBuilders: PostingsBuilder[] = [];
  const idOf = (term: string): number => {
    let id = termIds.get(term);
    if (id === undefined) {
      id = termIds.size;
      termIds.set(term, id);
      builders.push(new PostingsBuilder());
      titleBuilders.push(new PostingsBuilder());
    }
    return id;
  };

  const paragraphs: ParagraphRef[] = [];
  const sequences: Int32Array[] = [];
  const lengths: number[] = [];
  const titleLengths: number[] = [];
  const kinds: number[] = [];
  const sentenceStarts: Int32Array[] = [];
  const mentions: IndexedMention[][] = [];
  const articleStart = new Int32Array(articles.length + 1);

  articles.forEach((article, a) => {
    articleStart[a] = paragraphs.length;
    const titleTerms = terms(article.title);
    titleLengths.push(titleTerms.length);
    for (const term of titleTerms) titleBuilders[idOf(term)]?.add(a);
    const definitions = acronyms
      ? findAcronyms([article.title, ...article.paragraphs].join("\n"))
      : [];
    article.paragraphs.forEach((text, p) => {
      const doc = paragraphs.length;
      paragraphs.push({ article: a, paragraph: p });
      const sequence: number[] = [];
      const starts: number[] = [];
      const found: IndexedMention[] = [];
      let mask = 0;
      splitSentences(text).forEach((sentence, s) => {
        starts.push(sequence.length);
        for (const term of withAliases(terms(sentence.text), definitions)) {
          sequence.push(idOf(term));
        }
        for (const mention of findMentions(sentence.text)) {
          found.push({ sentence: s, bit: mention.bit, terms: terms(mention.text).map(idOf) });
          mask |= mention.bit;
        }
      });
      sequences.push(Int32Array.from(sequence));
      sentenceStarts.push(Int32Array.from(starts));
      mentions.push(found);
      lengths.push(sequence.length);
      kinds.push(mask);
      for (const id of sequence) builders[id]?.add(doc);
    });
  });
  articleStart[articles.length] = paragraphs.length;

  const prefixGroups = new Map<string, number[]>();
  for (const [term, id] of termIds) {
    if (term.length < PREFIX_LENGTH) continue;
    const key = term.slice(0, PREFIX_LENGTH);
    const group = prefixGroups.get(key);
    if (group) group.push(id);
    else prefixGroups.set(key, [id]);
  }
  const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : 0);
  return {
    articles,
    paragraphs,
    sequences,
    lengths: Float64Array.from(lengths),
    averageLength: Math.max(1, mean(lengths)),
    termIds,
    prefixGroups,
    postings: builders.map((b) => b.freeze()),
    titlePostings: titleBuilders.map((b) => b.freeze()),
    titleLengths: Float64Array.from(titleLengths),
    averageTitleLength: Math.max(1, mean(titleLengths)),
    sentenceStarts,
    mentions,
    kinds: Uint8Array.from(kinds),
    kindFrequency: Object.fromEntries(
      Object.entries(KIND_BITS).map(([kind, bit]) => [kind, kinds.filter((m) => m & bit).length]),
    ) as Record<Exclude<AnswerKind, "none">, number>,
    articleStart,
  };
}
