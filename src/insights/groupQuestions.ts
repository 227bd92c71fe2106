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
  cosineSimilarity,
  idfWeight,
  isFormTerm,
  PIN_MATCH_THRESHOLD,
  type QuestionVector,
  questionFrequencies,
  questionVector,
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

/**
 * How long the comparisons run before pausing: the grouping of thousands of phrasings takes
 * seconds, and other members' questions must not wait that long.
 */
const SLICE_MS = 15;

interface Building {
  readonly leader: Phrasing;
  /** The leader's content terms as a TF-IDF vector, made once. */
  readonly vector: QuestionVector;
  /** The leader's form marker, if any. */
  readonly form: string | undefined;
  count: number;
  phrasings: number;
}

const building = (
  leader: Phrasing,
  vector: QuestionVector,
  form: string | undefined,
): Building => ({ leader, vector, form, count: leader.count, phrasings: 1 });

/**
 * The topics of `phrasings`, most asked first (ties: the earlier leader first).
 * @param phrasings - each distinct question key once
 * @param pause - awaited between slices of comparisons (`nextTurn` in the bot)
 * @param sliceMs - how long a slice runs before `pause` (a negative one pauses after each)
 */
export async function groupQuestions(
  phrasings: readonly Phrasing[],
  pause: () => Promise<void> = async () => undefined,
  sliceMs = SLICE_MS,
): Promise<Topic[]> {
  const ordered = [...phrasings].sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1));
  const compared = ordered.slice(0, MAX_COMPARED_PHRASINGS);
  // The weights of pin matching, over this period's phrasings instead of a server's pins: a word
  // most questions share says least about which topic a question is on.
  const weight = idfWeight(questionFrequencies(compared.map((p) => p.terms)));
  const topics: Building[] = [];
  const byTerm = new Map<string, number[]>();
  let sliceStart = performance.now();
  for (const phrasing of compared) {
    if (performance.now() - sliceStart > sliceMs) {
      await pause();
      sliceStart = performance.now();
    }
    const content = phrasing.terms.filter((term) => !isFormTerm(term));
    const form = phrasing.terms.find(isFormTerm);
    const vector = questionVector(content, weight);
    // scoreCandidates' rule on vectors made once: a question without a content word matches
    // none, questions of two known different forms never match, else the cosine.
    let best: Building | undefined;
    let bestScore = -1;
    if (content.length > 0) {
      const candidates = new Set<number>();
      for (const term of content) for (const t of byTerm.get(term) ?? []) candidates.add(t);
      // In topic order, so that a tie goes to the older topic.
      for (const t of [...candidates].sort((x, y) => x - y)) {
        const topic = topics[t] as Building;
        if (form !== undefined && topic.form !== undefined && form !== topic.form) continue;
        const score = cosineSimilarity(vector, topic.vector);
        if (score >= PIN_MATCH_THRESHOLD && score > bestScore) {
          best = topic;
          bestScore = score;
        }
      }
    }
    if (best) {
      best.count += phrasing.count;
      best.phrasings += 1;
      continue;
    }
    const at = topics.push(building(phrasing, vector, form)) - 1;
    for (const term of new Set(content)) {
      const list = byTerm.get(term);
      if (list) list.push(at);
      else byTerm.set(term, [at]);
    }
  }
  for (const phrasing of ordered.slice(MAX_COMPARED_PHRASINGS)) {
    topics.push(building(phrasing, { weights: new Map(), norm: 0 }, undefined));
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
