/**
 * Does a paragraph hold the kind of thing a question asks for (a person, place, date, number,
 * duration)? Cheap patterns plus compromise's lexicon of names and places, so it can run on
 * every candidate paragraph without tagging it.
 */
import nlp from "compromise";
import type { AnswerKind } from "./question.js";

const lexicon = (nlp.model() as { one: { lexicon: Record<string, string | string[]> } }).one
  .lexicon;

function wordsTagged(tags: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const [word, tag] of Object.entries(lexicon)) {
    if ((Array.isArray(tag) ? tag : [tag]).some((t) => tags.includes(t))) out.add(word);
  }
  return out;
}

const PERSON_WORDS = wordsTagged(["FirstName", "MaleName", "FemaleName", "LastName", "Honorific"]);
const PLACE_WORDS = wordsTagged(["City", "Country", "Region", "Place"]);

/**
 * Country names (compromise's lexicon, lower-case, "france", "australia"): a name even when a
 * question is typed without capitals.
 */
export const COUNTRY_WORDS: ReadonlySet<string> = wordsTagged(["Country"]);

// Capitalized, so that the verb "may" and the name "March" at least need a capital to count.
const MONTH =
  "January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec";
const NUMBER_WORD =
  "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|million|billion|dozen|several";
const UNIT = "seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centuries|century";

const PATTERNS: Record<Exclude<AnswerKind, "none" | "person" | "place">, RegExp> = {
  number: new RegExp(`\\b\\d[\\d,.]*\\b|\\b(?:${NUMBER_WORD})\\b`, "gi"),
  date: new RegExp(
    `\\b(?:${MONTH})\\b|\\b(?:1[0-9]|20)\\d{2}s?\\b|\\b\\d{1,2}(?:st|nd|rd|th) century\\b|\\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|[Yy]esterday|[Tt]oday|[Tt]omorrow)\\b`,
    "g",
  ),
  duration: new RegExp(
    `\\b(?:\\d+|${NUMBER_WORD}|a|an)[- ](?:${UNIT})\\b|\\b(?:${UNIT.replace(/s\?/g, "")})-long\\b`,
    "gi",
  ),
};

// A run of capitalized words that does not start a sentence: a cheap sign of a name.
const INNER_PROPER = /[^.!?"“\s]\s+(\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}+)*)/gu;

/** The kinds a paragraph can be checked for, each a bit of a mask. */
export const KIND_BITS: Record<Exclude<AnswerKind, "none">, number> = {
  person: 1,
  place: 2,
  date: 4,
  number: 8,
  duration: 16,
};

/** Something of an answer kind that a text mentions: "30-day" (duration), "Steve Witkoff" (person). */
export interface KindMention {
  /** One of `KIND_BITS`. */
  readonly bit: number;
  /** The mention as written. */
  readonly text: string;
}

/**
 * The mentions of answer kinds in a text. Runs once per sentence at index time (regular
 * expressions and lexicon lookups, no tagging).
 * @param text - a sentence or paragraph
 */
export function findMentions(text: string): KindMention[] {
  const mentions: KindMention[] = [];
  // exec loops rather than matchAll, which copies its regular expression on every call: this
  // runs for every sentence of a build. None of the patterns matches an empty string, so each
  // loop moves on.
  for (const kind of ["number", "date", "duration"] as const) {
    const pattern = PATTERNS[kind];
    pattern.lastIndex = 0;
    for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
      mentions.push({ bit: KIND_BITS[kind], text: match[0] });
    }
  }
  INNER_PROPER.lastIndex = 0;
  for (let match = INNER_PROPER.exec(text); match !== null; match = INNER_PROPER.exec(text)) {
    const name = match[1] ?? "";
    const lower = name.toLowerCase();
    // Whole multi-word names first ("saudi arabia"), then each word ("vladimir putin").
    const parts = [lower, ...lower.split(/\s+/)];
    if (parts.some((part) => PERSON_WORDS.has(part))) {
      mentions.push({ bit: KIND_BITS.person, text: name });
    }
    if (parts.some((part) => PLACE_WORDS.has(part))) {
      mentions.push({ bit: KIND_BITS.place, text: name });
    }
  }
  return mentions;
}

/** The answer kinds a text mentions, as a mask of `KIND_BITS`. */
export function kindMask(text: string): number {
  let mask = 0;
  for (const mention of findMentions(text)) mask |= mention.bit;
  return mask;
}

/** Whether a text mentions something of the kind a question asks for. */
export function mentionsKind(text: string, kind: AnswerKind): boolean {
  return kind !== "none" && (kindMask(text) & KIND_BITS[kind]) !== 0;
}
