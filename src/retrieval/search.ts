/**
 * Ranking paragraphs for a question, in two stages:
 * 1. BM25 over every paragraph, plus a weaker BM25 over article titles, plus the asked-for answer
 *    kind scored as one more query term; related words from the thesaurus count at a discount.
 * 2. The best `rerankDepth` candidates are rescored by how their matches cluster: the best window
 *    of a few terms and the best sentence, where the asked-for kind counts only if it is in that
 *    sentence. Questions are usually written from one sentence of the text they ask about.
 * Each stage was kept because it measured better on SQuAD v1.1 dev (README, `npm run eval:squad`).
 */
import { KIND_BITS } from "./answerKinds.js";
import {
  type ArticleEvidenceParams,
  addArticleEvidence,
  type EvidenceTerm,
} from "./articleEvidence.js";
import {
  addSlots,
  DEFAULT_EXPANSION_PARAMS,
  type ExpansionParams,
  expandTerm,
} from "./expansion.js";
import type { IndexedMention, ParagraphIndex } from "./paragraphIndex.js";
import { type AnalyzedQuestion, analyzeQuestion } from "./question.js";
import { scratchFor } from "./scratch.js";
import { sortedHas } from "./sorted.js";

export interface SearchParams extends ArticleEvidenceParams, ExpansionParams {
  /** BM25 term-frequency saturation. */
  readonly k1: number;
  /** BM25 length normalization. */
  readonly b: number;
  /** Weight of the title field relative to the paragraph. */
  readonly titleWeight: number;
  /** Weight of the asked-for answer kind, scored like a query term of its own IDF. */
  readonly kindWeight: number;
  /** Weight of the best window's matched IDF mass. */
  readonly windowWeight: number;
  /** Width of that window, in terms. */
  readonly windowSize: number;
  /** Weight of the best sentence's matched IDF mass, the asked-for kind included. */
  readonly sentenceWeight: number;
  /**
   * Weight of a verb in `relevance` (not in the score): questions paraphrase their verbs most
   * ("carried" for "delivered"), so a verb the paragraph lacks is weaker evidence of a wrong
   * paragraph than a missing noun or name. Chosen with `npm run eval:abstain`.
   */
  readonly verbRelevance: number;
  /** How many BM25 candidates the rerank looks at. */
  readonly rerankDepth: number;
}

/** Tuned on SQuAD v1.1 dev with `npm run eval:squad -- PATH --only newsdesk --param k=v`. */
export const DEFAULT_SEARCH_PARAMS = {
  k1: 1.2,
  b: 0.75,
  titleWeight: 0.3,
  kindWeight: 1,
  ...DEFAULT_EXPANSION_PARAMS,
  windowWeight: 0.3,
  windowSize: 15,
  sentenceWeight: 0.6,
  verbRelevance: 0.5,
  rerankDepth: 20,
  articleWeight: 0.2,
  articleB: 0.75,
  inheritTitle: 1,
  inheritLede: 1,
  ledeSentences: 1,
  inheritArticle: 0,
  inheritRerank: 0.75,
  inheritRelevance: 1,
} as const satisfies Required<SearchParams>;

/** A query term as the scorer sees it: its IDF; `slotOf` maps its term ids to it. */
interface Slot {
  readonly idf: number;
}

export interface SearchOptions {
  /** How many paragraphs to return (default 5). */
  readonly top?: number;
  /** Only paragraphs of the article at this position in `index.articles`. */
  readonly article?: number;
  /**
   * Per article position, nonzero when its paragraphs may be returned (a server's view of the
   * library: the articles everyone sees and its own). Applied while choosing the best documents,
   * not after, so a restricted search still returns `top` hits when that many match. Statistics
   * (IDF, averages) stay those of the whole index. Default: every article.
   */
  readonly allowed?: Uint8Array;
  readonly params?: Partial<SearchParams>;
}

export interface ParagraphHit {
  /** Document id in the index. */
  readonly doc: number;
  readonly score: number;
  /**
   * Share of the question's IDF mass that the paragraph matches, 0..1, where the asked-for
   * answer kind counts as one more term and a related word counts `relatedWeight` of its word.
   * Comparable across questions and corpora, unlike `score`; the answer service abstains below
   * a calibrated threshold.
   */
  readonly relevance: number;
  /** What the paragraph matched of each query term, for judging an answer's confidence. */
  readonly evidence: HitEvidence;
}

/**
 * Per query term, in `question.terms` order: what the index knows of it and what this paragraph
 * matched of it. Raw facts, no decision: `src/answer/confidence.ts` weighs them.
 */
export interface HitEvidence {
  /** Live paragraphs in the searched index. */
  readonly paragraphs: number;
  /** Per term: how many paragraphs hold the word itself (0: the library never uses it). */
  readonly df: readonly number[];
  /** Per term: 1 the word itself is in the paragraph, `relatedWeight` a related word only, 0 neither. */
  readonly matched: readonly number[];
  /**
   * Per term, as `matched` but anywhere in the paragraph's article (its title included): a name
   * the paragraph leaves to a pronoun ("he said") is still the article's subject.
   */
  readonly inArticle: readonly number[];
  /** How many paragraphs mention the asked-for kind (0 when the question asks for none). */
  readonly kindDf: number;
  /** The paragraph mentions the asked-for kind. */
  readonly kindMatched: boolean;
}

export interface SearchResult {
  readonly question: AnalyzedQuestion;
  readonly hits: readonly ParagraphHit[];
}

/**
 * BM25 inverse document frequency, the Lucene variant that never goes negative:
 * idf = ln(1 + (N - n + 0.5) / (n + 0.5)). A term in no document gets the largest value,
 * which is what `relevance` wants: a question word the corpus never uses is strong evidence
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
  // "Who?" or "How long?" alone name no topic: any paragraph with a person would "answer" it.
  if (analyzed.terms.length === 0) return { question: analyzed, hits: [] };
  // IDFs count live documents; arrays are indexed by id, which removed documents keep.
  const n = index.documentCount;
  const articleCount = index.articleCount;
  const ids = index.articleOf.length;
  const positions = index.articles.length;
  // Zeroed arrays reused across questions (scratch.ts), not allocated for each.
  const scratch = scratchFor(index);
  const scores = scratch.float64("scores", ids);
  const covered = scratch.float64("covered", ids);
  const titleScores = scratch.float64("titleScores", positions);
  // seen[doc] === generation: the current query term has already credited this document.
  const seen = scratch.int32("seen", ids);
  const seenTitle = scratch.int32("seenTitle", positions);
  let generation = 1;
  const { lengths, averageLength, kinds } = index;
  const { k1, b } = p;

  // Per query term: its ids (all forms), IDF and the documents that hold it.
  const slots: Slot[] = [];
  // Term id -> position of its query term, for the rerank features.
  const slotOf = new Map<number, number>();
  let totalIdf = 0;
  const evidenceTerms: EvidenceTerm[] = [];
  // Per query term, the slot of its own forms (loose relations get slots of their own after it).
  const mainSlots: number[] = [];
  const dfs: number[] = [];
  // Per query term, its ids with their weight, for matches anywhere in an article.
  const termForms: (readonly (readonly [number, number])[])[] = [];
  // Term id -> [position of a query term, weight] for every query term it matches: the word
  // itself (1) or a related word (relatedWeight); one word may be related to several terms.
  const matchOf = new Map<number, [number, number][]>();
  const addMatch = (id: number, slot: number, weight: number) => {
    const list = matchOf.get(id);
    if (!list) matchOf.set(id, [[slot, weight]]);
    else if (!list.some(([s]) => s === slot)) list.push([slot, weight]);
  };
  for (const term of analyzed.terms) {
    // The word's own forms, then related words (thesaurus, shared prefix) at their weights.
    const expanded = expandTerm(index, term, p);
    const { ids, related } = expanded;
    const df = Math.max(0, ...ids.map((id) => index.postings[id]?.docs.length ?? 0));
    const termIdf = idf(n, df);
    // The term's position in `question.terms` (slots may hold more than one per term).
    const position = dfs.length;
    dfs.push(df);
    const forms = [...ids.map((id) => [id, 1] as const), ...related];
    termForms.push(forms);
    for (const [id, weight] of forms) addMatch(id, position, weight);
    const relevanceWeight = term.verb ? p.verbRelevance : 1;
    totalIdf += termIdf * relevanceWeight;
    evidenceTerms.push({ ids, idf: termIdf, relevanceWeight });
    mainSlots.push(slots.length); // addSlots puts the term's own slot first
    addSlots(expanded, termIdf, slots, slotOf);
    // A document counts once per query term, with the weight of its best form: the word itself
    // (1) before related words (best first).
    for (const [f, [id, weight]] of forms.entries()) {
      const postings = index.postings[id];
      if (postings) {
        const formIdf = f < ids.length ? termIdf : idf(n, postings.docs.length);
        const { docs, freqs } = postings;
        const credit = weight * termIdf * relevanceWeight;
        for (let i = 0; i < docs.length; i++) {
          const doc = docs[i] as number;
          if (seen[doc] === generation) continue;
          seen[doc] = generation;
          scores[doc] =
            (scores[doc] as number) +
            weight *
              bm25(freqs[i] as number, formIdf, lengths[doc] as number, averageLength, k1, b);
          covered[doc] = (covered[doc] as number) + credit;
        }
      }
      const titlePostings = index.titlePostings[id];
      if (titlePostings && p.titleWeight > 0) {
        const titleIdf = idf(articleCount, titlePostings.docs.length);
        const { docs, freqs } = titlePostings;
        for (let i = 0; i < docs.length; i++) {
          const a = docs[i] as number;
          if (seenTitle[a] === generation) continue;
          seenTitle[a] = generation;
          const length = index.titleLengths[a] as number;
          titleScores[a] =
            (titleScores[a] ?? 0) +
            p.titleWeight *
              weight *
              bm25(freqs[i] as number, titleIdf, length, index.averageTitleLength, p.k1, p.b);
        }
      }
    }
    generation++;
  }

  const context = addArticleEvidence(index, evidenceTerms, p, scores, covered);

  const from = options.article === undefined ? 0 : (index.articleStart[options.article] ?? 0);
  const to = options.article === undefined ? ids : (index.articleStart[options.article + 1] ?? ids);
  for (let a = 0; a < positions; a++) {
    const t = titleScores[a] ?? 0;
    if (t === 0) continue;
    for (let doc = index.articleStart[a] ?? 0; doc < (index.articleStart[a + 1] ?? 0); doc++) {
      scores[doc] = (scores[doc] ?? 0) + t;
    }
  }

  // The asked-for answer kind is one more query term, "a duration", whose document frequency is
  // the number of paragraphs that mention one: rare kinds weigh more, as rare words do.
  const kindBit = analyzed.kind === "none" ? 0 : KIND_BITS[analyzed.kind];
  const kindIdf = analyzed.kind === "none" ? 0 : idf(n, index.kindFrequency[analyzed.kind]);
  if (kindBit) {
    const kindScore = p.kindWeight * kindIdf;
    for (let doc = from; doc < to; doc++) {
      if ((kinds[doc] as number) & kindBit) {
        scores[doc] = (scores[doc] as number) + kindScore;
        covered[doc] = (covered[doc] as number) + kindIdf;
      }
    }
  }

  const candidates = topDocs(
    scores,
    from,
    to,
    Math.max(p.rerankDepth, options.top ?? 5),
    options.allowed && { allowed: options.allowed, articleOf: index.articleOf },
  );
  const reranked = candidates.map((doc) => {
    const { window, sentence } = matchClusters(
      index.sequenceOf(doc),
      index.sentenceStartsOf(doc),
      index.mentionsOf(doc),
      slots,
      slotOf,
      p.windowSize,
      kindBit,
      kindIdf,
      perSlot(context.get(index.articleOf[doc] ?? -1), mainSlots, slots.length),
    );
    const score = (scores[doc] ?? 0) + p.windowWeight * window + p.sentenceWeight * sentence;
    return { doc, score, relevance: (covered[doc] ?? 0) / (totalIdf + kindIdf) };
  });
  reranked.sort((x, y) => y.score - x.score || x.doc - y.doc);
  const evidenceOf = (doc: number): HitEvidence => {
    const matched = new Array<number>(slots.length).fill(0);
    for (const id of index.sequenceOf(doc)) {
      for (const [slot, weight] of matchOf.get(id) ?? []) {
        if (weight > (matched[slot] ?? 0)) matched[slot] = weight;
      }
    }
    const article = index.articleOf[doc] ?? 0;
    // The best weight found anywhere in the article; the paragraph's own match is a floor.
    const inArticle = termForms.map((forms, slot) => {
      let best = matched[slot] ?? 0;
      for (const [id, weight] of forms) {
        if (weight > best && articleHas(index, id, article)) best = weight;
        if (best >= 1) break;
      }
      return best;
    });
    return {
      paragraphs: n,
      df: dfs,
      matched,
      inArticle,
      kindDf: analyzed.kind === "none" ? 0 : index.kindFrequency[analyzed.kind],
      kindMatched: kindBit !== 0 && ((index.kinds[doc] ?? 0) & kindBit) !== 0,
    };
  };
  const hits = reranked
    .slice(0, options.top ?? 5)
    .map((h) => ({ ...h, evidence: evidenceOf(h.doc) }));
  return { question: analyzed, hits };
}

/** Whether term `id` occurs in article `a`, in its title or any of its paragraphs. */
function articleHas(index: ParagraphIndex, id: number, a: number): boolean {
  if (sortedHas(index.titlePostings[id]?.docs, a, a + 1)) return true;
  return sortedHas(
    index.postings[id]?.docs,
    index.articleStart[a] ?? 0,
    index.articleStart[a + 1] ?? 0,
  );
}

/**
 * Per-term shares (in `question.terms` order, as article evidence gives them) laid out per
 * rerank slot: each term's share goes to its own slot; the slots of loose relations get none.
 */
function perSlot(
  byTerm: Float64Array | undefined,
  mainSlots: readonly number[],
  slotCount: number,
): Float64Array | undefined {
  if (!byTerm) return undefined;
  const out = new Float64Array(slotCount);
  for (const [term, slot] of mainSlots.entries()) out[slot] = byTerm[term] ?? 0;
  return out;
}

/**
 * Documents in [from, to) with a positive score, best first, at most `k` of them, of the
 * allowed articles only when `filter` is given. A removed document never scores (it is in no
 * postings list and has no kind), so the positive-score test skips it.
 */
function topDocs(
  scores: Float64Array,
  from: number,
  to: number,
  k: number,
  filter?: { readonly allowed: Uint8Array; readonly articleOf: Int32Array },
): number[] {
  const out: number[] = [];
  // The score to beat once `out` is full (the worst kept); until then, any positive one.
  let floor = 0;
  for (let doc = from; doc < to; doc++) {
    const s = scores[doc] as number;
    if (s <= floor) continue;
    if (filter && !filter.allowed[filter.articleOf[doc] as number]) continue;
    if (out.length < k) {
      out.push(doc);
      if (out.length === k) {
        out.sort((x, y) => (scores[y] as number) - (scores[x] as number));
        floor = scores[out[k - 1] as number] as number;
      }
      continue;
    }
    // Insert in order; k is small (tens), so a linear insert beats a heap here.
    let i = k - 1;
    while (i > 0 && (scores[out[i - 1] as number] as number) < s) {
      out[i] = out[i - 1] as number;
      i--;
    }
    out[i] = doc;
    floor = scores[out[k - 1] as number] as number;
  }
  if (out.length < k) out.sort((x, y) => (scores[y] as number) - (scores[x] as number));
  return out;
}

/**
 * How the question's matches cluster in a paragraph, in IDF mass of distinct query terms:
 * - `window`: the most inside any `windowSize` consecutive terms;
 * - `sentence`: the most inside one sentence, plus the kind's IDF when that sentence mentions
 *   something of the asked-for kind that is not in the question. The answer to "How long would the ceasefire last?" is the sentence that names
 *   the ceasefire and a duration, not the one that repeats "ceasefire".
 */
function matchClusters(
  sequence: Int32Array | undefined,
  sentenceStarts: Int32Array | undefined,
  mentions: readonly IndexedMention[] | undefined,
  slots: readonly Slot[],
  slotOf: ReadonlyMap<number, number>,
  windowSize: number,
  kindBit: number,
  kindIdf: number,
  inherited?: Float64Array,
): { window: number; sentence: number } {
  if (!sequence) return { window: 0, sentence: 0 };
  // Terms the article supplies count at their share in every window and sentence; the
  // paragraph's own occurrence adds the rest of their IDF.
  let base = 0;
  const own = slots.map((slot, i) => {
    const share = inherited?.[i] ?? 0;
    base += share * slot.idf;
    return (1 - share) * slot.idf;
  });
  const slotAt = new Int32Array(sequence.length);
  for (let pos = 0; pos < sequence.length; pos++) {
    slotAt[pos] = slotOf.get(sequence[pos] as number) ?? -1;
  }

  let window = 0;
  const inWindow = new Int32Array(slots.length);
  let mass = base;
  for (let pos = 0; pos < sequence.length; pos++) {
    const slot = slotAt[pos] as number;
    if (slot >= 0) {
      const count = (inWindow[slot] ?? 0) + 1;
      inWindow[slot] = count;
      if (count === 1) mass += own[slot] ?? 0;
    }
    const leaving = pos - windowSize >= 0 ? (slotAt[pos - windowSize] as number) : -1;
    if (leaving >= 0) {
      const count = (inWindow[leaving] ?? 0) - 1;
      inWindow[leaving] = count;
      if (count === 0) mass -= own[leaving] ?? 0;
    }
    if (mass > window) window = mass;
  }

  let sentence = 0;
  const starts = sentenceStarts ?? Int32Array.of(0);
  const lastSeenIn = new Int32Array(slots.length).fill(-1);
  for (let s = 0; s < starts.length; s++) {
    const end = s + 1 < starts.length ? (starts[s + 1] as number) : sequence.length;
    // The kind counts only if the sentence names one the question does not: to "Who carried
    // Putin's message?", "Vladimir Putin" is no answer, "Steve Witkoff" is.
    const answersKind = mentions?.some(
      (m) => m.sentence === s && (m.bit & kindBit) !== 0 && !m.terms.some((t) => slotOf.has(t)),
    );
    let sentenceMass = (answersKind ? kindIdf : 0) + base;
    for (let pos = starts[s] as number; pos < end; pos++) {
      const slot = slotAt[pos] as number;
      if (slot < 0 || lastSeenIn[slot] === s) continue;
      lastSeenIn[slot] = s;
      sentenceMass += own[slot] ?? 0;
    }
    if (sentenceMass > sentence) sentence = sentenceMass;
  }
  return { window, sentence };
}
