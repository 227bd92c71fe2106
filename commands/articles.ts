/** `/articles [page]`: the loaded articles, 10 a page, with Previous / Next buttons. */
import { SlashCommandBuilder } from "discord.js";
import { articleListEmbed } from "../src/discord/format/format.js";
import type { SlashCommand } from "../src/discord/framework/command.js";
import {
  listMessage,
  PAGE_SIZE,
  type PagedList,
  pageTurner,
} from "../src/discord/framework/paging.js";
import { pageOf } from "../src/page.js";

const list: PagedList = {
  prefix: "articles:page",
  render(interaction, ctx, page) {
    // The articles this server may see: the folder's and its own, newest first.
    const items = ctx.services.answers
      .listArticles(interaction.guildId ?? undefined)
      .map((article) => ({
        id: article.id,
        title: article.title,
        ...(article.published === undefined ? {} : { published: article.published }),
        paragraphs: article.paragraphs.length,
      }));
    const shown = pageOf(items, { page, pageSize: PAGE_SIZE });
    return { page: shown, embed: articleListEmbed(shown, PAGE_SIZE) };
  },
};

export default {
  data: new SlashCommandBuilder()
    .setName("articles")
    .setDescription("List the articles newsdesk answers from")
    .addIntegerOption((option) =>
      option.setName("page").setDescription("Page number, from 1").setMinValue(1),
    )
    .toJSON(),
  async execute(interaction, ctx) {
    const page = interaction.options.getInteger("page") ?? 1;
    await interaction.reply(listMessage(list, interaction, ctx, page));
    return "ok";
  },
  components: [pageTurner(list)],
} satisfies SlashCommand;
