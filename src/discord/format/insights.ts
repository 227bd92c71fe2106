/**
 * `/insights` as one ephemeral embed, and its Download CSV button and file message. Pure: built
 * within Discord's limits by budget (each list a field of at most 1,024, the whole under 6,000),
 * then passed through `fitEmbeds` as a last guard; questions and titles are escaped so that they
 * form no markdown, link or mention.
 */
import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  type APIEmbedField,
  ButtonStyle,
  ComponentType,
} from "discord.js";
import type { InsightsReport } from "../../insights/insightsReport.js";
import type { QuestionsCsv } from "../../insights/questionsCsv.js";
import type { VoteReason } from "../../votes/types.js";
import { REASON_LABELS } from "../votes/voteButtons.js";
import { fitEmbeds, LIMITS } from "./limits.js";
import { COLORS, citationLabel, counted, escapedLine, linesWithin } from "./parts.js";

/** custom_id prefix of the Download CSV button: `insights:csv:<sinceMs>:<untilMs>`. */
export const CSV_PREFIX = "insights:csv";

/** Questions in the lists: one line each. */
const QUESTION_MAX = 90;
/** Article titles in the lists. */
const TITLE_MAX = 60;

const number = (n: number) => n.toLocaleString("en-US");

/** "12 Mar 2026 14:05 UTC": a fixed time zone, as the CSV's times are UTC. */
function utcTime(ms: number): string {
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return "?";
  const day = date.toLocaleDateString("en-GB", {
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  });
  return `${day} ${date.toISOString().slice(11, 16)} UTC`;
}

const quoted = (question: string) => `“${escapedLine(question, QUESTION_MAX)}”`;

/** A field of lines within Discord's field limit ("…and N more" when they do not all fit). */
function listField(name: string, lines: readonly string[], empty: string): APIEmbedField {
  const value = linesWithin(
    lines.map((line) => [line]),
    LIMITS.fieldValue,
  );
  return { name, value: value === "" ? empty : value };
}

/**
 * The embed of a report: the period's counts in the description, then one field per list: most
 * asked topics, most 👎, unanswered, low confidence, most cited articles.
 * @param report - from `buildInsights`
 * @param days - the period's length as asked
 */
export function insightsEmbed(report: InsightsReport, days: number): APIEmbed {
  const title = `Insights: the last ${counted(days, "day")}`;
  const footer = { text: `${utcTime(report.period.sinceMs)} to ${utcTime(report.period.untilMs)}` };
  if (report.total === 0) {
    return fitted({
      title,
      description: `No questions were asked in this server in the last ${counted(days, "day")}.`,
      color: COLORS.info,
      footer,
    });
  }
  const { outcomes, votes } = report;
  const description = [
    `**${counted(report.total, "question")}**: ${number(outcomes.high)} answered, ${number(outcomes.low)} with low confidence, ${number(outcomes.abstained)} unanswered, ${number(outcomes.pinned)} by a pinned answer.`,
    `Votes: 👍 ${number(votes.up)} · 👎 ${number(votes.down)}. **Download CSV** for every question.`,
  ].join("\n");
  const topics = report.topics.map(
    (t) =>
      `**${number(t.count)}×** ${quoted(t.question)}${t.phrasings > 1 ? ` (${t.phrasings} phrasings)` : ""}`,
  );
  const down = report.mostDown.map((a) => {
    const first = a.citations[0];
    const cited = first ? ` · ${citationLabel(first.title, first.paragraph, TITLE_MAX)}` : "";
    const reasons = Object.entries(a.reasons)
      .map(([reason, n]) => `${REASON_LABELS[reason as VoteReason] ?? reason} ${n}`)
      .join(", ");
    return `**👎 ${number(a.votes.down)}** · 👍 ${number(a.votes.up)} ${quoted(a.question)}${cited}${reasons ? ` (${reasons})` : ""}`;
  });
  const counts = (list: InsightsReport["unanswered"]) =>
    list.map((q) => `**${number(q.count)}×** ${quoted(q.question)}`);
  const cited = report.cited.map(
    (c) =>
      `**${number(c.answers)}×** ${escapedLine(c.title, TITLE_MAX) || "Untitled"} · ${escapedLine(c.articleId, TITLE_MAX)}${c.down > 0 ? ` · 👎 ${number(c.down)}` : ""}`,
  );
  return fitted({
    title,
    description,
    color: COLORS.info,
    fields: [
      listField("Most asked", topics, "None."),
      listField("Most 👎", down, "No answer was voted down."),
      listField("Unanswered", counts(report.unanswered), "None: every question got an answer."),
      listField("Low confidence", counts(report.lowConfidence), "None."),
      listField("Most cited articles", cited, "No answer cited an article."),
    ],
    footer,
  });
}

function fitted(embed: APIEmbed): APIEmbed {
  return fitEmbeds([embed])[0] ?? { description: "…" };
}

/** The Download CSV button of a report's period (none when the period has no question). */
export function insightsButtons(
  report: InsightsReport,
): APIActionRowComponent<APIButtonComponent>[] {
  if (report.total === 0) return [];
  return [
    {
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.Button,
          style: ButtonStyle.Secondary,
          label: "Download CSV",
          custom_id: `${CSV_PREFIX}:${report.period.sinceMs}:${report.period.untilMs}`,
        },
      ],
    },
  ];
}

/** The period of a Download CSV custom_id, or undefined when it is not one. */
export function parseCsvButton(customId: string): { sinceMs: number; untilMs: number } | undefined {
  const match = /^insights:csv:(\d{1,16}):(\d{1,16})$/.exec(customId);
  if (!match) return undefined;
  const sinceMs = Number(match[1]);
  const untilMs = Number(match[2]);
  if (!Number.isSafeInteger(sinceMs) || !Number.isSafeInteger(untilMs) || sinceMs >= untilMs) {
    return undefined;
  }
  return { sinceMs, untilMs };
}

/** The CSV's file name: `newsdesk-questions-<from>-<to>.csv`, dates in UTC. */
export function csvFileName(period: { sinceMs: number; untilMs: number }): string {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return `newsdesk-questions-${day(period.sinceMs)}-to-${day(period.untilMs)}.csv`;
}

/** What the message carrying the CSV says: how many questions, and what was left out. */
export function csvContent(csv: QuestionsCsv, maxMiB: number): string {
  if (csv.rows === 0)
    return "No questions were asked in this period: the file has the header only.";
  const kept = `Every question of the period with its outcome, votes and citations: ${counted(csv.rows, "question")}, no member ids.`;
  if (csv.dropped === 0) return kept;
  const from = csv.firstAt === undefined ? "" : `, from ${utcTime(csv.firstAt)}`;
  return `${kept} The whole period is over Discord's ${maxMiB} MiB file limit: the file holds the newest ${number(csv.rows)}${from}; the oldest ${counted(csv.dropped, "question")} are left out (ask for fewer days to see them).`;
}
