/**
 * Question analysis with compromise: the query terms (with the roots compromise finds for
 * inflected verbs and plurals) and the kind of answer the question word asks for.
 * compromise costs a fraction of a millisecond a sentence, so it runs on questions only.
 */
import nlp from "compromise";
import { MAX_QUESTION_CHARS } from "../constants.js";
import { normalizeWord, STOPWORDS, stem, termOf } from "./textPipeline.js";
import { NO_THESAURUS, type RelatedWord, relationsOf, type Thesaurus } from "./thesaurus.js";

/** What the question asks for, from its question word: "how long" asks for a duration. */
export type AnswerKind = "person" | "place" | "date" | "number" | "duration" | "none";

/** One content word of the question: the terms it may appear as in a paragraph. */
export interface QueryTerm {
  /** The word as the user wrote it (normalized), for display. */
  readonly word: string;
  /** Distinct index terms: the word's own term first, then its compromise root's. */
  readonly forms: readonly string[];
  /** Terms of related words (synonyms, derived forms) from the thesaurus; they count less. */
  readonly related: readonly string[];
  /**
   * Parallel to `related`: how each related term was reached (its relation and sense share),
   * for `ExpansionParams` to weigh it; absent means a synonym of the most common sense.
   */
  readonly relatedBy?: readonly Pick<RelatedWord, "relation" | "sense">[];
  /** compromise tagged the word as a verb. */
  readonly verb: boolean;
}

export interface AnalyzedQuestion {
  readonly text: string;
  readonly terms: readonly QueryTerm[];
  readonly kind: AnswerKind;
  /**
   * The question asks for the newest news ("What is the latest on the strike?", "today", "this
   * week", "now"). "latest" and "newest" say when, not what, and are not query terms.
   */
  readonly recent: boolean;
}

interface CompromiseTerm {
  readonly text: string;
  readonly normal?: string;
  readonly machine?: string;
  readonly root?: string;
  readonly tags: Set<string>;
}

export { MAX_QUESTION_CHARS };

/**
 * Analyzes a question.
 * @param question - raw user text (curly quotes, contractions and possessives are fine)
 * @param thesaurus - where related words come from (none by default)
 */
export function analyzeQuestion(
  question: string,
  thesaurus: Thesaurus = NO_THESAURUS,
): AnalyzedQuestion {
  // Cut at a word boundary, so the last word is not a fragment of a longer one.
  const text =
    question.length <= MAX_QUESTION_CHARS
      ? question
      : question.slice(0, MAX_QUESTION_CHARS).replace(/[\p{L}\p{N}]+$/u, "");
  const doc = nlp(text);
  doc.contractions().expand();
  doc.compute("root");
  const words = (doc.docs as CompromiseTerm[][]).flat();

  const kind = answerKind(words);
  const seen = new Set<string>();
  const queryTerms: QueryTerm[] = [];
  let recent = false;
  for (const [i, t] of words.entries()) {
    const normal = normalizeWord(t.normal ?? t.text);
    const previous = i > 0 ? normalizeWord(words[i - 1]?.normal ?? "") : "";
    if (RECENCY_WORDS.test(normal) || (previous === "this" && RECENT_PERIODS.test(normal))) {
      recent = true;
      // "latest" and "newest" only say when; "today", "now" and "recent" may also be what the
      // paragraph says, and dropping them measured worse (SQuAD R@1 0.819 -> 0.818, readers 98 -> 97).
      if (LATEST.test(normal)) continue;
    }
    // Words that only restate the asked-for kind ("how LONG would it LAST", "what YEAR") are the
    // question's form, like "how" itself: the kind is matched as a kind, not as these words.
    if (kind !== "none" && KIND_WORDS[kind].test(normalizeWord(t.normal ?? t.text))) continue;
    // compromise keeps inner punctuation in `normal` ("30-day"); split it like the index does.
    // compromise lower-cases "US" to the pronoun "us"; the index reads the country (as written).
    const pieces =
      normalizeWord(t.text) === "usa"
        ? ["usa"]
        : (t.machine ?? t.normal ?? t.text).split(/[^\p{L}\p{N}'’]+/u);
    for (const piece of pieces) {
      const word = normalizeWord(piece);
      if (!word || STOPWORDS.has(word)) continue;
      const forms = new Set<string>();
      const own = termOf(word);
      if (own) forms.add(own);
      if (t.root && t.root !== word && !t.root.includes(" ")) forms.add(stem(t.root));
      const key = [...forms].join(" ");
      if (forms.size === 0 || seen.has(key)) continue;
      seen.add(key);
      const lemma = t.root && !t.root.includes(" ") ? t.root : word;
      // Related words of the root and of the word as written: WordNet files "talks"
      // (negotiations) apart from "talk" (speak). A term reached twice keeps its most common
      // sense's link.
      const related = new Map<string, Pick<RelatedWord, "relation" | "sense">>();
      const links = [...relationsOf(thesaurus, lemma)];
      if (word !== lemma) links.push(...relationsOf(thesaurus, word));
      for (const { word: w, relation, sense } of links) {
        const joined = compoundWord(w);
        if (joined === null) continue;
        const term = termOf(normalizeWord(joined));
        if (!term || forms.has(term)) continue;
        const known = related.get(term);
        if (!known || sense > known.sense) related.set(term, { relation, sense });
      }
      queryTerms.push({
        word,
        forms: [...forms],
        related: [...related.keys()],
        relatedBy: [...related.values()],
        verb: t.tags.has("Verb"),
      });
    }
  }
  return { text, terms: queryTerms, kind, recent };
}

/**
 * A related lemma as one index word: itself when it is one word, "cease-fire" -> "ceasefire" (as
 * news writes it) when it is a hyphenated compound, else null: the parts of "let go" alone would
 * match too loosely.
 */
function compoundWord(lemma: string): string | null {
  if (/^[\p{L}\p{N}]+$/u.test(lemma)) return lemma;
  return /^[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+){1,2}$/u.test(lemma) ? lemma.replace(/-/g, "") : null;
}

/** Words with which a question asks for the newest news, not for a topic. */
const RECENCY_WORDS = /^(?:latest|newest|recent|recently|today|tonight|now)$/;
/** Recency words that are never a topic. */
const LATEST = /^(?:latest|newest)$/;
/** After "this": "this week" asks for the newest news too. */
const RECENT_PERIODS = /^(?:week|month|morning|afternoon|evening)$/;

const KIND_WORDS: Record<Exclude<AnswerKind, "none">, RegExp> = {
  person: /^(person|people|name)$/,
  place: /^(place|location|city|country|region)$/,
  date: /^(year|date|day|month|century|decade|time)$/,
  number: /^(many|much|number|amount)$/,
  duration: /^(long|last|lasted|lasting|take|takes|took|taken)$/,
};

const NUMBER_NOUNS = /^(percent|percentage|number|amount|population|size|price|cost|age)$/;

function answerKind(words: readonly CompromiseTerm[]): AnswerKind {
  const normals = words.map((w) => normalizeWord(w.normal ?? w.text));
  for (let i = 0; i < normals.length; i++) {
    const w = normals[i];
    const next = normals[i + 1] ?? "";
    const nextTags = words[i + 1]?.tags ?? new Set<string>();
    if (w === "how") {
      if (next === "many" || next === "much") return "number";
      if (next === "long") return "duration";
      if (next === "old" || next === "far" || next === "big" || next === "large") return "number";
      continue;
    }
    if (w === "who" || w === "whom" || w === "whose") return "person";
    if (w === "where") return "place";
    if (w === "when") return "date";
    if (w === "what" || w === "which") {
      if (
        nextTags.has("Date") ||
        nextTags.has("Month") ||
        /^(year|date|day|month|century|decade|time)s?$/.test(next)
      )
        return "date";
      if (NUMBER_NOUNS.test(next)) return "number";
      if (nextTags.has("Place") || /^(city|country|state|region|place|location)$/.test(next))
        return "place";
      if (
        nextTags.has("Person") ||
        /^(person|man|woman|president|leader|spokesman|name)$/.test(next)
      )
        return "person";
    }
  }
  return "none";
}
