/**
 * `npm start`: the composition root. Config -> logger -> pin database -> corpus and services ->
 * Discord client.
 *
 * Start-up failures a person can fix (a missing key, a database that cannot be opened or
 * written, a HEALTH_PORT another program holds, a missing articles folder, a Discord API that does
 * not answer within 15 s) print one line on stderr and exit 1, without a stack: the bot never
 * runs without its pins.
 *
 * Crash policy: a rejected promise is logged with a reference id and the bot keeps answering
 * (each interaction's work is its own promise, and the router catches what a handler throws).
 * An uncaught exception is logged with its reference and the process exits 1: Node documents
 * that the process is in an undefined state after one, so the supervisor (systemd, or the
 * sharding manager for a shard) starts a fresh one.
 *
 * Stopping: SIGINT/SIGTERM stop taking new questions (each is told to ask again in a moment),
 * finish those in flight for up to DRAIN_SECONDS, destroy the client, close the pin database and
 * exit 0; a second signal exits at once. `npm start` runs the bot under npm and `sh -c`: a SIGTERM
 * to npm ends npm and the shell but is not passed on, so the bot also stops this way when its
 * parent process goes (it would otherwise keep serving as an orphan nobody supervises).
 */
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { type Config, ConfigError, loadConfig, secretsOf } from "./config.js";
import { STOP_MARGIN_MS } from "./constants.js";
import type { Announcer } from "./discord/feeds/announcement.js";
import type { Bot } from "./discord/framework/bot.js";
import { isStopMessage } from "./discord/framework/stopMessage.js";
import type { FeedPoller } from "./feeds/FeedPoller.js";
import type { StoredArticle } from "./feeds/FeedStore.js";
import type { HealthServer } from "./health/healthServer.js";
import type { MetricsRegistry } from "./health/metrics.js";
import type { Library } from "./library/Library.js";
import { createLogger, type Logger, redact } from "./log.js";
import { watchParent } from "./parentWatch.js";
import type { Services } from "./services.js";
import type { Leadership } from "./store/database.js";
import type { Stores } from "./stores.js";

/** How long a stop lets the last poll's announcements be posted before the client closes. */
const ANNOUNCE_AT_STOP_MS = 2_000;

/** How long a stop lets queued records be written in the background before the store closes. */
const FLUSH_AT_STOP_MS = 2_000;

type Phase = "starting" | "serving" | "stopping";

/** A short id to find a logged error from a user's report (`ref` in the log line). */
function errorRef(): string {
  return randomBytes(4).toString("hex");
}

/** One line on stderr, for a person at the terminal, then exit code 1. */
function fail(line: string): void {
  process.stderr.write(`${line}\n`);
  process.exitCode = 1;
}

async function main(): Promise<void> {
  const warnings: string[] = [];
  let config: Config;
  try {
    config = loadConfig(undefined, { warn: (message) => warnings.push(message) });
  } catch (error) {
    if (error instanceof ConfigError) return fail(error.message);
    throw error;
  }

  const log = createLogger({ level: config.logLevel, secrets: secretsOf(config) });
  for (const message of warnings) log.warn({}, message);

  let phase: Phase = "starting";
  let stop: (() => Promise<void>) | undefined;

  process.on("unhandledRejection", (reason) => {
    // A rejected promise never kills the bot: log it where it can be found, keep serving.
    log.error({ ref: errorRef(), err: reason, phase }, "unhandled rejection");
  });
  process.on("uncaughtException", (error) => {
    // Logged synchronously (stdout is a pipe or a file), then out: nothing async is trusted now.
    // What is committed is in the database; records still queued behind a lock or an outage
    // are lost with the process (the log said they were queued).
    log.error({ ref: errorRef(), err: error, phase }, "uncaught exception, exiting");
    process.exit(1);
  });

  const onSignal = (signal: NodeJS.Signals) => {
    if (phase === "stopping" || stop === undefined) {
      log.warn({ signal }, "exiting now");
      process.exit(phase === "stopping" ? 1 : 0);
    }
    phase = "stopping";
    log.info({ signal }, "stopping");
    void shutdown(stop, log, config.drainSeconds * 1000 + STOP_MARGIN_MS);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  // A shard of `npm run start:sharded` talks to its manager over IPC. When the manager dies
  // without stopping it (killed, crashed), that channel closes and nothing else would end this
  // process, which would keep serving unsupervised: it stops as on SIGTERM.
  if (process.send !== undefined) {
    // The manager's graceful stop; a shard stopping already (Ctrl+C) just goes on.
    process.on("message", (message) => {
      if (isStopMessage(message) && phase !== "stopping") onSignal("SIGTERM");
    });
    process.once("disconnect", () => {
      if (phase === "stopping") return;
      log.warn({}, "sharding manager gone");
      onSignal("SIGTERM");
    });
  }
  watchParent(() => {
    if (phase === "stopping") return;
    log.warn({}, "parent process gone");
    onSignal("SIGTERM");
  });

  // Loaded after the config check, so a missing key is reported at once. The database comes
  // first: it opens in milliseconds, so a bad DATABASE_PATH or DATABASE_URL is reported before
  // the seconds that services and the bot take to load (discord.js, the language models).
  const [{ openStores }, { StoreError }] = await Promise.all([
    import("./stores.js"),
    import("./store/errors.js"),
  ]);
  let stores: Stores;
  try {
    stores = await openStores(config, log);
  } catch (error) {
    // One line naming the database and what to do ("pins: var/newsdesk.sqlite cannot be written
    // ...", "database: db.example:5432/newsdesk is not reachable ...").
    if (error instanceof StoreError) return exitAtStart(error.message);
    throw error;
  }
  log.info({ database: stores.database.name, engine: stores.database.dialect }, "database open");

  // Read by /healthz and /metrics, which answer from here on: set once the library is loaded and
  // once the bot is logged in.
  let library: Library | undefined;
  let gateway: () => string | undefined = () => "not connected";
  let metrics: MetricsRegistry | undefined;
  let health: HealthServer | undefined;
  if (config.health !== undefined) {
    // Before the seconds of loading, so that a taken port is said at once.
    const [{ createMetrics }, { HealthServerError, startHealthServer }] = await Promise.all([
      import("./health/metrics.js"),
      import("./health/healthServer.js"),
    ]);
    metrics = createMetrics({
      library: () => library && { articles: library.size, paragraphs: library.index.documentCount },
    });
    try {
      health = await startHealthServer({
        ...config.health,
        checks: { gateway: () => gateway(), store: () => stores.database.ping() },
        metrics,
        log,
      });
    } catch (error) {
      await stores.close();
      if (error instanceof HealthServerError) return exitAtStart(error.message);
      throw error;
    }
    log.info({ url: health.url }, "health: /healthz and /metrics listening");
  }

  const [
    { loadServices, watchArticles },
    { startBot },
    {
      indexingProgressLog,
      logCorpusProblem,
      loggedWatchHandlers,
      logSnapshotLoaded,
      logSnapshotUnused,
    },
    { announcedFeedEvents, createAnnouncer },
    { openFeeds, logStoredDuplicates },
    { keepSnapshot },
    { servedShards },
    { gatewayProblem },
  ] = await Promise.all([
    import("./services.js"),
    import("./discord/framework/bot.js"),
    import("./watchLog.js"),
    import("./discord/feeds/announcement.js"),
    import("./feeds/startFeeds.js"),
    import("./indexSnapshotFile.js"),
    import("./discord/framework/shards.js"),
    import("./discord/framework/gatewayHealth.js"),
  ]);

  const { feeds: feedStore, votes, conversations } = stores;
  const snapshotFile = config.indexSnapshotPath;
  let services: Services;
  let storedArticles: StoredArticle[];
  try {
    storedArticles = await feedStore.listArticles();
    // The feeds' stored articles are indexed with the folder's in one build (from the snapshot
    // when there is a usable one), so they are answerable from the first question.
    services = await loadServices({
      dataDir: config.dataDir,
      onIndexProgress: indexingProgressLog(log),
      storedArticles,
      ...(snapshotFile === undefined
        ? {}
        : {
            snapshotFile,
            onSnapshotUnused: (reason) => logSnapshotUnused(log, snapshotFile, reason),
          }),
    });
  } catch (error) {
    await stores.close();
    // loadServices' messages start with "corpus: " and say which folder and what to do.
    return exitAtStart(error instanceof Error ? error.message : String(error));
  }
  library = services.library;
  for (const problem of services.corpus.problems) logCorpusProblem(log, problem);
  log.info(
    { articles: services.corpus.articles.length, problems: services.corpus.problems.length },
    "corpus loaded",
  );
  const { startup } = services;
  if (snapshotFile !== undefined) logSnapshotLoaded(log, snapshotFile, startup);
  // Another host's share of an article this folder has too is no problem: the folder's is served.
  const sharedFromFolders = new Set(
    storedArticles.flatMap((s) => (s.origin.kind === "folder" ? [s.article.id.toLowerCase()] : [])),
  );
  logStoredDuplicates(
    log,
    startup.duplicates.filter((article) => !sharedFromFolders.has(article.id.toLowerCase())),
  );
  log.info({ articles: startup.storedLoaded }, "feeds: stored articles loaded");
  // Written in the background, its encode in slices (at a million paragraphs 0.74 s of work, none
  // holding the event loop over 0.2 s), then while the library changes; a failed write is a
  // warning, never fatal.
  const snapshots =
    snapshotFile === undefined
      ? undefined
      : keepSnapshot({
          file: snapshotFile,
          library: services.library,
          log,
          writeNow: startup.changed,
        });
  // Polling waits for ready.
  const [{ createFetcher }, { StoreFollower }, { FolderShare, folderHost }] = await Promise.all([
    import("./ingest/safeFetch.js"),
    import("./feeds/StoreFollower.js"),
    import("./feeds/FolderShare.js"),
  ]);
  // Aborted at stop, after the drain: a slow site cannot hold the stop.
  const fetches = new AbortController();
  const fetch = createFetcher({
    allowPrivate: config.ingest.allowPrivateFetch,
    signal: fetches.signal,
  });
  // Made once the bot has started; the poller starts after ready, so it is there for every poll.
  let announcer: Announcer | undefined;
  let poller: FeedPoller;
  try {
    poller = await openFeeds({
      store: feedStore,
      library: services.library,
      settings: config.feeds,
      fetch,
      log,
      storedLoaded: true,
      ...announcedFeedEvents(log, () => announcer),
      ...(metrics ? { onPollFailed: (_feed, kind) => metrics?.feedFailure(kind) } : {}),
    });
  } catch (error) {
    await stores.close();
    // "feeds: <FEEDS_FILE> cannot be read ..." or the database's one line.
    return exitAtStart(error instanceof Error ? error.message : String(error));
  }
  // Other processes on the database (the other shards) add and remove fetched articles and
  // feeds: their changes reach this library, and this poller, within seconds.
  // On a database hosts share (PostgreSQL), this host's articles folder is shared with the
  // others through the store, and theirs reach this library through the follower; the folder's
  // own articles are served from the folder whatever the store holds.
  const { folder } = services;
  const folderShare = stores.database.sharedAcrossHosts
    ? new FolderShare(feedStore, folder, log, { host: folderHost(config.dataDir) })
    : undefined;
  const follower = new StoreFollower(feedStore, services.library, log, {
    onOtherWrites: () => poller.wake(),
    folder: {
      owns: (id) => folder.owns(id),
      ids: () => folder.ids(),
      ...(folderShare ? { onWithdrawn: (id: string) => folderShare.changed([id], []) } : {}),
    },
  });
  try {
    await follower.start();
  } catch (error) {
    await poller.stop();
    await stores.close();
    // The database's one line ("database: ... is not reachable ...").
    return exitAtStart(error instanceof Error ? error.message : String(error));
  }
  folderShare?.start();
  // Not fatal: a watch that fails logs and retries, and the articles loaded stay served.
  const watchLog = loggedWatchHandlers(log, services);
  const watch = config.watchArticles
    ? await watchArticles(services, {
        ...watchLog,
        onUpdate: (result) => {
          watchLog.onUpdate(result);
          folderShare?.changed([...result.added, ...result.replaced], result.removed);
        },
        adoptable: (id) => follower.sharedFromFolder(id),
      })
    : undefined;

  let bot: Bot;
  try {
    bot = await startBot({
      config,
      services,
      pins: stores.pins,
      sources: { store: feedStore, fetch, wakePoller: () => poller.wake() },
      conversations,
      votes,
      log,
      ...(metrics ? { metrics } : {}),
    });
  } catch (error) {
    await follower.stop();
    await watch?.stop();
    await folderShare?.stop();
    await stores.close();
    // Typically Discord refusing the token (401) or an unreachable DISCORD_API_URL.
    const message = error instanceof Error ? error.message : String(error);
    const line = redact(`newsdesk: could not connect to Discord: ${message}`, [
      config.discord.token,
    ]);
    return exitAtStart(line.replace(/\s*\n\s*/g, " "));
  }
  // Through REST to the channel id: it works from the polling shard for every server's channel.
  announcer = createAnnouncer({ rest: bot.client.rest, summaries: services.summaries, log });
  // Which process polls: the one elected on the database, set once the client is ready.
  let feedLead: Leadership | undefined;
  stop = async () => {
    try {
      // Nothing new is polled from now on. A poll in flight goes on during the drain (links
      // being added are answered in it) and is saved; what it still fetches after the drain is
      // cut short (those items stay unseen, taken at the next start). Its announcements get a
      // moment to go out before the client closes.
      const polling = poller.stop();
      const following = follower.stop();
      // No snapshot write starts from now on (none during the drain); one under way has done its
      // encode and only writes the file, which ends before the database closes.
      const snapshotsStopped = snapshots?.stop();
      await watch?.stop();
      await bot.stop(async () => {
        const cut = setTimeout(() => fetches.abort(), config.drainSeconds * 1000);
        await polling;
        clearTimeout(cut);
        // Released as soon as this poller is done: another process takes over polling at once.
        await feedLead?.stop();
        const unsent = await announcer?.settle(ANNOUNCE_AT_STOP_MS);
        if (unsent) log.warn({ unsent }, "feeds: announcements still under way at the stop");
      });
      // Links still being read by handlers the drain gave up on.
      fetches.abort();
      await following;
      await snapshotsStopped;
      // A share being written ends; what still waits for a retry is shared at the next start.
      await folderShare?.stop();
      // Records queued behind another process's lock or a database outage get a last chance
      // to be written in the background before close() tries them once more or logs them.
      await stores.flush(FLUSH_AT_STOP_MS);
    } finally {
      await stores.close();
      // Last: a scrape during the drain still gets the final counts.
      await health?.close();
    }
  };
  const { client } = bot;
  gateway = () => gatewayProblem(client);
  // discord.js's Events.ClientReady, by value: only src/discord imports discord.js.
  if (!client.isReady()) await once(client, "clientReady");
  phase = "serving";
  // One poller per database, whatever the hosts and shards: the process elected for it polls,
  // and another takes over when it stops or dies (see README, Feeds).
  try {
    feedLead = await stores.database.lead("feed-poll", {
      onLead: () => {
        log.info({}, "feeds: this process polls the feeds (leader)");
        poller.start();
      },
      onLose: (reason) => {
        log.warn({ reason }, "feeds: this process no longer polls the feeds; another one may");
        poller.pause().catch((error: unknown) => {
          log.error({ ref: errorRef(), err: error }, "feeds: could not pause the poller");
        });
      },
    });
  } catch (error) {
    // Only a database already closing refuses: the bot is stopping.
    log.warn({ err: error }, "feeds: not polling, the database is closing");
  }
  const shards = servedShards(client);
  log.info(
    {
      pid: process.pid,
      userId: client.user?.id,
      guilds: client.guilds.cache.size,
      articles: services.library.size,
      shards,
    },
    "ready",
  );
}

/** A start-up failure after the logger exists: one line on stderr, exit 1. */
function exitAtStart(line: string): void {
  fail(line);
  process.exit(1);
}

async function shutdown(stop: () => Promise<void>, log: Logger, timeoutMs: number): Promise<void> {
  const timer = setTimeout(() => {
    log.error({ timeoutMs }, "stop timed out, exiting");
    process.exit(1);
  }, timeoutMs);
  timer.unref();
  try {
    await stop();
    log.info({}, "stopped");
    process.exit(0);
  } catch (error) {
    log.error({ ref: errorRef(), err: error }, "stop failed");
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  // A bug: keep the stack, it is for whoever fixes it.
  console.error("newsdesk: could not start:", error);
  process.exit(1);
});
