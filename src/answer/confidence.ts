/**
 * How sure an answer is: "high" (cite it as the answer), "low" (plausible, shown under "This may
 * answer it:") or "none" (refuse: nothing in the library is close).
 *
 * Refusing an answerable question is the worst reply newsdesk has: the reader concludes the
 * article does not say it. Readers paraphrase ("truce" where the article says "ceasefire"), so a
 * refusal must rest on more than a missing word. The judgement weighs what each of the first
 * hits matched of the question (its `HitEvidence`, computed by `searchParagraphs`):
 *
 * - **share**: the share of the question's weight that the paragraph matches, where a word
 *   weighs its IDF, except that
 *   - a name (a word capitalized inside the question) weighs `nameWeight` times more: questions
 *     about news name who and what they ask about, and off-topic questions name things the
 *     library never mentions;
 *   - a name the library never uses weighs `unseenNameWeight` times its (largest) IDF: "Theranos"
 *     in a library without it is strong evidence of an off-topic question;
 *   - a common word the library never uses weighs at most `unseenWordIdf` (instead of the
 *     largest IDF there is): a paraphrase ("outlays", "partway") must not sink an otherwise
 *     strong match; in a small library, at most `smallUnseenWordIdf`;
 *   - a verb weighs `verbWeight` (questions paraphrase their verbs most);
 *   - the asked-for answer kind counts as one more term of its IDF times `kindWeight`;
 *   - a word the paragraph lacks but its article has (title included) counts `articleCredit`:
 *     the paragraph that says "he told Congress" is in Greenspan's article;
 *   - a related word (thesaurus, shared prefix) counts `relatedCredit` of the word.
 * - **evidence**: the matched IDF mass (the asked-for kind included) in units of the IDF of a
 *   word found in one paragraph (so "2" is about two rare words): a high share of a two-word
 *   question ("How do I tie a bowline knot?") is little evidence.
 * - **margin**: how far the first hit's score stands above the second's, relative to the first.
 *   A clear winner is right far more often (on SQuAD, 93 % of the answers with a margin of 0.1
 *   against 84 % of all answers).
 *
 * "none" when no hit among the first `depth` has a share of `minShare` and evidence of
 * `minEvidence`; otherwise every hit of the ranking that does is cited, best first. "high" when
 * the first hit is one of them, its share reaches `highShare` and its margin `highMargin`;
 * "low" otherwise.
 * The thresholds are calibrated by `npm run eval:confidence -- ../shared/datasets --calibrate`
 * on the tune half of the reader questions and on SQuAD (README, "Answer confidence").
 */

import { COUNTRY_WORDS } from "../retrieval/answerKinds.js";
import type { AnalyzedQuestion } from "../retrieval/question.js";
import { idf, type ParagraphHit } from "../retrieval/search.js";
import { normalizeWord } from "../retrieval/textPipeline.js";

export type Confidence = "high" | "low" | "none";

export interface AnswerJudgement {
  readonly confidence: Confidence;
  /** The hits to cite, best first (empty when "none"); the caller caps them to `top`. */
  readonly cited: readonly ParagraphHit[];
}

export interface ConfidenceParams {
  /** How many times its IDF a name (a word capitalized inside the question) weighs. */
  readonly nameWeight: number;
  /** How many times its IDF a name the library never uses weighs. */
  readonly unseenNameWeight: number;
  /** The most a common word the library never uses weighs (an IDF value, not a factor). */
  readonly unseenWordIdf: number;
  /**
   * The same in a small library (fewer than `evidenceFrom` paragraphs), where every word the
   * question paraphrases is unseen and a word the library uses has a tiny IDF: the seed article's
   * 8 paragraphs name "ceasefire" in 4 (IDF 0.7), so "truce", "meant" and "hold" at IDF 2.9 would
   * sink "How long is the truce meant to hold?".
   */
  readonly smallUnseenWordIdf: number;
  /** Weight of a verb relative to its IDF. */
  readonly verbWeight: number;
  /** Weight of the asked-for answer kind relative to its IDF. */
  readonly kindWeight: number;
  /** Credit for a word the paragraph lacks but its article (or title) has, 0..1. */
  readonly articleCredit: number;
  /** Credit for a word matched only by a related word (thesaurus, shared prefix), 0..1. */
  readonly relatedCredit: number;
  /** Below this share the answer is "none". */
  readonly minShare: number;
  /** Below this evidence (matched IDF in one-paragraph-word units) the answer is "none". */
  readonly minEvidence: number;
  /**
   * The least paragraphs a library needs to count as large: `minEvidence` and `unseenWordIdf`
   * apply from there. In a library of a few articles IDF cannot tell a rare word from a common
   * one (the seed article's 8 paragraphs name "ceasefire" in 4): the question's share decides
   * alone there, with `smallUnseenWordIdf`.
   */
  readonly evidenceFrom: number;
  /** From this share, with `highMargin`, the answer is "high". */
  readonly highShare: number;
  /** From this relative score margin over the second hit, with `highShare`, "high". */
  readonly highMargin: number;
  /**
   * How many of the first hits may answer: the answer is "none" when none of them passes the
   * thresholds; otherwise the passing ones are cited, best first.
   */
  readonly depth: number;
}

/**
 * Calibrated on 2026-11-30, after article evidence and the WordNet relations, by `npm run
 * eval:confidence -- ../shared/datasets --calibrate`: the weights, `depth` and
 * `minShare`/`minEvidence` refuse the fewest answerable questions of the tune half while refusing
 * at least 90 % of its off-topic ones and keeping SQuAD's Recall@1 (refusals counted as misses)
 * at 0.805 or more; `highShare`/`highMargin` maximize right minus twice wrong "high" answers on
 * the tune half. Figures in the README.
 */
export const DEFAULT_CONFIDENCE_PARAMS: ConfidenceParams = {
  nameWeight: 2,
  unseenNameWeight: 2,
  unseenWordIdf: 3,
  smallUnseenWordIdf: 1,
  verbWeight: 0.5,
  kindWeight: 1,
  articleCredit: 0.7,
  relatedCredit: 0.15,
  minShare: 0.54,
  minEvidence: 0.75,
  evidenceFrom: 200,
  highShare: 0.69,
  highMargin: 0.14,
  depth: 2,
};

/** What one hit offers as an answer, before any threshold. */
export interface HitSupport {
  /** Weighted share of the question the hit matches, 0..1. */
  readonly share: number;
  /** Matched IDF mass in units of the IDF of a word found in one paragraph. */
  readonly evidence: number;
}

/**
 * The words of a question written with a capital inside a sentence (not its first word): names,
 * as the user wrote them ("Greenspan", "MSN"), normalized like query words; and country names
 * however written ("who is the president of france": Discord questions are often lower-case).
 */
export function namesIn(text: string): ReadonlySet<string> {
  const out = new Set<string>();
  const pieces = text.split(/([^\p{L}\p{N}'’]+)/u);
  let sentenceStart = true;
  for (let i = 0; i < pieces.length; i += 2) {
    const word = pieces[i] ?? "";
    if (!word) continue;
    const normal = normalizeWord(word);
    if ((!sentenceStart && /^\p{Lu}/u.test(word)) || COUNTRY_WORDS.has(normal)) out.add(normal);
    sentenceStart = /[.?!]/.test(pieces[i + 1] ?? "");
  }
  return out;
}

/** The share and evidence of one hit (see the module comment). */
export function hitSupport(
  hit: ParagraphHit,
  question: AnalyzedQuestion,
  params: Partial<ConfidenceParams> = {},
  names: ReadonlySet<string> = namesIn(question.text),
): HitSupport {
  const p = { ...DEFAULT_CONFIDENCE_PARAMS, ...params };
  const e = hit.evidence;
  const n = e.paragraphs;
  const credit = (m: number) => (m >= 1 ? 1 : m > 0 ? p.relatedCredit : 0);
  const unseenWordIdf = n >= p.evidenceFrom ? p.unseenWordIdf : p.smallUnseenWordIdf;
  let total = 0;
  let matched = 0;
  let mass = 0;
  question.terms.forEach((term, i) => {
    const df = e.df[i] ?? 0;
    const termIdf = idf(n, df);
    const name = names.has(term.word) || term.forms.some((f) => names.has(f));
    const verb = term.verb ? p.verbWeight : 1;
    let weight: number;
    if (df === 0) weight = name ? termIdf * p.unseenNameWeight : Math.min(termIdf, unseenWordIdf);
    else weight = name ? termIdf * p.nameWeight : termIdf;
    weight *= verb;
    const c = Math.max(credit(e.matched[i] ?? 0), p.articleCredit * credit(e.inArticle[i] ?? 0));
    total += weight;
    matched += weight * c;
    mass += termIdf * verb * c;
  });
  if (question.kind !== "none" && e.kindDf > 0) {
    const weight = idf(n, e.kindDf) * p.kindWeight;
    total += weight;
    // The asked-for kind is evidence too: in a small library "ceasefire" is in half the
    // paragraphs, and the one naming a duration is what answers "How long would it last?".
    if (e.kindMatched) {
      matched += weight;
      mass += weight;
    }
  }
  return { share: total > 0 ? matched / total : 0, evidence: n > 0 ? mass / idf(n, 1) : 0 };
}

/** The first hit's score margin over the second, relative to the first; 1 with one hit. */
export function scoreMargin(hits: readonly ParagraphHit[]): number {
  const [first, second] = hits;
  if (!first || first.score <= 0) return 0;
  return second ? (first.score - second.score) / first.score : 1;
}

/**
 * Judges the answer a ranking gives.
 * @param hits - the full ranking, best first (at least the top 10, whatever `top` the user asked)
 * @param question - the analyzed question the ranking answers
 * @param params - overrides of `DEFAULT_CONFIDENCE_PARAMS`
 */
export function judgeAnswer(
  hits: readonly ParagraphHit[],
  question: AnalyzedQuestion,
  params: Partial<ConfidenceParams> = {},
): AnswerJudgement {
  const p = { ...DEFAULT_CONFIDENCE_PARAMS, ...params };
  const names = namesIn(question.text);
  const minEvidence = (hits[0]?.evidence.paragraphs ?? 0) >= p.evidenceFrom ? p.minEvidence : 0;
  const close = (s: HitSupport) => s.share >= p.minShare && s.evidence >= minEvidence;
  const supports = hits.map((hit) => ({ hit, support: hitSupport(hit, question, p, names) }));
  // Whether to answer rests on the first `depth` hits; once answered, every close hit of the
  // ranking is a source the reader may page through ("More sources").
  if (!supports.slice(0, Math.max(1, p.depth)).some((s) => close(s.support))) {
    return { confidence: "none", cited: [] };
  }
  const cited = supports.filter((s) => close(s.support));
  const best = cited[0];
  if (!best) return { confidence: "none", cited: [] };
  // High only for the ranking's own first hit, clearly ahead of the second.
  const high =
    best.hit === hits[0] && best.support.share >= p.highShare && scoreMargin(hits) >= p.highMargin;
  return { confidence: high ? "high" : "low", cited: cited.map((s) => s.hit) };
}
