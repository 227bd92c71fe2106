/**
 * Numbers written two ways must reach one index term: "four children" and "4 children",
 * "26,500" and "26500" (compromise reads a question's "$26,500" as 26500, while the paragraph's
 * tokenizer used to split it at the comma into "26" and "500").
 */

/** Cardinal number words and their digits: news style spells out small numbers. */
const NUMBER_WORDS: ReadonlyMap<string, string> = new Map(
  [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
  ]
    .map((word, n): [string, string] => [word, String(n)])
    .concat(
      ["thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"].map((word, i) => [
        word,
        String(30 + 10 * i),
      ]),
    )
    // "one" is as often a pronoun ("the one who") as a number: left as it is.
    .filter(([word]) => word !== "one"),
);

let foldWords = true;

/**
 * Turns the folding of number words on or off (on by default); use the text pipeline's
 * `setNumberWordFolding`, which also forgets the terms it computed. Returns the previous setting.
 */
export function setFolding(enabled: boolean): boolean {
  const previous = foldWords;
  foldWords = enabled;
  return previous;
}

/** The digits of a number word ("four" -> "4"), or undefined. */
export function numberWord(word: string): string | undefined {
  return foldWords ? NUMBER_WORDS.get(word) : undefined;
}

/** A number with thousands separators, "26,500" or "1,000,000", as one token. */
export const GROUPED_NUMBER = /\p{N}{1,3}(?:,\p{N}{3})+(?!\p{N})/u;

/** "26,500" -> "26500"; other words unchanged. */
export function ungroup(word: string): string {
  return /^\p{N}{1,3}(?:,\p{N}{3})+$/u.test(word) ? word.replace(/,/g, "") : word;
}
