/**
 * One fake Discord server and one newsdesk bot logged in to it, for the end-to-end tests: the
 * real `startBot`, the real commands registered through the client, the real pin store (in
 * memory, or on a file a test names), a `Config` built here (never from process.env) and the
 * JSON log captured line by line.
 */
import { PassThrough } from "node:stream";
import { type APIEmbed, type ClientOptions, MessageFlags } from "discord.js";
import { expect } from "vitest";
import type { Config } from "../../src/config.js";
import {
  type Announcer,
  announcedFeedEvents,
  createAnnouncer,
} from "../../src/discord/feeds/announcement.js";
import { type Bot, startBot } from "../../src/discord/framework/bot.js";
import type { Command } from "../../src/discord/framework/command.js";
import { loadCommands } from "../../src/discord/framework/loader.js";
import type { FeedPoller, PollerClock } from "../../src/feeds/FeedPoller.js";
import { openFeeds } from "../../src/feeds/startFeeds.js";
import type { Metrics } from "../../src/health/metrics.js";
import { createLogger } from "../../src/log.js";
import { DEFAULT_DATA_DIR } from "../../src/paths.js";
import type { PinStore } from "../../src/pins/types.js";
import { loadServices, type Services, watchArticles } from "../../src/services.js";
import { MEMORY } from "../../src/store/sqlite/SqliteDatabase.js";
import { openStores, type Stores } from "../../src/stores.js";
import type { ConversationStore } from "../../src/threads/ConversationStore.js";
import type { VoteStore } from "../../src/votes/VoteStore.js";
import { loggedWatchHandlers } from "../../src/watchLog.js";
import { noIdentifyThrottle } from "../support/discordClient.js";
import {
  FakeDiscord,
  type FakeDiscordOptions,
  type InteractionHandle,
  type MessageBody,
  type RecordedRequest,
} from "../support/fakeDiscord.js";
import { type TestSourcesOptions, testSources } from "../support/liveSources.js";

export type LogLine = Record<string, unknown> & { level: string; msg?: string };

/** The lines a logger wrote, parsed, with a wait on the next matching one. */
export class LogCapture {
  readonly stream = new PassThrough();
  readonly lines: LogLine[] = [];
  readonly text: string[] = [];
  #pending = "";
  #waiters = new Set<() => void>();

  constructor() {
    this.stream.setEncoding("utf8");
    this.stream.on("data", (chunk: string) => {
      const parts = (this.#pending + chunk).split("\n");
      this.#pending = parts.pop() ?? "";
      for (const part of parts) {
        this.text.push(part);
        this.lines.push(JSON.parse(part) as LogLine);
      }
      for (const wake of this.#waiters) wake();
    });
  }

  /** Resolves with the first line, past or future, that matches; rejects after `timeoutMs`. */
  waitFor(match: (line: LogLine) => boolean, timeoutMs = 5000): Promise<LogLine> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.lines.find(match);
        if (!found) return;
        done();
        resolve(found);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no matching log line within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      this.#waiters.add(check);
      check();
    });
  }

  /** The one-per-event line ("interaction" or "message") of the event with this id. */
  eventLine(id: string): Promise<LogLine> {
    return this.waitFor(
      (line) => line.id === id && (line.msg === "interaction" || line.msg === "message"),
    );
  }
}

export interface HarnessOptions {
  readonly services?: Services;
  /** Makes the fake's second channel (#news) a Q&A channel. */
  readonly qaChannel?: boolean;
  readonly cooldown?: Config["cooldown"];
  /** The fake's guilds (default: one, "Newsroom", with #general and #news). */
  readonly guilds?: FakeDiscordOptions["guilds"];
  /** The pin database file (default: in memory, gone with the harness). */
  readonly databasePath?: string;
  /** The bot's clock (default `Date.now`). */
  readonly now?: () => number;
  /** The fake refuses a first callback later than this (see FakeDiscordOptions; default 3 s). */
  readonly interactionDeadlineMs?: number;
  /** DRAIN_SECONDS (default 10). */
  readonly drainSeconds?: number;
  /** The client's REST options (e.g. a lower `globalRequestsPerSecond`). */
  readonly rest?: ClientOptions["rest"];
  /**
   * Watch the services' articles folder as `npm start` does (WATCH_ARTICLES=on), logging to the
   * captured log, with this debounce (default: not watched).
   */
  readonly watchArticles?: { readonly debounceMs: number };
  /** The fetcher and poller nudge the commands get (default: a fetcher that may reach 127.0.0.1). */
  readonly sources?: TestSourcesOptions;
  /** Feed settings over the harness's defaults (e.g. a small `perServer` or `articlesPerServer`). */
  readonly feeds?: Partial<Config["feeds"]>;
  /**
   * Runs the feed poller as `npm start` does (stored articles loaded before the bot starts, new
   * articles and notices logged and announced, `/feeds add` waking it), on this clock; it is not
   * started: tests poll with `h.poller.pollDue()` and then `h.settleAnnouncements()`.
   */
  readonly feedPoller?: { readonly clock: PollerClock };
  /**
   * Log in to this fake Discord instead of starting one (its guilds, deadline and threads are
   * its own then); the harness leaves it running at its stop, for the test to stop.
   */
  readonly fake?: FakeDiscord;
  /** SHARD_LIST and SHARD_TOTAL: the bot serves these shards of the total in one client. */
  readonly shards?: { readonly list: readonly number[]; readonly total: number };
  /** What the bot counts for `/metrics` (HEALTH_PORT); default: nothing. */
  readonly metrics?: Metrics;
}

export interface Harness {
  readonly fake: FakeDiscord;
  /** The running bot (a new one after {@link Harness.restartBot}). */
  readonly bot: Bot;
  /** The bot's stores on its database (new ones after {@link Harness.restartBot}). */
  readonly stores: Stores;
  /** The bot's pin store (a new one after {@link Harness.restartBot}). */
  readonly pins: PinStore;
  /** The bot's conversation store (a new one after a restart). */
  readonly conversations: ConversationStore;
  /** The bot's question log and votes (a new one after a restart). */
  readonly votes: VoteStore;
  readonly config: Config;
  /** The services the bot serves (new ones after `restartBot({ services })`). */
  readonly services: Services;
  /** The feed poller of {@link HarnessOptions.feedPoller} (a new one after a restart). */
  readonly poller: FeedPoller;
  /** Waits for the announcements and notices being posted (see `Announcer.settle`). */
  settleAnnouncements(): Promise<void>;
  readonly commands: readonly Command[];
  readonly logs: LogCapture;
  /** A new user id, so a test's questions do not count against another test's cooldown. */
  newUser(): { id: string };
  /**
   * Stops the bot and closes its pin store, then opens the store again on the same file and
   * logs a new bot in to the same fake Discord: what a restart of `npm start` does. With
   * `services` (a fresh load, as a new process has), the bot serves those from then on.
   */
  restartBot(options?: { readonly services?: Services }): Promise<void>;
  stop(): Promise<void>;
}

/** {@link seedServices}'s load, and the test file it is for. */
let defaultServices:
  | { readonly file: string | undefined; readonly services: Promise<Services> }
  | undefined;

/**
 * The services on the project's own articles, loaded once per test file: the unit project runs
 * a worker's files in one module graph (vitest.config.ts), so this module outlives a file, and
 * a file that changes the library must not change what the next one starts with.
 */
export function seedServices(): Promise<Services> {
  const file = expect.getState().testPath;
  if (defaultServices && defaultServices.file === file) return defaultServices.services;
  const services = loadServices({ dataDir: DEFAULT_DATA_DIR });
  defaultServices = { file, services };
  return services;
}

/** What {@link testConfig} sets over its defaults; `discord` and `feeds` field by field. */
export type TestConfigOverrides = Partial<Omit<Config, "discord" | "feeds">> & {
  readonly discord?: Partial<Config["discord"]>;
  readonly feeds?: Partial<Config["feeds"]>;
};

/**
 * The settings of a bot logging in to `fake`, built here (never from process.env): the token
 * "fake-bot-token", no guild of its own, no Q&A channel, the project's articles, the store in
 * memory, debug logs, 5 questions a minute, 10 s to drain, no private fetches, no watching, the
 * default feed settings; `overrides` over those.
 */
export function testConfig(fake: FakeDiscord, overrides: TestConfigOverrides = {}): Config {
  const { discord, feeds, ...rest } = overrides;
  return {
    discord: {
      token: "fake-bot-token",
      applicationId: fake.applicationId,
      apiUrl: fake.apiUrl,
      qaChannelIds: [],
      ...discord,
    },
    dataDir: DEFAULT_DATA_DIR,
    databasePath: MEMORY,
    logLevel: "debug",
    cooldown: { questions: 5, perSeconds: 60 },
    drainSeconds: 10,
    ingest: { allowPrivateFetch: false },
    watchArticles: false,
    feeds: {
      pollSeconds: 600,
      retentionDays: 365,
      perServer: 20,
      itemsPerPoll: 20,
      articlesPerServer: 2000,
      ...feeds,
    },
    ...rest,
  };
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  let services = options.services ?? (await seedServices());
  const ownFake = options.fake === undefined;
  const fake =
    options.fake ??
    (await FakeDiscord.start({
      ...(options.guilds ? { guilds: options.guilds } : {}),
      ...(options.interactionDeadlineMs === undefined
        ? {}
        : { interactionDeadlineMs: options.interactionDeadlineMs }),
    }));
  const logs = new LogCapture();
  const qaChannel = fake.guild.channels[1];
  const config = testConfig(fake, {
    discord: {
      guildId: fake.guild.id,
      qaChannelIds: options.qaChannel && qaChannel ? [qaChannel.id] : [],
      ...(options.shards
        ? { shardCount: options.shards.total, shardList: options.shards.list }
        : {}),
    },
    dataDir: services.dataDir,
    ...(options.databasePath === undefined ? {} : { databasePath: options.databasePath }),
    ...(options.cooldown === undefined ? {} : { cooldown: options.cooldown }),
    ...(options.drainSeconds === undefined ? {} : { drainSeconds: options.drainSeconds }),
    watchArticles: options.watchArticles !== undefined,
    feeds: options.feeds,
  });
  const commands = await loadCommands();
  const log = createLogger({ level: "debug", destination: logs.stream });
  interface Running {
    bot: Bot;
    stores: Stores;
    poller?: FeedPoller;
    announcer?: Announcer;
  }
  const launch = async (): Promise<Running> => {
    const stores = await openStores(config, log);
    let poller: FeedPoller | undefined;
    let announcer: Announcer | undefined;
    const sources = testSources(stores.feeds, {
      ...options.sources,
      ...(options.feedPoller ? { wakePoller: () => poller?.wake() } : {}),
    });
    try {
      if (options.feedPoller) {
        poller = await openFeeds({
          store: sources.store,
          library: services.library,
          settings: config.feeds,
          fetch: sources.fetch,
          log,
          clock: options.feedPoller.clock,
          ...announcedFeedEvents(log, () => announcer),
        });
      }
      const bot = await startBot({
        config,
        services,
        pins: stores.pins,
        sources,
        conversations: stores.conversations,
        votes: stores.votes,
        commands,
        log,
        clientOptions: { ws: noIdentifyThrottle, ...(options.rest ? { rest: options.rest } : {}) },
        ...(options.now ? { now: options.now } : {}),
        ...(options.metrics ? { metrics: options.metrics } : {}),
      });
      if (poller) {
        announcer = createAnnouncer({ rest: bot.client.rest, summaries: services.summaries, log });
      }
      return {
        bot,
        stores,
        ...(poller ? { poller } : {}),
        ...(announcer ? { announcer } : {}),
      };
    } catch (error) {
      await poller?.stop();
      await stores.close();
      throw error;
    }
  };
  let running: Running;
  try {
    running = await launch();
  } catch (error) {
    if (ownFake) await fake.stop();
    throw error;
  }
  const watch = options.watchArticles
    ? await watchArticles(
        services,
        loggedWatchHandlers(log, services, options.watchArticles.debounceMs),
      )
    : undefined;
  for (const guild of fake.guilds) {
    await running.bot.client.application.commands.set(
      commands.map((command) => command.data),
      guild.id,
    );
  }
  const halt = async () => {
    try {
      await running.poller?.stop();
      await running.bot.stop();
    } finally {
      await running.stores.close();
    }
  };
  let users = 0;
  return {
    fake,
    get bot() {
      return running.bot;
    },
    get stores() {
      return running.stores;
    },
    get pins() {
      return running.stores.pins;
    },
    get conversations() {
      return running.stores.conversations;
    },
    get votes() {
      return running.stores.votes;
    },
    get poller() {
      if (!running.poller) throw new Error("harness: started without feedPoller");
      return running.poller;
    },
    settleAnnouncements: async () => {
      await running.announcer?.settle(10_000);
    },
    config,
    get services() {
      return services;
    },
    commands,
    logs,
    newUser: () => fake.resolveUser({ username: `reader${++users}` }),
    restartBot: async (restart = {}) => {
      await halt();
      if (restart.services) services = restart.services;
      running = await launch();
    },
    stop: async () => {
      await watch?.stop();
      await halt();
      if (ownFake) await fake.stop();
    },
  };
}

/** The message bodies the bot sent: callbacks with data, webhook posts and edits, channel posts. */
export function sentBodies(fake: FakeDiscord): { request: RecordedRequest; body: MessageBody }[] {
  return fake.requests.flatMap((request) => {
    const body = request.body as MessageBody | undefined;
    if (!body || typeof body !== "object") return [];
    const { path, method } = request;
    if (path.startsWith("/interactions/") && method === "POST") {
      const data = (body as { data?: MessageBody }).data;
      const type = (body as { type?: number }).type;
      // Autocomplete results (8) carry choices, not a message; deferrals carry only flags.
      return data && type !== 8 && type !== 5 && type !== 6 ? [{ request, body: data }] : [];
    }
    const isMessage =
      (path.startsWith("/webhooks/") && (method === "POST" || method === "PATCH")) ||
      (/^\/channels\/\d+\/messages(?:\/\d+)?$/.test(path) &&
        (method === "POST" || method === "PATCH"));
    return isMessage ? [{ request, body }] : [];
  });
}

/** All the text of some embeds, to search in. */
export function embedText(embeds: readonly APIEmbed[] | undefined): string {
  return (embeds ?? [])
    .flatMap((embed) => [
      embed.title,
      embed.description,
      embed.footer?.text,
      embed.author?.name,
      ...(embed.fields ?? []).flatMap((field) => [field.name, field.value]),
    ])
    .filter((text) => text !== undefined)
    .join("\n");
}

/** The custom_ids of the buttons of a message body. */
export function customIds(body: MessageBody): string[] {
  return (body.components ?? []).flatMap((row) =>
    "components" in row
      ? (row.components as { custom_id?: string }[]).flatMap((c) => c.custom_id ?? [])
      : [],
  );
}

/** Whether a message body is ephemeral (only the user who asked sees it). */
export function isEphemeral(body: MessageBody): boolean {
  return ((body.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
}

/** Whether the bot's first answer to an interaction (a reply or a deferral) was ephemeral. */
export async function answeredPrivately(handle: InteractionHandle): Promise<boolean> {
  const body = (await handle.response()).body as { data?: MessageBody };
  return isEphemeral(body.data ?? {});
}

/**
 * `/ask question:` as a new user (no cooldown shared with other tests). Resolves once the bot has
 * answered and logged the interaction, so whatever its handler records is stored by then: a test
 * may click the answer's buttons at once, as a person would seconds later.
 */
export async function askAsNewUser(
  h: Harness,
  question: string,
  channelId: string = h.fake.channel.id,
): Promise<{ handle: InteractionHandle; reply: MessageBody; messageId: string }> {
  const handle = h.fake.sendSlashCommand({
    name: "ask",
    options: { question },
    user: h.newUser(),
    channelId,
  });
  const reply = await handle.final();
  await h.logs.eventLine(handle.id);
  const messageId = handle.message()?.id;
  if (!messageId) throw new Error("botHarness: /ask left no message");
  return { handle, reply, messageId };
}
