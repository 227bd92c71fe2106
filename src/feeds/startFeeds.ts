/**
 * What start-up does for feeds before the first poll: the stored articles go back into the
 * library, the operator's feeds file is synced into the store, and the poller is made.
 */
import { readFile } from "node:fs/promises";
import type { FeedSettings } from "../config.js";
import type { Article } from "../corpus/article.js";
import type { Fetcher } from "../ingest/safeFetch.js";
import type { Library } from "../library/Library.js";
import type { Logger } from "../log.js";
import {
  FeedPoller,
  type FeedPollerDependencies,
  type PollerClock,
  SYSTEM_CLOCK,
} from "./FeedPoller.js";
import type { FeedStore, OperatorFeedsSync, StoredFeed } from "./FeedStore.js";
import type { FeedNotice } from "./pollSchedule.js";

/** The feeds of a FEEDS_FILE, and its lines that are not feed URLs. */
export interface FeedsFileContent {
  readonly urls: readonly string[];
  /** `line <n>: <why>`. */
  readonly problems: readonly string[];
}

/**
 * Reads a feeds file's text: one URL a line; blank lines and lines starting with `#` skipped;
 * only http and https URLs; a URL listed twice counts once.
 */
export function parseFeedsFile(text: string): FeedsFileContent {
  const urls = new Set<string>();
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    let url: URL;
    try {
      url = new URL(line);
    } catch {
      problems.push(`line ${index + 1}: not a URL: ${line.slice(0, 100)}`);
      return;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      problems.push(`line ${index + 1}: only http and https feeds are read, got ${url.protocol}`);
      return;
    }
    urls.add(url.href);
  });
  return { urls: [...urls], problems };
}

/**
 * Makes the store's operator feeds those of `file` (FEEDS_FILE); bad lines are logged and
 * skipped.
 * @throws Error `feeds: <file>: ...` when the file cannot be read
 */
export async function syncFeedsFile(
  store: FeedStore,
  file: string,
  now: number,
  log: Logger,
): Promise<OperatorFeedsSync> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as { code?: string }).code ?? String(error);
    throw new Error(
      `feeds: ${file} cannot be read (${code}); fix FEEDS_FILE or leave it empty for no operator feeds`,
    );
  }
  const { urls, problems } = parseFeedsFile(text);
  for (const problem of problems) log.warn({ file, problem }, "feeds: line skipped in FEEDS_FILE");
  return store.syncOperatorFeeds(urls, now);
}

/**
 * Puts every stored fetched article into the library with its scope, in one batch of the index.
 * An article whose id is taken (a folder file of that name) is left out with a log line.
 * (`npm start` indexes them with the folder's instead, in the one build `loadServices` makes.)
 * @returns how many were added
 */
export async function loadStoredArticles(
  store: FeedStore,
  library: Library,
  log: Logger,
): Promise<number> {
  const { added, duplicates } = library.addMany(await store.listArticles());
  logStoredDuplicates(log, duplicates);
  return added.length;
}

/** One warning per stored article left out because a folder article has its id. */
export function logStoredDuplicates(log: Logger, duplicates: readonly Article[]): void {
  for (const article of duplicates) {
    log.warn(
      { article: article.id },
      "feeds: stored article not loaded, an article of the articles folder has its id",
    );
  }
}

/** The log line of a new article (the bot's `onArticle` writes it before announcing). */
export function logNewArticle(log: Logger, article: Article, feed: StoredFeed): void {
  log.info(
    { feed: feed.url, article: article.id, title: article.title, scope: feed.scope },
    "feeds: article added",
  );
}

/** The log line of a feed that became failing or works again. */
export function logFeedNotice(log: Logger, feed: StoredFeed, notice: FeedNotice): void {
  log.warn({ feed: feed.url, scope: feed.scope, ...notice }, `feeds: feed ${notice.kind}`);
}

/** What {@link openFeeds} needs. */
export interface OpenFeedsOptions {
  readonly store: FeedStore;
  readonly library: Library;
  readonly settings: FeedSettings;
  readonly fetch: Fetcher;
  readonly log: Logger;
  /** New articles (default: an info line each, {@link logNewArticle}). */
  readonly onArticle?: FeedPollerDependencies["onArticle"];
  /** Failing and recovered feeds (default: a warning line each, {@link logFeedNotice}). */
  readonly onNotice?: FeedPollerDependencies["onNotice"];
  /** Every failed poll (default: nothing beyond the poller's own warning line). */
  readonly onPollFailed?: FeedPollerDependencies["onPollFailed"];
  readonly clock?: PollerClock;
  /**
   * The library already holds the stored articles (`loadServices` indexed them with the
   * folder's, as `npm start` does): they are not added again. Default false.
   */
  readonly storedLoaded?: boolean;
}

/**
 * Start-up for feeds: the stored articles go into the library (unless `storedLoaded`),
 * FEEDS_FILE's feeds into the store, and a poller is made on them (not started: the bot starts
 * it once ready).
 * @throws Error `feeds: ...` when FEEDS_FILE cannot be read; StoreError when the stored
 *   articles cannot be read or the sync is not kept
 */
export async function openFeeds(options: OpenFeedsOptions): Promise<FeedPoller> {
  const { store, library, settings, log } = options;
  const clock = options.clock ?? SYSTEM_CLOCK;
  const loaded = options.storedLoaded ? undefined : await loadStoredArticles(store, library, log);
  if (settings.feedsFile !== undefined) {
    const { added, removed } = await syncFeedsFile(store, settings.feedsFile, clock.now(), log);
    log.info(
      { file: settings.feedsFile, added: added.length, removed: removed.length },
      "feeds: FEEDS_FILE synced",
    );
  }
  if (loaded !== undefined) log.info({ articles: loaded }, "feeds: stored articles loaded");
  return new FeedPoller(
    {
      store,
      library,
      fetch: options.fetch,
      log,
      onArticle: options.onArticle ?? ((article, feed) => logNewArticle(log, article, feed)),
      onNotice: options.onNotice ?? ((feed, notice) => logFeedNotice(log, feed, notice)),
      ...(options.onPollFailed ? { onPollFailed: options.onPollFailed } : {}),
    },
    {
      clock,
      poll: { intervalMs: settings.pollSeconds * 1000 },
      itemsPerPoll: settings.itemsPerPoll,
      articlesPerServer: settings.articlesPerServer,
      retentionDays: settings.retentionDays,
    },
  );
}
