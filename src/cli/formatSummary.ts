/**
 * The terminal's view of a summary: plain text, no colours and no markup. Each sentence is
 * numbered and ends with its citation, `(¶p)` in an article summary and `(Title ¶p)` in a topic
 * summary; a last line names the key people, places and organizations.
 */
import type { ArticleSummary, KeyEntities, TopicSummary } from "../summary/types.js";

/**
 * Control characters but tab and line feed, replaced by U+FFFD: article files are data, and data
 * must not move the cursor, recolour or retitle the terminal.
 */
const CONTROL = /(?![\t\n])\p{Cc}/gu;

/** One line: control characters replaced, white space collapsed. */
function oneLine(text: string): string {
  return text.replace(CONTROL, "\uFFFD").replace(/\s+/g, " ").trim();
}

/** `People: A, B · Places: C · Organizations: none`. */
export function formatEntities(entities: KeyEntities): string {
  const list = (names: readonly string[]) =>
    names.length === 0 ? "none" : names.map(oneLine).join(", ");
  return `People: ${list(entities.people)} · Places: ${list(entities.places)} · Organizations: ${list(entities.organizations)}`;
}

/**
 * Formats an article summary: the title, the numbered sentences each ending with `(¶p)`, and
 * the entities line.
 * @returns the text, ending with a line break
 */
export function formatArticleSummary(summary: ArticleSummary): string {
  const lines = [oneLine(summary.title)];
  summary.sentences.forEach((s, i) => {
    lines.push(`${i + 1}. ${oneLine(s.text)} (¶${s.paragraph})`);
  });
  if (summary.sentences.length === 0) lines.push("(no sentences)");
  lines.push(formatEntities(summary.entities));
  return `${lines.join("\n")}\n`;
}

/**
 * Formats a topic summary: `Topic: ...`, the numbered sentences each ending with
 * `(Title ¶p)`, and the entities line; or one line saying nothing matched.
 * @returns the text, ending with a line break
 */
export function formatTopicSummary(summary: TopicSummary): string {
  if (summary.sentences.length === 0) {
    return `No paragraph in the articles is about: "${oneLine(summary.topic)}"\n`;
  }
  const lines = [`Topic: ${oneLine(summary.topic)}`];
  summary.sentences.forEach((s, i) => {
    lines.push(`${i + 1}. ${oneLine(s.text)} (${oneLine(s.title)} ¶${s.paragraph})`);
  });
  lines.push(formatEntities(summary.entities));
  return `${lines.join("\n")}\n`;
}
