/**
 * Starts the Discord side: the client, the router on its events, the login. Everything the bot
 * needs comes in as arguments (config, services, pin store, logger), so tests run it against the
 * fake Discord server with a temp corpus, a temp database and a captured log.
 */
import { once } from "node:events";
import { Client, type ClientOptions, Events, GatewayIntentBits } from "discord.js";
import type { ConversationRecords } from "../../answer/answerPolicy.js";
import type { Config } from "../../config.js";
import type { Metrics } from "../../health/metrics.js";
import type { Logger } from "../../log.js";
import type { PinStore } from "../../pins/types.js";
import type { Services } from "../../services.js";
import type { VoteStore } from "../../votes/VoteStore.js";
import { AnswerCache } from "../ask/AnswerCache.js";
import { NO_MENTIONS } from "../format/format.js";
import { Cooldown } from "./Cooldown.js";
import type { Command, LiveSources } from "./command.js";
import { CONNECT_TIMEOUT_MS, withConnectDeadline } from "./connectTimeout.js";
import { InteractionRest } from "./InteractionRest.js";
import { loadCommands } from "./loader.js";
import { logRateLimits } from "./rateLimitLog.js";
import { createRouter } from "./router.js";
import { shardClientOptions } from "./shards.js";

export interface BotDeps {
  readonly config: Config;
  readonly services: Services;
  /** Opened by the caller, who closes it after `stop()`. */
  readonly pins: PinStore;
  /** Feeds and fetched articles on the pin database, and the fetcher of links and feeds. */
  readonly sources: LiveSources;
  /** The conversations of threads and forum posts, on the pin database (ConversationStore). */
  readonly conversations: ConversationRecords;
  /** The question log and votes, on the pin database (closed with it). */
  readonly votes: VoteStore;
  readonly log: Logger;
  /** What is counted for `/metrics` (HEALTH_PORT); default: nothing. */
  readonly metrics?: Metrics;
  /** Merged over the bot's own options (tests pass `ws` and `rest` settings). */
  readonly clientOptions?: Partial<ClientOptions>;
  /** Default: `loadCommands()` from the project's `commands/` folder. */
  readonly commands?: readonly Command[];
  /** The clock of pins, the cooldown and the answer cache (default `Date.now`). */
  readonly now?: () => number;
  /** How long the login may take (default {@link CONNECT_TIMEOUT_MS}). */
  readonly connectTimeoutMs?: number;
}

export interface Bot {
  /** Logged in and ready. */
  readonly client: Client<true>;
  /**
   * Stops gracefully: new interactions and questions are told newsdesk is restarting, those in
   * flight are finished (every deferred reply edited), for at most `config.drainSeconds`; then
   * the client is destroyed (gateway closed, timers stopped). Never rejects for a slow handler.
   *
   * @param alongside - other work to finish while the client is still there (the last feed
   *   poll and its announcements), run during the drain; the client is destroyed once both are
   *   done, so it must bound its own time
   */
  stop(alongside?: () => Promise<void>): Promise<void>;
}

/**
 * The gateway intents: guilds and guild messages, and MESSAGE_CONTENT (privileged: it must be
 * enabled in the Developer Portal), because the threads opened by "Follow up" and the Q&A
 * channels take questions that do not mention the bot, whose text Discord withholds without it.
 */
export function intentsFor(_config: Config): GatewayIntentBits[] {
  return [
    GatewayIntentBits.Guilds,
    GatewayIntentBits.GuildMessages,
    GatewayIntentBits.MessageContent,
  ];
}

/**
 * Creates the client, routes its events, logs in and resolves once it is ready.
 * @throws what `client.login` throws (a refused token, an unreachable API), or a
 *   `ConnectTimeoutError` when the API stays silent for `connectTimeoutMs` during the login (an
 *   API that accepts the connection and never answers), after destroying the client
 */
export async function startBot(deps: BotDeps): Promise<Bot> {
  const { config, services, pins, sources, votes, log, clientOptions = {} } = deps;
  const now = deps.now ?? Date.now;
  const commands = deps.commands ?? (await loadCommands());
  const client = new Client({
    intents: intentsFor(config),
    allowedMentions: NO_MENTIONS,
    ...shardClientOptions(config.discord),
    ...clientOptions,
    rest: { ...clientOptions.rest, api: config.discord.apiUrl },
  });

  const router = createRouter(commands, {
    services,
    config,
    log,
    cooldown: new Cooldown(config.cooldown, now),
    answerCache: new AnswerCache({ now }),
    pins,
    sources,
    conversations: deps.conversations,
    votes,
    now,
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
  });
  const failed = (event: string) => (error: unknown) =>
    log.error({ event, err: error }, "router failed");
  client.on(Events.InteractionCreate, (interaction) => {
    router.onInteraction(interaction).catch(failed(Events.InteractionCreate));
  });
  client.on(Events.MessageCreate, (message) => {
    router.onMessage(message).catch(failed(Events.MessageCreate));
  });

  client.on(Events.Error, (error) => log.error({ err: error }, "client error"));
  client.on(Events.Warn, (message) => log.warn({ detail: message }, "client warning"));
  client.on(Events.ShardError, (error, shardId) =>
    log.error({ shardId, err: error }, "shard error"),
  );
  client.on(Events.ShardDisconnect, (event, shardId) =>
    log.warn({ shardId, code: event.code }, "shard disconnected"),
  );
  client.on(Events.ShardReconnecting, (shardId) => log.info({ shardId }, "shard reconnecting"));
  client.on(Events.ShardResume, (shardId, replayed) =>
    log.info({ shardId, replayed }, "shard resumed"),
  );
  // Before login, which hands the token to the manager.
  client.rest.clearHashSweeper();
  client.rest.clearHandlerSweeper();
  client.rest = new InteractionRest(client.options.rest ?? {});
  logRateLimits(client.rest, log);

  const abort = new AbortController();
  const ready = once(client, Events.ClientReady, { signal: abort.signal });
  try {
    // The login ends when the gateway is READY; the client's ready event may come up to 15 s
    // later (discord.js waits for the guilds), so the deadline bounds the login only. Every REST
    // answer and every step of the gateway connection counts as a sign of life.
    await withConnectDeadline(
      client.login(config.discord.token),
      config.discord.apiUrl,
      deps.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
      (touch) => {
        client.rest.on("response", touch);
        client.on(Events.Debug, touch);
        return () => {
          client.rest.off("response", touch);
          client.off(Events.Debug, touch);
        };
      },
    );
    await ready;
  } catch (error) {
    abort.abort();
    await ready.catch(() => undefined);
    await client.destroy();
    throw explainLoginError(error);
  }
  log.debug(
    { commands: commands.map((command) => command.data.name), intents: intentsFor(config) },
    "discord ready",
  );
  let stopping: Promise<void> | undefined;
  const stop = async (alongside?: () => Promise<void>) => {
    const inFlight = router.inFlight;
    log.info({ inFlight, drainSeconds: config.drainSeconds }, "draining");
    const [unfinished] = await Promise.all([
      router.drain(config.drainSeconds * 1000),
      alongside?.().catch((error: unknown) => log.error({ err: error }, "stop: work failed")),
    ]);
    if (unfinished > 0) {
      log.warn({ unfinished, drainSeconds: config.drainSeconds }, "drain deadline passed");
    } else {
      log.info({ finished: inFlight }, "drained");
    }
    await client.destroy();
  };
  return {
    client: client as Client<true>,
    stop: (alongside) => {
      stopping ??= stop(alongside);
      return stopping;
    },
  };
}

/**
 * The login's error, with what to do when Discord closed the gateway for the Message Content
 * intent (close code 4014, which @discordjs/ws reports as "Used disallowed intents"): newsdesk
 * asks for it at every login, and an application whose owner has not turned it on cannot log in.
 */
function explainLoginError(error: unknown): unknown {
  if (!(error instanceof Error) || !/disallowed intents/i.test(error.message)) return error;
  return new Error(
    "Discord refused the Message Content intent: turn on Bot > Privileged Gateway Intents > " +
      "Message Content Intent for this application in the Developer Portal " +
      "(https://discord.com/developers/applications). newsdesk needs it to read questions asked " +
      "without a mention (Follow up threads, Q&A forums and channels).",
    { cause: error },
  );
}
