/**
 * Does a new question ask what a pinned question asked? Pure (no SQLite, no file system), so the
 * matching is testable on its own and calibrated offline with `npm run eval:pins`.
 *
 * Both questions go through retrieval's text pipeline (`terms`: stopwords dropped, lemmas, Porter
 * stems), so case, punctuation, curly quotes, word order and inflection do not matter, and become
 * TF-IDF vectors compared by cosine. The question's form ("when", "why", "how many"...), which
 * the pipeline drops with the stopwords, is kept apart: two questions of different forms never
 * match.
 */
import { terms } from "../retrieval/textPipeline.js";

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

/** What kind of answer a question asks for, from its question words. */
export type QuestionForm =
  | "person"
  | "place"
  | "date"
  | "number"
  | "duration"
  | "reason"
  | "manner"
  | "thing";

/** Form terms start with this, which no word term can (words are letters and digits). */
const FORM_PREFIX = "?";
const isFormTerm = (term: string) => term.startsWith(FORM_PREFIX);

/** Question phrases, first match wins; in a two-word phrase the second word is part of the form. */
const FORMS: readonly (readonly [RegExp, QuestionForm])[] = [
  [/^(?:who|whom|whose)$/, "person"],
  [/^(?:what|which) (?:person|people|man|woman|president|leader|name)$/, "person"],
  [/^where$/, "place"],
  [/^(?:what|which) (?:place|location|city|country|state|region)$/, "place"],
  [/^when$/, "date"],
  [/^(?:what|which) (?:year|date|day|month|century|decade|time)s?$/, "date"],
  [/^why$/, "reason"],
  [/^how (?:many|much|old|far|big|large)$/, "number"],
  [/^(?:what|which) (?:percent|percentage|number|amount)$/, "number"],
  [/^how long$/, "duration"],
  [/^how$/, "manner"],
  [/^(?:what|which)$/, "thing"],
];

const QUESTION_WORD = /^(?:who|whom|whose|where|when|why|how|what|which)$/;

/** The form of a question and the words that say it ("what year"), from its first question word. */
function findForm(text: string): { form: QuestionForm; words: readonly string[] } | undefined {
  const words = text
    .toLowerCase()
    .split(/[^\p{L}\p{N}'’]+/u)
    .map((w) => w.replace(/['’]s$/, ""));
  const at = words.findIndex((w) => QUESTION_WORD.test(w));
  if (at < 0) return undefined;
  for (const phrase of [words.slice(at, at + 2), words.slice(at, at + 1)]) {
    const found = FORMS.find(([pattern]) => pattern.test(phrase.join(" ")));
    if (found) return { form: found[1], words: phrase };
  }
  return undefined;
}

/**
 * The form of a question: "In what year did Tesla die?" and "When did Tesla die?" ask for a
 * date, "What did Tesla write?" for a thing; undefined when it has no question word.
 */
export function questionForm(text: string): QuestionForm | undefined {
  return findForm(text)?.form;
}

/**
 * The terms of a question as the matcher sees them: its index terms, plus its form as a marker
 * term (`?date`) that {@link scoreCandidates} compares apart. The text pipeline drops question
 * words as stopwords, which is right for finding paragraphs but not here: "When did Tesla go to
 * Karlovac?" and "Why did Tesla go to Karlovac?" have the same index terms and ask different
 * things.
 */
export function questionTerms(text: string): string[] {
  const found = findForm(text);
  const out = terms(text);
  if (found === undefined) return out;
  // "In what year did Tesla die?" asks what "When did Tesla die?" asks: "year" is the form.
  const second = found.words[1];
  const formWord = second === undefined ? undefined : terms(second)[0];
  const at = formWord === undefined ? -1 : out.indexOf(formWord);
  if (at >= 0) out.splice(at, 1);
  out.push(`${FORM_PREFIX}${found.form}`);
  return out;
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
 * @param asked - the asked question's terms ({@link questionTerms})
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

/** A candidate question and how similar it is to the asked one. */
export interface QuestionMatch<T> {
  readonly candidate: T;
  /** Cosine similarity, 0..1. */
  readonly similarity: number;
}

/**
 * The candidate whose question is most similar to `question`, whatever the similarity (see
 * {@link matchPinnedQuestion} for the thresholded one); undefined when none shares a term with
 * it. Ties go to the earlier candidate.
 *
 * @param question - the new question, raw text
 * @param candidates - the pinned questions to compare with
 * @param questionOf - the raw text of a candidate's question
 */
export function mostSimilarQuestion<T>(
  question: string,
  candidates: readonly T[],
  questionOf: (candidate: T) => string,
): QuestionMatch<T> | undefined {
  return mostSimilarTerms(questionTerms(question), candidates, (c) => questionTerms(questionOf(c)));
}

/**
 * {@link mostSimilarQuestion} on terms already computed ({@link questionTerms}): a caller that
 * keeps its candidates' terms (the store does, per pin) skips the text pipeline for them.
 *
 * @param asked - the new question's terms
 * @param candidates - the pinned questions to compare with
 * @param termsOf - a candidate's terms
 */
export function mostSimilarTerms<T>(
  asked: readonly string[],
  candidates: readonly T[],
  termsOf: (candidate: T) => readonly string[],
): QuestionMatch<T> | undefined {
  const similarities = scoreCandidates(asked, candidates.map(termsOf));
  let best: QuestionMatch<T> | undefined;
  candidates.forEach((candidate, i) => {
    const similarity = similarities[i] ?? 0;
    if (similarity > 0 && (best === undefined || similarity > best.similarity)) {
      best = { candidate, similarity };
    }
  });
  return best;
}

/**
 * The pinned question that asks what `question` asks: the most similar one, if its similarity
 * reaches `threshold`.
 *
 * @param threshold - default {@link PIN_MATCH_THRESHOLD}
 */
export function matchPinnedQuestion<T>(
  question: string,
  candidates: readonly T[],
  questionOf: (candidate: T) => string,
  threshold: number = PIN_MATCH_THRESHOLD,
): QuestionMatch<T> | undefined {
  return matchPinnedTerms(
    questionTerms(question),
    candidates,
    (c) => questionTerms(questionOf(c)),
    threshold,
  );
}

/** {@link matchPinnedQuestion} on terms already computed (see {@link mostSimilarTerms}). */
export function matchPinnedTerms<T>(
  asked: readonly string[],
  candidates: readonly T[],
  termsOf: (candidate: T) => readonly string[],
  threshold: number = PIN_MATCH_THRESHOLD,
): QuestionMatch<T> | undefined {
  const best = mostSimilarTerms(asked, candidates, termsOf);
  return best && best.similarity >= threshold ? best : undefined;
}

/**
 * The key under which unanswered questions are counted together: the matcher's terms in order
 * ("How long will the ceasefire last?" and "how long would the CEASEFIRE last" share one), or,
 * for a question without a content word ("Who?"), its lower-cased words.
 */
export function questionKey(text: string): string {
  const keyTerms = questionTerms(text);
  if (keyTerms.some((term) => !isFormTerm(term))) return keyTerms.join(" ");
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).join(" ");
}
