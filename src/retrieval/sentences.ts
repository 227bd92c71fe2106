/** Sentence splitting with compromise, keeping each sentence's span in the source text. */
import nlp from "compromise";

type SplitSentences = (text: string, world: unknown) => string[];
const splitter = (nlp.methods() as { one: { tokenize: { splitSentences: SplitSentences } } }).one
  .tokenize.splitSentences;
const world = nlp.world();

/** A sentence with its character span in the paragraph. */
export interface Sentence {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/**
 * Splits text into sentences with compromise's sentence splitter (abbreviations such as "Mr."
 * and "U.S." do not end a sentence), keeping each sentence's exact span in the source text.
 */
export function splitSentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  let cursor = 0;
  for (const piece of splitter(text, world)) {
    const trimmed = piece.trim();
    if (!trimmed) continue;
    const start = text.indexOf(trimmed, cursor);
    if (start < 0) continue;
    out.push({ text: trimmed, start, end: start + trimmed.length });
    cursor = start + trimmed.length;
  }
  return out.length ? out : [{ text: text.trim(), start: 0, end: text.trim().length }];
}
