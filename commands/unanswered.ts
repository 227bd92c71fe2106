/**
 * `/unanswered [page]`: for moderators, the questions the articles could not answer in this
 * server over the last 30 days, most often asked first, so they know which articles to add.
 * Shown to members with Manage Messages by default; the handler checks again.
 */
import { InteractionContextType, MessageFlags, SlashCommandBuilder } from "discord.js";
import { NO_MENTIONS, pageButtons, unansweredEmbed } from "../src/discord/format/format.js";
import type {
  CommandContext,
  ComponentHandler,
  SlashCommand,
} from "../src/discord/framework/command.js";
import { MODERATOR_PERMISSIONS, requireGuildId } from "../src/discord/framework/preconditions.js";

const PAGE_SIZE = 10;

/** How far back the list looks. */
export const UNANSWERED_DAYS = 30;

const DAY_MS = 24 * 60 * 60 * 1000;

/** custom_id of the page buttons: `unanswered:page:<page from 1>`. */
const PAGE_PREFIX = "unanswered:page";

function pageMessage(ctx: CommandContext, guildId: string, page: number) {
  const questions = ctx.pins.listUnanswered(guildId, {
    page,
    pageSize: PAGE_SIZE,
    sinceMs: ctx.now() - UNANSWERED_DAYS * DAY_MS,
  });
  return {
    embeds: [unansweredEmbed(questions, UNANSWERED_DAYS)],
    components: pageButtons(PAGE_PREFIX, questions.page, questions.pageCount),
    allowedMentions: NO_MENTIONS,
  };
}

const turnPage: ComponentHandler = {
  prefix: PAGE_PREFIX,
  preconditions: { moderatorOnly: true },
  async handle(interaction, ctx) {
    const guildId = requireGuildId(interaction);
    const page = Number(/^unanswered:page:(\d{1,6})$/.exec(interaction.customId)?.[1] ?? 1);
    await interaction.update(pageMessage(ctx, guildId, Math.max(1, page)));
    return "ok";
  },
};

export default {
  data: new SlashCommandBuilder()
    .setName("unanswered")
    .setDescription("Questions the articles could not answer here (moderators)")
    .setContexts(InteractionContextType.Guild)
    .setDefaultMemberPermissions(MODERATOR_PERMISSIONS)
    .addIntegerOption((option) =>
      option.setName("page").setDescription("Page number, from 1").setMinValue(1),
    )
    .toJSON(),
  preconditions: { moderatorOnly: true },
  async execute(interaction, ctx) {
    const guildId = requireGuildId(interaction);
    const page = interaction.options.getInteger("page") ?? 1;
    await interaction.reply({
      ...pageMessage(ctx, guildId, page),
      flags: MessageFlags.Ephemeral,
    });
    return "ok";
  },
  components: [turnPage],
} satisfies SlashCommand;
