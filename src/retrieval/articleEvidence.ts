/**
 * What a paragraph owes to its article. News paragraphs lean on their story: the lede names the
 * people and firms, later paragraphs say "he", "the firm", "the talks". Two signals, each scored
 * from the paragraph postings at query time (the index is unchanged):
 * - **article fusion**: BM25 over each whole article (the article is the document), added to each
 *   of its paragraphs with a weight, so the right story wins before its paragraphs compete;
 * - **inherited terms**: a question term the paragraph lacks but its article has (in its title or
 *   lede, or anywhere) counts for the paragraph at a discount of its IDF, so between paragraphs
 *   of the right article the paragraph-specific words decide.
 * Related-word matches are left out of both: they are weak evidence already.
 */
import type { ParagraphIndex } from "./paragraphIndex.js";
import { scratchFor } from "./scratch.js";
import { sortedHas } from "./sorted.js";

/** A question term as article evidence needs it. */
export interface EvidenceTerm {
  /** Term ids of the word's own forms. */
  readonly ids: readonly number[];
  /** Its paragraph IDF, the unit of `inherited` (BM25 of one occurrence at average length). */
  readonly idf: number;
  /** Its weight in `relevance` (verbs count less there). */
  readonly relevanceWeight: number;
}

export interface ArticleEvidenceParams {
  /** Weight of the article's BM25 added to each of its paragraphs; 0 turns fusion off. */
  readonly articleWeight: number;
  /** BM25 length normalization over articles. */
  readonly articleB: number;
  /** Share of its IDF that a term in the article's title counts for a paragraph lacking it. */
  readonly inheritTitle: number;
  /** Share of its IDF that a term in the article's lede (first paragraph) counts for a paragraph lacking it. */
  readonly inheritLede: number;
  /** How many sentences of the first paragraph are the lede. */
  readonly ledeSentences: number;
  /** Share of its IDF that a term elsewhere in the article counts for a paragraph lacking it. */
  readonly inheritArticle: number;
  /**
   * Share of its IDF that an inherited term counts for in each sentence and window of the rerank
   * (at most 1: then the lede's names are context of every sentence of the story).
   */
  readonly inheritRerank: number;
  /** Share of the inherited IDF mass that counts in `relevance` too (0: abstention unchanged). */
  readonly inheritRelevance: number;
  readonly k1: number;
}

/**
 * Per article whose title or text holds question terms, the share of each term's IDF (by its
 * position in the question's terms) that the rerank credits to every sentence and window of the
 * article's paragraphs.
 */
export type ArticleContext = ReadonlyMap<number, Float64Array>;

const EMPTY = new Int32Array(0);

/**
 * Per index and lede length, the sorted term ids of each article's lede (the first `sentences`
 * sentences of its first paragraph), made the first time a question needs them. An article
 * position never changes what it holds (a changed article gets a new one), so they stay valid for
 * the life of the index. A binary search in them costs far less than reading the paragraph's
 * terms for every question (a fifth of a search's time at 300,000 paragraphs).
 */
const ledes = new WeakMap<ParagraphIndex, Map<number, (Int32Array | undefined)[]>>();

/** The lede terms of `index`'s articles for ledes of `sentences` sentences, per position. */
function ledesOf(index: ParagraphIndex, sentences: number): (Int32Array | undefined)[] {
  let bySentences = ledes.get(index);
  if (!bySentences) {
    bySentences = new Map();
    ledes.set(index, bySentences);
  }
  let cache = bySentences.get(sentences);
  if (!cache) {
    cache = [];
    bySentences.set(sentences, cache);
  }
  return cache;
}

/**
 * Whether term `id` is in the lede of article `a`, whose first paragraph is `doc`.
 * @param cache - from {@link ledesOf}
 */
function inLede(
  index: ParagraphIndex,
  cache: (Int32Array | undefined)[],
  sentences: number,
  a: number,
  doc: number,
  id: number,
): boolean {
  let terms = cache[a];
  if (!terms) {
    const sequence = index.sequenceOf(doc);
    const end = index.sentenceStartsOf(doc)[sentences] ?? sequence.length;
    terms = Int32Array.from(new Set(sequence.subarray(0, end))).sort();
    cache[a] = terms;
  }
  return sortedHas(terms, id, id + 1);
}

/**
 * Adds article evidence to paragraph scores (and, with `inheritRelevance`, to their covered IDF
 * mass) in place.
 * @param scores - per paragraph, the BM25 score so far
 * @param covered - per paragraph, the question IDF mass matched so far (`relevance` numerator)
 */
export function addArticleEvidence(
  index: ParagraphIndex,
  terms: readonly EvidenceTerm[],
  p: ArticleEvidenceParams,
  scores: Float64Array,
  covered: Float64Array,
): ArticleContext {
  const context = new Map<number, Float64Array>();
  const fusion = p.articleWeight > 0;
  const inherit = p.inheritTitle > 0 || p.inheritLede > 0 || p.inheritArticle > 0;
  if ((!fusion && !inherit) || terms.length === 0) return context;
  const rerankShare = Math.min(1, Math.max(0, p.inheritRerank));
  // Arrays are indexed by id (removed ids included); the article IDF counts live articles.
  const n = index.articleOf.length;
  const articleCount = index.articles.length;
  const liveArticles = index.articleCount;
  const { articleLengths: lengths, averageArticleLength: average, articleOf } = index;
  // Zeroed arrays reused across questions (scratch.ts), not allocated for each.
  const scratch = scratchFor(index);
  const articleScore = scratch.float64("articleScore", articleCount);
  // Per article, the inheritable IDF mass (for the score and for relevance); per paragraph, the
  // part of it the paragraph has itself, which it does not inherit.
  const articleMass = scratch.float64("articleMass", articleCount);
  const articleRelevanceMass = scratch.float64("articleRelevanceMass", articleCount);
  const ownMass = scratch.float64("ownMass", n);
  const ownRelevanceMass = scratch.float64("ownRelevanceMass", n);
  const articleTf = scratch.float64("articleTf", articleCount);
  // Per article, the share of the current term's IDF a paragraph lacking it inherits.
  const share = scratch.float64("share", articleCount);
  const touched: number[] = [];
  const seen = scratch.uint8("evidenceSeen", n);
  const seenDocs: number[] = [];

  const ledeShare = Math.max(p.inheritLede, p.inheritArticle);
  const ledeCache = ledesOf(index, p.ledeSentences);
  for (const [t, term] of terms.entries()) {
    touched.length = 0;
    for (const doc of seenDocs) seen[doc] = 0;
    seenDocs.length = 0;
    // A word of one form (most words) reaches each paragraph once; with several forms, a
    // paragraph is counted through the first form that holds it.
    const dedup = term.ids.length > 1;
    for (const id of term.ids) {
      const postings = index.postings[id];
      if (!postings) continue;
      const { docs, freqs } = postings;
      // An article's paragraphs have consecutive ids, so its postings are a run: one run at a
      // time, its occurrences summed, its article's arrays touched once.
      let i = 0;
      while (i < docs.length) {
        const a = articleOf[docs[i] as number] as number;
        const start = index.articleStart[a] as number;
        const end = index.articleStart[a + 1] as number;
        let tf = 0;
        let lede = false;
        for (; i < docs.length && (docs[i] as number) < end; i++) {
          const doc = docs[i] as number;
          if (dedup) {
            if (seen[doc]) continue;
            seen[doc] = 1;
            seenDocs.push(doc);
          }
          tf += freqs[i] as number;
          if (doc === start) lede = true;
        }
        if (tf === 0) continue;
        if ((articleTf[a] ?? 0) === 0) touched.push(a);
        articleTf[a] = (articleTf[a] ?? 0) + tf;
        if (!inherit) continue;
        const inherited =
          lede && inLede(index, ledeCache, p.ledeSentences, a, start, id)
            ? ledeShare
            : p.inheritArticle;
        if (inherited > (share[a] ?? 0)) share[a] = inherited;
      }
      const titles = index.titlePostings[id];
      if (titles && p.inheritTitle > 0) {
        for (const a of titles.docs) {
          if ((articleTf[a] ?? 0) === 0) {
            touched.push(a);
            // A title-only term has no paragraph occurrence; it still marks the article.
            articleTf[a] = Number.MIN_VALUE;
          }
          if (p.inheritTitle > (share[a] ?? 0)) share[a] = p.inheritTitle;
        }
      }
    }
    if (fusion) {
      const articleIdf = Math.log(
        1 + (liveArticles - touched.length + 0.5) / (touched.length + 0.5),
      );
      for (const a of touched) {
        const tf = articleTf[a] ?? 0;
        if (tf < 1) continue;
        const norm = 1 - p.articleB + (p.articleB * (lengths[a] ?? 0)) / average;
        articleScore[a] =
          (articleScore[a] ?? 0) + (articleIdf * tf * (p.k1 + 1)) / (tf + p.k1 * norm);
      }
    }
    if (inherit) {
      for (const a of touched) {
        const s = share[a] ?? 0;
        if (s === 0) continue;
        if (rerankShare > 0) {
          let shares = context.get(a);
          if (!shares) {
            shares = new Float64Array(terms.length);
            context.set(a, shares);
          }
          shares[t] = Math.min(1, s) * rerankShare;
        }
        articleMass[a] = (articleMass[a] ?? 0) + s * term.idf;
        articleRelevanceMass[a] =
          (articleRelevanceMass[a] ?? 0) + s * term.idf * term.relevanceWeight;
      }
      const credit = (doc: number) => {
        const s = share[articleOf[doc] as number] ?? 0;
        if (s === 0) return;
        ownMass[doc] = (ownMass[doc] ?? 0) + s * term.idf;
        ownRelevanceMass[doc] = (ownRelevanceMass[doc] ?? 0) + s * term.idf * term.relevanceWeight;
      };
      if (dedup) for (const doc of seenDocs) credit(doc);
      else {
        const docs = index.postings[term.ids[0] as number]?.docs ?? EMPTY;
        for (let i = 0; i < docs.length; i++) credit(docs[i] as number);
      }
    }
    for (const a of touched) {
      articleTf[a] = 0;
      share[a] = 0;
    }
  }

  const starts = index.articleStart;
  for (let a = 0; a < articleCount; a++) {
    const fused = p.articleWeight * (articleScore[a] as number);
    const mass = articleMass[a] as number;
    if (fused === 0 && mass === 0) continue;
    const relevanceMass = articleRelevanceMass[a] as number;
    const end = starts[a + 1] as number;
    for (let doc = starts[a] as number; doc < end; doc++) {
      const score = scores[doc] as number;
      // A paragraph that shares no word with the question is not made an answer by its article.
      if (score <= 0) continue;
      scores[doc] = score + fused + (mass - (ownMass[doc] as number));
      covered[doc] =
        (covered[doc] as number) +
        p.inheritRelevance * (relevanceMass - (ownRelevanceMass[doc] as number));
    }
  }
  return context;
}
