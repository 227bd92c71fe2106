import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  CONFIG_KEYS,
  ConfigError,
  loadConfig,
  loadDataDir,
  loadIngestSettings,
  secretsOf,
  unknownKeys,
} from "../src/config.js";
import { DEFAULT_DATA_DIR } from "../src/paths.js";

const TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.Gabcde.fake-token-for-tests_0123456789";
const APP_ID = "123456789012345678";
const DEFAULT_DATABASE_PATH = fileURLToPath(new URL("../var/newsdesk.sqlite", import.meta.url));

/** A valid environment, changed by `overrides` (undefined removes a key). */
function env(overrides: Record<string, string | undefined> = {}) {
  return { DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: APP_ID, ...overrides };
}

/** The ConfigError `loadConfig` throws for `values` (fails the test if it does not throw). */
function errorFor(values: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(values);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  it("applies the defaults to a minimal environment", () => {
    expect(loadConfig(env())).toEqual({
      discord: {
        token: TOKEN,
        applicationId: APP_ID,
        apiUrl: "https://discord.com/api",
        qaChannelIds: [],
      },
      dataDir: DEFAULT_DATA_DIR,
      databasePath: DEFAULT_DATABASE_PATH,
      indexSnapshotPath: DEFAULT_DATABASE_PATH.replace(/newsdesk\.sqlite$/, "newsdesk.index"),
      logLevel: "info",
      cooldown: { questions: 5, perSeconds: 60 },
      drainSeconds: 10,
      ingest: { allowPrivateFetch: false },
      watchArticles: true,
      feeds: {
        pollSeconds: 600,
        retentionDays: 365,
        perServer: 20,
        itemsPerPoll: 20,
        articlesPerServer: 2000,
      },
    });
  });

  it("reads every key", () => {
    const config = loadConfig(
      env({
        DISCORD_GUILD_ID: "98765432109876543",
        DISCORD_API_URL: "http://127.0.0.1:4000/api/",
        QA_CHANNEL_IDS: " 11111111111111111 ,22222222222222222,,11111111111111111",
        SHARD_TOTAL: "3",
        SHARD_LIST: "2,0",
        DATA_DIR: "some/articles",
        DATABASE_PATH: "state/pins.sqlite",
        LOG_LEVEL: "DEBUG",
        COOLDOWN_QUESTIONS: "2",
        COOLDOWN_SECONDS: "30",
        DRAIN_SECONDS: "25",
        WATCH_ARTICLES: "Off",
      }),
    );
    expect(config.discord.guildId).toBe("98765432109876543");
    expect(config.discord.apiUrl).toBe("http://127.0.0.1:4000/api");
    expect(config.discord.qaChannelIds).toEqual(["11111111111111111", "22222222222222222"]);
    expect(config.discord.shardCount).toBe(3);
    expect(config.discord.shardList).toEqual([0, 2]);
    expect(config.dataDir).toBe(path.resolve("some/articles"));
    expect(config.databasePath).toBe(path.resolve("state/pins.sqlite"));
    expect(config.logLevel).toBe("debug");
    expect(config.cooldown).toEqual({ questions: 2, perSeconds: 30 });
    expect(config.drainSeconds).toBe(25);
    expect(config.watchArticles).toBe(false);
  });

  it("puts the index snapshot beside the database unless INDEX_SNAPSHOT_PATH says where, or off", () => {
    expect(loadConfig(env({ DATABASE_PATH: "state/pins.sqlite" })).indexSnapshotPath).toBe(
      path.resolve("state/pins.index"),
    );
    expect(loadConfig(env({ DATABASE_PATH: "state/pins" })).indexSnapshotPath).toBe(
      path.resolve("state/pins.index"),
    );
    expect(
      loadConfig(env({ DATABASE_PATH: "state/pins.sqlite", INDEX_SNAPSHOT_PATH: "fast/index.bin" }))
        .indexSnapshotPath,
    ).toBe(path.resolve("fast/index.bin"));
    expect(loadConfig(env({ INDEX_SNAPSHOT_PATH: "OFF" }))).not.toHaveProperty("indexSnapshotPath");
    expect(loadConfig(env({ INDEX_SNAPSHOT_PATH: "" })).indexSnapshotPath).toBe(
      DEFAULT_DATABASE_PATH.replace(/newsdesk\.sqlite$/, "newsdesk.index"),
    );
  });

  it("reads the feed settings", () => {
    const config = loadConfig(
      env({
        FEED_POLL_SECONDS: "900",
        FEEDS_FILE: "conf/feeds.txt",
        FEED_RETENTION_DAYS: "30",
        FEEDS_PER_SERVER: "5",
        FEED_ITEMS_PER_POLL: "10",
        ARTICLES_PER_SERVER: "500",
      }),
    );
    expect(config.feeds).toEqual({
      pollSeconds: 900,
      feedsFile: path.resolve("conf/feeds.txt"),
      retentionDays: 30,
      perServer: 5,
      itemsPerPoll: 10,
      articlesPerServer: 500,
    });
    expect(loadConfig(env({ FEEDS_FILE: "" })).feeds).not.toHaveProperty("feedsFile");
  });

  it("refuses feed settings that are not positive whole numbers, and a poll under a minute", () => {
    expect(() => loadConfig(env({ FEED_POLL_SECONDS: "59" }))).toThrow(
      /FEED_POLL_SECONDS must be at least 60/,
    );
    expect(() => loadConfig(env({ FEEDS_PER_SERVER: "0" }))).toThrow(
      /FEEDS_PER_SERVER must be a positive whole number, got "0"/,
    );
    expect(() => loadConfig(env({ FEED_ITEMS_PER_POLL: "ten" }))).toThrow(
      /FEED_ITEMS_PER_POLL must be a positive whole number/,
    );
    expect(() => loadConfig(env({ FEED_RETENTION_DAYS: "1.5" }))).toThrow(/FEED_RETENTION_DAYS/);
  });

  it("refuses a WATCH_ARTICLES that is not on or off", () => {
    expect(() => loadConfig(env({ WATCH_ARTICLES: "sometimes" }))).toThrow(
      /WATCH_ARTICLES must be on or off, got "sometimes"/,
    );
  });

  it("treats empty values, as in a copied .env.example, as unset", () => {
    const config = loadConfig(
      env({
        DISCORD_GUILD_ID: "",
        QA_CHANNEL_IDS: "",
        DATA_DIR: " ",
        DATABASE_PATH: "",
        SHARD_TOTAL: "auto",
        SHARD_LIST: "",
      }),
    );
    expect(config.discord).not.toHaveProperty("guildId");
    expect(config.discord).not.toHaveProperty("shardCount");
    expect(config.discord).not.toHaveProperty("shardList");
    expect(config.discord.qaChannelIds).toEqual([]);
    expect(config.dataDir).toBe(DEFAULT_DATA_DIR);
    expect(config.databasePath).toBe(DEFAULT_DATABASE_PATH);
  });

  it("returns a deeply frozen object", () => {
    const config = loadConfig(env({ QA_CHANNEL_IDS: "11111111111111111" }));
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.discord)).toBe(true);
    expect(Object.isFrozen(config.discord.qaChannelIds)).toBe(true);
    expect(Object.isFrozen(config.cooldown)).toBe(true);
  });

  it("says exactly what to do when the token is missing", () => {
    for (const token of [undefined, "", "   "]) {
      expect(errorFor(env({ DISCORD_TOKEN: token })).message).toBe(
        'config: DISCORD_TOKEN is not set. Copy .env.example to .env and fill it in (see README), or try newsdesk offline with: npm run ask -- "How long would the ceasefire last?"',
      );
    }
  });

  it("rejects a token with whitespace or quotes without printing it", () => {
    for (const token of [`"${TOKEN}"`, `'${TOKEN}'`, `Bot ${TOKEN}`, `${TOKEN.slice(0, 20)} x`]) {
      const error = errorFor(env({ DISCORD_TOKEN: token }));
      expect(error.key).toBe("DISCORD_TOKEN");
      expect(error.message).toMatch(/^config: DISCORD_TOKEN does not look like a bot token/);
      expect(error.message).not.toContain(TOKEN.slice(0, 20));
    }
  });

  it.each([
    ["DISCORD_APPLICATION_ID", undefined, /is not set/],
    ["DISCORD_APPLICATION_ID", "my-bot", /must be a Discord id \(17 to 20 digits/],
    ["DISCORD_APPLICATION_ID", "1234567890123456", /17 to 20 digits/],
    ["DISCORD_APPLICATION_ID", "123456789012345678901", /17 to 20 digits/],
    ["DISCORD_GUILD_ID", "guild", /must be a Discord id/],
    ["QA_CHANNEL_IDS", "11111111111111111;22222222222222222", /separated by commas/],
    ["QA_CHANNEL_IDS", "11111111111111111,#general", /got "#general"/],
    ["DISCORD_API_URL", "discord.com/api", /must be an http\(s\) URL/],
    ["DISCORD_API_URL", "ftp://discord.com/api", /must be an http\(s\) URL/],
    ["DISCORD_API_URL", "https://discord.com/api/v10", /must not end with the API version/],
    ["LOG_LEVEL", "verbose", /must be one of debug, info, warn, error, got "verbose"/],
    ["SHARD_TOTAL", "0", /positive whole number or "auto"/],
    ["SHARD_TOTAL", "two", /positive whole number or "auto"/],
    ["NEWSDESK_SHARDS", "two", /positive whole number or "auto"/],
    ["SHARD_COUNT", "two", /positive whole number or "auto"/],
    ["COOLDOWN_QUESTIONS", "-1", /positive whole number/],
    ["COOLDOWN_QUESTIONS", "1.5", /positive whole number/],
    ["COOLDOWN_SECONDS", "0", /positive whole number/],
    ["DRAIN_SECONDS", "soon", /positive whole number, got "soon"/],
    ["COOLDOWN_SECONDS", "9".repeat(30), /positive whole number, got a value of 30 characters/],
  ] as const)("rejects %s=%s naming the key", (key, value, problem) => {
    const error = errorFor(env({ [key]: value }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.key).toBe(key);
    expect(error.message).toMatch(new RegExp(`^config: ${key} `));
    expect(error.message).toMatch(problem);
    expect(error.message).toContain(".env.example");
    expect(error.message).toContain("npm run ask");
    expect(error.message).not.toContain("\n");
    expect(error.message).not.toContain(TOKEN);
  });

  it("never prints the token, even when it is pasted into another key", () => {
    for (const key of [
      "DISCORD_APPLICATION_ID",
      "DISCORD_GUILD_ID",
      "QA_CHANNEL_IDS",
      "LOG_LEVEL",
    ]) {
      const error = errorFor(env({ [key]: TOKEN }));
      expect(error.key).toBe(key);
      expect(error.message).not.toContain(TOKEN);
      expect(error.message).not.toContain(TOKEN.slice(0, 12));
    }
    const short = "abcdefghijklmnop";
    const error = errorFor(env({ DISCORD_TOKEN: short, DISCORD_APPLICATION_ID: short }));
    expect(error.message).not.toContain(short);
  });

  it("warns about unknown DISCORD_ and NEWSDESK_ keys, probably typos, without failing", () => {
    const warnings: string[] = [];
    const config = loadConfig(
      env({ DISCORD_GUILD: "1", NEWSDESK_LOGLEVEL: "debug", PATH: "/bin", DISCORDANT: "x" }),
      { warn: (message) => warnings.push(message) },
    );
    expect(config.logLevel).toBe("info");
    expect(warnings).toEqual([
      "config: DISCORD_GUILD is not a newsdesk setting (typo?); known keys are listed in .env.example",
      "config: NEWSDESK_LOGLEVEL is not a newsdesk setting (typo?); known keys are listed in .env.example",
    ]);
    expect(unknownKeys(env({ DISCORD_API_URL: "http://x" }))).toEqual([]);
  });

  it("accepts the old SHARD_COUNT with a warning to rename it", () => {
    const warnings: string[] = [];
    const config = loadConfig(env({ SHARD_COUNT: "2" }), { warn: (m) => warnings.push(m) });
    expect(config.discord.shardCount).toBe(2);
    expect(warnings).toEqual([
      "config: SHARD_COUNT is discord.js's own variable; rename it to SHARD_TOTAL in .env (its value is used for now)",
    ]);
  });

  it("accepts the old NEWSDESK_SHARDS with a warning to rename it, before SHARD_COUNT", () => {
    const warnings: string[] = [];
    const config = loadConfig(env({ NEWSDESK_SHARDS: "4", SHARD_COUNT: "2" }), {
      warn: (m) => warnings.push(m),
    });
    expect(config.discord.shardCount).toBe(4);
    expect(config.discord.shardList).toEqual([0, 1, 2, 3]);
    expect(warnings).toEqual([
      "config: NEWSDESK_SHARDS is the old name of SHARD_TOTAL; rename it to SHARD_TOTAL in .env (its value is used for now)",
      "config: SHARD_COUNT is discord.js's own variable; rename it to SHARD_TOTAL in .env (NEWSDESK_SHARDS is set, so it is ignored)",
    ]);
    expect(unknownKeys(env({ NEWSDESK_SHARDS: "4" }))).toEqual([]);
  });

  it("prefers SHARD_TOTAL to the old names, still warning about each", () => {
    const warnings: string[] = [];
    const config = loadConfig(
      env({ SHARD_COUNT: "auto", NEWSDESK_SHARDS: "3", SHARD_TOTAL: "8" }),
      {
        warn: (m) => warnings.push(m),
      },
    );
    expect(config.discord.shardCount).toBe(8);
    expect(warnings).toHaveLength(2);
    for (const warning of warnings)
      expect(warning).toContain("SHARD_TOTAL is set, so it is ignored");
  });

  it("runs every shard of SHARD_TOTAL on this host without SHARD_LIST", () => {
    const config = loadConfig(env({ SHARD_TOTAL: "3" }));
    expect(config.discord.shardCount).toBe(3);
    expect(config.discord.shardList).toEqual([0, 1, 2]);
  });

  it("reads SHARD_LIST with spaces and a trailing comma, ascending", () => {
    const config = loadConfig(env({ SHARD_LIST: " 7, 4 ,5,6,", SHARD_TOTAL: "8" }));
    expect(config.discord.shardList).toEqual([4, 5, 6, 7]);
    expect(Object.isFrozen(config.discord.shardList)).toBe(true);
  });

  it.each([
    [
      { SHARD_LIST: "0,1" },
      /^config: SHARD_LIST needs SHARD_TOTAL, the number of shards across all hosts/,
    ],
    [{ SHARD_LIST: "0,1", SHARD_TOTAL: "auto" }, /SHARD_LIST needs SHARD_TOTAL/],
    [
      { SHARD_LIST: "0,2", SHARD_TOTAL: "2" },
      /SHARD_LIST has shard 2, but SHARD_TOTAL is 2: shard ids run from 0 to 1/,
    ],
    [{ SHARD_LIST: "1", NEWSDESK_SHARDS: "1" }, /SHARD_LIST has shard 1, but NEWSDESK_SHARDS is 1/],
    [{ SHARD_LIST: "0,1,0", SHARD_TOTAL: "4" }, /SHARD_LIST names shard 0 twice/],
    [
      { SHARD_LIST: "0;1", SHARD_TOTAL: "4" },
      /SHARD_LIST must be shard ids \(whole numbers from 0\) separated by commas, got "0;1"/,
    ],
    [{ SHARD_LIST: "0,-1", SHARD_TOTAL: "4" }, /got "-1"/],
    [{ SHARD_LIST: "0,1.5", SHARD_TOTAL: "4" }, /got "1\.5"/],
  ] as const)("refuses the shard settings %o in one line naming SHARD_LIST", (values, problem) => {
    const error = errorFor(env(values));
    expect(error.key).toBe("SHARD_LIST");
    expect(error.message).toMatch(problem);
    expect(error.message).not.toContain("\n");
  });

  it("in a shard, leaves SHARD_COUNT to discord.js: not a setting, no warning", () => {
    const warnings: string[] = [];
    const config = loadConfig(env({ SHARDING_MANAGER: "true", SHARD_COUNT: "8", SHARDS: "[3]" }), {
      warn: (m) => warnings.push(m),
    });
    expect(config.discord).not.toHaveProperty("shardCount");
    expect(warnings).toEqual([]);
  });

  it("in a shard, leaves SHARD_LIST and SHARD_TOTAL out: the manager assigned its shards", () => {
    const shard = { SHARDING_MANAGER: "true", SHARD_COUNT: "8", SHARDS: "[5]" };
    const config = loadConfig(env({ ...shard, SHARD_LIST: "4,5,6,7", SHARD_TOTAL: "8" }));
    expect(config.discord).not.toHaveProperty("shardCount");
    expect(config.discord).not.toHaveProperty("shardList");
    expect(errorFor(env({ ...shard, SHARD_LIST: "8", SHARD_TOTAL: "8" })).key).toBe("SHARD_LIST");
  });

  it("reads DATA_DIR alone for the command line, relative to the folder given", () => {
    expect(loadDataDir({ DATA_DIR: "news" }, "/srv/newsdesk")).toBe(
      path.resolve("/srv/newsdesk/news"),
    );
    expect(loadDataDir({ DATA_DIR: " " }, "/srv")).toBe(DEFAULT_DATA_DIR);
    expect(loadDataDir({})).toBe(DEFAULT_DATA_DIR);
  });

  it("has no setting that discord.js, Node or npm read themselves (but the token)", () => {
    // What discord.js 14 reads from the environment (grep of its sources: process.env.X and
    // "X" in workerData ?? process.env) and what Node and npm document reading.
    const discordJs = [
      "DISCORD_TOKEN",
      "SHARDING_MANAGER",
      "SHARDING_MANAGER_MODE",
      "SHARDS",
      "SHARD_COUNT",
    ];
    const node = [
      "NODE_OPTIONS",
      "NODE_PATH",
      "NODE_DEBUG",
      "NODE_ENV",
      "NODE_EXTRA_CA_CERTS",
      "TZ",
      "UV_THREADPOOL_SIZE",
      "SSL_CERT_DIR",
      "SSL_CERT_FILE",
      "OPENSSL_CONF",
      "NO_COLOR",
      "FORCE_COLOR",
      "HOME",
      "PATH",
      "TMPDIR",
      "DEBUG",
      "CI",
    ];
    const shared = CONFIG_KEYS.filter(
      (key) => discordJs.includes(key) || node.includes(key) || /^(NODE_|NPM_|npm_|UV_)/i.test(key),
    );
    // DISCORD_TOKEN: discord.js reads it as the bot token when none is given, the very value
    // newsdesk gives it, so the two can never disagree.
    expect(shared).toEqual(["DISCORD_TOKEN"]);
  });

  it("reads ALLOW_PRIVATE_FETCH as true or false, default false, and refuses anything else", () => {
    expect(loadConfig(env({ ALLOW_PRIVATE_FETCH: "true" })).ingest.allowPrivateFetch).toBe(true);
    expect(loadIngestSettings({ ALLOW_PRIVATE_FETCH: " FALSE " })).toEqual({
      allowPrivateFetch: false,
    });
    expect(loadIngestSettings({})).toEqual({ allowPrivateFetch: false });
    const error = errorFor(env({ ALLOW_PRIVATE_FETCH: "yes" }));
    expect(error.key).toBe("ALLOW_PRIVATE_FETCH");
    expect(error.message).toContain('must be true or false, got "yes"');
  });

  it("turns /healthz and /metrics on with HEALTH_PORT only, on 127.0.0.1 unless HEALTH_HOST says", () => {
    expect(loadConfig(env())).not.toHaveProperty("health");
    expect(loadConfig(env({ HEALTH_HOST: "0.0.0.0" }))).not.toHaveProperty("health");
    expect(loadConfig(env({ HEALTH_PORT: "", HEALTH_HOST: "" }))).not.toHaveProperty("health");
    expect(loadConfig(env({ HEALTH_PORT: " 9464 " })).health).toEqual({
      host: "127.0.0.1",
      port: 9464,
    });
    expect(loadConfig(env({ HEALTH_PORT: "9464", HEALTH_HOST: "::" })).health).toEqual({
      host: "::",
      port: 9464,
    });
  });

  it("refuses a HEALTH_PORT that is not a port, saying how to turn it off", () => {
    for (const bad of ["0", "65536", "-1", "9464.5", "metrics", "auto"]) {
      const error = errorFor(env({ HEALTH_PORT: bad }));
      expect(error.key).toBe("HEALTH_PORT");
      expect(error.message).toContain(
        `HEALTH_PORT must be a port number from 1 to 65535, or unset to turn /healthz and /metrics off, got ${JSON.stringify(bad)}`,
      );
    }
    expect(loadConfig(env({ HEALTH_PORT: "65535" })).health?.port).toBe(65535);
  });

  it("gives each shard of start:sharded its own port: HEALTH_PORT plus the shard id", () => {
    const shard = (id: string, port: string) =>
      env({ SHARDING_MANAGER: "true", SHARDS: id, SHARD_COUNT: "4", HEALTH_PORT: port });
    expect(loadConfig(shard("0", "9464")).health?.port).toBe(9464);
    expect(loadConfig(shard("3", "9464")).health?.port).toBe(9467);
    // Outside a shard, a leftover SHARDS is not the process's shard.
    expect(loadConfig(env({ SHARDS: "3", HEALTH_PORT: "9464" })).health?.port).toBe(9464);
    const error = errorFor(shard("3", "65534"));
    expect(error.key).toBe("HEALTH_PORT");
    expect(error.message).toContain("plus the shard id 3 is past 65535");
  });

  it("reads DATABASE_URL, refuses one that is not PostgreSQL's in a line without its password, and names its secrets", () => {
    const url = "postgres://newsdesk:p%40ss%25word@db.internal:5432/newsdesk";
    const config = loadConfig(env({ DATABASE_URL: url }));
    expect(config.databaseUrl).toBe(url);
    expect(secretsOf(config)).toEqual([TOKEN, url, "p@ss%word"]);
    expect(secretsOf(loadConfig(env()))).toEqual([TOKEN]);
    const refusals: [string, RegExp][] = [
      ["db.internal:5432/newsdesk?password=secret-1", /must be a PostgreSQL URL/],
      ["not a url secret-1", /is not a URL/],
      ["mysql://u:secret-1@db/newsdesk", /must be a PostgreSQL URL starting with postgres:\/\//],
      ["postgres:///newsdesk?password=secret-1", /has no host/],
      // A % that starts no escape: refused here, not a crash where the password is decoded.
      [
        "postgres://u:secret-1%zz@db.internal/newsdesk",
        /not valid percent-encoding; write a % in them as %25/,
      ],
    ];
    for (const [value, message] of refusals) {
      const error = errorFor(env({ DATABASE_URL: value }));
      expect(error.message).toMatch(/^config: DATABASE_URL /);
      expect(error.message).toMatch(message);
      expect(error.message).not.toContain("secret-1");
    }
  });

  it("does not touch process.env when given an environment", () => {
    const before = { ...process.env };
    loadConfig(env());
    expect(process.env).toEqual(before);
  });
});
