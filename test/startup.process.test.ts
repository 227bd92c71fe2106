/**
 * The entry points as processes, the way `npm start`, `npm run deploy-commands` and
 * `npm run start:sharded` run them: what reaches stdout and stderr, exit codes, signals. Each
 * child gets an explicit environment (never this process's) and, unless a test says otherwise,
 * a temp working folder without `.env`, since dotenv reads `.env` from the working folder.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { isMessageCommand } from "../src/discord/command.js";
import { loadCommands } from "../src/discord/loader.js";
import { FakeDiscord } from "./support/fakeDiscord.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** tsx's loader by absolute URL: the children run in a temp folder with no node_modules. */
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.Gabcde.fake-token-for-startup-tests_0123";
const APP_ID = "123456789012345678";
const MISSING_TOKEN_LINE =
  'config: DISCORD_TOKEN is not set. Copy .env.example to .env and fill it in (see README), or try newsdesk offline with: npm run ask -- "How long would the ceasefire last?"';
/** Each child loads discord.js, compromise and WordNet: a few seconds, more on a busy machine. */
const STEP_MS = 45_000;
const TEST_MS = 120_000;

type Entry = "src/index.ts" | "src/deploy.ts" | "src/shard.ts";

interface Run {
  readonly child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** The JSON log lines on stdout so far (other lines skipped). */
  records(): Record<string, unknown>[];
  /** Resolves with the first log record that matches, rejects if the process exits first. */
  waitForRecord(
    match: (record: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  /** Resolves with the exit code once the process has exited and its streams are closed. */
  exited(timeoutMs?: number): Promise<number | null>;
}

type Cleanup = () => Promise<void> | void;

/**
 * Per-test helpers whose resources (temp folders, processes, fakes) end with the test, even
 * when tests run concurrently.
 */
function harness(onTestFinished: (cleanup: Cleanup) => void) {
  const cleanups: Cleanup[] = [];
  onTestFinished(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const tempDir = (files: Record<string, string> = {}) => makeTempDir(files, cleanups);
  return {
    tempDir,
    run: (entry: Entry, env: Record<string, string>, cwd = tempDir()) =>
      run(entry, env, cwd, cleanups),
    runWithFaults: (entry: Entry, env: Record<string, string>) =>
      run(entry, env, tempDir(), cleanups, [FAULTS]),
    async startFake(options: { token?: string } = {}): Promise<FakeDiscord> {
      const fake = await FakeDiscord.start(options);
      cleanups.push(() => fake.stop());
      return fake;
    },
  };
}

function makeTempDir(files: Record<string, string>, cleanups: Cleanup[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), "newsdesk-startup-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function parseRecords(text: string): Record<string, unknown>[] {
  return text.split("\n").flatMap((line) => {
    if (!line.startsWith("{")) return [];
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * A preload for the bot's process: on SIGUSR2 it rejects a promise and throws from a callback,
 * both with the token in the message, so a test can check the bot logs them and keeps serving.
 */
const FAULTS = `data:text/javascript,${encodeURIComponent(`
process.on("SIGUSR2", () => {
  Promise.reject(new Error("rejected with " + process.env.DISCORD_TOKEN));
  setImmediate(() => { throw new Error("thrown with " + process.env.DISCORD_TOKEN); });
});`)}`;

/** Starts `node --import tsx <entry>` with exactly `env` (plus PATH and DATABASE_PATH) in `cwd`. */
function run(
  entry: Entry,
  env: Record<string, string>,
  cwd: string,
  cleanups: Cleanup[],
  preload: readonly string[] = [],
): Run {
  const imports = [TSX, ...preload].flatMap((url) => ["--import", url]);
  const child = spawn(process.execPath, [...imports, path.join(ROOT, entry)], {
    cwd,
    // A pin database in the temp folder unless the test names one: never the project's var/.
    env: { PATH: process.env.PATH ?? "", DATABASE_PATH: path.join(cwd, "pins.sqlite"), ...env },
    stdio: ["pipe", "pipe", "pipe"],
    // Its own process group, so that cleanup also kills what it spawned (the shards of
    // start:sharded), which would otherwise keep the pipes open after a failed test.
    detached: true,
  });
  let stdout = "";
  let stderr = "";
  const changed = new Set<() => void>();
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
    for (const notify of changed) notify();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const closed = once(child, "close").then(() => child.exitCode);
  cleanups.push(async () => {
    // The whole group, even when the child itself has exited: a shard may outlive its manager.
    try {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    } catch {
      // ESRCH: nothing of the group is left.
    }
    await closed;
  });
  const describe = () => `\nstdout:\n${stdout}\nstderr:\n${stderr}`;
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    records: () => parseRecords(stdout),
    waitForRecord(match, timeoutMs = STEP_MS) {
      let notify = () => {};
      const found = new Promise<Record<string, unknown>>((resolve, reject) => {
        notify = () => {
          const record = parseRecords(stdout).find(match);
          if (record) resolve(record);
        };
        changed.add(notify);
        notify();
        void closed.then(() => {
          notify();
          reject(new Error(`process exited (${child.exitCode}) first${describe()}`));
        });
      });
      return withTimeout(found, timeoutMs, `matching log line${describe()}`).finally(() =>
        changed.delete(notify),
      );
    },
    exited: (timeoutMs = STEP_MS) => withTimeout(closed, timeoutMs, `exit${describe()}`),
  };
}

/** No Node stack trace ("    at fn (file:1:2)") in `text`. */
function expectNoStack(text: string): void {
  expect(text).not.toMatch(/^\s+at /m);
}

describe.concurrent("npm start, failing at start-up", () => {
  it(
    "without DISCORD_TOKEN: the one line on stderr, exit 1",
    async ({ onTestFinished }) => {
      const { run } = harness(onTestFinished);
      const bot = run("src/index.ts", { DISCORD_APPLICATION_ID: APP_ID });
      expect(await bot.exited()).toBe(1);
      expect(bot.stderr()).toBe(`${MISSING_TOKEN_LINE}\n`);
      expect(bot.stdout()).toBe("");
    },
    TEST_MS,
  );

  it(
    "with a malformed DISCORD_APPLICATION_ID: one line naming the key, never the token",
    async ({ onTestFinished }) => {
      const { run } = harness(onTestFinished);
      const bot = run("src/index.ts", { DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: "my-app" });
      expect(await bot.exited()).toBe(1);
      const lines = bot.stderr().trimEnd().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^config: DISCORD_APPLICATION_ID must be a Discord id/);
      expect(bot.stderr() + bot.stdout()).not.toContain(TOKEN);
      expectNoStack(bot.stderr());
    },
    TEST_MS,
  );

  it(
    "with a quoted token: one line naming DISCORD_TOKEN, not its value",
    async ({ onTestFinished }) => {
      const { run } = harness(onTestFinished);
      const bot = run("src/index.ts", {
        DISCORD_TOKEN: `"${TOKEN}"`,
        DISCORD_APPLICATION_ID: APP_ID,
      });
      expect(await bot.exited()).toBe(1);
      expect(bot.stderr()).toMatch(/^config: DISCORD_TOKEN does not look like a bot token.*\n$/);
      expect(bot.stderr()).not.toContain(TOKEN);
    },
    TEST_MS,
  );

  it(
    "reads .env from the working folder, quietly (nothing on stdout)",
    async ({ onTestFinished }) => {
      const { run, tempDir } = harness(onTestFinished);
      const cwd = tempDir({ ".env": `DISCORD_TOKEN=${TOKEN}\nDISCORD_APPLICATION_ID=12\n` });
      const bot = run("src/index.ts", {}, cwd);
      expect(await bot.exited()).toBe(1);
      expect(bot.stderr()).toMatch(/^config: DISCORD_APPLICATION_ID must be a Discord id.*\n$/);
      expect(bot.stdout()).toBe("");
    },
    TEST_MS,
  );

  it(
    "with a DATABASE_PATH that is not a database: one pins line on stderr, exit 1",
    async ({ onTestFinished }) => {
      const { run, tempDir } = harness(onTestFinished);
      const dir = tempDir({ "notes.sqlite": "these are my notes, not a database\n".repeat(200) });
      const bot = run("src/index.ts", {
        DISCORD_TOKEN: TOKEN,
        DISCORD_APPLICATION_ID: APP_ID,
        DATABASE_PATH: path.join(dir, "notes.sqlite"),
      });
      expect(await bot.exited()).toBe(1);
      const lines = bot.stderr().trimEnd().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^pins: .*notes\.sqlite is not a newsdesk database or is damaged/);
      expectNoStack(bot.stderr());
    },
    TEST_MS,
  );

  it(
    "with a missing DATA_DIR: one corpus line on stderr, exit 1",
    async ({ onTestFinished }) => {
      const { run, tempDir } = harness(onTestFinished);
      const missing = path.join(tempDir(), "no-such-folder");
      const bot = run("src/index.ts", {
        DISCORD_TOKEN: TOKEN,
        DISCORD_APPLICATION_ID: APP_ID,
        DATA_DIR: missing,
      });
      expect(await bot.exited()).toBe(1);
      const lines = bot.stderr().trimEnd().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^corpus: /);
      expect(lines[0]).toContain("no-such-folder");
      expectNoStack(bot.stderr());
    },
    TEST_MS,
  );
});

describe.concurrent("against the fake Discord", () => {
  /** The bot's environment, its pin database in `dir` (never the project's var/). */
  const botEnv = (fake: FakeDiscord, dir: string, extra: Record<string, string> = {}) => ({
    DISCORD_TOKEN: TOKEN,
    DISCORD_APPLICATION_ID: fake.applicationId,
    DISCORD_API_URL: fake.apiUrl,
    DATABASE_PATH: path.join(dir, "pins.sqlite"),
    ...extra,
  });

  it(
    "npm start logs in, logs ready, survives a rejection and an exception, exits 0 on SIGTERM",
    async ({ onTestFinished }) => {
      const { runWithFaults, startFake, tempDir } = harness(onTestFinished);
      const fake = await startFake({ token: TOKEN });
      const env = botEnv(fake, tempDir());
      const bot = runWithFaults("src/index.ts", env);
      const ready = await bot.waitForRecord((r) => r.msg === "ready");
      // The pin database is created where DATABASE_PATH says, before the bot serves.
      expect(existsSync(env.DATABASE_PATH)).toBe(true);
      expect(ready).toMatchObject({
        level: "info",
        userId: fake.botUser.id,
        guilds: fake.guilds.length,
      });
      expect(ready.articles).toBeGreaterThan(0);
      expect(fake.gatewayLive).toBe(true);

      bot.child.kill("SIGUSR2");
      const rejected = await bot.waitForRecord((r) => r.msg === "unhandled rejection");
      const thrown = await bot.waitForRecord((r) => r.msg === "uncaught exception");
      for (const record of [rejected, thrown]) {
        expect(record).toMatchObject({ level: "error", phase: "serving" });
        expect(record.ref).toMatch(/^[0-9a-f]{8}$/);
        expect(JSON.stringify(record.err)).toContain("with [redacted]");
      }
      // Still serving: a command without required options is answered.
      const command = (await loadCommands()).find(
        (c) =>
          !isMessageCommand(c) &&
          !(c.data.options ?? []).some((o) => "required" in o && o.required),
      );
      expect(command).toBeDefined();
      const reply = fake.sendSlashCommand({ name: command?.data.name ?? "" });
      expect(await reply.final(STEP_MS)).toBeDefined();

      bot.child.kill("SIGTERM");
      expect(await bot.exited(15_000)).toBe(0);
      expect(bot.records().map((r) => r.msg)).toEqual(
        expect.arrayContaining(["stopping", "stopped"]),
      );
      expect(bot.stdout() + bot.stderr()).not.toContain(TOKEN);
      expect(bot.stderr()).toBe("");
    },
    TEST_MS,
  );

  it(
    "npm start with a token Discord refuses: one line, exit 1, token not printed",
    async ({ onTestFinished }) => {
      const { run, startFake, tempDir } = harness(onTestFinished);
      const fake = await startFake({ token: "the-right-token" });
      const bot = run("src/index.ts", botEnv(fake, tempDir()));
      expect(await bot.exited()).toBe(1);
      expect(bot.stderr()).toMatch(/^newsdesk: could not connect to Discord: .*token.*\n$/i);
      expect(bot.stdout() + bot.stderr()).not.toContain(TOKEN);
    },
    TEST_MS,
  );

  it(
    "deploy-commands PUTs the loaded commands to the guild and says where",
    async ({ onTestFinished }) => {
      const { run, startFake, tempDir } = harness(onTestFinished);
      const fake = await startFake({ token: TOKEN });
      const deploy = run(
        "src/deploy.ts",
        botEnv(fake, tempDir(), { DISCORD_GUILD_ID: fake.guild.id }),
      );
      expect(await deploy.exited()).toBe(0);
      const put = await fake.waitForRequest({
        method: "PUT",
        path: `/applications/${fake.applicationId}/guilds/${fake.guild.id}/commands`,
      });
      const expected = (await loadCommands()).map((command) => command.data.name);
      expect((put.body as { name: string }[]).map((c) => c.name)).toEqual(expected);
      expect(fake.registeredCommands(fake.guild.id).map((c) => c.name)).toEqual(expected);
      expect(deploy.stdout()).toMatch(
        new RegExp(`^deploy-commands: registered \\d+ commands?.* in guild ${fake.guild.id}\\n$`),
      );
      expect(deploy.stderr()).toBe("");
    },
    TEST_MS,
  );

  it(
    "deploy-commands without DISCORD_GUILD_ID registers globally and warns of the delay",
    async ({ onTestFinished }) => {
      const { run, startFake, tempDir } = harness(onTestFinished);
      const fake = await startFake({ token: TOKEN });
      const deploy = run("src/deploy.ts", botEnv(fake, tempDir()));
      expect(await deploy.exited()).toBe(0);
      await fake.waitForRequest({
        method: "PUT",
        path: `/applications/${fake.applicationId}/commands`,
      });
      expect(deploy.stdout()).toMatch(
        /globally; global commands can take up to an hour to appear\n$/,
      );
    },
    TEST_MS,
  );

  it(
    "deploy-commands refused by Discord: one line with the status and message, exit 1",
    async ({ onTestFinished }) => {
      const { run, startFake, tempDir } = harness(onTestFinished);
      const fake = await startFake({ token: "the-right-token" });
      const deploy = run(
        "src/deploy.ts",
        botEnv(fake, tempDir(), { DISCORD_GUILD_ID: fake.guild.id }),
      );
      expect(await deploy.exited()).toBe(1);
      expect(deploy.stderr()).toMatch(
        /^deploy-commands: Discord answered 401: .+ \(check DISCORD_TOKEN\)\n$/,
      );
      expect(deploy.stdout()).toBe("");
      expect(deploy.stderr()).not.toContain(TOKEN);
    },
    TEST_MS,
  );

  it(
    "deploy-commands to a guild the bot is not in: the 404 and Discord's message",
    async ({ onTestFinished }) => {
      const { run, startFake, tempDir } = harness(onTestFinished);
      const fake = await startFake({ token: TOKEN });
      const deploy = run(
        "src/deploy.ts",
        botEnv(fake, tempDir(), { DISCORD_GUILD_ID: "99999999999999999" }),
      );
      expect(await deploy.exited()).toBe(1);
      expect(deploy.stderr()).toMatch(/^deploy-commands: Discord answered 404: Unknown Guild/);
    },
    TEST_MS,
  );

  it(
    "a shard whose manager is killed stops by itself instead of serving unsupervised",
    async ({ onTestFinished }) => {
      const { run, startFake, tempDir } = harness(onTestFinished);
      const fake = await startFake({ token: TOKEN });
      const manager = run("src/shard.ts", botEnv(fake, tempDir()));
      const spawned = await manager.waitForRecord((r) => r.msg === "shard spawned", 60_000);
      await manager.waitForRecord((r) => r.msg === "all shards ready", 60_000);
      const shardPid = spawned.pid as number;
      expect(shardPid).toBeGreaterThan(0);

      manager.child.kill("SIGKILL"); // the manager only, not its process group

      const alive = () => {
        try {
          process.kill(shardPid, 0);
          return true;
        } catch {
          return false;
        }
      };
      const deadline = Date.now() + 15_000;
      while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(alive()).toBe(false);
    },
    TEST_MS,
  );

  it(
    "start:sharded asks the fake for the shard count, spawns one shard, stops it on SIGTERM",
    async ({ onTestFinished }) => {
      const { run, startFake, tempDir } = harness(onTestFinished);
      const fake = await startFake({ token: TOKEN });
      const manager = run("src/shard.ts", botEnv(fake, tempDir()));
      await manager.waitForRecord((r) => r.msg === "all shards ready", 60_000);
      // The shard logs its own "ready" after telling the manager, on another pipe: wait for it.
      const shardReady = await manager.waitForRecord((r) => r.msg === "ready");
      expect(shardReady).toMatchObject({ userId: fake.botUser.id, shards: [0] });
      expect(manager.records()).toContainEqual(
        expect.objectContaining({ msg: "spawning shards", totalShards: 1, source: "discord" }),
      );
      await fake.waitForRequest({ method: "GET", path: "/gateway/bot" });

      manager.child.kill("SIGTERM");
      expect(await manager.exited(30_000)).toBe(0);
      expect(manager.records().map((r) => r.msg)).toEqual(
        expect.arrayContaining(["stopping shards", "stopped", "all shards stopped"]),
      );
      expect(manager.stdout() + manager.stderr()).not.toContain(TOKEN);
    },
    TEST_MS,
  );
});
