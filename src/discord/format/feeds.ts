/**
 * A server's feeds as Discord shows them to its managers: the `/feeds list` embed and the
 * `/feeds remove` choices. Pure: feed titles, addresses and errors come from the sites, so they
 * are escaped (they cannot form markdown, masked links or mentions) and cut to a budget.
 */
import type { APIEmbed } from "discord.js";
import type { StoredFeed } from "../../feeds/FeedStore.js";
import type { Page } from "../../page.js";
import { plainText } from "./escape.js";
import { fitEmbeds, LIMITS, truncate } from "./limits.js";
import { listDescription, pagePosition } from "./lists.js";
import { COLORS, counted, escapedLine, maybeLink } from "./parts.js";

/** A feed's title in the list: one line each. */
const LIST_TITLE_MAX = 80;
/** The last error shown in the list: enough to act on, not a page of it. */
const LIST_ERROR_MAX = 160;
/** A Discord id: a snowflake, digits only (anything else is not mentioned). */
const SNOWFLAKE = /^\d{1,20}$/;

/** Unix seconds of a time in ms since the epoch, undefined when it is not a usable time. */
function unixSeconds(ms: number | undefined): number | undefined {
  if (ms === undefined || !Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return undefined;
  return Math.floor(ms / 1000);
}

/** `<t:…:R>` ("3 minutes ago" in each reader's client), or "" for an unusable time. */
function relative(ms: number | undefined): string {
  const seconds = unixSeconds(ms);
  return seconds === undefined ? "" : `<t:${seconds}:R>`;
}

/** What a feed shows as its name: its title, else its address (the host and path). */
export function feedName(feed: Pick<StoredFeed, "title" | "url">): string {
  const title = feed.title?.trim();
  if (title !== undefined && title !== "") return title;
  try {
    const url = new URL(feed.url);
    return `${url.host}${url.pathname === "/" ? "" : url.pathname}`;
  } catch {
    return feed.url;
  }
}

/**
 * How a feed is doing, in words: failing since when and why; read when last; or not read yet
 * (a feed just added, before its first poll). A failure after a success, not yet "failing"
 * (the poller retries before telling anyone), shows its reason too.
 */
function feedState(feed: StoredFeed): string {
  const { state } = feed;
  const error =
    state.lastError === undefined ? "" : `: ${escapedLine(state.lastError, LIST_ERROR_MAX)}`;
  if (state.failingSince !== undefined) {
    const since = relative(state.failingSince);
    return `⚠️ failing${since === "" ? "" : ` since ${since}`}${error}`;
  }
  const read =
    feed.lastSuccessAt === undefined
      ? "⏳ not read yet"
      : `✅ read ${relative(feed.lastSuccessAt)}`;
  return state.failures > 0 ? `${read} · last try failed${error}` : read;
}

/** Where a feed's new articles are posted: the channel, or that they are not posted. */
function feedChannel(feed: StoredFeed): string {
  if (feed.channelId === undefined) return "not posted";
  return SNOWFLAKE.test(feed.channelId) ? `posted in <#${feed.channelId}>` : "posted";
}

/**
 * One page of a server's feeds, for /feeds list: a line per feed,
 * `**#id** [Title](feed url) · posted in <#channel> · ✅ read <t:…:R>` (or `⚠️ failing since
 * <t:…:R>: reason`, or `⏳ not read yet`), and `Page X of Y · N of L feeds` in the footer.
 * @param page - the page of the server's feeds (more items than `pageSize` are cut)
 * @param pageSize - feeds per page
 * @param limit - the most feeds the server may follow (FEEDS_PER_SERVER)
 */
export function feedListEmbed(page: Page<StoredFeed>, pageSize: number, limit: number): APIEmbed {
  const size = Math.max(1, Math.floor(pageSize) || 1);
  const lines = page.items.slice(0, size).map((feed) => {
    const name = escapedLine(feedName(feed), LIST_TITLE_MAX) || "Untitled feed";
    const details = [feedChannel(feed), feedState(feed)];
    const line = (shown: string) => [`**#${feed.id}** ${shown}`, ...details].join(" · ");
    return [line(maybeLink(name, feed.url)), line(name)];
  });
  const { current, pages } = pagePosition(page);
  const total = Math.max(0, page.total);
  const fitted = fitEmbeds([
    {
      title: "Feeds this server follows",
      description: listDescription(
        lines,
        page,
        "This server follows no feed yet. Add one with `/feeds add url:` and the feed's address (RSS, Atom or JSON Feed); with `channel:`, its new articles are posted there too.",
        "feeds",
      ),
      color: COLORS.info,
      footer: {
        text: `Page ${current} of ${pages} · ${total.toLocaleString("en-US")} of ${counted(limit, "feed")} allowed`,
      },
    },
  ]);
  return fitted[0] ?? { description: "…" };
}

/**
 * The autocomplete choice of a feed for `/feeds remove feed:`: `#id · Title · address`, plain
 * text cut at 100, the feed's id as value.
 */
export function feedChoice(feed: StoredFeed): { name: string; value: number } {
  const name = feedName(feed);
  const parts = [`#${feed.id}`, name, ...(feed.title?.trim() ? [feed.url] : [])];
  return { name: truncate(plainText(parts.join(" · ")), LIMITS.choiceName), value: feed.id };
}
