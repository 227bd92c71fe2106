/**
 * Which shards this process serves, one answer for both ways newsdesk shards: `npm start` with
 * SHARD_LIST / SHARD_TOTAL runs several shards in one client (discord.js's internal sharding),
 * and `npm run start:sharded` runs one client per shard under a ShardingManager.
 */
import type { Client, ClientOptions } from "discord.js";
import type { Config } from "../../config.js";

/**
 * The client options that make one client serve this host's shards (SHARD_LIST of
 * SHARD_TOTAL): none without the settings, so discord.js keeps its own default (one shard) or,
 * in a manager's shard, what the manager assigned (the config leaves the settings out there).
 *
 * @param discord - the shard settings of the configuration
 */
export function shardClientOptions(
  discord: Pick<Config["discord"], "shardCount" | "shardList">,
): Pick<ClientOptions, "shards" | "shardCount"> {
  const { shardCount, shardList } = discord;
  if (shardCount === undefined || shardList === undefined) return {};
  return { shards: [...shardList], shardCount };
}

/**
 * The ids of the shards this client serves, ascending: `client.shard.ids` under a sharding
 * manager, else the client's own shards (all of them for one host, a SHARD_LIST for one of
 * several hosts), for the log; once-only work is elected on the database (`Database.lead`).
 *
 * @param client - a client that has logged in (before, a client on Discord's recommended
 *   count does not know its shards yet)
 * @throws Error when the client does not know its shards yet
 */
export function servedShards(client: Client): readonly number[] {
  const shards = client.shard?.ids ?? client.options.shards;
  if (shards === undefined || shards === "auto") {
    throw new Error("shards: the client has not logged in yet, so its shards are not known");
  }
  return (Array.isArray(shards) ? [...shards] : [shards]).sort((a, b) => a - b);
}
