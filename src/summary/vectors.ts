/**
 * TF-IDF sentence vectors over retrieval's text pipeline (`terms`: stopwords dropped, lemmas,
 * Porter stems), sparse and of unit length, so that a dot product is a cosine.
 */
import { idf } from "../retrieval/search.js";
import { terms } from "../retrieval/textPipeline.js";

/** A sparse vector of unit length (or empty): term ids in increasing order and their weights. */
export interface SparseVector {
  readonly ids: Int32Array;
  readonly weights: Float64Array;
}

const EMPTY: SparseVector = { ids: new Int32Array(0), weights: new Float64Array(0) };

/** Term ids shared by the vectors of one summary. */
export class Vocabulary {
  readonly #ids = new Map<string, number>();

  get size(): number {
    return this.#ids.size;
  }

  idOf(term: string): number {
    let id = this.#ids.get(term);
    if (id === undefined) {
      id = this.#ids.size;
      this.#ids.set(term, id);
    }
    return id;
  }
}

/** Term counts of a text, by term id. */
export function termCounts(text: string, vocabulary: Vocabulary): Map<number, number> {
  const counts = new Map<number, number>();
  for (const term of terms(text)) {
    const id = vocabulary.idOf(term);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/**
 * Inverse sentence frequencies: each sentence is a document, as in LexRank's cosine (Erkan &
 * Radev 2004), with the never-negative BM25 IDF of search.ts, so a word in every sentence of a
 * short article still weighs a little.
 */
export function sentenceIdf(counts: readonly Map<number, number>[], size: number): Float64Array {
  const df = new Float64Array(size);
  for (const c of counts) for (const id of c.keys()) df[id] = (df[id] ?? 0) + 1;
  return df.map((n) => idf(counts.length, n));
}

/**
 * The unit TF-IDF vector of term counts. Term frequency is sublinear (1 + ln tf): a sentence
 * that repeats a word is not that much more about it (Manning, Raghavan & Schütze,
 * "Introduction to Information Retrieval", 2008, §6.4.1).
 */
export function tfidfVector(counts: Map<number, number>, weights: Float64Array): SparseVector {
  if (counts.size === 0) return EMPTY;
  const ids = Int32Array.from(counts.keys()).sort();
  const w = new Float64Array(ids.length);
  let norm = 0;
  ids.forEach((id, i) => {
    const value = (1 + Math.log(counts.get(id) ?? 1)) * (weights[id] ?? 0);
    w[i] = value;
    norm += value * value;
  });
  if (norm === 0) return EMPTY;
  const scale = 1 / Math.sqrt(norm);
  for (let i = 0; i < w.length; i++) w[i] = (w[i] as number) * scale;
  return { ids, weights: w };
}

/** Cosine of two unit vectors (a merge of their sorted ids). */
export function cosine(a: SparseVector, b: SparseVector): number {
  let i = 0;
  let j = 0;
  let sum = 0;
  while (i < a.ids.length && j < b.ids.length) {
    const x = a.ids[i] as number;
    const y = b.ids[j] as number;
    if (x === y) {
      sum += (a.weights[i] as number) * (b.weights[j] as number);
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return sum;
}

/** Dot product of a sparse vector with a dense one. */
export function dotDense(a: SparseVector, dense: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.ids.length; i++) {
    sum += (a.weights[i] as number) * (dense[a.ids[i] as number] ?? 0);
  }
  return sum;
}
