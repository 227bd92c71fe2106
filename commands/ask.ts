/**
 * `/ask question:<text> [article:<id>] [private:<bool>]`: answers from the articles with cited
 * excerpts, after the server's pinned answer when one matches; a "More sources" button shows
 * the next citations to whoever clicks it, and on public answers "📌 Pin answer" lets a
 * moderator pin it.
 */
import { MessageFlags, SlashCommandBuilder } from "discord.js";
import { MAX_QUESTION_CHARS } from "../src/constants.js";
import { respondWithArticles } from "../src/discord/articles/articleChoices.js";
import {
  citationsMessage,
  MORE_SOURCES_PREFIX,
  parseMoreSources,
  sendAnswer,
} from "../src/discord/ask/answerReply.js";
import { NO_MENTIONS } from "../src/discord/format/format.js";
import { replies } from "../src/discord/format/replies.js";
import type { ComponentHandler, SlashCommand } from "../src/discord/framework/command.js";
import { replyPrivately } from "../src/discord/framework/respond.js";

const data = new SlashCommandBuilder()
  .setName("ask")
  .setDescription("Ask a question about the news; the answer quotes the articles")
  .addStringOption((option) =>
    option
      .setName("question")
      .setDescription("What you want to know")
      .setRequired(true)
      .setMaxLength(MAX_QUESTION_CHARS),
  )
  .addStringOption((option) =>
    option.setName("article").setDescription("Only search this article").setAutocomplete(true),
  )
  .addBooleanOption((option) =>
    option.setName("private").setDescription("Only you see the answer (default: everyone)"),
  )
  .toJSON();

const moreSources: ComponentHandler = {
  prefix: MORE_SOURCES_PREFIX,
  async handle(interaction, ctx) {
    const parsed = parseMoreSources(interaction.customId);
    const cached = parsed && ctx.answerCache.get(parsed.key);
    if (!parsed || !cached) {
      await replyPrivately(interaction, replies.expired);
      return "invalid";
    }
    const message = citationsMessage(ctx, cached, parsed.offset, parsed.key);
    await interaction.reply({
      ...message,
      flags: MessageFlags.Ephemeral,
      allowedMentions: NO_MENTIONS,
    });
    return "ok";
  },
};

export default {
  data,
  preconditions: { cooldown: true },
  async execute(interaction, ctx) {
    const question = interaction.options.getString("question", true);
    const articleId = interaction.options.getString("article") ?? undefined;
    // Discord waits 3 s for the first answer; the search is fast, but not promised to be.
    const isPrivate = interaction.options.getBoolean("private") ?? false;
    await interaction.deferReply(isPrivate ? { flags: MessageFlags.Ephemeral } : {});
    const where = {
      guildId: interaction.guildId,
      channelId: interaction.channelId,
      private: isPrivate,
      ...(articleId === undefined ? {} : { articleId }),
    };
    return sendAnswer(ctx, question, where, {
      answer: (message) => interaction.editReply({ ...message, allowedMentions: NO_MENTIONS }),
      refuse: (content) => replyPrivately(interaction, content),
    });
  },
  autocomplete: respondWithArticles,
  components: [moreSources],
} satisfies SlashCommand;
