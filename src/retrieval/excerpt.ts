/**
 * Excerpts: the one or two sentences of a paragraph that answer a question best, with the
 * question's matched terms marked as character ranges (the surface decides how to show them).
 */
import { mentionsKind } from "./answerKinds.js";
import type { AnalyzedQuestion } from "./question.js";
import { splitSentences } from "./sentences.js";
import { tokenize } from "./textPipeline.js";

export interface Excerpt {
  readonly text: string;
  /** [start, end) ranges of `text` that hold a term of the question. */
  readonly highlights: readonly (readonly [number, number])[];
}

/** An excerpt shorter than this gets its neighbouring sentence for context. */
const SHORT_SENTENCE = 80;

/**
 * Chooses the excerpt of a paragraph for a question. Each sentence scores the count of distinct
 * question terms it holds (a related word standing for its question word), plus one if it
 * mentions the kind of answer asked for; the
 * best sentence is kept, with the next (or previous) one when that adds question terms or the
 * best one is too short to stand alone.
 * @param paragraph - the whole paragraph text
 * @param question - the analyzed question
 */
export function chooseExcerpt(paragraph: string, question: AnalyzedQuestion): Excerpt {
  const forms = new Map<string, number>();
  question.terms.forEach((t, i) => {
    for (const f of [...t.forms, ...t.related]) if (!forms.has(f)) forms.set(f, i);
  });
  const sentences = splitSentences(paragraph).map((s) => {
    const matched = new Set<number>();
    for (const token of tokenize(s.text)) {
      const slot = token.term === null ? undefined : forms.get(token.term);
      if (slot !== undefined) matched.add(slot);
    }
    const kind = question.kind !== "none" && mentionsKind(s.text, question.kind) ? 1 : 0;
    return { ...s, matched, score: matched.size + kind };
  });

  let best = 0;
  sentences.forEach((s, i) => {
    if (s.score > (sentences[best]?.score ?? 0)) best = i;
  });
  let from = best;
  let to = best;
  const chosen = sentences[best];
  if (chosen) {
    const next = sentences[best + 1];
    const previous = sentences[best - 1];
    const adds = (s: typeof chosen | undefined) =>
      s !== undefined && [...s.matched].some((slot) => !chosen.matched.has(slot));
    if (adds(next)) to = best + 1;
    else if (adds(previous)) from = best - 1;
    else if (chosen.text.length < SHORT_SENTENCE) {
      if (next) to = best + 1;
      else if (previous) from = best - 1;
    }
  }
  const start = sentences[from]?.start ?? 0;
  const end = sentences[to]?.end ?? paragraph.length;
  const text = paragraph.slice(start, end);
  const highlights: [number, number][] = [];
  for (const token of tokenize(text)) {
    if (token.term !== null && forms.has(token.term)) highlights.push([token.start, token.end]);
  }
  return { text, highlights };
}
