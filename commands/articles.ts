/**
 * `/articles list [page]`: the articles this server may see (the folder's and its own), newest
 * first, 10 a page with Previous / Next buttons; for everyone.
 * `/articles add url:<url>`: a manager adds one news page; it is fetched, read and answerable in
 * this server in seconds.
 * `/articles remove article:<id>`: a manager removes one of this server's articles from its
 * feeds or links.
 *
 * No default_member_permissions: `list` is for everyone and Discord sets permissions per
 * command, not per subcommand, so `add` and `remove` check the member in the handler
 * (`managerOnly`).
 */
import { MessageFlags, SlashCommandBuilder } from "discord.js";
import { articleChoices } from "../src/discord/articles/articleChoices.js";
import { addedArticleEmbed, articleListEmbed, NO_MENTIONS } from "../src/discord/format/format.js";
import { replies } from "../src/discord/format/replies.js";
import type {
  ChatInputHandler,
  CommandContext,
  SlashCommand,
} from "../src/discord/framework/command.js";
import {
  listMessage,
  PAGE_SIZE,
  type PagedList,
  pageTurner,
} from "../src/discord/framework/paging.js";
import { requireGuildId } from "../src/discord/framework/preconditions.js";
import { replyPrivately } from "../src/discord/framework/respond.js";
import { orStoreRefusal } from "../src/discord/framework/storeRefusal.js";
import { addLink, type LinkArticlesDeps, removeServerArticle } from "../src/feeds/linkArticles.js";
import { pageOf } from "../src/page.js";

/** The longest URL accepted (browsers and sites rarely go past 2,000 characters). */
const MAX_URL_CHARS = 2000;

const data = new SlashCommandBuilder()
  .setName("articles")
  .setDescription("The articles newsdesk answers from")
  .addSubcommand((sub) =>
    sub
      .setName("list")
      .setDescription("List the articles newsdesk answers from here, newest first")
      .addIntegerOption((option) =>
        option.setName("page").setDescription("Page number, from 1").setMinValue(1),
      ),
  )
  .addSubcommand((sub) =>
    sub
      .setName("add")
      .setDescription("Add a news article by its link, answerable in this server (Manage Server)")
      .addStringOption((option) =>
        option
          .setName("url")
          .setDescription("The article's address (https://…)")
          .setRequired(true)
          .setMaxLength(MAX_URL_CHARS),
      ),
  )
  .addSubcommand((sub) =>
    sub
      .setName("remove")
      .setDescription("Remove an article this server took from a feed or link (Manage Server)")
      .addStringOption((option) =>
        option
          .setName("article")
          .setDescription("The article")
          .setRequired(true)
          .setAutocomplete(true),
      ),
  )
  .toJSON();

const articleList: PagedList = {
  prefix: "articles:page",
  async render(interaction, ctx, page) {
    // The articles this server may see: the folder's and its own, newest first.
    const items = ctx.services.answers
      .listArticles(interaction.guildId ?? undefined)
      .map((article) => ({
        id: article.id,
        title: article.title,
        ...(article.source === undefined ? {} : { source: article.source }),
        ...(article.published === undefined ? {} : { published: article.published }),
        paragraphs: article.paragraphs.length,
      }));
    const shown = pageOf(items, { page, pageSize: PAGE_SIZE });
    return { page: shown, embed: articleListEmbed(shown, PAGE_SIZE) };
  },
};

const list: ChatInputHandler = async (interaction, ctx) => {
  const page = interaction.options.getInteger("page") ?? 1;
  // Read from the library in memory: nothing slow, so no deferral.
  await interaction.reply(await listMessage(articleList, interaction, ctx, page));
  return "ok";
};

function linkDeps(ctx: CommandContext): LinkArticlesDeps {
  return {
    fetch: ctx.sources.fetch,
    store: ctx.sources.store,
    library: ctx.services.library,
    articlesPerServer: ctx.config.feeds.articlesPerServer,
    now: ctx.now,
  };
}

const add: ChatInputHandler = async (interaction, ctx) => {
  const guildId = requireGuildId(interaction);
  const url = interaction.options.getString("url", true).trim();
  // The page is fetched (up to the fetcher's timeout) and stored: acknowledged first.
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  return orStoreRefusal(interaction, ctx, replies.linkNotKept, async () => {
    const result = await addLink(linkDeps(ctx), guildId, url);
    if (!result.ok) {
      ctx.log.info({ url, code: result.code, reason: result.reason }, "articles: link not added");
      await replyPrivately(
        interaction,
        result.code === "limit"
          ? replies.articlesLimit(result.limit)
          : result.code === "duplicate"
            ? replies.linkHereAlready(result.existing.id, result.existing.title)
            : replies.linkNotRead(result.reason),
      );
      return "invalid";
    }
    const { article, status } = result;
    ctx.log.info({ url, article: article.id, status }, `articles: link ${status}`);
    await interaction.editReply({
      embeds: [addedArticleEmbed(article, status)],
      allowedMentions: NO_MENTIONS,
    });
    return "ok";
  });
};

const remove: ChatInputHandler = async (interaction, ctx) => {
  const guildId = requireGuildId(interaction);
  const id = interaction.options.getString("article", true).trim();
  // Acknowledged before the store is touched: a locked database must not cost Discord's 3 s.
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  return orStoreRefusal(interaction, ctx, replies.articleNotRemoved, async () => {
    const result = await removeServerArticle(linkDeps(ctx), ctx.pins, guildId, id);
    if (!result.ok) {
      await replyPrivately(
        interaction,
        result.code === "unknown"
          ? replies.unknownServerArticle(id)
          : result.code === "folder"
            ? replies.folderArticle(result.article.title)
            : replies.articlePinned(result.article.title, result.pins),
      );
      return "invalid";
    }
    ctx.log.info({ article: result.article.id }, "articles: article removed");
    await interaction.editReply({
      content: replies.articleRemoved(result.article.title),
      allowedMentions: NO_MENTIONS,
    });
    return "ok";
  });
};

/**
 * The articles `/articles remove` offers in server `guildId`: its own from feeds and links,
 * newest first (the folder's are the operator's, and another server's are never shown).
 */
function ownArticles(ctx: CommandContext, guildId: string) {
  const { library } = ctx.services;
  return library.list(guildId).filter((article) => library.entry(article.id)?.scope !== "global");
}

export default {
  data,
  subcommands: {
    list: { execute: list },
    add: { preconditions: { managerOnly: true }, execute: add },
    remove: { preconditions: { managerOnly: true }, execute: remove },
  },
  async autocomplete(interaction, ctx) {
    const focused = interaction.options.getFocused(true);
    const guildId = interaction.guildId;
    await interaction.respond(
      focused.name === "article" && guildId !== null
        ? articleChoices(ownArticles(ctx, guildId), focused.value)
        : [],
    );
  },
  components: [pageTurner(articleList)],
} satisfies SlashCommand;
