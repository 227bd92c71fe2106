/**
 * `npm run start:sharded`: runs the bot (src/index.ts) in one child process per shard, with
 * discord.js's ShardingManager (src/discord/framework/sharding.ts). Only needed past ~2,500
 * guilds; below that `npm start` is the same bot in one process.
 *
 * The shard count is SHARD_TOTAL, or Discord's recommendation read from `GET /gateway/bot` on
 * DISCORD_API_URL (discord.js's own lookup always asks discord.com). With SHARD_LIST, only those
 * shards of SHARD_TOTAL are spawned: the others run on other hosts. A shard that dies is
 * respawned; SIGINT/SIGTERM stop every shard gracefully (each drains as `npm start` does), then
 * the manager exits.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfigOrReport, secretsOf } from "./config.js";
import { STOP_MARGIN_MS } from "./constants.js";
import {
  createShards,
  recommendedShardCount,
  ShardCountError,
  ShardStartError,
} from "./discord/framework/sharding.js";
import { createLogger } from "./log.js";
import { watchParent } from "./parentWatch.js";

/**
 * How much longer than its drain a shard may take to stop before it is killed: its own stop
 * margin and 2 s more, so a shard that stops on its own is never killed first.
 */
const SHARD_STOP_MARGIN_MS = STOP_MARGIN_MS + 2_000;

/**
 * The bot's entry point next to this file, and how to run it: built JavaScript with source maps
 * (`npm run start:sharded`), or TypeScript through tsx (tests of the sources).
 */
function botEntry(): { file: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  const extension = path.extname(here);
  const file = path.join(path.dirname(here), `index${extension}`);
  // An absolute specifier, so the shard finds tsx whatever its working directory.
  const execArgv =
    extension === ".ts" ? ["--import", import.meta.resolve("tsx")] : ["--enable-source-maps"];
  return { file, execArgv };
}

async function main(): Promise<number> {
  const config = loadConfigOrReport();
  if (config === undefined) return 1;
  const log = createLogger({
    level: config.logLevel,
    secrets: secretsOf(config),
  }).child({ component: "shard-manager" });

  let totalShards: number;
  try {
    totalShards = config.discord.shardCount ?? (await recommendedShardCount(config.discord));
  } catch (error) {
    if (!(error instanceof ShardCountError)) throw error;
    process.stderr.write(`start:sharded: ${error.message}\n`);
    return 1;
  }

  const shards = createShards({
    ...botEntry(),
    totalShards,
    ...(config.discord.shardList === undefined ? {} : { shardList: config.discord.shardList }),
    token: config.discord.token,
    log,
    stopTimeoutMs: config.drainSeconds * 1000 + SHARD_STOP_MARGIN_MS,
  });

  const stopAll = async (signal: NodeJS.Signals): Promise<void> => {
    if (shards.stopping) {
      log.warn({ signal }, "exiting now");
      shards.kill();
      process.exit(1);
    }
    log.info({ signal, shards: shards.size }, "stopping shards");
    await shards.stop();
    log.info({}, "all shards stopped");
    process.exit(0);
  };
  process.on("SIGINT", (signal) => void stopAll(signal));
  process.on("SIGTERM", (signal) => void stopAll(signal));
  // Under npm run start:sharded, a SIGTERM to npm is not passed on (see parentWatch.ts).
  watchParent(() => {
    if (shards.stopping) return;
    log.warn({}, "parent process gone");
    void stopAll("SIGTERM");
  });
  process.on("unhandledRejection", (reason) => log.error({ err: reason }, "unhandled rejection"));

  log.info(
    {
      totalShards,
      shardList: config.discord.shardList ?? "all",
      source: config.discord.shardCount ? "SHARD_TOTAL" : "discord",
    },
    "spawning shards",
  );
  try {
    if ((await shards.spawn()) === "stopping") return 0;
  } catch (error) {
    if (!(error instanceof ShardStartError)) throw error;
    process.stderr.write(
      `start:sharded: a shard failed to start (${error.message}); its own log lines above say why\n`,
    );
    return 1;
  }
  log.info({ totalShards }, "all shards ready");
  return 0;
}

const code = await main();
if (code !== 0) process.exit(code);
