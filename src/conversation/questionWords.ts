/**
 * The words of a question as compromise tags them, for reading it against a conversation: which
 * words point back (pronouns), which name something (names and nouns), which say what happens
 * (verbs). compromise costs a fraction of a millisecond a question, as in src/retrieval/question.ts.
 */
import nlp from "compromise";
import { normalizeWord, STOPWORDS, termOf } from "../retrieval/textPipeline.js";

/** One word of a question, as written, with what the follow-up reading needs of it. */
export interface QuestionWord {
  /** As written, a possessive `'s` removed ("Putin's" -> "Putin"). */
  readonly text: string;
  /** Its index term (`termOf`), or null for stopwords and noise. */
  readonly term: string | null;
  /** A pronoun or demonstrative that stands for something said before ("it", "he", "that"). */
  readonly pointer: boolean;
  /** A name: tagged a proper noun, or capitalized inside the question. */
  readonly name: boolean;
  /** A noun (names included), not a pronoun. */
  readonly noun: boolean;
  /** A verb that is not an auxiliary ("start", "cost"; not "did", "would"). */
  readonly verb: boolean;
}

interface CompromiseTerm {
  readonly text: string;
  readonly normal?: string;
  readonly tags: Set<string>;
}

/**
 * Words that stand for a thing or person named before. First and second person ("I", "you",
 * "we") stand for the asker and newsdesk, never for the subject; "there" is mostly existential
 * ("Is there a date?").
 */
const POINTERS = new Set([
  "it",
  "its",
  "itself",
  "he",
  "him",
  "his",
  "himself",
  "she",
  "her",
  "hers",
  "herself",
  "they",
  "them",
  "their",
  "theirs",
  "themselves",
  "this",
  "these",
  "those",
]);

/**
 * Reads a question's words.
 * @param question - the asker's text
 */
export function questionWords(question: string): QuestionWord[] {
  const doc = nlp(question);
  doc.contractions().expand();
  const words = (doc.docs as CompromiseTerm[][]).flat();
  return words.map((t, i) => {
    const text = t.text.replace(/['’]s$/u, "");
    const normal = normalizeWord(t.normal ?? t.text);
    const next = words[i + 1];
    // "that" is a relative word as often as a pointer: it points back when it ends the question
    // ("Who delivered that?") or is followed by a noun ("that deal").
    const pointer = POINTERS.has(normal) || (normal === "that" && (!next || next.tags.has("Noun")));
    const capitalized = i > 0 && /^\p{Lu}/u.test(text);
    const name = !pointer && (t.tags.has("ProperNoun") || capitalized);
    // Punctuation compromise keeps as a word ("???") is no term.
    const term = STOPWORDS.has(normal) || !/[\p{L}\p{N}]/u.test(normal) ? null : termOf(normal);
    return {
      text,
      term,
      pointer,
      name: name && term !== null,
      noun: !pointer && term !== null && (name || t.tags.has("Noun")),
      verb:
        term !== null &&
        t.tags.has("Verb") &&
        !t.tags.has("Auxiliary") &&
        !t.tags.has("Modal") &&
        !t.tags.has("Copula"),
    };
  });
}
