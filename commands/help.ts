/** `/help`: what the bot does, where it listens, and how often it may be asked. */
import { MessageFlags, SlashCommandBuilder } from "discord.js";
import { helpEmbed, NO_MENTIONS } from "../src/discord/format/format.js";
import type { SlashCommand } from "../src/discord/framework/command.js";

export default {
  data: new SlashCommandBuilder()
    .setName("help")
    .setDescription("How to ask newsdesk about the news")
    .toJSON(),
  async execute(interaction, ctx) {
    const embed = helpEmbed({
      articles: ctx.services.library.count(interaction.guildId ?? undefined),
      qaChannels: ctx.config.discord.qaChannelIds.length > 0,
      cooldown: ctx.config.cooldown,
    });
    await interaction.reply({
      embeds: [embed],
      flags: MessageFlags.Ephemeral,
      allowedMentions: NO_MENTIONS,
    });
    return "ok";
  },
} satisfies SlashCommand;
