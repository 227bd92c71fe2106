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
  // Text with nowhere to split is one sentence, as compromise would return it: spares its five
  // passes (a sixth of a build's time) for titles and one-sentence paragraphs.
  if (!MAY_SPLIT.test(text)) return [whole(text)];
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

/**
 * Where compromise's splitter may cut (its `initSplit`, its CJK stops and its line breaks: see
 * compromise/src/1-one/tokenize/methods/01-sentences/01-simple-split.js): a run of stops
 * followed by white space, a full-width stop, a line break. Text without any comes back whole.
 */
const MAY_SPLIT =
  /[.!?\u203D\u2E18\u203C\u2047-\u2049\u0964\u0965\u061F\u06D4\u0589\u1362\u1367\u104B\u17D4\u3002]\s|[\r\n\u3002\uFF01\uFF1F\uFF61]/;

/** Text as one sentence, trimmed, with its span (what the splitter's path gives for it). */
function whole(text: string): Sentence {
  const sentence = text.trim();
  const start = sentence === "" ? 0 : text.indexOf(sentence);
  return { text: sentence, start, end: start + sentence.length };
}
