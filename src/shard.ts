/**
 * `npm run start:sharded`: runs the bot (src/index.ts) in one child process per shard, with
 * discord.js's ShardingManager. Only needed past ~2,500 guilds; below that `npm start` is the
 * same bot in one process.
 *
 * The shard count is SHARD_COUNT, or Discord's recommendation read from `GET /gateway/bot` on
 * DISCORD_API_URL (discord.js's own lookup always asks discord.com). A shard that dies is
 * respawned; SIGINT/SIGTERM stop every shard gracefully, then the manager exits.
 */
import { once } from "node:events";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Shard, ShardingManager } from "discord.js";
import { type Config, ConfigError, loadConfig } from "./config.js";
import { createLogger, type Logger } from "./log.js";

/** How long a shard may take to stop after SIGTERM before it is killed. */
const SHARD_STOP_TIMEOUT_MS = 12_000;
/**
 * After Ctrl+C the shards got SIGINT from the terminal too (same process group): give them this
 * long to stop on their own, since a second signal makes a shard exit at once.
 */
const SIGINT_GRACE_MS = 1_500;

/** Where `GET /gateway/bot` failed, as one line for the terminal. */
class ShardCountError extends Error {}

/**
 * Discord's recommended shard count for this bot, from `GET {apiUrl}/v10/gateway/bot`.
 *
 * @param config - the api URL and token to ask with
 */
async function recommendedShardCount(config: Config): Promise<number> {
  const url = `${config.discord.apiUrl}/v10/gateway/bot`;
  let response: Response;
  try {
    response = await fetch(url, { headers: { Authorization: `Bot ${config.discord.token}` } });
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : "";
    throw new ShardCountError(`could not reach ${url}${cause ? `: ${cause}` : ""}`);
  }
  if (!response.ok) {
    const hint = response.status === 401 ? " (check DISCORD_TOKEN)" : "";
    throw new ShardCountError(`GET ${url} answered ${response.status}${hint}`);
  }
  const body = (await response.json()) as { shards?: unknown };
  if (typeof body.shards !== "number" || !Number.isInteger(body.shards) || body.shards < 1) {
    throw new ShardCountError(`GET ${url} gave no shard count; set SHARD_COUNT instead`);
  }
  return body.shards;
}

/** The bot's entry point next to this file, and how to run it (TypeScript needs tsx). */
function botEntry(): { file: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  const extension = path.extname(here);
  const file = path.join(path.dirname(here), `index${extension}`);
  // An absolute specifier, so the shard finds tsx whatever its working directory.
  const execArgv = extension === ".ts" ? ["--import", import.meta.resolve("tsx")] : [];
  return { file, execArgv };
}

function watch(shard: Shard, log: Logger, stopping: () => boolean): void {
  const shardLog = log.child({ shard: shard.id });
  shard.on("spawn", (child) =>
    shardLog.info({ pid: "pid" in child ? child.pid : undefined }, "shard spawned"),
  );
  shard.on("ready", () => shardLog.info({}, "shard ready"));
  shard.on("disconnect", () => shardLog.warn({}, "shard disconnected"));
  shard.on("reconnecting", () => shardLog.info({}, "shard reconnecting"));
  shard.on("death", (child) => {
    const fields =
      "exitCode" in child ? { exitCode: child.exitCode, signal: child.signalCode } : {};
    if (stopping()) shardLog.info(fields, "shard exited");
    else shardLog.warn(fields, "shard died");
  });
  shard.on("error", (error: Error) => shardLog.error({ err: error }, "shard error"));
}

/** Stops one shard: waits `graceMs` for it to exit on its own, then SIGTERM, then SIGKILL. */
async function stopShard(shard: Shard, graceMs: number): Promise<void> {
  const child = shard.process;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit").then(() => true);
  const within = (ms: number) =>
    Promise.race([exited, new Promise<false>((r) => setTimeout(r, ms, false).unref())]);
  if (graceMs > 0 && (await within(graceMs))) return;
  child.kill("SIGTERM");
  if (await within(SHARD_STOP_TIMEOUT_MS)) return;
  child.kill("SIGKILL");
  await exited;
}

async function main(): Promise<number> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const log = createLogger({
    level: config.logLevel,
    secrets: [config.discord.token],
  }).child({ component: "shard-manager" });

  let totalShards: number;
  try {
    totalShards = config.discord.shardCount ?? (await recommendedShardCount(config));
  } catch (error) {
    if (!(error instanceof ShardCountError)) throw error;
    process.stderr.write(`start:sharded: ${error.message}\n`);
    return 1;
  }

  const { file, execArgv } = botEntry();
  const manager = new ShardingManager(file, {
    totalShards,
    token: config.discord.token,
    execArgv,
    respawn: true,
  });
  let stopping = false;
  manager.on("shardCreate", (shard) => watch(shard, log, () => stopping));

  const stopAll = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) {
      log.warn({ signal }, "exiting now");
      for (const shard of manager.shards.values()) shard.process?.kill("SIGKILL");
      process.exit(1);
    }
    stopping = true;
    manager.respawn = false;
    log.info({ signal, shards: manager.shards.size }, "stopping shards");
    const grace = signal === "SIGINT" ? SIGINT_GRACE_MS : 0;
    await Promise.all([...manager.shards.values()].map((shard) => stopShard(shard, grace)));
    log.info({}, "all shards stopped");
    process.exit(0);
  };
  process.on("SIGINT", (signal) => void stopAll(signal));
  process.on("SIGTERM", (signal) => void stopAll(signal));
  process.on("unhandledRejection", (reason) => log.error({ err: reason }, "unhandled rejection"));

  log.info(
    { totalShards, source: config.discord.shardCount ? "SHARD_COUNT" : "discord" },
    "spawning shards",
  );
  try {
    await manager.spawn({ amount: totalShards });
  } catch (error) {
    if (stopping) return 0;
    log.error({ err: error }, "a shard failed to start");
    manager.respawn = false;
    await Promise.all([...manager.shards.values()].map((shard) => stopShard(shard, 0)));
    process.stderr.write(
      `start:sharded: a shard failed to start (${error instanceof Error ? error.message : String(error)}); its own log lines above say why\n`,
    );
    return 1;
  }
  log.info({ totalShards }, "all shards ready");
  return 0;
}

const code = await main();
if (code !== 0) process.exit(code);
