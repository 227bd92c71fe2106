/**
 * The terminal's view of an answer: plain text, no colours and no markup, so it reads the same
 * in a terminal, a pipe or a log file.
 */
import { byline } from "../answer/byline.js";
import type { Answer, Citation } from "../answer/types.js";

/** How much of an unanswered question is echoed back: a pasted page is not worth repeating. */
export const MAX_ECHOED_QUESTION_CHARS = 200;

/**
 * Control characters but tab and line feed (so C0, DEL and C1, escape among them), replaced by
 * U+FFFD: article files and questions are data, and data must not move the cursor, recolour or
 * retitle the terminal.
 */
const CONTROL = /(?![\t\n])\p{Cc}/gu;

function safe(text: string): string {
  return text.replace(CONTROL, "\uFFFD");
}

/** One line, spaces collapsed, cut to `max` characters with an ellipsis. */
function oneLine(text: string, max: number): string {
  const line = safe(text).replace(/\s+/g, " ").trim();
  const chars = Array.from(line);
  return chars.length <= max ? line : `${chars.slice(0, max - 1).join("")}…`;
}

function formatCitation(citation: Citation, n: number): string {
  const quote = safe(citation.excerpt.replace(/\r\n?/g, "\n"))
    .trim()
    .split("\n")
    .map((line) => `> ${line}`.trimEnd());
  const by = byline(citation);
  const source = `[${n}] ${oneLine(citation.title, Number.POSITIVE_INFINITY)} ¶${citation.paragraph}${by === undefined ? "" : ` · ${oneLine(by, 80)}`}`;
  const url = citation.url === undefined ? [] : [`    ${oneLine(citation.url, 2_000)}`];
  return [...quote, source, ...url].join("\n");
}

/** The line before a low-confidence answer: plausible, not certain. */
export const LOW_CONFIDENCE_LINE = "This may answer it:";

/**
 * Formats an answer for the terminal. Each citation is its excerpt quoted with `> `, then
 * `[n] Title ¶p` and the article's URL when known; citations are separated by a blank line.
 * A low-confidence answer starts with "This may answer it:". The excerpt's highlights are not
 * marked: the quote stays verbatim.
 *
 * @param answer - the answer service's answer
 * @returns the text, ending with a line break
 */
export function formatText(answer: Answer): string {
  if (!answer.answered || answer.citations.length === 0) {
    const question = oneLine(answer.question, MAX_ECHOED_QUESTION_CHARS);
    return `No answer in the articles for: "${question}"\n`;
  }
  const lead = answer.confidence === "low" ? `${LOW_CONFIDENCE_LINE}\n` : "";
  return `${lead}${answer.citations.map((c, i) => formatCitation(c, i + 1)).join("\n\n")}\n`;
}
