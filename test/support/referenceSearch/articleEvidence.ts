/**
 * A frozen copy of src/retrieval/articleEvidence.ts as it was before the query cost was made flat (issue 13):
 * it scores every document of the library in arrays the library's size. Kept only as the
 * reference that test/retrieval/searchReference.test.ts compares the search with, hit for hit.
 */
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
import type { ParagraphIndex } from "../../../src/retrieval/paragraphIndex.js";

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

/** Whether term `id` is in the first `sentences` sentences of paragraph `doc`. */
function inLede(index: ParagraphIndex, doc: number, id: number, sentences: number): boolean {
  const sequence = index.sequenceOf(doc);
  if (!sequence) return false;
  const end = index.sentenceStartsOf(doc)[sentences] ?? sequence.length;
  for (let pos = 0; pos < end; pos++) if (sequence[pos] === id) return true;
  return false;
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
  const articleScore = new Float64Array(articleCount);
  // Per article, the inheritable IDF mass (for the score and for relevance); per paragraph, the
  // part of it the paragraph has itself, which it does not inherit.
  const articleMass = new Float64Array(articleCount);
  const articleRelevanceMass = new Float64Array(articleCount);
  const ownMass = new Float64Array(n);
  const ownRelevanceMass = new Float64Array(n);
  const articleTf = new Float64Array(articleCount);
  // Per article, the share of the current term's IDF a paragraph lacking it inherits.
  const share = new Float64Array(articleCount);
  const touched: number[] = [];
  const seen = new Uint8Array(n);
  const seenDocs: number[] = [];

  for (const [t, term] of terms.entries()) {
    touched.length = 0;
    for (const doc of seenDocs) seen[doc] = 0;
    seenDocs.length = 0;
    for (const id of term.ids) {
      const postings = index.postings[id];
      if (!postings) continue;
      const { docs, freqs } = postings;
      for (let i = 0; i < docs.length; i++) {
        const doc = docs[i] as number;
        if (seen[doc]) continue;
        seen[doc] = 1;
        seenDocs.push(doc);
        const a = articleOf[doc] as number;
        if ((articleTf[a] ?? 0) === 0) touched.push(a);
        articleTf[a] = (articleTf[a] ?? 0) + (freqs[i] as number);
        if (!inherit) continue;
        const inherited =
          doc === index.articleStart[a] && inLede(index, doc, id, p.ledeSentences)
            ? Math.max(p.inheritLede, p.inheritArticle)
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
      for (const doc of seenDocs) {
        const s = share[articleOf[doc] as number] ?? 0;
        if (s === 0) continue;
        ownMass[doc] = (ownMass[doc] ?? 0) + s * term.idf;
        ownRelevanceMass[doc] = (ownRelevanceMass[doc] ?? 0) + s * term.idf * term.relevanceWeight;
      }
    }
    for (const a of touched) {
      articleTf[a] = 0;
      share[a] = 0;
    }
  }

  for (let a = 0; a < articleCount; a++) {
    const fused = p.articleWeight * (articleScore[a] ?? 0);
    const mass = articleMass[a] ?? 0;
    if (fused === 0 && mass === 0) continue;
    const relevanceMass = articleRelevanceMass[a] ?? 0;
    for (let doc = index.articleStart[a] ?? 0; doc < (index.articleStart[a + 1] ?? 0); doc++) {
      // A paragraph that shares no word with the question is not made an answer by its article.
      if ((scores[doc] ?? 0) <= 0) continue;
      scores[doc] = (scores[doc] ?? 0) + fused + (mass - (ownMass[doc] ?? 0));
      covered[doc] =
        (covered[doc] ?? 0) + p.inheritRelevance * (relevanceMass - (ownRelevanceMass[doc] ?? 0));
    }
  }
  return context;
}
