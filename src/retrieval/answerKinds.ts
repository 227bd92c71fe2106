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

const MONTH =
  "january|february|march|april|may|june|july|august|september|october|november|december";
const NUMBER_WORD =
  "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|million|billion|dozen|several";
const UNIT = "seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centuries|century";

const PATTERNS: Record<Exclude<AnswerKind, "none" | "person" | "place">, RegExp> = {
  number: new RegExp(`\\d|\\b(?:${NUMBER_WORD})\\b`, "i"),
  date: new RegExp(
    `\\b(?:${MONTH})\\b|\\b(?:1[0-9]|20)\\d{2}s?\\b|\\b\\d{1,2}(?:st|nd|rd|th) century\\b|\\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tomorrow)\\b`,
    "i",
  ),
  duration: new RegExp(
    `\\b(?:\\d+|${NUMBER_WORD}|a|an)[- ](?:${UNIT})\\b|\\b(?:${UNIT.replace(/s\?/g, "")})-long\\b`,
    "i",
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

/**
 * The answer kinds a text mentions, as a mask of `KIND_BITS`. Runs once per paragraph at index
 * time (regular expressions and lexicon lookups, no tagging).
 * @param text - a paragraph or sentence
 */
export function kindMask(text: string): number {
  let mask = 0;
  if (PATTERNS.number.test(text)) mask |= KIND_BITS.number;
  if (PATTERNS.date.test(text)) mask |= KIND_BITS.date;
  if (PATTERNS.duration.test(text)) mask |= KIND_BITS.duration;
  for (const match of text.matchAll(INNER_PROPER)) {
    const name = (match[1] ?? "").toLowerCase();
    // Whole multi-word names first ("saudi arabia"), then each word ("vladimir putin").
    for (const part of [name, ...name.split(/\s+/)]) {
      if (PERSON_WORDS.has(part)) mask |= KIND_BITS.person;
      if (PLACE_WORDS.has(part)) mask |= KIND_BITS.place;
    }
  }
  return mask;
}

/** Whether a text mentions something of the kind a question asks for. */
export function mentionsKind(text: string, kind: AnswerKind): boolean {
  return kind !== "none" && (kindMask(text) & KIND_BITS[kind]) !== 0;
}
