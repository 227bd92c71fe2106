/**
 * What a server sees of its feeds while the bot runs: each new article posted in the feed's
 * channel (its title linked, its source and date, its two most central sentences and an "Ask
 * about this" button), and a line to its moderators when a feed stops working and when it works
 * again.
 *
 * The poller decides what is new and when a feed is failing (FeedPoller.ts, pollSchedule.ts);
 * this file formats and posts. Posts go through REST to the channel id, so they work from any
 * shard whether or not the channel's server is cached there. A post that Discord refuses
 * (missing access, a deleted channel) is logged with the feed and the channel and never thrown
 * into the poller: a feed's articles are in the library whether or not they were announced.
 */
import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  ComponentType,
  DiscordAPIError,
  type RESTPostAPIChannelMessageJSONBody,
  Routes,
} from "discord.js";
import { byline } from "../../answer/byline.js";
import type { Article } from "../../corpus/article.js";
import type { FeedPollerDependencies } from "../../feeds/FeedPoller.js";
import type { StoredFeed } from "../../feeds/FeedStore.js";
import type { FeedNotice } from "../../feeds/pollSchedule.js";
import { logFeedNotice, logNewArticle } from "../../feeds/startFeeds.js";
import type { Logger } from "../../log.js";
import { SummaryError } from "../../summary/errors.js";
import type { SummaryService } from "../../summary/summaryService.js";
import { askAboutButton } from "../ask/askAbout.js";
import { inlineCode, plainText, safeLinkUrl } from "../format/escape.js";
import { fitEmbeds, LIMITS, truncate } from "../format/limits.js";
import { COLORS, escapedLine } from "../format/parts.js";

/** Sentences of the summary an announcement shows: enough to know what the article is about. */
export const ANNOUNCED_SENTENCES = 2;
/** One sentence of an announcement, at most (an unpunctuated paragraph is one long sentence). */
const SENTENCE_MAX = 600;
/** The source and date line. */
const BYLINE_MAX = 100;
/** A feed's title in a footer or a notice. */
const FEED_TITLE_MAX = 100;
/** A feed's URL in a notice. */
const FEED_URL_MAX = 300;
/** Why a feed fails, in a notice (the fetcher's and parser's reasons are one line). */
const REASON_MAX = 500;
const UNTITLED = "Untitled article";
/** Nobody is pinged by a post, whatever the article or the feed says. */
const NO_PINGS = { parse: [] };

/**
 * A feed as its moderators know it: its title when it has one, and its URL, as a link that
 * shows no preview (`<url>`), or as code when it cannot be linked safely.
 */
function feedName(feed: Pick<StoredFeed, "title" | "url">): string {
  const safe = feed.url.length <= FEED_URL_MAX ? safeLinkUrl(feed.url) : undefined;
  const url = safe === undefined ? inlineCode(feed.url) : `<${safe}>`;
  const title = feed.title === undefined ? "" : escapedLine(feed.title, FEED_TITLE_MAX);
  return title === "" ? url : `**${title}** (${url})`;
}

/**
 * The message announcing `article`: one embed (the title linked to the article, the source and
 * date, the summary's sentences, the feed in the footer) and the "Ask about this" button.
 * Everything from the article and the feed is escaped; nobody is pinged.
 * @param article - the new article
 * @param sentences - its most central sentences, in article order (from the summarizer)
 * @param feed - the feed it came from
 */
export function announcementMessage(
  article: Pick<Article, "id" | "title" | "url" | "source" | "published">,
  sentences: readonly string[],
  feed: Pick<StoredFeed, "title" | "url">,
): RESTPostAPIChannelMessageJSONBody {
  const url = safeLinkUrl(article.url);
  const by = byline(article);
  const lines = [
    ...(by === undefined ? [] : [`*${escapedLine(by, BYLINE_MAX)}*`]),
    ...sentences.map((sentence) => escapedLine(sentence, SENTENCE_MAX)).filter((s) => s !== ""),
  ];
  const from = plainText(feed.title ?? "") || plainText(feed.url);
  const embed: APIEmbed = {
    title: escapedLine(article.title, LIMITS.embedTitle) || UNTITLED,
    ...(url === undefined ? {} : { url }),
    ...(lines.length === 0 ? {} : { description: lines.join("\n\n") }),
    color: COLORS.info,
    footer: { text: truncate(`From the feed ${from}`, FEED_TITLE_MAX + 20) },
  };
  const button = askAboutButton(article.id);
  const components: APIActionRowComponent<APIButtonComponent>[] =
    button === undefined ? [] : [{ type: ComponentType.ActionRow, components: [button] }];
  return { embeds: fitEmbeds([embed]), components, allowed_mentions: NO_PINGS };
}

/** "<t:…:R>": a time Discord shows in the reader's own time zone, as "3 hours ago". */
function since(epochMs: number): string {
  return `<t:${Math.floor(epochMs / 1000)}:R>`;
}

/** The line telling a feed's moderators that it stopped working, or that it works again. */
export function noticeContent(feed: Pick<StoredFeed, "title" | "url">, notice: FeedNotice): string {
  const name = feedName(feed);
  const content =
    notice.kind === "failing"
      ? `⚠️ The feed ${name} stopped working after ${notice.failures} failed tries: ${escapedLine(notice.reason, REASON_MAX)}\nnewsdesk keeps trying, less and less often, and says here when it works again; \`/feeds list\` shows its state.`
      : `✅ The feed ${name} works again (it had failed since ${since(notice.failingSince)}); its new articles come in as before.`;
  return truncate(content, LIMITS.content);
}

/**
 * Discord's refusals that a retry cannot mend: Unknown Channel (10003), Missing Access (50001),
 * Missing Permissions (50013).
 */
const CHANNEL_REFUSALS: ReadonlySet<number> = new Set([10003, 50001, 50013]);

/** The line telling a feed's moderators that its announce channel no longer takes its posts. */
export function unusableChannelContent(
  feed: Pick<StoredFeed, "title" | "url">,
  channelId: string,
  code: number,
): string {
  const why =
    code === 10003
      ? "that channel no longer exists"
      : "newsdesk may no longer see or write there (it needs View Channel, Send Messages and Embed Links)";
  return truncate(
    `⚠️ New articles from the feed ${feedName(feed)} cannot be posted in <#${channelId}>: ${why}. They are still answerable here. Give newsdesk those permissions there, or \`/feeds remove\` the feed and \`/feeds add\` it with another channel.`,
    LIMITS.content,
  );
}

/** Posts a message to a channel: what `client.rest.post` does, so tests can pass their own. */
export interface ChannelPoster {
  post(route: `/${string}`, options: { body: unknown }): Promise<unknown>;
}

/** What {@link createAnnouncer} needs. */
export interface AnnouncerOptions {
  /** The client's REST (`client.rest`). */
  readonly rest: ChannelPoster;
  /** The summarizer, for the sentences an announcement shows. */
  readonly summaries: Pick<SummaryService, "summarizeArticle">;
  readonly log: Logger;
}

/** The poller's `onArticle` and `onNotice`, posting to Discord. Neither ever rejects. */
export interface Announcer {
  /**
   * Announces a new article in its feed's channel: only when the feed has one, and not for the
   * feed's first good poll (`lastSuccessAt` unset as the poll began), whose items are the feed's
   * back catalogue, taken in silently as MonitoRSS does for a new feed.
   * @returns once posted, or refused and logged
   */
  onArticle(article: Article, feed: StoredFeed): Promise<void>;
  /**
   * Tells a server's feed moderators that a feed fails or works again, in the feed's channel or
   * else where it was added; an operator's feed (no server) is only logged.
   */
  onNotice(feed: StoredFeed, notice: FeedNotice): Promise<void>;
  /**
   * Resolves once the posts under way are done, or after `timeoutMs`: a stop lets the poll's
   * last announcements go out before the client closes (its items are marked seen already).
   * @returns how many were still under way at the timeout
   */
  settle(timeoutMs: number): Promise<number>;
}

/** Discord's code and HTTP status of a refused post, for the log line. */
function refusalFields(error: unknown): Record<string, unknown> {
  return error instanceof DiscordAPIError
    ? { code: error.code, status: error.status, err: error }
    : { err: error };
}

/**
 * The feed poller's `onArticle` and `onNotice` as the bot wires them: each event logged, then
 * announced by the announcer once there is one (the poller is made before the Discord client,
 * and started only once it is ready).
 */
export function announcedFeedEvents(
  log: Logger,
  announcer: () => Announcer | undefined,
): Pick<FeedPollerDependencies, "onArticle" | "onNotice"> {
  return {
    onArticle: (article, feed) => {
      logNewArticle(log, article, feed);
      void announcer()?.onArticle(article, feed);
    },
    onNotice: (feed, notice) => {
      logFeedNotice(log, feed, notice);
      void announcer()?.onNotice(feed, notice);
    },
  };
}

/** Makes the announcer; see {@link Announcer}. */
export function createAnnouncer(options: AnnouncerOptions): Announcer {
  const { rest, summaries, log } = options;
  const underWay = new Set<Promise<void>>();

  /** Runs `work` counted as under way (see `settle`). */
  function track(work: Promise<void>): Promise<void> {
    underWay.add(work);
    return work.finally(() => underWay.delete(work));
  }

  /** Feeds whose moderators were told that their announce channel refuses the bot. */
  const toldUnusable = new Set<number>();

  /** @returns whether Discord took the post (its refusal is logged, never thrown) */
  async function post(
    channelId: string,
    body: RESTPostAPIChannelMessageJSONBody,
    fields: Record<string, unknown>,
    what: string,
  ): Promise<{ posted: true } | { posted: false; error: unknown }> {
    try {
      await rest.post(Routes.channelMessages(channelId), { body });
      log.info({ ...fields, channelId }, `feeds: ${what} posted`);
      return { posted: true };
    } catch (error) {
      log.warn({ ...fields, channelId, ...refusalFields(error) }, `feeds: ${what} not posted`);
      return { posted: false, error };
    }
  }

  /**
   * The announce channel refused the bot for good (deleted, or its access or permissions taken
   * away): discord.js retries what is passing (5xx, rate limits), not this. The moderators are
   * told once, in the channel /feeds add was run in, while the feed's articles stay answerable.
   */
  async function tellUnusable(feed: StoredFeed, error: unknown): Promise<void> {
    const code = error instanceof DiscordAPIError ? Number(error.code) : undefined;
    if (code === undefined || !CHANNEL_REFUSALS.has(code)) return;
    const { channelId, noticeChannelId } = feed;
    if (channelId === undefined || noticeChannelId === undefined) return;
    if (noticeChannelId === channelId || toldUnusable.has(feed.id)) return;
    toldUnusable.add(feed.id);
    const body = {
      content: unusableChannelContent(feed, channelId, code),
      allowed_mentions: NO_PINGS,
    };
    await post(noticeChannelId, body, { feed: feed.url, feedId: feed.id }, "channel notice");
  }

  return {
    onArticle: (article, feed) => track(announce(article, feed)),
    onNotice: (feed, notice) => track(tell(feed, notice)),

    async settle(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      });
      await Promise.race([Promise.allSettled([...underWay]), timeout]);
      clearTimeout(timer);
      return underWay.size;
    },
  };

  async function announce(article: Article, feed: StoredFeed): Promise<void> {
    const fields = { feed: feed.url, feedId: feed.id, article: article.id };
    if (feed.channelId === undefined) return;
    if (feed.lastSuccessAt === undefined) {
      log.debug(fields, "feeds: not announced, first poll of the feed");
      return;
    }
    const reader = feed.scope === "global" ? undefined : feed.scope.guildId;
    let sentences: string[];
    try {
      sentences = summaries
        .summarizeArticle(article.id, { sentences: ANNOUNCED_SENTENCES, guildId: reader })
        .sentences.map((sentence) => sentence.text);
    } catch (error) {
      if (error instanceof SummaryError) {
        // Removed between its poll and now (a server's limit, a moderator): nothing to ask about.
        log.info({ ...fields, err: error }, "feeds: not announced, article no longer there");
      } else {
        log.error({ ...fields, err: error }, "feeds: not announced, the summary failed");
      }
      return;
    }
    const body = announcementMessage(article, sentences, feed);
    const result = await post(feed.channelId, body, fields, "announcement");
    if (!result.posted) await tellUnusable(feed, result.error);
  }

  async function tell(feed: StoredFeed, notice: FeedNotice): Promise<void> {
    const fields = { feed: feed.url, feedId: feed.id, notice: notice.kind };
    const channelId = feed.channelId ?? feed.noticeChannelId;
    if (feed.scope === "global" || channelId === undefined) {
      // The operator reads the log, where the poller's own line already says it.
      log.debug(fields, `feeds: feed ${notice.kind}, no channel to tell`);
      return;
    }
    const body = { content: noticeContent(feed, notice), allowed_mentions: NO_PINGS };
    await post(
      channelId,
      body,
      { ...fields, guildId: feed.scope.guildId },
      `${notice.kind} notice`,
    );
  }
}
