/** `/source article:<id> paragraph:<n>`: one paragraph of an article, in full. */
import { SlashCommandBuilder } from "discord.js";
import { respondWithArticles } from "../src/discord/articles/articleChoices.js";
import { NO_MENTIONS, paragraphEmbed } from "../src/discord/format/format.js";
import { replies } from "../src/discord/format/replies.js";
import type { SlashCommand } from "../src/discord/framework/command.js";
import { replyPrivately } from "../src/discord/framework/respond.js";

export default {
  data: new SlashCommandBuilder()
    .setName("source")
    .setDescription("Show one paragraph of an article in full")
    .addStringOption((option) =>
      option
        .setName("article")
        .setDescription("The article")
        .setRequired(true)
        .setAutocomplete(true),
    )
    .addIntegerOption((option) =>
      option
        .setName("paragraph")
        .setDescription("Paragraph number, from 1")
        .setRequired(true)
        .setMinValue(1),
    )
    .toJSON(),
  async execute(interaction, ctx) {
    const id = interaction.options.getString("article", true);
    const paragraph = interaction.options.getInteger("paragraph", true);
    const article = ctx.services.answers.getArticle(id, interaction.guildId ?? undefined);
    if (!article) {
      await replyPrivately(interaction, replies.unknownArticle(id));
      return "invalid";
    }
    const text = article.paragraphs[paragraph - 1];
    if (text === undefined) {
      const count = article.paragraphs.length;
      await replyPrivately(
        interaction,
        replies.paragraphOutOfRange(article.title, count, paragraph),
      );
      return "invalid";
    }
    await interaction.reply({
      embeds: [paragraphEmbed(article, paragraph, text)],
      allowedMentions: NO_MENTIONS,
    });
    return "ok";
  },
  autocomplete: respondWithArticles,
} satisfies SlashCommand;
