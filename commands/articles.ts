/** `/articles [page]`: the loaded articles, 10 a page, with Previous / Next buttons. */
import { type APIEmbed, SlashCommandBuilder } from "discord.js";
import type { Article } from "../src/corpus/article.js";
import { articleListEmbed, NO_MENTIONS, pageButtons } from "../src/discord/format/format.js";
import type { ComponentHandler, SlashCommand } from "../src/discord/framework/command.js";

const PAGE_SIZE = 10;

/** custom_id of the page buttons: `articles:page:<page number from 1>`. */
const PAGE_PREFIX = "articles:page";

/**
 * Page `page` (from 1) of the list, clamped to the pages there are, with the buttons to its
 * neighbours when there is more than one page.
 */
function pageMessage(articles: readonly Article[], page: number) {
  const pages = Math.max(1, Math.ceil(articles.length / PAGE_SIZE));
  const page0 = Math.min(Math.max(1, Math.floor(page)), pages) - 1;
  const items = articles.slice(page0 * PAGE_SIZE, (page0 + 1) * PAGE_SIZE).map((article) => ({
    id: article.id,
    title: article.title,
    ...(article.published === undefined ? {} : { published: article.published }),
    paragraphs: article.paragraphs.length,
  }));
  const embeds: APIEmbed[] = [articleListEmbed(items, page0, PAGE_SIZE, articles.length)];
  const components = pageButtons(PAGE_PREFIX, page0 + 1, pages);
  return { embeds, components, allowedMentions: NO_MENTIONS };
}

const turnPage: ComponentHandler = {
  prefix: PAGE_PREFIX,
  async handle(interaction, ctx) {
    const page = Number(/^articles:page:(\d{1,6})$/.exec(interaction.customId)?.[1] ?? 1);
    await interaction.update(pageMessage(ctx.services.answers.articles, page));
    return "ok";
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
    await interaction.reply(pageMessage(ctx.services.answers.articles, page));
    return "ok";
  },
  components: [turnPage],
} satisfies SlashCommand;
