/**
 * Every question of a period as CSV, for `/insights`' Download CSV: RFC 4180 (comma-separated,
 * CRLF line ends, a field with a comma, quote or line break in double quotes, quotes doubled),
 * UTF-8 with a byte order mark so that spreadsheets read accents and emoji right. No member id:
 * the log has none (votes are counted, never named).
 *
 * Formula injection: a question is a member's text, and a spreadsheet runs a cell starting with
 * `=`, `+`, `-` or `@` (or a tab or carriage return before one) as a formula. Such a cell gets a
 * leading `'`, as OWASP's CSV injection guidance says, so it shows as text.
 */
import { nextTurn } from "../nextTurn.js";
import type { AskedQuestion, QuestionPeriod } from "../votes/types.js";
import { forEachQuestionPage, type QuestionPages, type ReadOptions } from "./readQuestions.js";

/** The columns, in order. */
export const CSV_COLUMNS = [
  "asked_at",
  "channel_id",
  "message_id",
  "question",
  "outcome",
  "confidence",
  "pin_id",
  "votes_up",
  "votes_down",
  "down_reasons",
  "citations",
] as const;

const BOM = "\uFEFF";
const CRLF = "\r\n";

/** Cells a spreadsheet would run as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;
/** Cells that must be quoted (RFC 4180 §2.6), plus a leading or trailing space some readers trim. */
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** One CSV field: defused when it could run as a formula, quoted when it must be. */
export function csvCell(value: string | number | undefined): string {
  if (value === undefined) return "";
  if (typeof value === "number") return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV record, with its CRLF. */
export function csvRow(cells: readonly (string | number | undefined)[]): string {
  return cells.map(csvCell).join(",") + CRLF;
}

/** A logged question's record: citations as `article-id ¶p` joined by "; ". */
export function questionRecord(question: AskedQuestion): string {
  const reasons = Object.entries(question.reasons)
    .map(([reason, count]) => `${reason}:${count}`)
    .join("; ");
  const citations = question.citations.map((c) => `${c.articleId} ¶${c.paragraph}`).join("; ");
  return csvRow([
    new Date(question.at).toISOString(),
    question.channelId,
    question.messageId,
    question.question,
    question.outcome,
    question.confidence,
    question.pinId,
    question.votes.up,
    question.votes.down,
    reasons,
    citations,
  ]);
}

/** A CSV file of questions, within a size limit. */
export interface QuestionsCsv {
  readonly data: Buffer;
  /** Questions in the file. */
  readonly rows: number;
  /** Questions of the period left out, the oldest, to stay within the limit. */
  readonly dropped: number;
  /** When the oldest question in the file was asked (undefined when none is). */
  readonly firstAt: number | undefined;
}

/**
 * The CSV of `records` (oldest first) within `maxBytes`: when all do not fit, the newest that
 * do (a moderator looking at a period most wants what is recent, and the rest can be had with
 * fewer days).
 */
export function fitCsv(
  records: readonly { readonly text: string; readonly at: number }[],
  maxBytes: number,
): QuestionsCsv {
  const head = BOM + csvRow(CSV_COLUMNS);
  let bytes = Buffer.byteLength(head);
  let first = records.length;
  while (first > 0) {
    const size = Buffer.byteLength((records[first - 1] as { text: string }).text);
    if (bytes + size > maxBytes) break;
    bytes += size;
    first -= 1;
  }
  const kept = records.slice(first);
  return {
    data: Buffer.from(head + kept.map((r) => r.text).join(""), "utf8"),
    rows: kept.length,
    dropped: first,
    firstAt: kept[0]?.at,
  };
}

/** The CSV of a guild's questions of `period`, read in pages (see readQuestions.ts). */
export async function buildQuestionsCsv(
  source: QuestionPages,
  guildId: string,
  period: QuestionPeriod,
  maxBytes: number,
  options: ReadOptions = {},
): Promise<QuestionsCsv> {
  const records: { text: string; at: number }[] = [];
  await forEachQuestionPage(
    source,
    guildId,
    period,
    (page) => {
      for (const question of page)
        records.push({ text: questionRecord(question), at: question.at });
    },
    { pause: nextTurn, ...options },
  );
  return fitCsv(records, maxBytes);
}
