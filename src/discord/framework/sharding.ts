/**
 * Runs the bot in one child process per shard, with discord.js's ShardingManager: asks Discord
 * for the recommended shard count, spawns the shards, logs each one's life, respawns a shard that
 * dies, and stops them all on request. `src/shard.ts` is the command line around it, and owns the
 * process's signals and exit code.
 */
import { once } from "node:events";
import { type Shard, ShardingManager } from "discord.js";
import type { Config } from "../../config.js";
import type { Logger } from "../../log.js";
import { CONNECT_TIMEOUT_MS, ConnectTimeoutError } from "./connectTimeout.js";
import { STOP_MESSAGE } from "./stopMessage.js";

/** Where `GET /gateway/bot` failed, as one line for the terminal. */
export class ShardCountError extends Error {
  /** @param message - one line: the URL, and the status or what could not be reached */
  constructor(message: string) {
    super(message);
    this.name = "ShardCountError";
  }
}

/**
 * Discord's recommended shard count for this bot, from `GET {apiUrl}/v10/gateway/bot`.
 * discord.js's own lookup always asks discord.com, so this one honours DISCORD_API_URL.
 *
 * @param discord - the api URL and token to ask with
 * @param timeoutMs - how long to wait for the answer
 * @throws {@link ShardCountError} when the request fails or gives no usable count
 */
export async function recommendedShardCount(
  discord: Pick<Config["discord"], "apiUrl" | "token">,
  timeoutMs: number = CONNECT_TIMEOUT_MS,
): Promise<number> {
  const url = `${discord.apiUrl}/v10/gateway/bot`;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { Authorization: `Bot ${discord.token}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    if (error instanceof Error && error.name === "TimeoutError") {
      throw new ShardCountError(new ConnectTimeoutError(discord.apiUrl, timeoutMs).message);
    }
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : "";
    throw new ShardCountError(`could not reach ${url}${cause ? `: ${cause}` : ""}`);
  }
  if (!response.ok) {
    const hint = response.status === 401 ? " (check DISCORD_TOKEN)" : "";
    throw new ShardCountError(`GET ${url} answered ${response.status}${hint}`);
  }
  const body = (await response.json()) as { shards?: unknown };
  if (typeof body.shards !== "number" || !Number.isInteger(body.shards) || body.shards < 1) {
    throw new ShardCountError(`GET ${url} gave no shard count; set SHARD_TOTAL instead`);
  }
  return body.shards;
}

/** Options of {@link createShards}. */
export interface ShardsOptions {
  /** The bot's entry script, which each shard runs. */
  readonly file: string;
  /** Node flags for each shard's process (e.g. tsx's loader). */
  readonly execArgv: readonly string[];
  /** How many shards the bot has across all hosts. */
  readonly totalShards: number;
  /**
   * The shards of {@link totalShards} that this host spawns (SHARD_LIST; each below the total);
   * default: all of them.
   */
  readonly shardList?: readonly number[];
  /** The bot token, handed to each shard. */
  readonly token: string;
  /** Where each shard's spawn, readiness, disconnects and death are logged. */
  readonly log: Logger;
  /** How long a shard may take to stop (its drain and then some) before it is killed. */
  readonly stopTimeoutMs: number;
}

/** The shards of one bot, as {@link createShards} returns them. */
export interface Shards {
  /** How many shards of this host exist so far. */
  readonly size: number;
  /** True once {@link Shards.stop} was called: exits are then expected and not respawned. */
  readonly stopping: boolean;
  /**
   * Spawns this host's shards and waits until each is ready. On a failure while not stopping,
   * logs it, stops the shards already started and throws {@link ShardStartError}.
   *
   * @returns "ready" when all shards are ready, "stopping" when {@link Shards.stop} interrupted
   */
  spawn(): Promise<"ready" | "stopping">;
  /**
   * Stops every shard, no longer respawning: asks each to stop gracefully (it drains), then
   * SIGKILLs those still running after `stopTimeoutMs`.
   */
  stop(): Promise<void>;
  /** SIGKILLs every shard at once. */
  kill(): void;
}

/** A shard failed to start; the message is what discord.js said. The shards were stopped. */
export class ShardStartError extends Error {
  /** @param cause - what `ShardingManager.spawn` threw */
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = "ShardStartError";
  }
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

/**
 * Stops one shard: {@link STOP_MESSAGE} over IPC (SIGTERM when that fails), then SIGKILL after
 * `timeoutMs`.
 */
async function stopShard(shard: Shard, timeoutMs: number): Promise<void> {
  const child = shard.process;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit").then(() => true);
  try {
    await shard.send(STOP_MESSAGE);
  } catch {
    child.kill("SIGTERM");
  }
  const within = (ms: number) =>
    Promise.race([exited, new Promise<false>((r) => setTimeout(r, ms, false).unref())]);
  if (await within(timeoutMs)) return;
  child.kill("SIGKILL");
  await exited;
}

/**
 * Creates the ShardingManager for the bot in `options.file`, one process per shard, respawning a
 * shard that dies. Nothing starts until {@link Shards.spawn}.
 *
 * @param options - see {@link ShardsOptions}
 */
export function createShards(options: ShardsOptions): Shards {
  const { file, execArgv, totalShards, shardList, token, log, stopTimeoutMs } = options;
  const manager = new ShardingManager(file, {
    totalShards,
    ...(shardList === undefined ? {} : { shardList: [...shardList] }),
    token,
    execArgv: [...execArgv],
    respawn: true,
  });
  let stopping = false;
  manager.on("shardCreate", (shard) => watch(shard, log, () => stopping));
  const stopAll = () =>
    Promise.all([...manager.shards.values()].map((shard) => stopShard(shard, stopTimeoutMs)));

  return {
    get size() {
      return manager.shards.size;
    },
    get stopping() {
      return stopping;
    },
    async spawn() {
      try {
        // amount is the total: with a shardList, discord.js spawns only the listed shards of it.
        await manager.spawn({ amount: totalShards });
      } catch (error) {
        if (stopping) return "stopping";
        log.error({ err: error }, "a shard failed to start");
        manager.respawn = false;
        await stopAll();
        throw new ShardStartError(error);
      }
      return "ready";
    },
    async stop() {
      stopping = true;
      manager.respawn = false;
      await stopAll();
    },
    kill() {
      for (const shard of manager.shards.values()) shard.process?.kill("SIGKILL");
    },
  };
}
