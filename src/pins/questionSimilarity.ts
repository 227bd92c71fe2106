/**
 * The similarity of pinned-question matching on terms already computed: TF-IDF weights, cosine,
 * and the question form as a gate. Pure and free of the text pipeline (questionMatch.ts turns
 * text into terms), so a reader of stored question keys (`/insights`) compares questions as pins
 * are matched without loading the language models.
 */

/** Form terms (`?date`) start with this, which no word term can (words are letters and digits). */
export const FORM_PREFIX = "?";

/** Whether a term is a question's form marker rather than a word of it. */
export const isFormTerm = (term: string) => term.startsWith(FORM_PREFIX);

/**
 * The least cosine similarity at which a pinned question counts as asking the same thing as a
 * new one. Calibrated on SQuAD v1.1 dev by `npm run eval:pins` (src/eval/pinMatch.ts; table in
 * the README): the threshold with the best F0.5 averaged over two guild shapes, one that pinned a
 * whole article's questions and one of about 20 pins. There, at 0.6, about half of the pinned
 * answers shown are right (0.47 and 0.59) on deliberately hard data, where most other pins are
 * questions on the same paragraph; under 1% of same-paragraph questions with other answers reach
 * it, and no off-topic question does. F0.5, not F1: a wrong pinned answer shown first misleads,
 * a missed one only leaves the usual retrieved excerpts.
 */
export const PIN_MATCH_THRESHOLD = 0.6;

/** How much one term says about what a question asks. */
export type TermWeight = (term: string) => number;

/** Document frequencies of a collection of questions, for {@link idfWeight}. */
export interface DocumentFrequencies {
  readonly documentCount: number;
  documentFrequency(term: string): number;
}

/**
 * Smoothed inverse document frequency, ln((N + 1) / (df + 1)) + 1: the `smooth_idf` variant of
 * scikit-learn's TfidfTransformer, as if one more document held every term. It stays positive,
 * so a term every pinned question shares still counts, and with one or two pins every term
 * weighs about the same (plain term overlap).
 *
 * The collection is the guild's own pinned questions, not a fixed background such as the
 * articles' paragraphs: the pins are what a new question is told apart from, so a word most pins
 * share ("ceasefire" in a server about a ceasefire) is the one that says least about which pin
 * is meant. It also measured best (`npm run eval:pins`, F0.5 at each weighting's best threshold,
 * article guild / small guild): 0.357 / 0.402 with the pins' IDF, 0.350 / 0.378 with the
 * paragraphs' IDF, 0.350 / 0.383 without IDF.
 */
export function idfWeight(stats: DocumentFrequencies): TermWeight {
  return (term) => Math.log((stats.documentCount + 1) / (stats.documentFrequency(term) + 1)) + 1;
}

/** The document frequencies of a set of questions, each given as its terms. */
export function questionFrequencies(
  questions: readonly (readonly string[])[],
): DocumentFrequencies {
  const df = new Map<string, number>();
  for (const question of questions) {
    for (const term of new Set(question)) df.set(term, (df.get(term) ?? 0) + 1);
  }
  return { documentCount: questions.length, documentFrequency: (term) => df.get(term) ?? 0 };
}

/** A question as a sparse TF-IDF vector with its Euclidean norm. */
export interface QuestionVector {
  readonly weights: ReadonlyMap<string, number>;
  readonly norm: number;
}

/** The TF-IDF vector of a question's terms: raw term counts times `weight`. */
export function questionVector(termList: readonly string[], weight: TermWeight): QuestionVector {
  const counts = new Map<string, number>();
  for (const term of termList) counts.set(term, (counts.get(term) ?? 0) + 1);
  const weights = new Map<string, number>();
  let squares = 0;
  for (const [term, count] of counts) {
    const w = count * weight(term);
    weights.set(term, w);
    squares += w * w;
  }
  return { weights, norm: Math.sqrt(squares) };
}

/** Cosine similarity of two question vectors, 0..1; 0 when either has no terms. */
export function cosineSimilarity(a: QuestionVector, b: QuestionVector): number {
  if (a.norm === 0 || b.norm === 0) return 0;
  const [small, large] = a.weights.size <= b.weights.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [term, w] of small.weights) dot += w * (large.weights.get(term) ?? 0);
  return dot / (a.norm * b.norm);
}

/**
 * The cosine similarity of the asked question to each candidate, in the candidates' order, over
 * their content terms. The form is a gate, not a term: two questions of different known forms
 * score 0, however many words they share ("When was Tesla brought to Gospić?", "Why was Tesla
 * brought to Gospić?"). Counting a shared form as a shared term measured worse (`npm run
 * eval:pins`: best average F0.5 0.377 against 0.380), since it lifts vague questions ("What did
 * they say?") towards every pin of the same form. A question with no content word ("How long?")
 * scores 0 against all: it names no topic.
 *
 * @param asked - the asked question's terms (`questionTerms` of questionMatch.ts)
 * @param candidates - each candidate question's terms
 * @param weight - term weights; default: {@link idfWeight} over the candidates
 */
export function scoreCandidates(
  asked: readonly string[],
  candidates: readonly (readonly string[])[],
  weight: TermWeight = idfWeight(questionFrequencies(candidates)),
): number[] {
  if (!asked.some((term) => !isFormTerm(term))) return candidates.map(() => 0);
  const content = (termList: readonly string[]) => termList.filter((t) => !isFormTerm(t));
  const askedVector = questionVector(content(asked), weight);
  const askedForm = asked.find(isFormTerm);
  return candidates.map((candidate) => {
    const form = candidate.find(isFormTerm);
    if (askedForm !== undefined && form !== undefined && form !== askedForm) return 0;
    return cosineSimilarity(askedVector, questionVector(content(candidate), weight));
  });
}
