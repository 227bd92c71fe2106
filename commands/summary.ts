/**
 * `/summary [article:<id>] [topic:<text>] [sentences:<1-10>]`: the short version of one article,
 * or of what the articles say about a topic, each sentence cited to its paragraph. Exactly one of
 * article and topic. A summary counts against the same per-user cooldown as `/ask`.
 */
import { SlashCommandBuilder } from "discord.js";
import { respondWithArticles } from "../src/discord/articles/articleChoices.js";
import { NO_MENTIONS } from "../src/discord/format/format.js";
import { replies } from "../src/discord/format/replies.js";
import type { SlashCommand } from "../src/discord/framework/command.js";
import { replyPrivately } from "../src/discord/framework/respond.js";
import {
  DEFAULT_SUMMARY_SENTENCES,
  MAX_SUMMARY_SENTENCES,
  MIN_SUMMARY_SENTENCES,
  summaryReply,
} from "../src/discord/summary/summaryReply.js";

/** A topic is a few words; the summary service reads it as a question. */
const TOPIC_MAX_LENGTH = 200;

const data = new SlashCommandBuilder()
  .setName("summary")
  .setDescription("The short version of an article or a topic, each sentence cited")
  .addStringOption((option) =>
    option.setName("article").setDescription("The article to summarize").setAutocomplete(true),
  )
  .addStringOption((option) =>
    option
      .setName("topic")
      .setDescription("Or a topic, summarized across the articles, e.g. ceasefire monitoring")
      .setMaxLength(TOPIC_MAX_LENGTH),
  )
  .addIntegerOption((option) =>
    option
      .setName("sentences")
      .setDescription(`How many sentences (default ${DEFAULT_SUMMARY_SENTENCES})`)
      .setMinValue(MIN_SUMMARY_SENTENCES)
      .setMaxValue(MAX_SUMMARY_SENTENCES),
  )
  .toJSON();

export default {
  data,
  preconditions: { cooldown: true },
  async execute(interaction, ctx) {
    const articleId = interaction.options.getString("article") ?? undefined;
    const topic = interaction.options.getString("topic") ?? undefined;
    if ((articleId === undefined) === (topic === undefined)) {
      await replyPrivately(interaction, replies.summaryOneOf);
      return "invalid";
    }
    // Discord waits 3 s for the first answer; a summary of a long article may take longer.
    await interaction.deferReply();
    const sentences = interaction.options.getInteger("sentences") ?? DEFAULT_SUMMARY_SENTENCES;
    const reply = summaryReply(
      ctx,
      articleId === undefined ? { topic: topic ?? "" } : { articleId },
      sentences,
      interaction.guildId,
    );
    if (reply.outcome === "invalid") {
      await replyPrivately(interaction, reply.content);
      return "invalid";
    }
    await interaction.editReply({ embeds: reply.embeds, allowedMentions: NO_MENTIONS });
    return reply.outcome;
  },
  autocomplete: respondWithArticles,
} satisfies SlashCommand;
