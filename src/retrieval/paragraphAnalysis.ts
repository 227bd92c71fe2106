/**
 * The per-paragraph work of indexing, apart from the index: sentences (compromise's splitter),
 * terms (with an article's acronym aliases) and answer-kind mentions. It needs nothing of the
 * index, so it can run in worker threads, one analyser per thread, while the index merges the
 * results in order (`IncrementalIndex.addInParallel`); a profile of a build puts about nine
 * tenths of the time here.
 *
 * Terms come back as analyser-local ids, numbered in the order the index would first meet them
 * (a title's terms, then sentence by sentence its terms, aliases included, then its mentions'
 * terms): the index gives each new local id the next global id in that order, so a term gets the
 * same id whichever thread analysed it and however the articles were cut into batches.
 */
import type { Article } from "../corpus/article.js";
import { type AcronymDefinition, findAcronyms } from "./acronyms.js";
import { findMentions } from "./answerKinds.js";
import { splitSentences } from "./sentences.js";
import { rawTokens, termOfToken } from "./textPipeline.js";

/**
 * One batch of articles analysed: flat typed arrays (they cross threads without copying), each
 * list of the batch's paragraphs in order, paragraph p's part between `starts[p]` and
 * `starts[p + 1]`.
 */
export interface AnalysedBatch {
  /** Terms that got their local id in this batch, in id order (earlier ids: earlier batches). */
  readonly newTerms: readonly string[];
  /** Per article, its title's term ids, between `titleStarts[a]` and `titleStarts[a + 1]`. */
  readonly titleTerms: Int32Array;
  readonly titleStarts: Int32Array;
  /** Per paragraph, its term ids in order. */
  readonly sequence: Int32Array;
  readonly sequenceStarts: Int32Array;
  /** Per paragraph, the position in its own sequence where each of its sentences starts. */
  readonly sentences: Int32Array;
  readonly sentenceStarts: Int32Array;
  /** Per paragraph, its mentions, each as sentence, kind bit, term count, then the term ids. */
  readonly mentions: Int32Array;
  readonly mentionStarts: Int32Array;
  /** Per paragraph, the mask of the kinds it mentions. */
  readonly kinds: Uint8Array;
}

/** The typed arrays of a batch, for a worker's transfer list. */
export function buffersOf(batch: AnalysedBatch): ArrayBuffer[] {
  return [
    batch.titleTerms,
    batch.titleStarts,
    batch.sequence,
    batch.sequenceStarts,
    batch.sentences,
    batch.sentenceStarts,
    batch.mentions,
    batch.mentionStarts,
    batch.kinds,
  ].map((array) => array.buffer as ArrayBuffer);
}

/** A growable list of 32-bit integers. */
class IntList {
  array = new Int32Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.array.length) {
      const next = new Int32Array(this.array.length * 2);
      next.set(this.array);
      this.array = next;
    }
    this.array[this.length++] = value;
  }

  /** The values at exact length, in a buffer of their own. */
  done(): Int32Array {
    return this.array.slice(0, this.length);
  }
}

/**
 * An acronym definition with the local ids of its forms, each looked up once it has one (-1
 * until then: a term with no id yet is in no sequence, so it matches nothing).
 */
interface DefinitionIds {
  readonly definition: AcronymDefinition;
  acronym: number;
  readonly expansion: Int32Array;
}

/**
 * The most distinct tokens an analyser remembers the ids of (about 25 MB): the words that repeat
 * are found long before; past it, a rare token is looked up the long way.
 */
const TOKEN_IDS_LIMIT = 250_000;

/**
 * Analyses batches of articles, numbering terms across them (see the file comment). One per
 * worker thread, or one per in-thread `add`.
 */
export class ParagraphAnalyser {
  readonly #acronyms: boolean;
  readonly #ids = new Map<string, number>();
  #newTerms: string[] = [];
  /**
   * The local id of each raw token met so far (-1 for a token with no term, a stopword): a token
   * seen again costs one lookup instead of normalizing, stemming and a lookup of its term.
   */
  readonly #tokenIds = new Map<string, number>();
  #titleTerms = new IntList();
  #titleStarts = new IntList();
  #sequence = new IntList();
  #sequenceStarts = new IntList();
  #sentences = new IntList();
  #sentenceStarts = new IntList();
  #mentions = new IntList();
  #mentionStarts = new IntList();
  #kinds: number[] = [];

  /** @param acronyms - see `IndexOptions.acronyms` */
  constructor(acronyms: boolean) {
    this.#acronyms = acronyms;
  }

  /** Analyses `articles` (see {@link AnalysedBatch}). */
  analyse(articles: readonly Article[]): AnalysedBatch {
    this.#titleStarts.push(0);
    this.#sequenceStarts.push(0);
    this.#sentenceStarts.push(0);
    this.#mentionStarts.push(0);
    for (const article of articles) this.#article(article);
    const batch: AnalysedBatch = {
      newTerms: this.#newTerms,
      titleTerms: this.#titleTerms.done(),
      titleStarts: this.#titleStarts.done(),
      sequence: this.#sequence.done(),
      sequenceStarts: this.#sequenceStarts.done(),
      sentences: this.#sentences.done(),
      sentenceStarts: this.#sentenceStarts.done(),
      mentions: this.#mentions.done(),
      mentionStarts: this.#mentionStarts.done(),
      kinds: Uint8Array.from(this.#kinds),
    };
    this.#newTerms = [];
    for (const list of [
      this.#titleTerms,
      this.#titleStarts,
      this.#sequence,
      this.#sequenceStarts,
      this.#sentences,
      this.#sentenceStarts,
      this.#mentions,
      this.#mentionStarts,
    ]) {
      list.length = 0;
    }
    this.#kinds = [];
    return batch;
  }

  #idOf(term: string): number {
    let id = this.#ids.get(term);
    if (id === undefined) {
      id = this.#ids.size;
      this.#ids.set(term, id);
      this.#newTerms.push(term);
    }
    return id;
  }

  #tokenId(raw: string): number {
    let id = this.#tokenIds.get(raw);
    if (id === undefined) {
      const term = termOfToken(raw);
      id = term === null ? -1 : this.#idOf(term);
      if (this.#tokenIds.size < TOKEN_IDS_LIMIT) this.#tokenIds.set(raw, id);
    }
    return id;
  }

  /** Pushes the term ids of a text in order onto `list`; returns how many. */
  #pushIds(text: string, list: IntList): number {
    let count = 0;
    for (const raw of rawTokens(text)) {
      const id = this.#tokenId(raw);
      if (id >= 0) {
        list.push(id);
        count++;
      }
    }
    return count;
  }

  /** The id of a definition's term `k` (-1: the acronym), or -1 while it has none. */
  #definitionId(d: DefinitionIds, k: number): number {
    const known = k < 0 ? d.acronym : (d.expansion[k] as number);
    if (known >= 0) return known;
    const term = k < 0 ? d.definition.acronym : (d.definition.expansion[k] as string);
    const id = this.#ids.get(term) ?? -1;
    if (k < 0) d.acronym = id;
    else d.expansion[k] = id;
    return id;
  }

  /**
   * Pushes a sentence's term ids, each form of a definition followed by the other: acronyms.ts's
   * `withAliases` on ids, asking for the ids of the added forms in the order it adds them.
   * @returns how many ids were pushed
   */
  #pushAliased(sentence: string, definitions: readonly DefinitionIds[]): number {
    const plain: number[] = [];
    const sequence = this.#sequence;
    const before = sequence.length;
    for (const raw of rawTokens(sentence)) {
      const id = this.#tokenId(raw);
      if (id < 0) continue;
      plain.push(id);
      sequence.push(id);
      for (const d of definitions) {
        const expansion = d.definition.expansion;
        const n = expansion.length;
        if (id === this.#definitionId(d, -1)) {
          for (const term of expansion) sequence.push(this.#idOf(term));
        } else if (id === this.#definitionId(d, n - 1) && plain.length >= n) {
          let whole = true;
          for (let k = 0; k < n - 1 && whole; k++) {
            whole = plain[plain.length - n + k] === this.#definitionId(d, k);
          }
          if (whole) sequence.push(this.#idOf(d.definition.acronym));
        }
      }
    }
    return sequence.length - before;
  }

  #article(article: Article): void {
    this.#pushIds(article.title, this.#titleTerms);
    this.#titleStarts.push(this.#titleTerms.length);
    const definitions: DefinitionIds[] = (
      this.#acronyms ? findAcronyms([article.title, ...article.paragraphs].join("\n")) : []
    ).map((definition) => ({
      definition,
      acronym: -1,
      expansion: new Int32Array(definition.expansion.length).fill(-1),
    }));
    for (const text of article.paragraphs) {
      let length = 0;
      let mask = 0;
      const sentences = splitSentences(text);
      for (let s = 0; s < sentences.length; s++) {
        const sentence = (sentences[s] as { text: string }).text;
        this.#sentences.push(length);
        length +=
          definitions.length === 0
            ? this.#pushIds(sentence, this.#sequence)
            : this.#pushAliased(sentence, definitions);
        for (const mention of findMentions(sentence)) {
          const mentions = this.#mentions;
          mentions.push(s);
          mentions.push(mention.bit);
          const at = mentions.length;
          mentions.push(0);
          // The count goes in front of the ids, once known (pushing may have moved the array).
          const count = this.#pushIds(mention.text, mentions);
          mentions.array[at] = count;
          mask |= mention.bit;
        }
      }
      this.#sequenceStarts.push(this.#sequence.length);
      this.#sentenceStarts.push(this.#sentences.length);
      this.#mentionStarts.push(this.#mentions.length);
      this.#kinds.push(mask);
    }
  }
}
