/**
 * Ranking paragraphs for a question: BM25 over paragraphs, a weaker BM25 over titles, then a
 * rerank of the best candidates by term proximity and by the answer kind the question asks for.
 */
import { mentionsKind } from "./answerKinds.js";
import type { ParagraphIndex, Postings } from "./paragraphIndex.js";
import { type AnalyzedQuestion, analyzeQuestion } from "./question.js";

export interface SearchParams {
  /** BM25 term-frequency saturation. */
  readonly k1: number;
  /** BM25 length normalization. */
  readonly b: number;
  /** Weight of the title field relative to the paragraph. */
  readonly titleWeight: number;
  /** Bonus, in units of the matched pair's smaller IDF, for two query terms near each other. */
  readonly proximityWeight: number;
  /** How near (in terms) two query terms must be to count as a phrase. */
  readonly proximityWindow: number;
  /** Bonus, as a fraction of the candidate's score, for holding the asked-for answer kind. */
  readonly kindWeight: number;
  /** Weight of the best window's matched IDF mass (see `densestWindow`). */
  readonly windowWeight: number;
  /** Width of that window, in terms (about a sentence). */
  readonly windowSize: number;
  /** How many BM25 candidates the rerank looks at. */
  readonly rerankDepth: number;
}

export const DEFAULT_SEARCH_PARAMS = {
  k1: 1.2,
  b: 0.75,
  titleWeight: 0.3,
  proximityWeight: 0.5,
  proximityWindow: 3,
  kindWeight: 0.1,
  windowWeight: 0,
  windowSize: 15,
  rerankDepth: 30,
} as const satisfies Required<SearchParams>;

/** A query term as the scorer sees it: its term ids in the index and its IDF. */
interface Slot {
  readonly ids: readonly number[];
  readonly idf: number;
}

export interface SearchOptions {
  /** How many paragraphs to return (default 5). */
  readonly top?: number;
  /** Only paragraphs of the article at this position in `index.articles`. */
  readonly article?: number;
  readonly params?: Partial<SearchParams>;
}

export interface ParagraphHit {
  /** Document id in the index. */
  readonly doc: number;
  readonly score: number;
  /** Share of the question's IDF mass that the paragraph (or its title) matches, 0..1. */
  readonly coverage: number;
}

export interface SearchResult {
  readonly question: AnalyzedQuestion;
  readonly hits: readonly ParagraphHit[];
  /** Index term ids of the question's terms found in the corpus (for excerpts). */
  readonly matchedTermIds: ReadonlySet<number>;
}

/**
 * BM25 inverse document frequency, the Lucene variant that never goes negative:
 * idf = ln(1 + (N - n + 0.5) / (n + 0.5)). A term in no document gets the largest value,
 * which is what `coverage` wants: a question word the corpus never uses is strong evidence
 * that the corpus cannot answer it.
 */
export function idf(documentCount: number, documentFrequency: number): number {
  return Math.log(1 + (documentCount - documentFrequency + 0.5) / (documentFrequency + 0.5));
}

/**
 * Okapi BM25 term weight (Robertson & Zaragoza, "The Probabilistic Relevance Framework: BM25 and
 * Beyond", 2009): TF-IDF where the term frequency saturates (k1) and long paragraphs are
 * normalized to the average length (b). Chosen over plain TF-IDF cosine because it measured better
 * on SQuAD (see README, `npm run eval:squad`): a paragraph that repeats a word ten times is not
 * ten times as relevant, and long paragraphs should not win by size alone.
 */
export function bm25(
  tf: number,
  termIdf: number,
  length: number,
  averageLength: number,
  k1: number,
  b: number,
): number {
  return (termIdf * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * length) / averageLength));
}

function accumulate(
  scores: Float64Array,
  postings: Postings,
  termIdf: number,
  lengths: Float64Array,
  averageLength: number,
  p: SearchParams,
  weight: number,
  seen: Uint8Array,
): void {
  const { docs, freqs } = postings;
  for (let i = 0; i < docs.length; i++) {
    const doc = docs[i] as number;
    if (seen[doc]) continue;
    seen[doc] = 1;
    scores[doc] =
      (scores[doc] ?? 0) +
      weight * bm25(freqs[i] as number, termIdf, lengths[doc] as number, averageLength, p.k1, p.b);
  }
}

/**
 * Ranks the paragraphs of the index for a question.
 * @param index - built by `buildIndex`
 * @param question - raw question text, or one already analyzed
 */
export function searchParagraphs(
  index: ParagraphIndex,
  question: string | AnalyzedQuestion,
  options: SearchOptions = {},
): SearchResult {
  const p: SearchParams = { ...DEFAULT_SEARCH_PARAMS, ...options.params };
  const analyzed = typeof question === "string" ? analyzeQuestion(question) : question;
  const n = index.paragraphs.length;
  const articleCount = index.articles.length;
  const scores = new Float64Array(n);
  const covered = new Float64Array(n);
  const titleScores = new Float64Array(articleCount);
  const seen = new Uint8Array(n);
  const seenTitle = new Uint8Array(articleCount);
  const matchedTermIds = new Set<number>();

  // Per query term: its ids (all forms), IDF and the documents that hold it.
  const slots: Slot[] = [];
  // Term id -> position of its query term, for the rerank features.
  const slotOf = new Map<number, number>();
  let totalIdf = 0;
  for (const term of analyzed.terms) {
    const ids = term.forms
      .map((f) => index.termIds.get(f))
      .filter((id): id is number => id !== undefined);
    const df = Math.max(0, ...ids.map((id) => index.postings[id]?.docs.length ?? 0));
    const termIdf = idf(n, df);
    totalIdf += termIdf;
    for (const id of ids) if (!slotOf.has(id)) slotOf.set(id, slots.length);
    slots.push({ ids, idf: termIdf });
    seen.fill(0);
    seenTitle.fill(0);
    for (const id of ids) {
      matchedTermIds.add(id);
      const postings = index.postings[id];
      if (postings) {
        accumulate(scores, postings, termIdf, index.lengths, index.averageLength, p, 1, seen);
      }
      const titlePostings = index.titlePostings[id];
      if (titlePostings && p.titleWeight > 0) {
        accumulate(
          titleScores,
          titlePostings,
          idf(articleCount, titlePostings.docs.length),
          index.titleLengths,
          index.averageTitleLength,
          p,
          p.titleWeight,
          seenTitle,
        );
      }
    }
    for (let doc = 0; doc < n; doc++) if (seen[doc]) covered[doc] = (covered[doc] ?? 0) + termIdf;
  }

  const from = options.article === undefined ? 0 : (index.articleStart[options.article] ?? 0);
  const to = options.article === undefined ? n : (index.articleStart[options.article + 1] ?? n);
  for (let a = 0; a < articleCount; a++) {
    const t = titleScores[a] ?? 0;
    if (t === 0) continue;
    for (let doc = index.articleStart[a] ?? 0; doc < (index.articleStart[a + 1] ?? 0); doc++) {
      scores[doc] = (scores[doc] ?? 0) + t;
    }
  }

  const candidates = topDocs(scores, from, to, Math.max(p.rerankDepth, options.top ?? 5));
  const reranked = candidates.map((doc) => {
    const base = scores[doc] ?? 0;
    const sequence = index.sequences[doc];
    let score = base + p.proximityWeight * proximity(sequence, slots, slotOf, p.proximityWindow);
    if (p.windowWeight > 0) score += p.windowWeight * densestWindow(sequence, slots, slotOf, p.windowSize);
    const ref = index.paragraphs[doc];
    const text = ref ? index.articles[ref.article]?.paragraphs[ref.paragraph] : undefined;
    if (analyzed.kind !== "none" && text && mentionsKind(text, analyzed.kind)) {
      score += p.kindWeight * base;
    }
    return { doc, score, coverage: totalIdf > 0 ? (covered[doc] ?? 0) / totalIdf : 0 };
  });
  reranked.sort((x, y) => y.score - x.score || x.doc - y.doc);
  return {
    question: analyzed,
    hits: reranked.slice(0, options.top ?? 5),
    matchedTermIds,
  };
}

/** Documents in [from, to) with a positive score, best first, at most `k` of them. */
function topDocs(scores: Float64Array, from: number, to: number, k: number): number[] {
  const out: number[] = [];
  for (let doc = from; doc < to; doc++) {
    const s = scores[doc] ?? 0;
    if (s <= 0) continue;
    if (out.length < k) {
      out.push(doc);
      if (out.length === k) out.sort((x, y) => (scores[y] ?? 0) - (scores[x] ?? 0));
      continue;
    }
    if (s <= (scores[out[k - 1] as number] ?? 0)) continue;
    // Insert in order; k is small (tens), so a linear insert beats a heap here.
    let i = k - 1;
    while (i > 0 && (scores[out[i - 1] as number] ?? 0) < s) {
      out[i] = out[i - 1] as number;
      i--;
    }
    out[i] = doc;
  }
  if (out.length < k) out.sort((x, y) => (scores[y] ?? 0) - (scores[x] ?? 0));
  return out;
}

/**
 * Term proximity (in the spirit of Büttcher et al., "Term proximity scoring for ad-hoc
 * retrieval", SIGIR 2006): for each pair of query terms that are adjacent in the question and
 * occur within `window` terms of each other in the paragraph, add the smaller of their IDFs.
 * Questions paraphrase, but they usually keep short phrases ("special envoy", "Kursk region").
 */
function proximity(
  sequence: Int32Array | undefined,
  slots: readonly Slot[],
  slotOf: ReadonlyMap<number, number>,
  window: number,
): number {
  if (!sequence || slots.length < 2) return 0;
  const last = new Int32Array(slots.length).fill(-1_000_000);
  const credited = new Uint8Array(slots.length);
  let bonus = 0;
  for (let pos = 0; pos < sequence.length; pos++) {
    const slot = slotOf.get(sequence[pos] as number);
    if (slot === undefined) continue;
    last[slot] = pos;
    for (const other of [slot - 1, slot + 1]) {
      if (other < 0 || other >= slots.length) continue;
      const pair = Math.min(slot, other);
      if (credited[pair]) continue;
      if (pos - (last[other] as number) <= window) {
        credited[pair] = 1;
        bonus += Math.min(slots[slot]?.idf ?? 0, slots[other]?.idf ?? 0);
      }
    }
  }
  return bonus;
}

/**
 * The largest IDF mass of distinct query terms inside any window of `size` consecutive terms:
 * questions are usually written from one sentence, so the paragraph whose matches cluster in
 * one place is more likely to hold the answer than one whose matches are spread out.
 */
function densestWindow(
  sequence: Int32Array | undefined,
  slots: readonly Slot[],
  slotOf: ReadonlyMap<number, number>,
  size: number,
): number {
  if (!sequence) return 0;
  const counts = new Int32Array(slots.length);
  let mass = 0;
  let best = 0;
  for (let pos = 0; pos < sequence.length; pos++) {
    const slot = slotOf.get(sequence[pos] as number);
    if (slot !== undefined) {
      const count = counts[slot] ?? 0;
      counts[slot] = count + 1;
      if (count === 0) mass += slots[slot]?.idf ?? 0;
    }
    const out = pos - size;
    if (out >= 0) {
      const old = slotOf.get(sequence[out] as number);
      if (old !== undefined) {
        const count = (counts[old] ?? 0) - 1;
        counts[old] = count;
        if (count === 0) mass -= slots[old]?.idf ?? 0;
      }
    }
    if (mass > best) best = mass;
  }
  return best;
}
