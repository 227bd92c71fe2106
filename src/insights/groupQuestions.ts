/**
 * Groups a period's questions into topics with the similarity of pinned-question matching
 * (src/pins/questionMatch.ts): TF-IDF cosine over the questions' terms, questions of different
 * forms never together, {@link PIN_MATCH_THRESHOLD} to join. Pure; the caller may let the event
 * loop run between slices (`pause`).
 *
 * Leader clustering: phrasings (distinct question keys) are taken most asked first, and each
 * joins the most similar topic leader at or above the threshold, else leads a new topic. A
 * leader, not a topic's average, is compared with, so a topic cannot drift away from what its
 * most asked phrasing asks; an inverted index from term to topics limits the comparisons to
 * topics sharing a term.
 */
import {
  idfWeight,
  isFormTerm,
  PIN_MATCH_THRESHOLD,
  questionFrequencies,
  scoreCandidates,
} from "../pins/questionSimilarity.js";

/** One phrasing of a question: its key, how often it was asked, its terms and a text to show. */
export interface Phrasing {
  readonly key: string;
  readonly count: number;
  /**
   * `questionTerms` of the question (content terms and the form marker): a stored question key
   * split at its spaces. A key of a question without content words (its lower-cased words) is
   * compared as such words, so it can only join questions as empty of content as itself.
   */
  readonly terms: readonly string[];
  /** The question as last asked with this key. */
  readonly question: string;
}

/** Similar questions counted together. */
export interface Topic {
  /** The most asked phrasing's question. */
  readonly question: string;
  /** Questions asked in the topic, all phrasings together. */
  readonly count: number;
  /** How many different phrasings (question keys) it holds. */
  readonly phrasings: number;
}

/**
 * Phrasings beyond this many (the least asked) are not compared but each counted as its own
 * topic: each was asked no more often than the last compared one, and the comparisons grow with
 * the square of the phrasings.
 */
export const MAX_COMPARED_PHRASINGS = 5000;

/** Phrasings compared between two pauses. */
const SLICE = 250;

interface Building {
  readonly leader: Phrasing;
  count: number;
  phrasings: number;
}

/**
 * The topics of `phrasings`, most asked first (ties: the earlier leader first).
 * @param phrasings - each distinct question key once
 * @param pause - awaited between slices of comparisons (`nextTurn` in the bot)
 */
export async function groupQuestions(
  phrasings: readonly Phrasing[],
  pause: () => Promise<void> = async () => undefined,
): Promise<Topic[]> {
  const ordered = [...phrasings].sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1));
  const compared = ordered.slice(0, MAX_COMPARED_PHRASINGS);
  // The weights of pin matching, over this period's phrasings instead of a server's pins: a word
  // most questions share says least about which topic a question is on.
  const weight = idfWeight(questionFrequencies(compared.map((p) => p.terms)));
  const topics: Building[] = [];
  const byTerm = new Map<string, number[]>();
  for (let i = 0; i < compared.length; i++) {
    if (i > 0 && i % SLICE === 0) await pause();
    const phrasing = compared[i] as Phrasing;
    const content = phrasing.terms.filter((term) => !isFormTerm(term));
    const candidates = [...new Set(content.flatMap((term) => byTerm.get(term) ?? []))].sort(
      (a, b) => a - b,
    );
    const scores =
      candidates.length === 0
        ? []
        : scoreCandidates(
            phrasing.terms,
            candidates.map((t) => (topics[t] as Building).leader.terms),
            weight,
          );
    // The most similar leader at or above the threshold; ties to the older topic.
    let best = -1;
    let bestScore = -1;
    scores.forEach((score, c) => {
      if (score >= PIN_MATCH_THRESHOLD && score > bestScore) {
        best = candidates[c] as number;
        bestScore = score;
      }
    });
    const joined = best >= 0 ? topics[best] : undefined;
    if (joined) {
      joined.count += phrasing.count;
      joined.phrasings += 1;
      continue;
    }
    const at = topics.push({ leader: phrasing, count: phrasing.count, phrasings: 1 }) - 1;
    for (const term of new Set(content)) {
      const list = byTerm.get(term);
      if (list) list.push(at);
      else byTerm.set(term, [at]);
    }
  }
  for (const phrasing of ordered.slice(MAX_COMPARED_PHRASINGS)) {
    topics.push({ leader: phrasing, count: phrasing.count, phrasings: 1 });
  }
  return topics
    .map((topic, order) => ({ topic, order }))
    .sort((a, b) => b.topic.count - a.topic.count || a.order - b.order)
    .map(({ topic }) => ({
      question: topic.leader.question,
      count: topic.count,
      phrasings: topic.phrasings,
    }));
}
