/**
 * The text pipeline shared by indexing, querying, excerpts and (later) summaries:
 * text -> word tokens -> index terms.
 *
 * Paragraphs go through the cheap path only (tokenizer, stopwords, a lemma table, Porter stems),
 * so indexing a large corpus stays fast. Questions additionally go through compromise in
 * `analyzeQuestion` (question.ts). Both sides meet in `termOf`, so a word reaches the same term
 * whichever side it comes from.
 */
import { createRequire } from "node:module";
import nlp from "compromise";
import { GROUPED_NUMBER, numberWord, setFolding, ungroup } from "./numbers.js";

// natural is imported module by module: its package root loads mongoose, pg and redis.
const require = createRequire(import.meta.url);
const PorterStemmer = require("natural/lib/natural/stemmers/porter_stemmer.js") as {
  stem(word: string): string;
};
const { words: naturalStopwords } = require("natural/lib/natural/util/stopwords.js") as {
  words: string[];
};

/** A token of the original text with its character span, for excerpts and highlighting. */
export interface Token {
  /** Lower-cased word with curly apostrophes folded and a possessive `'s` removed. */
  readonly word: string;
  /** Index term (`termOf(word)`), or null for stopwords and one-character noise. */
  readonly term: string | null;
  readonly start: number;
  readonly end: number;
}

// Letters and digits of any script, with apostrophes inside a word ("Trump’s", "don't").
// Dotted acronyms ("U.S.", "U.N.") are one word.
// Numbers with thousands separators ("26,500") are one word.
const WORD = new RegExp(
  `${GROUPED_NUMBER.source}|(?:\\p{Lu}\\.){2,}|[\\p{L}\\p{N}]+(?:['’][\\p{L}\\p{N}]+)*`,
  "gu",
);
// (natural's default WordTokenizer drops "é" and "ü" and splits "Trump’s": this pattern is what
// its RegexpTokenizer was given, and `text.match(WORD)` is what that tokenizer returns.)

/**
 * Words natural treats as stopwords, plus question words and auxiliaries that carry the
 * question's form, not its topic (their meaning is used separately, as the answer type).
 */
export const STOPWORDS: ReadonlySet<string> = new Set([
  // "said" is the one inflected verb on natural's list whose root ("say") is not: news quotes
  // people, and "What did Putin say?" must find "Putin said".
  // Digits are not: "3 weeks" must keep its "3".
  ...naturalStopwords.filter((w) => w !== "said" && !/^\d$/.test(w)),
  ..."what which who whom whose when where why how does did do done doing has had have having was were been being am is are would could should might must shall can will may also us s t".split(
    " ",
  ),
]);

/**
 * Irregular inflections that Porter cannot join to their root ("went" -> "go", "held" -> "hold",
 * "children" -> "child"), read once from compromise's lexicon. Regular ones ("carried" ->
 * "carry") Porter already joins, so they are left out.
 */
const LEMMAS: ReadonlyMap<string, string> = buildLemmaTable();

function buildLemmaTable(): Map<string, string> {
  const model = nlp.model() as {
    one: { lexicon: Record<string, string | string[]> };
    two: { irregularPlurals: Record<string, string> };
  };
  const methods = nlp.methods() as {
    two: {
      transform: {
        verb: { toInfinitive(word: string, model: unknown, tense: string): string | undefined };
      };
    };
  };
  const toInfinitive = methods.two.transform.verb.toInfinitive;
  const table = new Map<string, string>();
  for (const [word, tag] of Object.entries(model.one.lexicon)) {
    if (word.includes(" ")) continue;
    const tags = Array.isArray(tag) ? tag : [tag];
    const tense = tags.includes("PastTense")
      ? "PastTense"
      : tags.includes("Participle")
        ? "Participle"
        : null;
    if (!tense) continue;
    const root = toInfinitive(word, model, tense);
    if (root && PorterStemmer.stem(root) !== PorterStemmer.stem(word)) table.set(word, root);
  }
  for (const [singular, plural] of Object.entries(model.two.irregularPlurals)) {
    if (PorterStemmer.stem(singular) !== PorterStemmer.stem(plural)) table.set(plural, singular);
  }
  return table;
}

const CLITIC = /(?:'s|n't|'re|'ve|'ll|'d|'m|')$/;
/** Negations whose stem is not the word minus "n't". */
const NEGATIONS: ReadonlyMap<string, string> = new Map([
  ["can't", "can"],
  ["won't", "will"],
  ["shan't", "shall"],
]);
/** "US" and "U.S." name the country; lower-case "us" is the pronoun (a stopword). */
const COUNTRY_US = /^(?:US|U\.S\.?|USA|U\.S\.A\.?)$/;

/**
 * Folds curly apostrophes and strips a possessive or contracted ending: "Trump’s" -> "trump",
 * "don't" -> "do" (then a stopword); "U.N." -> "un"; "US" and "U.S." -> "usa".
 */
export function normalizeWord(raw: string): string {
  if (COUNTRY_US.test(raw)) return "usa";
  const word = ungroup(raw).toLowerCase().replace(/’/g, "'");
  return NEGATIONS.get(word) ?? word.replace(CLITIC, "").replace(/\./g, "");
}

/**
 * Words Porter merges with a different word, which matters in news: "news" -> "new".
 */
const STEM_EXCEPTIONS: ReadonlyMap<string, string> = new Map([["news", "news"]]);

/** How many words (and, separately, raw tokens) the pipeline remembers the terms of. */
const CACHE_LIMIT = 500_000;
const termCache = new Map<string, string | null>();

/**
 * The index term of a normalized word: null for stopwords and single letters, else the Porter
 * stem of its lemma. Memoized: Porter is the hot spot of indexing.
 */
export function termOf(word: string): string | null {
  const cached = termCache.get(word);
  if (cached !== undefined) return cached;
  let term: string | null;
  const lemma = LEMMAS.get(word) ?? word.replace(/'/g, "");
  // A word is a stopword when its root is ("took" like "take"), so both sides agree.
  if (STOPWORDS.has(word) || STOPWORDS.has(lemma) || (word.length < 2 && !/\d/.test(word))) {
    term = null;
  } else term = numberWord(lemma) ?? STEM_EXCEPTIONS.get(lemma) ?? PorterStemmer.stem(lemma);
  if (termCache.size < CACHE_LIMIT) termCache.set(word, term);
  return term;
}

const tokenTermCache = new Map<string, string | null>();

/**
 * The index term of a token as the tokenizer cut it from running text (`termOf(normalizeWord(raw))`),
 * memoized: building an index meets the same few thousand tokens millions of times, and the
 * normalizing (three regular expressions and a lower-casing) then cost more than Porter.
 * @param raw - a match of the word pattern, e.g. from {@link rawTokens}
 */
export function termOfToken(raw: string): string | null {
  const cached = tokenTermCache.get(raw);
  if (cached !== undefined) return cached;
  const term = termOf(normalizeWord(raw));
  if (tokenTermCache.size < CACHE_LIMIT) tokenTermCache.set(raw, term);
  return term;
}

/**
 * Turns the folding of number words ("four" -> "4") on or off, for the ablation of
 * `npm run eval:readers`: indexes built before a change no longer match new questions.
 * @returns the previous setting
 */
export function setNumberWordFolding(enabled: boolean): boolean {
  termCache.clear();
  tokenTermCache.clear();
  return setFolding(enabled);
}

/** Porter stem without the lemma table or stopword filter (for words compromise already rooted). */
export function stem(word: string): string {
  return PorterStemmer.stem(word);
}

/** Splits text into word tokens with their spans and terms. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(WORD)) {
    const word = normalizeWord(match[0]);
    tokens.push({
      word,
      term: termOf(word),
      start: match.index,
      end: match.index + match[0].length,
    });
  }
  return tokens;
}

/** The word tokens of a text as written, in order (see {@link termOfToken} for their terms). */
export function rawTokens(text: string): string[] {
  return text.match(WORD) ?? [];
}

/** The index terms of a text in order, stopwords dropped. */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const raw of rawTokens(text)) {
    const term = termOfToken(raw);
    if (term) out.push(term);
  }
  return out;
}
