/**
 * The units a summary is made of: an article's sentences, each with its paragraph, split with
 * compromise (retrieval's `splitSentences`), with a fallback for text that has no sentence
 * punctuation (transcripts, lists, pasted captions): line breaks, then runs of words.
 */
import { splitSentences } from "../retrieval/sentences.js";
import { withDefaults } from "./defaults.js";

/** A sentence of an article and where it is. */
export interface SentenceUnit {
  readonly text: string;
  /** 0-based index into the article's paragraphs. */
  readonly paragraph: number;
  /** 0-based position of the sentence in the whole article. */
  readonly position: number;
}

/** Options of {@link articleSentences}. */
export interface SentenceUnitOptions {
  /** A "sentence" longer than this many words is cut into runs of words (default 80). */
  readonly maxWords?: number;
}

/** Defaults of {@link SentenceUnitOptions}. */
export const DEFAULT_SENTENCE_UNIT_OPTIONS = {
  maxWords: 80,
} as const satisfies Required<SentenceUnitOptions>;

const SENTENCE_END = /[.!?…]/;
/** A word after which a long run may be cut without splitting a phrase. */
const CLAUSE_END = /[,;:)\]—–-]$/;

/**
 * Cuts a piece longer than `maxWords` words (a run with no sentence end, or run-on text) into
 * pieces of about `maxWords / 2` words, preferring a cut after a clause mark (comma, semicolon,
 * dash) once a piece is a quarter of `maxWords` long. Every word is kept.
 */
function cutRun(text: string, maxWords: number): string[] {
  const words = text.split(/\s+/).filter((w) => w !== "");
  if (words.length <= maxWords) return [text];
  const soft = Math.max(1, Math.floor(maxWords / 4));
  const hard = Math.max(1, Math.floor(maxWords / 2));
  const pieces: string[] = [];
  let piece: string[] = [];
  for (const word of words) {
    piece.push(word);
    if (piece.length >= hard || (piece.length >= soft && CLAUSE_END.test(word))) {
      pieces.push(piece.join(" "));
      piece = [];
    }
  }
  // A short tail joins the piece before it rather than standing as a fragment.
  if (piece.length > 0) {
    const tail = piece.join(" ");
    const last = pieces.length - 1;
    if (last >= 0 && piece.length < soft) pieces[last] = `${pieces[last]} ${tail}`;
    else pieces.push(tail);
  }
  return pieces;
}

/**
 * The sentences of an article in reading order, each with its paragraph and position.
 * A paragraph without any sentence punctuation is split at its line breaks; any piece still
 * longer than `maxWords` words is cut into runs of words, so that one unpunctuated page never
 * becomes one "sentence".
 * @param paragraphs - the article's paragraphs (`Article.paragraphs`)
 */
export function articleSentences(
  paragraphs: readonly string[],
  options: SentenceUnitOptions = {},
): SentenceUnit[] {
  const { maxWords } = withDefaults<Required<SentenceUnitOptions>>(
    DEFAULT_SENTENCE_UNIT_OPTIONS,
    options,
  );
  const out: SentenceUnit[] = [];
  paragraphs.forEach((paragraph, p) => {
    if (!/[\p{L}\p{N}]/u.test(paragraph)) return;
    const pieces = SENTENCE_END.test(paragraph)
      ? splitSentences(paragraph).map((s) => s.text)
      : paragraph.split(/\s*\n\s*/);
    for (const piece of pieces) {
      for (const text of cutRun(piece.replace(/\s+/g, " ").trim(), maxWords)) {
        if (/[\p{L}\p{N}]/u.test(text)) out.push({ text, paragraph: p, position: out.length });
      }
    }
  });
  return out;
}
