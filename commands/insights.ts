/**
 * `/insights [days]`: for moderators, what this server asked over the last days (default 7, up
 * to the log's 90): the most asked topics, the answers with the most 👎, the unanswered and
 * low-confidence questions, the articles cited most, and a Download CSV button with every
 * question. Shown to members with Manage Messages by default; `moderatorOnly` checks again, on
 * the command and on the button.
 */
import { InteractionContextType, SlashCommandBuilder } from "discord.js";
import { CSV_PREFIX } from "../src/discord/format/insights.js";
import type { SlashCommand } from "../src/discord/framework/command.js";
import { MODERATOR_PERMISSIONS } from "../src/discord/framework/preconditions.js";
import {
  INSIGHTS_DAYS,
  replyInsights,
  sendQuestionsCsv,
} from "../src/discord/insights/insightsReplies.js";

export default {
  data: new SlashCommandBuilder()
    .setName("insights")
    .setDescription("What this server asked: topics, 👎 answers, unanswered questions (moderators)")
    .setContexts(InteractionContextType.Guild)
    .setDefaultMemberPermissions(MODERATOR_PERMISSIONS)
    .addIntegerOption((option) =>
      option
        .setName("days")
        .setDescription(
          `How many days back, ${INSIGHTS_DAYS.min} to ${INSIGHTS_DAYS.max} (default ${INSIGHTS_DAYS.default})`,
        )
        .setMinValue(INSIGHTS_DAYS.min)
        .setMaxValue(INSIGHTS_DAYS.max),
    )
    .toJSON(),
  preconditions: { moderatorOnly: true },
  async execute(interaction, ctx) {
    const days = interaction.options.getInteger("days") ?? INSIGHTS_DAYS.default;
    // Discord enforces the bounds; a client that does not still gets a period the log holds.
    const bounded = Math.min(INSIGHTS_DAYS.max, Math.max(INSIGHTS_DAYS.min, days));
    return replyInsights(interaction, ctx, bounded);
  },
  components: [
    { prefix: CSV_PREFIX, preconditions: { moderatorOnly: true }, handle: sendQuestionsCsv },
  ],
} satisfies SlashCommand;
