/**
 * `/feeds add url:<feed> [channel:<#channel>]`: the server follows a feed; its articles become
 * answerable here, and with a channel, its new ones are posted there.
 * `/feeds list`: the server's feeds and how each is doing, privately.
 * `/feeds remove feed:<n>`: the server stops following a feed (completed from its own feeds).
 *
 * For members with Manage Server: shown to them by default, and checked again in the handler's
 * turn (`managerOnly`), since server admins can change who sees a command. A server's feeds are
 * its own: another server never sees them in the list, the choices or a removal.
 */
import {
  ChannelType,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
} from "discord.js";
import { MAX_CHOICES } from "../src/discord/articles/articleChoices.js";
import { missingPostPermissions } from "../src/discord/feeds/postable.js";
import { feedChoice, feedListEmbed, feedName, NO_MENTIONS } from "../src/discord/format/format.js";
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
import { MANAGER_PERMISSIONS, requireGuildId } from "../src/discord/framework/preconditions.js";
import { replyPrivately } from "../src/discord/framework/respond.js";
import { storeChoices } from "../src/discord/framework/storeChoices.js";
import { orStoreRefusal } from "../src/discord/framework/storeRefusal.js";
import { checkFeed, MAX_FEED_URL_CHARS } from "../src/feeds/checkFeed.js";
import { FeedStoreError } from "../src/feeds/errors.js";
import type { StoredFeed } from "../src/feeds/FeedStore.js";
import { normalizeLink } from "../src/ingest/links.js";
import { pageOf } from "../src/page.js";

const data = new SlashCommandBuilder()
  .setName("feeds")
  .setDescription("The news feeds this server follows (Manage Server)")
  .setContexts(InteractionContextType.Guild)
  .setDefaultMemberPermissions(MANAGER_PERMISSIONS)
  .addSubcommand((sub) =>
    sub
      .setName("add")
      .setDescription("Follow a feed: its articles become answerable here")
      .addStringOption((option) =>
        option
          .setName("url")
          .setDescription("The feed's address (RSS, Atom or JSON Feed), https://…")
          .setRequired(true)
          .setMaxLength(MAX_FEED_URL_CHARS),
      )
      .addChannelOption((option) =>
        option
          .setName("channel")
          .setDescription("Where to post its new articles (default: not posted)")
          .addChannelTypes(ChannelType.GuildText, ChannelType.GuildAnnouncement),
      ),
  )
  .addSubcommand((sub) =>
    sub.setName("list").setDescription("The feeds this server follows, and how each is doing"),
  )
  .addSubcommand((sub) =>
    sub
      .setName("remove")
      .setDescription("Stop following a feed")
      .addIntegerOption((option) =>
        option
          .setName("feed")
          .setDescription("The feed, as /feeds list numbers it")
          .setRequired(true)
          .setMinValue(1)
          .setAutocomplete(true),
      ),
  )
  .toJSON();

const feedList: PagedList = {
  prefix: "feeds:list",
  preconditions: { managerOnly: true },
  readsStore: true,
  async render(interaction, ctx, page) {
    const feeds = await ctx.sources.store.listFeeds({ guildId: requireGuildId(interaction) });
    const shown = pageOf(feeds, { page, pageSize: PAGE_SIZE });
    return { page: shown, embed: feedListEmbed(shown, PAGE_SIZE, ctx.config.feeds.perServer) };
  },
};

const add: ChatInputHandler = async (interaction, ctx) => {
  const guildId = requireGuildId(interaction);
  const url = interaction.options.getString("url", true);
  const channel = interaction.options.getChannel("channel", false, [
    ChannelType.GuildText,
    ChannelType.GuildAnnouncement,
  ]);
  // The check reads the feed over the network (up to the fetcher's 15 s): acknowledged first.
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  if (channel !== null) {
    const missing = missingPostPermissions(interaction.guild, channel.id);
    if (missing === undefined) {
      ctx.log.debug({ channelId: channel.id }, "feeds: the bot's permissions there are not known");
    } else if (missing.length > 0) {
      await replyPrivately(interaction, replies.feedChannelUnusable(channel.id, missing));
      return "invalid";
    }
  }
  return orStoreRefusal(interaction, ctx, replies.feedNotKept, async () => {
    const { store } = ctx.sources;
    // Cheap refusals first, before the site is asked; the store checks both again as it adds.
    const followed = await store.listFeeds({ guildId });
    const normalized = normalizeLink(url);
    if (normalized !== undefined && followed.some((feed) => feed.url === normalized)) {
      await replyPrivately(interaction, replies.duplicateFeed(normalized));
      return "invalid";
    }
    if (followed.length >= ctx.config.feeds.perServer) {
      await replyPrivately(interaction, replies.tooManyFeeds(ctx.config.feeds.perServer));
      return "invalid";
    }
    const checked = await checkFeed(url, ctx.sources.fetch);
    if (!checked.ok) {
      const { error } = checked;
      ctx.log.info({ code: error.code, reason: error.message }, "feeds: feed refused");
      await replyPrivately(interaction, replies.feedRefused(error));
      return "invalid";
    }
    const feed = checked.value;
    let stored: StoredFeed;
    try {
      stored = await store.addFeed(
        {
          scope: { guildId },
          url: feed.url,
          ...(channel === null ? {} : { channelId: channel.id }),
          noticeChannelId: interaction.channelId,
          ...(feed.title === undefined ? {} : { title: feed.title }),
          addedBy: interaction.user.id,
          addedAt: ctx.now(),
        },
        ctx.config.feeds.perServer,
      );
    } catch (error) {
      if (!(error instanceof FeedStoreError)) throw error;
      await replyPrivately(
        interaction,
        error.code === "DUPLICATE_FEED"
          ? replies.duplicateFeed(feed.url)
          : replies.tooManyFeeds(ctx.config.feeds.perServer),
      );
      return "invalid";
    }
    ctx.sources.wakePoller();
    ctx.log.info({ feedId: stored.id, feed: stored.url, items: feed.items }, "feed added");
    await interaction.editReply({
      content: replies.feedAdded(
        feedName(stored),
        feed.items,
        ctx.config.feeds.itemsPerPoll,
        stored.channelId,
      ),
      allowedMentions: NO_MENTIONS,
    });
    return "ok";
  });
};

const list: ChatInputHandler = async (interaction, ctx) => {
  // The list is read from the database: acknowledged first.
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  await interaction.editReply(await listMessage(feedList, interaction, ctx, 1));
  return "ok";
};

const remove: ChatInputHandler = async (interaction, ctx) => {
  const guildId = requireGuildId(interaction);
  const id = interaction.options.getInteger("feed", true);
  // Acknowledged before the store is touched: a locked database must not cost Discord's 3 s.
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  return orStoreRefusal(interaction, ctx, replies.feedNotRemoved, async () => {
    // Scoped to this server: another server's feed id is "no such feed" here.
    const removed = await ctx.sources.store.removeFeed({ guildId }, id);
    if (removed === undefined) {
      await replyPrivately(interaction, replies.unknownFeed(id));
      return "invalid";
    }
    ctx.log.info({ feedId: removed.id, feed: removed.url }, "feed removed");
    await interaction.editReply({
      content: replies.feedRemoved(feedName(removed), removed.id, ctx.config.feeds.retentionDays),
      allowedMentions: NO_MENTIONS,
    });
    return "ok";
  });
};

/**
 * The choices for `/feeds remove feed:`: the server's feeds, oldest first, at most 25; digits
 * typed match the start of the number, words the title or the address.
 */
async function feedChoices(ctx: CommandContext, guildId: string, typed: string) {
  const needle = typed.trim().toLowerCase();
  const feeds = await storeChoices(ctx, ctx.sources.store.listFeeds({ guildId }), "feed");
  return (feeds ?? [])
    .filter((feed) => {
      if (needle === "") return true;
      if (/^#?\d+$/.test(needle)) return String(feed.id).startsWith(needle.replace("#", ""));
      return `${feed.title ?? ""} ${feed.url}`.toLowerCase().includes(needle);
    })
    .slice(0, MAX_CHOICES)
    .map(feedChoice);
}

export default {
  data,
  preconditions: { managerOnly: true },
  subcommands: {
    add: { execute: add },
    list: { execute: list },
    remove: { execute: remove },
  },
  async autocomplete(interaction, ctx) {
    // Autocomplete runs no preconditions: a member who cannot manage feeds is shown none.
    const guildId = interaction.guildId;
    const manager = interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false;
    const focused = interaction.options.getFocused(true);
    await interaction.respond(
      guildId === null || !manager || focused.name !== "feed"
        ? []
        : await feedChoices(ctx, guildId, String(focused.value)),
    );
  },
  components: [pageTurner(feedList)],
} satisfies SlashCommand;
