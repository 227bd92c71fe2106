/**
 * Whether to answer, and how sure to sound: a judgement on the whole ranking, made before the
 * citations are capped to what the user asked to see (`--top 1` must not turn an answer into a
 * refusal). "high": an answer as usual; "low": plausible but uncertain, shown under "This may
 * answer it:"; "none": nothing is close, the articles do not answer.
 */
import type { AnalyzedQuestion } from "../retrieval/question.js";
import type { ParagraphHit } from "../retrieval/search.js";

export type Confidence = "high" | "low" | "none";

/** What {@link judgeAnswer} decided. */
export interface AnswerJudgement {
  readonly confidence: Confidence;
  /** The hits to cite, best first (empty when "none"); the caller caps them to `top`. */
  readonly cited: readonly ParagraphHit[];
}

/** The thresholds of {@link judgeAnswer}. */
export interface ConfidenceParams {
  /**
   * The least `relevance` (share of the question's IDF mass a paragraph matches) for a paragraph
   * to be cited. Calibrated on SQuAD v1.1 dev by `npm run eval:abstain` (README).
   */
  readonly minRelevance: number;
  /**
   * The least relevance of the best cited paragraph for a confident ("high") answer; between
   * `minRelevance` and this, the answer is "low". Equal to `minRelevance` until calibrated on
   * reader questions: every answer is then "high", as before confidence levels.
   */
  readonly confidentRelevance: number;
}

export const DEFAULT_CONFIDENCE_PARAMS = {
  minRelevance: 0.55,
  confidentRelevance: 0.55,
} as const satisfies Required<ConfidenceParams>;

/**
 * Judges the ranking of a question: every hit relevant enough is cited; the answer is "high"
 * when the best of them reaches `confidentRelevance`, "low" when it does not, "none" when
 * nothing is cited.
 * @param hits - the full ranking, best first (at least the top 10, whatever `top` was asked)
 * @param _question - the analyzed question (unused by this rule)
 */
export function judgeAnswer(
  hits: readonly ParagraphHit[],
  _question: AnalyzedQuestion,
  params: Partial<ConfidenceParams> = {},
): AnswerJudgement {
  const { minRelevance, confidentRelevance } = { ...DEFAULT_CONFIDENCE_PARAMS, ...params };
  const cited = hits.filter((hit) => hit.relevance >= minRelevance);
  const best = cited[0];
  if (best === undefined) return { confidence: "none", cited };
  return { confidence: best.relevance >= confidentRelevance ? "high" : "low", cited };
}
