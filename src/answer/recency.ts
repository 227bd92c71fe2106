/**
 * Dates in the ranking: when two paragraphs answer about equally, the newer article's comes
 * first; a question that asks for the newest news ("latest", "today", "this week", "now")
 * prefers recent articles more strongly. Articles without a date keep their score, and a
 * library without dates (the SQuAD and BBC evaluations) ranks exactly as before.
 *
 * Freshness is measured against the newest dated article among the hits, not the clock, so the
 * same library and question always rank the same: 1 for the newest, halving every `halfLifeDays`
 * (a week: news a week older than the newest is half as fresh).
 * A hit's score becomes `score x (1 + weight x freshness)`.
 */
import type { ParagraphHit } from "../retrieval/search.js";

export interface RecencyParams {
  /** The weight for any question: a newer article wins ties within about this share of score. */
  readonly tieWeight: number;
  /** The weight for a question asking for the newest news. */
  readonly recentWeight: number;
  /** Days after which an article counts half as fresh as the newest. */
  readonly halfLifeDays: number;
}

export const DEFAULT_RECENCY_PARAMS = {
  tieWeight: 0.03,
  recentWeight: 0.2,
  halfLifeDays: 7,
} as const satisfies Required<RecencyParams>;

const DAY_MS = 86_400_000;

/**
 * The hits re-scored by freshness and sorted again (stable: equal scores keep their order).
 * @param hits - the ranking, best first
 * @param publishedOf - the published text of a hit's article (undefined: no date)
 * @param recent - whether the question asks for the newest news (`AnalyzedQuestion.recent`)
 */
export function preferRecent(
  hits: readonly ParagraphHit[],
  publishedOf: (hit: ParagraphHit) => string | undefined,
  recent: boolean,
  params: Partial<RecencyParams> = {},
): ParagraphHit[] {
  const p = { ...DEFAULT_RECENCY_PARAMS, ...params };
  const times = hits.map((hit) => {
    const time = Date.parse(publishedOf(hit) ?? "");
    return Number.isNaN(time) ? undefined : time;
  });
  const dated = times.filter((t): t is number => t !== undefined);
  if (dated.length === 0) return [...hits];
  const newest = Math.max(...dated);
  const weight = recent ? p.recentWeight : p.tieWeight;
  return hits
    .map((hit, i) => {
      const time = times[i];
      if (time === undefined) return hit;
      const freshness = 0.5 ** ((newest - time) / (p.halfLifeDays * DAY_MS));
      return { ...hit, score: hit.score * (1 + weight * freshness) };
    })
    .map((hit, i) => ({ hit, i }))
    .sort((x, y) => y.hit.score - x.hit.score || x.i - y.i)
    .map(({ hit }) => hit);
}
