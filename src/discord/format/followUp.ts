/**
 * Discord formatting of the conversation surface: how a follow-up was read (the line above the
 * answer in a thread), and the name of a thread opened on an answer.
 */
import type { FollowUpReading } from "../../answer/types.js";
import { LIMITS, truncate } from "./limits.js";
import { escapedLine } from "./parts.js";

/** Article titles in the follow-up line. */
const TITLE_MAX = 120;

/** What was searched, in the follow-up line. */
const SEARCHED_MAX = 300;

/**
 * The line above an answer in a conversation, saying how the question was read: the article it
 * stayed with and what was searched ("↪️ Follow-up on *Title*: searched “…”"), or that a new
 * subject was searched afresh. Escaped, one line, within a message's content. Undefined when
 * the answer says nothing of it (a question outside a conversation, or the first of one).
 */
export function followUpLine(reading: FollowUpReading | undefined): string | undefined {
  if (reading === undefined) return undefined;
  if (reading.fresh) return "🔎 New subject: searched afresh, without the questions before.";
  const searched = `searched “${escapedLine(reading.searched, SEARCHED_MAX) || "…"}”`;
  const line = reading.stayedWith
    ? `↪️ Follow-up on *${escapedLine(reading.stayedWith.title, TITLE_MAX) || "an earlier article"}*: ${searched}`
    : `↪️ Follow-up: ${searched}`;
  return truncate(line, LIMITS.content);
}

/**
 * The name of the thread opened on an answer: its question on one line, cut on a word boundary
 * with "…" to Discord's 100 characters. Channel names show no markdown: nothing is escaped.
 */
export function threadName(question: string): string {
  const line = question.replace(/\s+/g, " ").trim() || "Follow-up questions";
  return truncate(line, LIMITS.threadName);
}
