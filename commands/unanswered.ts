/**
 * `/unanswered [page]`: for moderators, the questions the articles could not answer in this
 * server over the last 30 days, most often asked first, so they know which articles to add.
 * Shown to members with Manage Messages by default; `moderatorOnly` checks again.
 */
import { InteractionContextType, MessageFlags, SlashCommandBuilder } from "discord.js";
import { unansweredEmbed } from "../src/discord/format/format.js";
import type { SlashCommand } from "../src/discord/framework/command.js";
import {
  listMessage,
  PAGE_SIZE,
  type PagedList,
  pageTurner,
} from "../src/discord/framework/paging.js";
import { MODERATOR_PERMISSIONS, requireGuildId } from "../src/discord/framework/preconditions.js";

/** How far back the list looks. */
export const UNANSWERED_DAYS = 30;

const DAY_MS = 24 * 60 * 60 * 1000;

const list: PagedList = {
  prefix: "unanswered:page",
  preconditions: { moderatorOnly: true },
  readsStore: true,
  async render(interaction, ctx, page) {
    const questions = await ctx.pins.listUnanswered(requireGuildId(interaction), {
      page,
      pageSize: PAGE_SIZE,
      sinceMs: ctx.now() - UNANSWERED_DAYS * DAY_MS,
    });
    return { page: questions, embed: unansweredEmbed(questions, UNANSWERED_DAYS) };
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
  preconditions: list.preconditions,
  async execute(interaction, ctx) {
    const page = interaction.options.getInteger("page") ?? 1;
    // The page is read from the database: acknowledged first.
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    await interaction.editReply(await listMessage(list, interaction, ctx, page));
    return "ok";
  },
  components: [pageTurner(list)],
} satisfies SlashCommand;
