/**
 * ROUGE (Lin, "ROUGE: A Package for Automatic Evaluation of Summaries", 2004): n-gram and longest
 * common subsequence overlap between a candidate summary and a reference, as F1.
 *
 * Tokens follow Google's `rouge_score` package (the reference implementation most papers now
 * use): lower-cased, every run of characters other than `a-z0-9` is a separator, and tokens
 * longer than three characters are Porter-stemmed (natural's Porter stemmer, loaded by path as in
 * textPipeline.ts). No stopword removal. ROUGE-L is the LCS of the whole token sequences
 * (`rouge_score`'s `rougeL`, not the per-sentence `rougeLsum`).
 */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const PorterStemmer = require("natural/lib/natural/stemmers/porter_stemmer.js") as {
  stem(word: string): string;
};

/** Precision, recall and F1 of one comparison, each 0..1. */
export interface RougeScore {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

/** ROUGE-1, ROUGE-2 and ROUGE-L of one candidate against one reference. */
export interface RougeScores {
  readonly rouge1: RougeScore;
  readonly rouge2: RougeScore;
  readonly rougeL: RougeScore;
}

const stemCache = new Map<string, string>();

/**
 * The ROUGE tokens of a text: lower-cased alphanumeric runs, Porter-stemmed when longer than
 * three characters (so "was" stays "was", as in `rouge_score`).
 */
export function rougeTokens(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.toLowerCase().split(/[^a-z0-9]+/)) {
    if (!raw) continue;
    if (raw.length <= 3) {
      out.push(raw);
      continue;
    }
    let stemmed = stemCache.get(raw);
    if (stemmed === undefined) {
      stemmed = PorterStemmer.stem(raw);
      if (stemCache.size < 200_000) stemCache.set(raw, stemmed);
    }
    out.push(stemmed);
  }
  return out;
}

function score(overlap: number, candidateCount: number, referenceCount: number): RougeScore {
  const precision = candidateCount > 0 ? overlap / candidateCount : 0;
  const recall = referenceCount > 0 ? overlap / referenceCount : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}

function ngramCounts(tokens: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = n === 1 ? (tokens[i] as string) : tokens.slice(i, i + n).join(" ");
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/**
 * ROUGE-N on token lists: the n-grams the two share, each counted at most as often as it occurs
 * in both (clipped counts).
 */
export function rougeN(
  candidate: readonly string[],
  reference: readonly string[],
  n: number,
): RougeScore {
  const c = ngramCounts(candidate, n);
  const r = ngramCounts(reference, n);
  let overlap = 0;
  for (const [gram, count] of c) overlap += Math.min(count, r.get(gram) ?? 0);
  return score(
    overlap,
    Math.max(0, candidate.length - n + 1),
    Math.max(0, reference.length - n + 1),
  );
}

/** Length of the longest common subsequence, in O(|a|·|b|) time and O(|b|) memory. */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  let previous = new Int32Array(b.length + 1);
  let current = new Int32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    const x = a[i - 1];
    for (let j = 1; j <= b.length; j++) {
      current[j] =
        x === b[j - 1]
          ? (previous[j - 1] as number) + 1
          : Math.max(previous[j] as number, current[j - 1] as number);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length] as number;
}

/** ROUGE-L on token lists: the longest common subsequence over each side's length. */
export function rougeL(candidate: readonly string[], reference: readonly string[]): RougeScore {
  return score(lcsLength(candidate, reference), candidate.length, reference.length);
}

/**
 * ROUGE-1, ROUGE-2 and ROUGE-L of a candidate summary against a reference.
 * @param candidate - the system's summary, as text
 * @param reference - the human (or gold extractive) summary, as text
 */
export function rouge(candidate: string, reference: string): RougeScores {
  const c = rougeTokens(candidate);
  const r = rougeTokens(reference);
  return { rouge1: rougeN(c, r, 1), rouge2: rougeN(c, r, 2), rougeL: rougeL(c, r) };
}
