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

// A capitalized word that does not start a sentence: a cheap sign of a name.
const INNER_PROPER = /[^.!?"“\s]\s+(\p{Lu}\p{Ll}+)/gu;

/**
 * @param text - a paragraph
 * @param kind - what the question asks for
 * @returns whether the paragraph mentions something of that kind
 */
export function mentionsKind(text: string, kind: AnswerKind): boolean {
  switch (kind) {
    case "none":
      return false;
    case "number":
    case "date":
    case "duration":
      return PATTERNS[kind].test(text);
    case "person":
    case "place": {
      const names = kind === "person" ? PERSON_WORDS : PLACE_WORDS;
      for (const match of text.matchAll(INNER_PROPER)) {
        if (names.has((match[1] ?? "").toLowerCase())) return true;
      }
      return false;
    }
  }
}
