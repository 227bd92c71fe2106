/**
 * Polls the stored feeds while the bot runs: each due feed is fetched (conditionally, with its
 * ETag and Last-Modified), parsed, and its new items turned into articles (the linked page's,
 * else the item's own text), which go into the store and the library with the feed's scope.
 * When to poll next and when to tell moderators is `afterPoll`'s decision, saved with the feed,
 * so a restart goes on from the database without polling everything at once.
 *
 * No discord.js here: what to announce comes out through `onArticle` and `onNotice`. Time comes
 * from an injected {@link PollerClock}, so tests decide when "later" is. A feed's failure is its
 * own: nothing a feed, a page or the database does is thrown into the event loop.
 */
import type { Article } from "../corpus/article.js";
import { dedupKeys } from "../ingest/dedupKeys.js";
import type { FeedItem } from "../ingest/feed.js";
import { parseFeed } from "../ingest/parseFeed.js";
import { readArticle } from "../ingest/readArticle.js";
import type { Fetcher } from "../ingest/safeFetch.js";
import type { Library } from "../library/Library.js";
import { type Logger, reasonOf } from "../log.js";
import type { FeedStore, StoredFeed } from "./FeedStore.js";
import { HostLimiter, type HostLimits } from "./HostLimiter.js";
import { type ArticleSource, articleFromItem, fetchedArticleId } from "./itemArticle.js";
import { afterPoll, type FeedNotice, type PollOutcome, type PollParams } from "./pollSchedule.js";

/** The clock and timer the poller runs on. */
export interface PollerClock {
  now(): number;
  /** Calls `run` after `ms`; the handle goes to `clear`. */
  setTimer(run: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

/** Real time; the timer does not keep the process alive. */
export const SYSTEM_CLOCK: PollerClock = {
  now: Date.now,
  setTimer: (run, ms) => setTimeout(run, ms).unref(),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** What the poller needs. */
export interface FeedPollerDependencies {
  readonly store: FeedStore;
  readonly library: Library;
  /** Fetches feeds and pages (`createFetcher`). */
  readonly fetch: Fetcher;
  readonly log: Logger;
  /** A new article, added to the library and the store (for announcements). */
  readonly onArticle: (article: Article, feed: StoredFeed) => void;
  /** A feed became failing, or works again (told once each). */
  readonly onNotice: (feed: StoredFeed, notice: FeedNotice) => void;
  /** Every failed poll, with what failed (the metrics count them); none by default. */
  readonly onPollFailed?: (feed: StoredFeed, kind: PollFailure) => void;
}

/**
 * What made a poll fail: the fetch (the site: unreachable, an HTTP error, too large, a refused
 * address), the parse (what came back is not a feed newsdesk reads), or something unexpected
 * (the database, or a bug).
 */
export type PollFailure = "fetch" | "parse" | "unexpected";

/** Tuning of {@link FeedPoller}. */
export interface FeedPollerOptions {
  readonly clock?: PollerClock;
  /** Overrides of `DEFAULT_POLL_PARAMS` (intervalMs from FEED_POLL_SECONDS). */
  readonly poll?: Partial<PollParams>;
  /** New items taken from a feed per poll (FEED_ITEMS_PER_POLL). */
  readonly itemsPerPoll?: number;
  /** A server's fetched articles at most (ARTICLES_PER_SERVER): its oldest unpinned feed ones go. */
  readonly articlesPerServer?: number;
  /** Feed articles older than this are pruned unless a pin cites them (FEED_RETENTION_DAYS). */
  readonly retentionDays?: number;
  /** Requests at once, per host and in all. */
  readonly hostLimits?: Partial<HostLimits>;
  /** The longest wait between two looks at the due feeds (a feed added meanwhile waits this). */
  readonly maxWaitMs?: number;
  /** For the jitter (tests pass their own). */
  readonly random?: () => number;
}

/**
 * The defaults of {@link FeedPollerOptions}: the (the bot passes its settings over them);
 * a look at the due feeds at least once a minute, so a feed added meanwhile waits no longer.
 */
export const DEFAULT_POLLER_OPTIONS = {
  clock: SYSTEM_CLOCK,
  poll: {},
  itemsPerPoll: 20,
  articlesPerServer: 2000,
  retentionDays: 365,
  hostLimits: {},
  maxWaitMs: 60_000,
  random: Math.random,
} as const satisfies Required<FeedPollerOptions>;

const DAY_MS = 86_400_000;
/**
 * The shortest wait between two looks: what is still due right after a look is held back (its
 * poll could not be recorded), and must not spin the timer.
 */
const MIN_WAIT_MS = 1_000;
/** Retention is applied at most this often. */
const PRUNE_EVERY_MS = 3_600_000;

function hostOf(url: string): string {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return url;
  }
}

/** Polls the due feeds on a timer; see the file comment. */
export class FeedPoller {
  readonly #deps: FeedPollerDependencies;
  readonly #options: Required<FeedPollerOptions>;
  readonly #limiter: HostLimiter;
  /** Feeds being polled, by id: a slow feed is not polled twice at once. */
  readonly #inFlight = new Map<number, Promise<void>>();
  #timer: unknown;
  #running = false;
  /**
   * Set by `stop` and while `pause` runs: nothing new starts (feeds, pages), what runs finishes
   * and is saved.
   */
  #stopping = false;
  /** Set by `stop` for good: `start` does nothing afterwards. */
  #stopped = false;
  /** The {@link pause} under way, if any: a `start` meanwhile waits for it. */
  #pausing: Promise<void> | undefined;
  /** The look at the due feeds under way, if any. */
  #tick: Promise<void> | undefined;
  /** {@link wake} was called during the look under way: the next look comes at once. */
  #wokenDuringTick = false;
  #lastPruneAt = Number.NEGATIVE_INFINITY;
  /**
   * Feeds whose poll could not be recorded (the database refused it), with the time their next
   * poll was meant for: they are left alone until then, rather than polled at every look.
   */
  readonly #holdUntil = new Map<number, number>();

  constructor(deps: FeedPollerDependencies, options: FeedPollerOptions = {}) {
    this.#deps = deps;
    this.#options = { ...DEFAULT_POLLER_OPTIONS, ...options };
    this.#limiter = new HostLimiter(this.#options.hostLimits);
  }

  /**
   * Starts polling: the due feeds now, then whenever the next is due. Again after a
   * {@link pause} (once the pause is done); never after {@link stop}.
   */
  start(): void {
    if (this.#running || this.#stopped) return;
    if (this.#pausing !== undefined) {
      // The look under way would otherwise schedule the next beside the new one.
      void this.#pausing.then(() => this.start());
      return;
    }
    this.#running = true;
    this.#stopping = false;
    this.#schedule(0);
  }

  /**
   * Stops polling as {@link stop} does (no new look, the polls in flight finish and are saved,
   * what waits for the host limiter is not fetched), but {@link start} works again afterwards:
   * this process stopped being the one that polls (see src/index.ts).
   */
  pause(): Promise<void> {
    this.#pausing ??= (async () => {
      try {
        await this.#halt();
      } finally {
        this.#pausing = undefined;
        if (!this.#stopped) this.#stopping = false;
      }
    })();
    return this.#pausing;
  }

  /**
   * Looks at the due feeds now instead of at the next planned time: a feed was just added (by
   * this process or, through the shared database, another). Does nothing when not running;
   * while a look is under way, another follows it at once (the look under way may have read
   * the due feeds, or the next poll time, before the feed was added).
   */
  wake(): void {
    if (!this.#running) return;
    if (this.#tick !== undefined) {
      this.#wokenDuringTick = true;
      return;
    }
    if (this.#timer !== undefined) this.#options.clock.clear(this.#timer);
    this.#timer = undefined;
    this.#schedule(0);
  }

  /**
   * Stops the timer and waits for the polls in flight: the requests already sent finish and
   * their results are saved; feeds and pages still waiting for the host limiter are not fetched
   * (their items are not marked seen, so the next start takes them). The poller cannot be
   * started again.
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#halt();
  }

  async #halt(): Promise<void> {
    this.#running = false;
    this.#stopping = true;
    if (this.#timer !== undefined) this.#options.clock.clear(this.#timer);
    this.#timer = undefined;
    await this.#tick;
    await Promise.all(this.#inFlight.values());
  }

  #schedule(ms: number): void {
    if (!this.#running) return;
    this.#timer = this.#options.clock.setTimer(() => {
      this.#timer = undefined;
      this.#tick = (async () => {
        await this.pollDue();
        const wait = await this.#untilNext();
        const woken = this.#wokenDuringTick;
        this.#wokenDuringTick = false;
        this.#tick = undefined;
        this.#schedule(woken ? 0 : Math.min(this.#options.maxWaitMs, Math.max(MIN_WAIT_MS, wait)));
      })();
    }, ms);
  }

  /** How long until the next feed is due; the longest wait when none is or it cannot be read. */
  async #untilNext(): Promise<number> {
    try {
      const next = await this.#deps.store.nextPollAt();
      if (next !== undefined) return next - this.#options.clock.now();
    } catch (error) {
      // Never into the event loop: the next look comes after the longest wait.
      this.#deps.log.error({ err: error }, "feeds: could not read the next poll time");
    }
    return this.#options.maxWaitMs;
  }

  /**
   * Polls every feed due now (not those in flight) and applies retention when it is time.
   * Never rejects: each feed's failure is logged and recorded on the feed.
   */
  async pollDue(): Promise<void> {
    if (this.#stopping) return;
    const now = this.#options.clock.now();
    await this.#pruneIfDue(now);
    let due: StoredFeed[];
    try {
      due = await this.#deps.store.dueFeeds(now);
    } catch (error) {
      this.#deps.log.error(
        { err: error },
        "feeds: could not read the due feeds; trying again later",
      );
      return;
    }
    const polls = due
      .filter((feed) => !this.#inFlight.has(feed.id) && (this.#holdUntil.get(feed.id) ?? 0) <= now)
      .map((feed) => {
        const poll = this.#pollFeed(feed).finally(() => this.#inFlight.delete(feed.id));
        this.#inFlight.set(feed.id, poll);
        return poll;
      });
    await Promise.all(polls);
  }

  async #pruneIfDue(now: number): Promise<void> {
    if (now - this.#lastPruneAt < PRUNE_EVERY_MS) return;
    this.#lastPruneAt = now;
    try {
      const removed = await this.#deps.store.pruneArticles(
        now - this.#options.retentionDays * DAY_MS,
      );
      for (const id of removed) this.#deps.library.remove(id);
      if (removed.length > 0) {
        this.#deps.log.info({ removed: removed.length }, "feeds: old feed articles removed");
      }
    } catch (error) {
      this.#deps.log.error({ err: error }, "feeds: retention could not be applied; trying later");
    }
  }

  /** Polls one feed and records the outcome; never rejects. */
  async #pollFeed(feed: StoredFeed): Promise<void> {
    const { log } = this.#deps;
    let outcome: PollOutcome;
    let failure: PollFailure | undefined;
    let title: string | undefined;
    let validators: { etag?: string; lastModified?: string } = {
      ...(feed.etag === undefined ? {} : { etag: feed.etag }),
      ...(feed.lastModified === undefined ? {} : { lastModified: feed.lastModified }),
    };
    try {
      const result = await this.#limiter.run(hostOf(feed.url), async () =>
        this.#stopping ? undefined : this.#deps.fetch(feed.url, validators),
      );
      // Stopped before its turn, or cut short by the stop: left due, as it was.
      if (result === undefined || (!result.ok && result.error.code === "aborted")) return;
      if (!result.ok) {
        const { error } = result;
        failure = "fetch";
        outcome = {
          ok: false,
          reason: error.message,
          ...(error.retryAfterSeconds === undefined
            ? {}
            : { retryAfterMs: error.retryAfterSeconds * 1000 }),
        };
      } else if (result.value.kind === "notModified") {
        outcome = { ok: true };
        log.debug({ feed: feed.url }, "feeds: not modified");
      } else {
        const fetched = result.value;
        const parsed = parseFeed(fetched.text, fetched.finalUrl);
        if (!parsed.ok) {
          failure = "parse";
          outcome = { ok: false, reason: parsed.error.message };
        } else {
          title = parsed.value.title;
          const complete = await this.#takeItems(feed, parsed.value.items, parsed.value.title);
          // Items left for later (the per-poll limit, a stop, a failed save) must come back
          // with the next answer: a 304 would hide them until the feed changes. So the new
          // validators are kept only once every item is taken.
          if (complete && (fetched.etag !== undefined || fetched.lastModified !== undefined)) {
            validators = {
              ...(fetched.etag === undefined ? {} : { etag: fetched.etag }),
              ...(fetched.lastModified === undefined ? {} : { lastModified: fetched.lastModified }),
            };
          }
          outcome = { ok: true };
        }
      }
    } catch (error) {
      // A database or programming error: the feed backs off as after a failed fetch.
      log.error({ feed: feed.url, err: error }, "feeds: poll failed unexpectedly");
      failure = "unexpected";
      outcome = { ok: false, reason: `feeds: ${reasonOf(error)}` };
    }
    if (failure !== undefined) this.#deps.onPollFailed?.(feed, failure);
    await this.#record(feed, outcome, { ...validators, ...(title === undefined ? {} : { title }) });
  }

  async #record(
    feed: StoredFeed,
    outcome: PollOutcome,
    validators: { etag?: string; lastModified?: string; title?: string },
  ): Promise<void> {
    const now = this.#options.clock.now();
    const decision = afterPoll(feed.state, outcome, now, this.#options.poll, this.#options.random);
    try {
      await this.#deps.store.recordPoll(feed.id, {
        ...validators,
        nextPollAt: decision.nextPollAt,
        state: decision.state,
        ...(outcome.ok ? { succeededAt: now } : {}),
      });
    } catch (error) {
      // Not recorded: the stored feed stays due; it is held back in memory until the time
      // decided (so a refusing database does not turn into a request a second), and its notice
      // comes with the poll that is recorded.
      this.#holdUntil.set(feed.id, decision.nextPollAt);
      this.#deps.log.error(
        { feed: feed.url, err: error },
        "feeds: poll state not saved; the feed is polled again at its next time",
      );
      return;
    }
    this.#holdUntil.delete(feed.id);
    if (!outcome.ok) {
      this.#deps.log.warn(
        { feed: feed.url, failures: decision.state.failures, reason: outcome.reason },
        "feeds: poll failed",
      );
    }
    if (decision.notice !== undefined) this.#notify(feed, decision.notice);
  }

  #notify(feed: StoredFeed, notice: FeedNotice): void {
    try {
      this.#deps.onNotice(feed, notice);
    } catch (error) {
      this.#deps.log.error({ feed: feed.url, err: error }, "feeds: notice handler failed");
    }
  }

  /**
   * Takes the feed's new items, at most `itemsPerPoll`, in the feed's order.
   * @returns whether every new item was taken (none left by the limit, a stop or a failed save)
   */
  async #takeItems(
    feed: StoredFeed,
    items: readonly FeedItem[],
    feedTitle: string | undefined,
  ): Promise<boolean> {
    const fresh: { item: FeedItem; keys: string[] }[] = [];
    let leftOver = false;
    // A feed that lists an item twice in one document: the first is taken.
    const inThisPoll = new Set<string>();
    for (const item of items) {
      const keys = dedupKeys({
        ...item,
        ...(item.content === undefined ? {} : { text: item.content }),
      });
      if (keys.length === 0 || keys.some((key) => inThisPoll.has(key))) continue;
      for (const key of keys) inThisPoll.add(key);
      if (await this.#deps.store.hasSeen(feed.id, keys)) continue;
      if (fresh.length >= this.#options.itemsPerPoll) {
        leftOver = true;
        break;
      }
      fresh.push({ item, keys });
    }
    // Pages are fetched together (the limiter keeps it polite); each item is saved as it comes,
    // and one that cannot be saved is logged and taken again at the next poll (not marked seen).
    const taken = await Promise.all(
      fresh.map(({ item, keys }) =>
        this.#takeItem(feed, item, keys, feedTitle).catch((error: unknown) => {
          this.#deps.log.error(
            { feed: feed.url, item: item.link ?? item.guid, err: error },
            "feeds: item not saved; it is taken again at the next poll",
          );
          return false;
        }),
      ),
    );
    return !leftOver && taken.every(Boolean);
  }

  /** Takes one new item; false when the poller stopped before its page was fetched. */
  async #takeItem(
    feed: StoredFeed,
    item: FeedItem,
    keys: string[],
    feedTitle: string | undefined,
  ): Promise<boolean> {
    const { store, library, log } = this.#deps;
    const id = fetchedArticleId(feed.scope, keys[0] as string);
    const now = this.#options.clock.now();
    const existing = library.entry(id);
    if (existing !== undefined) {
      // The same item from another feed of this scope: already answerable.
      await store.saveItem(feed.id, keys, now);
      return true;
    }
    const source = await this.#readPage(feed, item);
    // Stopped before the page's turn: not seen, taken at the next start.
    if (source === undefined) return false;
    const article = articleFromItem(id, item, source, feedTitle);
    if (article === undefined) {
      log.info(
        { feed: feed.url, item: item.link ?? item.guid ?? item.title },
        "feeds: item skipped, no article on its page and no content in the feed",
      );
      await store.saveItem(feed.id, keys, now);
      return true;
    }
    await store.saveItem(feed.id, keys, now, {
      article,
      scope: feed.scope,
      origin: { kind: "feed", feedId: feed.id },
      addedAt: now,
    });
    if (feed.scope !== "global") {
      const trimmed = await store.trimArticles(feed.scope.guildId, this.#options.articlesPerServer);
      for (const old of trimmed) library.remove(old);
      if (trimmed.length > 0) {
        log.info(
          { guildId: feed.scope.guildId, removed: trimmed },
          "feeds: oldest articles removed (ARTICLES_PER_SERVER)",
        );
      }
    }
    try {
      library.add(article, feed.scope);
      this.#deps.onArticle(article, feed);
    } catch (error) {
      log.error(
        { feed: feed.url, article: id, err: error },
        "feeds: article not added or not announced",
      );
    }
    return true;
  }

  /**
   * The item's page article, or the item itself when the page cannot be read; undefined when
   * the poller stopped before the page's turn.
   */
  async #readPage(feed: StoredFeed, item: FeedItem): Promise<ArticleSource | undefined> {
    if (item.link === undefined) return { kind: "item" };
    const link = item.link;
    const result = await this.#limiter.run(hostOf(link), async () =>
      // Read inside the host's turn too: the extraction is quick beside the fetch.
      this.#stopping ? undefined : readArticle(this.#deps.fetch, link, item.published),
    );
    // Stopped before the page's turn or during its fetch: the item is taken at the next start.
    if (result === undefined || (!result.ok && result.error.code === "aborted")) return undefined;
    const reason = (why: string): ArticleSource => {
      this.#deps.log.info(
        { feed: feed.url, link, reason: why },
        "feeds: page not used, item content instead",
      );
      return { kind: "item" };
    };
    if (!result.ok) return reason(result.error.message);
    return { kind: "page", page: result.value };
  }
}
