/**
 * `/insights` and its Download CSV button, the Discord side: both acknowledge first (the log
 * may take a second to read at 100,000 questions: Discord gives 3 s), then read the log in
 * slices (src/insights/) and send what the formatters made. Only moderators get either: the
 * command and the button declare `moderatorOnly`, which the router checks on every click, since
 * a button's message can be shown to (or forwarded by) anyone.
 */
import { type ButtonInteraction, type ChatInputCommandInteraction, MessageFlags } from "discord.js";
import { buildInsights } from "../../insights/insightsReport.js";
import { buildQuestionsCsv } from "../../insights/questionsCsv.js";
import { QUESTION_RETENTION_MS } from "../../votes/types.js";
import { NO_MENTIONS } from "../format/format.js";
import {
  csvContent,
  csvFileName,
  insightsButtons,
  insightsEmbed,
  parseCsvButton,
} from "../format/insights.js";
import { LIMITS } from "../format/limits.js";
import { replies } from "../format/replies.js";
import type { CommandContext, HandlerOutcome } from "../framework/command.js";
import { requireGuildId } from "../framework/preconditions.js";
import { replyPrivately } from "../framework/respond.js";

/** The periods `/insights` offers, in days: back to the log's retention (90 days). */
export const INSIGHTS_DAYS = {
  default: 7,
  min: 1,
  max: Math.floor(QUESTION_RETENTION_MS / (24 * 60 * 60 * 1000)),
} as const;

const DAY_MS = 24 * 60 * 60 * 1000;

/** `/insights [days]`: the report of the last `days` days, privately. */
export async function replyInsights(
  interaction: ChatInputCommandInteraction,
  ctx: CommandContext,
  days: number,
): Promise<HandlerOutcome> {
  const guildId = requireGuildId(interaction);
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const now = ctx.now();
  // Up to now inclusive: a question answered this very millisecond is in.
  const period = { sinceMs: now - days * DAY_MS, untilMs: now + 1 };
  const report = await buildInsights(ctx.votes, guildId, period);
  ctx.log.info({ questions: report.total, days }, "insights read");
  await interaction.editReply({
    embeds: [insightsEmbed(report, days)],
    components: insightsButtons(report),
    allowedMentions: NO_MENTIONS,
  });
  return "ok";
}

/**
 * A click on Download CSV: the period's questions as a file, in an ephemeral follow-up (the
 * report stays as it was). The newest that fit when the whole period is over Discord's limit.
 */
export async function sendQuestionsCsv(
  interaction: ButtonInteraction,
  ctx: CommandContext,
): Promise<HandlerOutcome> {
  const guildId = requireGuildId(interaction);
  const period = parseCsvButton(interaction.customId);
  // A period the log no longer holds whole still downloads what is left of it.
  if (period === undefined || period.untilMs - period.sinceMs > QUESTION_RETENTION_MS + DAY_MS) {
    await replyPrivately(interaction, replies.staleButton);
    return "invalid";
  }
  await interaction.deferUpdate();
  const csv = await buildQuestionsCsv(ctx.votes, guildId, period, LIMITS.attachmentBytes);
  ctx.log.info({ rows: csv.rows, dropped: csv.dropped, bytes: csv.data.length }, "insights csv");
  await interaction.followUp({
    content: csvContent(csv, LIMITS.attachmentBytes / (1024 * 1024)),
    files: [{ attachment: csv.data, name: csvFileName(period), contentType: "text/csv" }],
    flags: MessageFlags.Ephemeral,
    allowedMentions: NO_MENTIONS,
  });
  return "ok";
}
