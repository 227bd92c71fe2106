/**
 * The entry points as processes, the way `npm start`, `npm run deploy-commands` and
 * `npm run start:sharded` run them (plain `node` on the build in `dist/`): what reaches stdout
 * and stderr, exit codes, signals. Each child gets an explicit environment (never this
 * process's) and, unless a test says otherwise, a temp working folder without `.env`, since
 * dotenv reads `.env` from the working folder.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { isMessageCommand } from "../src/discord/framework/command.js";
import { loadCommands } from "../src/discord/framework/loader.js";
import { createLogger } from "../src/log.js";
import { openSqlite } from "../src/store/sqlite/SqliteDatabase.js";
import { withinTime } from "../src/withinTime.js";
import {
  APP_ID,
  botEnv,
  expectNoStack,
  FAULTS,
  harness,
  MISSING_TOKEN_LINE,
  type Run,
  STEP_MS,
  TEST_MS,
  TOKEN,
} from "./support/processHarness.js";

/** Resolves once the process's stdout contains `text`. */
function printed(process: Run, text: string): Promise<void> {
  return new Promise((resolve) => {
    if (process.stdout().includes(text)) return resolve();
    // After the harness's own listener, which appends what came.
    process.child.stdout.on("data", () => {
      if (process.stdout().includes(text)) resolve();
    });
  });
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
  it(
    "npm start logs in, logs ready, survives a rejected promise, exits 0 on SIGTERM",
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
      expect(rejected).toMatchObject({ level: "error", phase: "serving" });
      expect(rejected.ref).toMatch(/^[0-9a-f]{8}$/);
      expect(JSON.stringify(rejected.err)).toContain("with [redacted]");
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
    "npm start exits 1 after an uncaught exception, logged with its reference, for the supervisor to restart it",
    async ({ onTestFinished }) => {
      const { runWithFaults, startFake, tempDir } = harness(onTestFinished);
      const fake = await startFake({ token: TOKEN });
      const bot = runWithFaults("src/index.ts", botEnv(fake, tempDir()));
      await bot.waitForRecord((r) => r.msg === "ready");

      bot.child.kill("SIGHUP");
      expect(await bot.exited()).toBe(1);
      const thrown = bot.records().find((r) => r.msg === "uncaught exception, exiting");
      expect(thrown).toMatchObject({ level: "error", phase: "serving" });
      expect(thrown?.ref).toMatch(/^[0-9a-f]{8}$/);
      expect(JSON.stringify(thrown?.err)).toContain("thrown with [redacted]");
      expect(bot.stdout() + bot.stderr()).not.toContain(TOKEN);
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
    "deploy-commands waits, and says so once, while another process on the database deploys",
    async ({ onTestFinished }) => {
      const { run, startFake, tempDir } = harness(onTestFinished);
      const fake = await startFake({ token: TOKEN });
      const dir = tempDir();
      const env = botEnv(fake, dir, { DISCORD_GUILD_ID: fake.guild.id });
      // The other process: holding "deploy-commands" on the same database.
      const db = await openSqlite(env.DATABASE_PATH, { log: createLogger({ level: "error" }) });
      onTestFinished(() => db.close());
      const other = await db.lead("deploy-commands", { onLead: () => {}, onLose: () => {} });
      expect(other.leading).toBe(true);
      const deploy = run("src/deploy.ts", env);
      await withinTime(printed(deploy, "waiting"), STEP_MS);
      expect(fake.registeredCommands(fake.guild.id)).toEqual([]);
      await other.stop();
      expect(await deploy.exited()).toBe(0);
      expect(deploy.stdout()).toMatch(
        /^deploy-commands: waiting for another host's deploy-commands to finish\ndeploy-commands: registered \d+ commands/,
      );
      expect(fake.registeredCommands(fake.guild.id).length).toBeGreaterThan(0);
      expect(deploy.stderr()).toBe("");
    },
    TEST_MS,
  );

  it(
    "deploy-commands with a database that cannot be opened: its one line, exit 1",
    async ({ onTestFinished }) => {
      const { run, startFake, tempDir } = harness(onTestFinished);
      const fake = await startFake({ token: TOKEN });
      const dir = tempDir({
        "pins.sqlite": "not a database, only words in a text file\n".repeat(40),
      });
      const deploy = run("src/deploy.ts", botEnv(fake, dir, { DISCORD_GUILD_ID: fake.guild.id }));
      expect(await deploy.exited()).toBe(1);
      expect(deploy.stderr()).toMatch(
        /^pins: .*pins\.sqlite is not a newsdesk database or is damaged .*\n$/,
      );
      expect(deploy.stdout()).toBe("");
      expect(fake.registeredCommands(fake.guild.id)).toEqual([]);
      expectNoStack(deploy.stderr());
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
    "start:sharded respawns a shard that exits after an uncaught exception",
    async ({ onTestFinished }) => {
      const { run, startFake, tempDir } = harness(onTestFinished);
      const fake = await startFake({ token: TOKEN });
      // NODE_OPTIONS reaches the shards, which the manager spawns with its own environment.
      const manager = run(
        "src/shard.ts",
        botEnv(fake, tempDir(), { NODE_OPTIONS: `--import ${FAULTS}` }),
      );
      const first = await manager.waitForRecord((r) => r.msg === "shard spawned", 60_000);
      await manager.waitForRecord((r) => r.msg === "all shards ready", 60_000);
      await manager.waitForRecord((r) => r.msg === "ready");

      process.kill(first.pid as number, "SIGHUP");
      await manager.waitForRecord((r) => r.msg === "uncaught exception, exiting");
      const died = await manager.waitForRecord((r) => r.msg === "shard died");
      expect(died).toMatchObject({ shard: 0, exitCode: 1 });
      const second = await manager.waitForRecord(
        (r) => r.msg === "shard spawned" && r.pid !== first.pid,
        60_000,
      );
      expect(second.pid).toBeGreaterThan(0);
      // The new shard logs in and serves: a second "ready" line.
      const readyLines = () => manager.records().filter((r) => r.msg === "ready").length;
      await manager.waitForRecord((r) => r.msg === "ready" && readyLines() === 2, 60_000);
      expect(manager.child.exitCode).toBeNull();
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
    "npm start with SHARD_LIST=1,0 and SHARD_TOTAL=3 serves shards 0 and 1 of 3 in one process",
    async ({ onTestFinished }) => {
      const { run, startFake, tempDir } = harness(onTestFinished);
      const fake = await startFake({ token: TOKEN });
      const bot = run(
        "src/index.ts",
        botEnv(fake, tempDir(), { SHARD_LIST: "1,0", SHARD_TOTAL: "3" }),
      );
      const ready = await bot.waitForRecord((r) => r.msg === "ready", 60_000);

      expect(ready).toMatchObject({ shards: [0, 1] });
      const identifies = fake.gatewayPayloads.filter((payload) => payload.op === 2);
      expect(identifies.map((payload) => (payload.d as { shard?: unknown }).shard)).toEqual(
        expect.arrayContaining([
          [0, 3],
          [1, 3],
        ]),
      );
      expect(identifies).toHaveLength(2);

      bot.child.kill("SIGTERM");
      expect(await bot.exited(30_000)).toBe(0);
    },
    TEST_MS,
  );

  it(
    "start:sharded with SHARD_LIST=1 and SHARD_TOTAL=2 spawns shard 1 of 2 only",
    async ({ onTestFinished }) => {
      const { run, startFake, tempDir } = harness(onTestFinished);
      const fake = await startFake({ token: TOKEN });
      const manager = run(
        "src/shard.ts",
        botEnv(fake, tempDir(), { SHARD_LIST: "1", SHARD_TOTAL: "2" }),
      );
      await manager.waitForRecord((r) => r.msg === "all shards ready", 60_000);
      const shardReady = await manager.waitForRecord((r) => r.msg === "ready");

      expect(shardReady).toMatchObject({ shards: [1] });
      const records = manager.records();
      expect(records).toContainEqual(
        expect.objectContaining({
          msg: "spawning shards",
          totalShards: 2,
          shardList: [1],
          source: "SHARD_TOTAL",
        }),
      );
      expect(records.filter((r) => r.msg === "shard spawned").map((r) => r.shard)).toEqual([1]);
      const identifies = fake.gatewayPayloads.filter((payload) => payload.op === 2);
      expect(identifies.map((payload) => (payload.d as { shard?: unknown }).shard)).toEqual([
        [1, 2],
      ]);

      manager.child.kill("SIGTERM");
      expect(await manager.exited(30_000)).toBe(0);
    },
    TEST_MS,
  );

  it(
    "start:sharded asks the fake for the shard count, spawns one shard, stops it gracefully on SIGTERM",
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
        // The shard drains, as npm start does: the manager asked it over IPC instead of a signal.
        expect.arrayContaining(["stopping shards", "draining", "stopped", "all shards stopped"]),
      );
      expect(manager.stdout() + manager.stderr()).not.toContain(TOKEN);
    },
    TEST_MS,
  );
});
