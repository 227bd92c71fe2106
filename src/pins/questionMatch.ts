/**
 * Does a new question ask what a pinned question asked? Pure (no SQLite, no file system), so the
 * matching is testable on its own and calibrated offline with `npm run eval:pins`.
 *
 * Both questions go through retrieval's text pipeline (`terms`: stopwords dropped, lemmas, Porter
 * stems), so case, punctuation, curly quotes, word order and inflection do not matter, and become
 * TF-IDF vectors compared by cosine. The question's form ("when", "why", "how many"...), which
 * the pipeline drops with the stopwords, is kept apart: two questions of different forms never
 * match. The similarity on terms (weights, cosine, the form gate) is in questionSimilarity.ts.
 */
import { terms } from "../retrieval/textPipeline.js";
import {
  FORM_PREFIX,
  isFormTerm,
  PIN_MATCH_THRESHOLD,
  scoreCandidates,
} from "./questionSimilarity.js";

export {
  cosineSimilarity,
  type DocumentFrequencies,
  idfWeight,
  PIN_MATCH_THRESHOLD,
  type QuestionVector,
  questionFrequencies,
  questionVector,
  scoreCandidates,
  type TermWeight,
} from "./questionSimilarity.js";

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
