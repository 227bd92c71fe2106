/**
 * The bot's configuration: the one reader of `process.env` (after dotenv has loaded `.env`),
 * checked once at start-up, typed and frozen. The bot, the deploy script and the sharding
 * manager all call {@link loadConfig}, so they agree on what every key means.
 *
 * Every key is listed, with a comment, in `.env.example`.
 */
import path from "node:path";
import dotenv from "dotenv";
import { DEFAULT_DATA_DIR, DEFAULT_DATABASE_PATH } from "./paths.js";

/** The levels of `src/log.ts`, lowest first. */
export type LogLevel = "debug" | "info" | "warn" | "error";

export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const satisfies readonly LogLevel[];

/** The validated configuration (deeply frozen). */
export interface Config {
  readonly discord: {
    /** DISCORD_TOKEN: the bot token. Never logged or printed. */
    readonly token: string;
    /** DISCORD_APPLICATION_ID: the application (client) id, a snowflake. */
    readonly applicationId: string;
    /** DISCORD_GUILD_ID: register commands in this guild only (instant), else globally. */
    readonly guildId?: string;
    /** DISCORD_API_URL: REST base, without trailing slash and without `/v10`. */
    readonly apiUrl: string;
    /** QA_CHANNEL_IDS: channels where plain messages are answered (comma-separated). */
    readonly qaChannelIds: readonly string[];
    /**
     * SHARD_TOTAL: the number of shards across all hosts; absent means Discord's recommendation
     * ("auto"). Also absent in a shard of `npm run start:sharded`, whose manager assigns it.
     */
    readonly shardCount?: number;
    /**
     * SHARD_LIST: the shards this host runs, ascending, each below {@link shardCount}; with
     * SHARD_TOTAL alone, all of them. Present exactly when `shardCount` is.
     */
    readonly shardList?: readonly number[];
  };
  /** DATA_DIR: the articles folder (absolute). */
  readonly dataDir: string;
  /**
   * DATABASE_PATH: the SQLite file of everything the bot stores (absolute); unused when
   * `databaseUrl` is set.
   */
  readonly databasePath: string;
  /**
   * DATABASE_URL: a `postgres://` (or `postgresql://`) URL: the PostgreSQL database every host
   * shares, instead of the SQLite file. Secret (it may hold a password): never logged.
   */
  readonly databaseUrl?: string;
  /**
   * INDEX_SNAPSHOT_PATH: the saved index a start-up loads instead of analysing the whole library
   * again (absolute; see src/indexSnapshotFile.ts), or undefined for `off`. Default: beside the
   * database, its name with `.index` for `.sqlite` (var/newsdesk.index): the snapshot holds the
   * database's stored articles, so each database has its own.
   */
  readonly indexSnapshotPath?: string;
  /** LOG_LEVEL: the lowest level written. */
  readonly logLevel: LogLevel;
  /** COOLDOWN_QUESTIONS questions per COOLDOWN_SECONDS seconds, per user. */
  readonly cooldown: { readonly questions: number; readonly perSeconds: number };
  /**
   * DRAIN_SECONDS: on SIGTERM or SIGINT, how long the bot may take to finish the questions it is
   * answering (new ones are told to ask again) before it closes the database and exits.
   */
  readonly drainSeconds: number;
  /**
   * WATCH_ARTICLES: follow the articles folder while running (files added, changed or deleted
   * are served or dropped within seconds). Off for a folder on a file system without change
   * events (some network mounts), or to change articles only by restarting.
   */
  readonly watchArticles: boolean;
  /** What the fetcher of links and feeds may reach (see {@link loadIngestSettings}). */
  readonly ingest: IngestSettings;
  /** How feeds are polled and what is kept of them. */
  readonly feeds: FeedSettings;
  /** `/healthz` and `/metrics` (see {@link HealthSettings}); undefined when HEALTH_PORT is unset. */
  readonly health?: HealthSettings;
}

/** Where src/health/healthServer.ts listens. */
export interface HealthSettings {
  /** HEALTH_HOST: the address (default 127.0.0.1: this machine only). */
  readonly host: string;
  /**
   * HEALTH_PORT. In a shard of `npm run start:sharded`, HEALTH_PORT plus the shard's id, so that
   * the shard processes of one host do not take the same port.
   */
  readonly port: number;
}

/** The settings of `src/feeds/`. */
export interface FeedSettings {
  /** FEED_POLL_SECONDS: between two polls of a feed that works (at least 60; jittered). */
  readonly pollSeconds: number;
  /**
   * FEEDS_FILE: the operator's feeds, one URL a line (blank lines and `#` comments skipped),
   * answerable in every server (absolute; absent: none).
   */
  readonly feedsFile?: string;
  /** FEED_RETENTION_DAYS: feed articles older than this are removed, unless a pin cites them. */
  readonly retentionDays: number;
  /** FEEDS_PER_SERVER: the most feeds one server may follow. */
  readonly perServer: number;
  /** FEED_ITEMS_PER_POLL: the most new items taken from one feed in one poll (the newest). */
  readonly itemsPerPoll: number;
  /**
   * ARTICLES_PER_SERVER: the most fetched articles one server keeps; beyond it its oldest feed
   * articles that no pin cites are removed.
   */
  readonly articlesPerServer: number;
}

/** The settings of `src/ingest/` (fetching the pages and feeds that members link). */
export interface IngestSettings {
  /**
   * ALLOW_PRIVATE_FETCH: fetch from loopback, private, link-local and other internal addresses
   * too. Off by default, so a link typed in Discord cannot make the bot reach the machine it runs
   * on or its network (cloud metadata, routers, databases).
   */
  readonly allowPrivateFetch: boolean;
}

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /**
   * Called once per suspicious but harmless finding (an unknown `DISCORD_` or `NEWSDESK_` key,
   * probably a typo). The caller logs these once it has a logger.
   */
  readonly warn?: (message: string) => void;
}

/** Discord's REST base (discord.js adds the `/v10` version itself). */
export const DEFAULT_API_URL = "https://discord.com/api";

/** What the defaults are, in one place. */
export const CONFIG_DEFAULTS = {
  apiUrl: DEFAULT_API_URL,
  qaChannelIds: [],
  dataDir: DEFAULT_DATA_DIR,
  databasePath: DEFAULT_DATABASE_PATH,
  logLevel: "info",
  cooldownQuestions: 5,
  cooldownSeconds: 60,
  drainSeconds: 10,
  allowPrivateFetch: false,
  watchArticles: true,
  feedPollSeconds: 600,
  feedRetentionDays: 365,
  feedsPerServer: 20,
  feedItemsPerPoll: 20,
  articlesPerServer: 2000,
  healthHost: "127.0.0.1",
} as const;

/** The shortest FEED_POLL_SECONDS: a feed asked more often than once a minute is rude. */
export const MIN_FEED_POLL_SECONDS = 60;

/** Every key this file reads; an unknown key with a known prefix is probably a typo. */
export const CONFIG_KEYS = [
  "DISCORD_TOKEN",
  "DISCORD_APPLICATION_ID",
  "DISCORD_GUILD_ID",
  "DISCORD_API_URL",
  "QA_CHANNEL_IDS",
  "SHARD_LIST",
  "SHARD_TOTAL",
  "DATA_DIR",
  "DATABASE_PATH",
  "DATABASE_URL",
  "INDEX_SNAPSHOT_PATH",
  "LOG_LEVEL",
  "COOLDOWN_QUESTIONS",
  "COOLDOWN_SECONDS",
  "DRAIN_SECONDS",
  "ALLOW_PRIVATE_FETCH",
  "WATCH_ARTICLES",
  "FEED_POLL_SECONDS",
  "FEEDS_FILE",
  "FEED_RETENTION_DAYS",
  "FEEDS_PER_SERVER",
  "FEED_ITEMS_PER_POLL",
  "ARTICLES_PER_SERVER",
  "HEALTH_PORT",
  "HEALTH_HOST",
] as const;

export type ConfigKey = (typeof CONFIG_KEYS)[number] | LegacyShardTotalKey;

/**
 * The names SHARD_TOTAL had before, still read when it is not set, with a warning to rename
 * (and why), newest first. SHARD_COUNT came first, but discord.js reads it itself (its
 * ShardingManager sets it for each shard, and every Client reads it), so a user's
 * `SHARD_COUNT=auto` made the client refuse to start: it is read only outside a sharding
 * manager's shard. NEWSDESK_SHARDS followed, named before shards could run on several hosts.
 */
export const LEGACY_SHARD_TOTAL_KEYS = {
  NEWSDESK_SHARDS: "is the old name of SHARD_TOTAL",
  SHARD_COUNT: "is discord.js's own variable",
} as const;

type LegacyShardTotalKey = keyof typeof LEGACY_SHARD_TOTAL_KEYS;

/**
 * Variables that discord.js sets and reads for its shards. Outside a shard (no
 * `SHARDING_MANAGER`) they can only be a leftover setting, which would break the client.
 */
const DISCORD_JS_SHARD_VARIABLES = ["SHARD_COUNT", "SHARDS"] as const;

const TYPO_PREFIXES = ["DISCORD_", "NEWSDESK_"] as const;

const HELP =
  'Copy .env.example to .env and fill it in (see README), or try newsdesk offline with: npm run ask -- "How long would the ceasefire last?"';

/**
 * A missing or malformed key. The message is one line: the key, what is wrong, and what to do.
 * It never contains the token.
 */
export class ConfigError extends Error {
  override readonly name = "ConfigError";

  constructor(
    /** The key at fault. */
    readonly key: ConfigKey,
    problem: string,
  ) {
    super(`config: ${key} ${problem}. ${HELP}`);
  }
}

const SNOWFLAKE = /^\d{17,20}$/;
const SNOWFLAKE_HINT = "must be a Discord id (17 to 20 digits; Developer Mode > Copy ID)";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads and validates the configuration.
 *
 * @param env - the variables to read; default: `process.env` after loading `.env` from the
 *   working directory (existing variables win over `.env`)
 * @param options - see {@link LoadConfigOptions}
 * @returns the frozen configuration
 * @throws ConfigError naming the first key that is missing or malformed
 */
export function loadConfig(env?: Env, options: LoadConfigOptions = {}): Config {
  const source = env ?? processEnv();
  const read = (key: ConfigKey): string | undefined => {
    const value = source[key]?.trim();
    return value === "" ? undefined : value;
  };

  const token = read("DISCORD_TOKEN");
  if (token === undefined) throw new ConfigError("DISCORD_TOKEN", "is not set");
  if (/[\s"'`]/.test(token)) {
    throw new ConfigError(
      "DISCORD_TOKEN",
      "does not look like a bot token (it contains whitespace or quotes: paste the token alone, without quotes or a 'Bot ' prefix)",
    );
  }
  const shown = (value: string) => show(value, token);

  const applicationId = read("DISCORD_APPLICATION_ID");
  if (applicationId === undefined) throw new ConfigError("DISCORD_APPLICATION_ID", "is not set");
  if (!SNOWFLAKE.test(applicationId)) {
    throw new ConfigError(
      "DISCORD_APPLICATION_ID",
      `${SNOWFLAKE_HINT}, got ${shown(applicationId)}`,
    );
  }

  const guildId = read("DISCORD_GUILD_ID");
  if (guildId !== undefined && !SNOWFLAKE.test(guildId)) {
    throw new ConfigError("DISCORD_GUILD_ID", `${SNOWFLAKE_HINT}, got ${shown(guildId)}`);
  }

  const qaChannelIds = [
    ...new Set(
      (read("QA_CHANNEL_IDS") ?? "")
        .split(",")
        .map((id) => id.trim())
        .filter((id) => id !== ""),
    ),
  ];
  const badChannel = qaChannelIds.find((id) => !SNOWFLAKE.test(id));
  if (badChannel !== undefined) {
    throw new ConfigError(
      "QA_CHANNEL_IDS",
      `must be channel ids separated by commas, each ${SNOWFLAKE_HINT.replace("must be ", "")}, got ${shown(badChannel)}`,
    );
  }

  const apiUrl = parseApiUrl(read("DISCORD_API_URL"), shown);

  const { shardCount, shardList, legacyShardKeys, shardTotalKey } = readShards(
    read,
    isShard(source),
    shown,
  );

  const dataDir = loadDataDir(source);

  const databaseText = read("DATABASE_PATH");
  const databasePath =
    databaseText === undefined ? CONFIG_DEFAULTS.databasePath : path.resolve(databaseText);
  const databaseUrl = parseDatabaseUrl(read("DATABASE_URL"));
  const snapshotText = read("INDEX_SNAPSHOT_PATH");
  const indexSnapshotPath =
    snapshotText === undefined
      ? defaultSnapshotPath(databasePath)
      : snapshotText.toLowerCase() === "off"
        ? undefined
        : path.resolve(snapshotText);

  const levelText = read("LOG_LEVEL")?.toLowerCase();
  const logLevel =
    levelText === undefined ? CONFIG_DEFAULTS.logLevel : parseLevel(levelText, shown);

  const questionsText = read("COOLDOWN_QUESTIONS");
  const secondsText = read("COOLDOWN_SECONDS");
  const cooldown = {
    questions:
      questionsText === undefined
        ? CONFIG_DEFAULTS.cooldownQuestions
        : positiveInteger("COOLDOWN_QUESTIONS", questionsText, shown),
    perSeconds:
      secondsText === undefined
        ? CONFIG_DEFAULTS.cooldownSeconds
        : positiveInteger("COOLDOWN_SECONDS", secondsText, shown),
  };

  const drainText = read("DRAIN_SECONDS");
  const drainSeconds =
    drainText === undefined
      ? CONFIG_DEFAULTS.drainSeconds
      : positiveInteger("DRAIN_SECONDS", drainText, shown);

  const ingest = loadIngestSettings(source);
  const watchText = read("WATCH_ARTICLES");
  const watchArticles =
    watchText === undefined
      ? CONFIG_DEFAULTS.watchArticles
      : onOff("WATCH_ARTICLES", watchText, shown);

  const pollText = read("FEED_POLL_SECONDS");
  const pollSeconds =
    pollText === undefined
      ? CONFIG_DEFAULTS.feedPollSeconds
      : positiveInteger("FEED_POLL_SECONDS", pollText, shown);
  if (pollSeconds < MIN_FEED_POLL_SECONDS) {
    throw new ConfigError(
      "FEED_POLL_SECONDS",
      `must be at least ${MIN_FEED_POLL_SECONDS} (feeds are not asked more than once a minute), got ${shown(String(pollSeconds))}`,
    );
  }
  const feedsFileText = read("FEEDS_FILE");
  const setting = (key: ConfigKey, fallback: number) => {
    const text = read(key);
    return text === undefined ? fallback : positiveInteger(key, text, shown);
  };
  const feeds: FeedSettings = {
    pollSeconds,
    ...(feedsFileText === undefined ? {} : { feedsFile: path.resolve(feedsFileText) }),
    retentionDays: setting("FEED_RETENTION_DAYS", CONFIG_DEFAULTS.feedRetentionDays),
    perServer: setting("FEEDS_PER_SERVER", CONFIG_DEFAULTS.feedsPerServer),
    itemsPerPoll: setting("FEED_ITEMS_PER_POLL", CONFIG_DEFAULTS.feedItemsPerPoll),
    articlesPerServer: setting("ARTICLES_PER_SERVER", CONFIG_DEFAULTS.articlesPerServer),
  };

  const health = loadHealth(read, source, shown);

  if (options.warn) {
    for (const key of legacyShardKeys) {
      const fate =
        key === shardTotalKey
          ? "its value is used for now"
          : `${shardTotalKey} is set, so it is ignored`;
      options.warn(
        `config: ${key} ${LEGACY_SHARD_TOTAL_KEYS[key]}; rename it to SHARD_TOTAL in .env (${fate})`,
      );
    }
    for (const key of unknownKeys(source)) {
      options.warn(
        `config: ${key} is not a newsdesk setting (typo?); known keys are listed in .env.example`,
      );
    }
  }

  return deepFreeze({
    discord: {
      token,
      applicationId,
      ...(guildId === undefined ? {} : { guildId }),
      apiUrl,
      qaChannelIds,
      ...(shardCount === undefined ? {} : { shardCount, shardList }),
    },
    dataDir,
    databasePath,
    ...(databaseUrl === undefined ? {} : { databaseUrl }),
    ...(indexSnapshotPath === undefined ? {} : { indexSnapshotPath }),
    logLevel,
    cooldown,
    drainSeconds,
    ingest,
    watchArticles,
    feeds,
    ...(health === undefined ? {} : { health }),
  });
}

/** The largest TCP port. */
const MAX_PORT = 65_535;

/**
 * HEALTH_PORT and HEALTH_HOST: undefined without a port (the endpoint is off). In a shard
 * spawned by discord.js's ShardingManager, the port is HEALTH_PORT plus the shard's id (its
 * `SHARDS` variable).
 */
function loadHealth(
  read: (key: ConfigKey) => string | undefined,
  env: Env,
  shown: (value: string) => string,
): HealthSettings | undefined {
  const host = read("HEALTH_HOST") ?? CONFIG_DEFAULTS.healthHost;
  const portText = read("HEALTH_PORT");
  if (portText === undefined) return undefined;
  const base = Number(portText);
  if (!/^\d+$/.test(portText) || base < 1 || base > MAX_PORT) {
    throw new ConfigError(
      "HEALTH_PORT",
      `must be a port number from 1 to ${MAX_PORT}, or unset to turn /healthz and /metrics off, got ${shown(portText)}`,
    );
  }
  const shard = isShard(env) ? Number(env.SHARDS ?? 0) : 0;
  const port = base + (Number.isSafeInteger(shard) ? shard : 0);
  if (port > MAX_PORT) {
    throw new ConfigError(
      "HEALTH_PORT",
      `plus the shard id ${shard} is past ${MAX_PORT} (each shard listens on HEALTH_PORT + its id): choose a lower HEALTH_PORT`,
    );
  }
  return { host, port };
}

/**
 * Keys that start like newsdesk's (`DISCORD_`, `NEWSDESK_`) but are not among
 * {@link CONFIG_KEYS}: probably typos such as `DISCORD_GUILD`.
 */
export function unknownKeys(env: Env): string[] {
  const known = new Set<string>([...CONFIG_KEYS, ...Object.keys(LEGACY_SHARD_TOTAL_KEYS)]);
  return Object.keys(env)
    .filter((key) => TYPO_PREFIXES.some((prefix) => key.startsWith(prefix)) && !known.has(key))
    .sort();
}

/**
 * SHARD_TOTAL (or an older name of it) and SHARD_LIST, checked together. In a shard of
 * `npm run start:sharded` they are checked as the manager checked them, but left out: the
 * manager assigned this process its shards (discord.js's SHARDS and SHARD_COUNT).
 *
 * @returns the total and this host's shards (both absent for "auto"), the older names that are
 *   set (to warn about), and the key the total was read from
 */
function readShards(
  read: (key: ConfigKey) => string | undefined,
  inShard: boolean,
  shown: (value: string) => string,
): {
  shardCount?: number;
  shardList?: number[];
  legacyShardKeys: LegacyShardTotalKey[];
  shardTotalKey: ConfigKey;
} {
  const legacyShardKeys = (Object.keys(LEGACY_SHARD_TOTAL_KEYS) as LegacyShardTotalKey[]).filter(
    (key) => read(key) !== undefined && !(inShard && key === "SHARD_COUNT"),
  );
  const shardTotalKey: ConfigKey =
    read("SHARD_TOTAL") === undefined ? (legacyShardKeys[0] ?? "SHARD_TOTAL") : "SHARD_TOTAL";
  const totalText = read(shardTotalKey);
  const total =
    totalText === undefined || totalText.toLowerCase() === "auto"
      ? undefined
      : positiveInteger(shardTotalKey, totalText, shown, ' or "auto"');

  const ids = (read("SHARD_LIST") ?? "")
    .split(",")
    .map((id) => id.trim())
    .filter((id) => id !== "");
  const badId = ids.find((id) => !/^\d+$/.test(id));
  if (badId !== undefined) {
    throw new ConfigError(
      "SHARD_LIST",
      `must be shard ids (whole numbers from 0) separated by commas, got ${shown(badId)}`,
    );
  }
  const list = ids.map(Number);
  if (list.length > 0 && total === undefined) {
    throw new ConfigError(
      "SHARD_LIST",
      "needs SHARD_TOTAL, the number of shards across all hosts (e.g. SHARD_LIST=0,1 with SHARD_TOTAL=4)",
    );
  }
  if (total === undefined) return { legacyShardKeys, shardTotalKey };
  const beyond = list.find((id) => id >= total);
  if (beyond !== undefined) {
    throw new ConfigError(
      "SHARD_LIST",
      `has shard ${beyond}, but ${shardTotalKey} is ${total}: shard ids run from 0 to ${total - 1}`,
    );
  }
  const twice = list.find((id, index) => list.indexOf(id) !== index);
  if (twice !== undefined) {
    throw new ConfigError("SHARD_LIST", `names shard ${twice} twice: give each shard once`);
  }
  if (inShard) return { legacyShardKeys, shardTotalKey };
  const shardList =
    list.length > 0 ? list.sort((a, b) => a - b) : Array.from({ length: total }, (_, id) => id);
  return { shardCount: total, shardList, legacyShardKeys, shardTotalKey };
}

/** Whether `env` is the environment of a shard that discord.js's ShardingManager spawned. */
function isShard(env: Env): boolean {
  return env.SHARDING_MANAGER !== undefined;
}

/**
 * The settings: what `.env` in the working directory sets, under `process.env` (a variable set
 * in the environment wins over `.env`, as with dotenv's default).
 *
 * `.env` is parsed into a copy, never into `process.env`: what a user writes there is read by
 * newsdesk alone, not by discord.js or Node, which read some variables themselves. For the same
 * reason, outside a shard, discord.js's shard variables are removed from `process.env` (after
 * being read into the copy, so the old SHARD_COUNT setting still works with its warning).
 */
function processEnv(): Env {
  const fromFile: Record<string, string> = {};
  // quiet: dotenv 17 otherwise prints a banner on stdout, which would break JSON-lines logs.
  dotenv.config({ quiet: true, processEnv: fromFile });
  const merged = { ...fromFile, ...process.env };
  if (!isShard(merged)) {
    for (const name of DISCORD_JS_SHARD_VARIABLES) delete process.env[name];
  }
  return merged;
}

/** INDEX_SNAPSHOT_PATH's default: beside the database, named after it (`x.sqlite` -> `x.index`). */
export function defaultSnapshotPath(databasePath: string): string {
  const { dir, name, ext } = path.parse(databasePath);
  return path.join(dir, `${ext === ".sqlite" || ext === ".db" ? name : name + ext}.index`);
}

/**
 * The articles folder, for the command line, which needs no Discord settings: DATA_DIR from the
 * environment or `.env` (as {@link loadConfig} reads it), resolved against the working folder,
 * else the bundled `data/articles`.
 *
 * @param env - the variables to read; default: as {@link loadConfig}
 * @param cwd - the folder a relative DATA_DIR starts from
 */
export function loadDataDir(env?: Env, cwd = process.cwd()): string {
  const text = (env ?? processEnv()).DATA_DIR?.trim();
  return text === undefined || text === "" ? CONFIG_DEFAULTS.dataDir : path.resolve(cwd, text);
}

/**
 * The ingest settings, for the command line, which needs no Discord settings: read from the
 * environment or `.env` as {@link loadConfig} reads them.
 *
 * @param env - the variables to read; default: as {@link loadConfig}
 * @throws ConfigError when ALLOW_PRIVATE_FETCH is neither true nor false
 */
export function loadIngestSettings(env?: Env): IngestSettings {
  const text = (env ?? processEnv()).ALLOW_PRIVATE_FETCH?.trim().toLowerCase();
  if (text === undefined || text === "") {
    return Object.freeze({ allowPrivateFetch: CONFIG_DEFAULTS.allowPrivateFetch });
  }
  if (text !== "true" && text !== "false") {
    throw new ConfigError(
      "ALLOW_PRIVATE_FETCH",
      `must be true or false, got ${text.length > 24 ? `a value of ${text.length} characters` : JSON.stringify(text)}`,
    );
  }
  return Object.freeze({ allowPrivateFetch: text === "true" });
}

function parseApiUrl(text: string | undefined, shown: (value: string) => string): string {
  if (text === undefined) return CONFIG_DEFAULTS.apiUrl;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError("DISCORD_API_URL", `must be an http(s) URL, got ${shown(text)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError("DISCORD_API_URL", `must be an http(s) URL, got ${shown(text)}`);
  }
  const base = text.replace(/\/+$/, "");
  if (/\/v\d+$/.test(base)) {
    throw new ConfigError(
      "DISCORD_API_URL",
      `must not end with the API version (discord.js adds /v10 itself), got ${shown(text)}`,
    );
  }
  return base;
}

function parseLevel(text: string, shown: (value: string) => string): LogLevel {
  const level = LOG_LEVELS.find((candidate) => candidate === text);
  if (level === undefined) {
    throw new ConfigError(
      "LOG_LEVEL",
      `must be one of ${LOG_LEVELS.join(", ")}, got ${shown(text)}`,
    );
  }
  return level;
}

function positiveInteger(
  key: ConfigKey,
  text: string,
  shown: (value: string) => string,
  alternative = "",
): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < 1) {
    throw new ConfigError(key, `must be a positive whole number${alternative}, got ${shown(text)}`);
  }
  return value;
}

/** A switch: on/off, true/false, yes/no or 1/0, in any case. */
function onOff(key: ConfigKey, text: string, shown: (value: string) => string): boolean {
  const value = text.toLowerCase();
  if (["on", "true", "yes", "1"].includes(value)) return true;
  if (["off", "false", "no", "0"].includes(value)) return false;
  throw new ConfigError(key, `must be on or off, got ${shown(text)}`);
}

/**
 * The values a log line must never show: the token, and DATABASE_URL's password (and the URL
 * itself, which holds it).
 */
export function secretsOf(config: Config): string[] {
  const secrets = [config.discord.token];
  if (config.databaseUrl !== undefined) {
    secrets.push(config.databaseUrl);
    const password = decodeURIComponent(new URL(config.databaseUrl).password);
    if (password !== "") secrets.push(password);
  }
  return secrets;
}

/**
 * DATABASE_URL, checked: a PostgreSQL URL with a host. The message never shows the value, which
 * may hold a password.
 */
function parseDatabaseUrl(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(
      "DATABASE_URL",
      "is not a URL (expected postgres://user:password@host:5432/database)",
    );
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    throw new ConfigError(
      "DATABASE_URL",
      `must be a PostgreSQL URL starting with postgres:// (got ${url.protocol}//...); leave it empty to use the SQLite file of DATABASE_PATH`,
    );
  }
  if (url.hostname === "") {
    throw new ConfigError(
      "DATABASE_URL",
      "has no host (expected postgres://user:password@host:5432/database)",
    );
  }
  try {
    decodeURIComponent(url.username);
    decodeURIComponent(url.password);
  } catch {
    throw new ConfigError(
      "DATABASE_URL",
      "has a user or password that is not valid percent-encoding; write a % in them as %25 (and @ as %40, : as %3A, / as %2F)",
    );
  }
  return text;
}

/**
 * A value quoted for an error message: short values only, and never one that contains the
 * token (a token pasted into the wrong key must not be printed either).
 */
function show(value: string, token: string): string {
  if (value.length > 24 || value.includes(token)) {
    return `a value of ${value.length} characters`;
  }
  return JSON.stringify(value);
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (typeof child === "object" && child !== null) deepFreeze(child);
  }
  return Object.freeze(value);
}

/**
 * For the entry points (`npm run deploy-commands`, `npm run start:sharded`): the configuration,
 * or undefined after writing the ConfigError's one line to `stderr`. Other errors propagate.
 */
export function loadConfigOrReport(
  stderr: { write(text: string): unknown } = process.stderr,
): Config | undefined {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      stderr.write(`${error.message}\n`);
      return undefined;
    }
    throw error;
  }
}

/**
 * The folder the user typed their command in, where relative paths they gave (`--data`,
 * `--batch`) start: npm runs scripts in the package root and says where the user was in
 * INIT_CWD; without npm, the working folder.
 */
export function userFolder(): string {
  return process.env.INIT_CWD ?? process.cwd();
}
