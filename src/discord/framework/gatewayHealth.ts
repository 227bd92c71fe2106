/**
 * The gateway half of `/healthz` (src/health/healthServer.ts): whether each shard this process
 * runs is connected, read from discord.js's own state, so the health server needs no discord.js.
 */
import { type Client, Status } from "discord.js";

/** discord.js's shard states, as a person reads them in a probe's answer. */
const STATES: Readonly<Record<Status, string>> = {
  [Status.Ready]: "connected",
  [Status.Connecting]: "connecting",
  [Status.Reconnecting]: "reconnecting",
  [Status.Idle]: "idle",
  [Status.Nearly]: "nearly ready",
  [Status.Disconnected]: "disconnected",
  [Status.WaitingForGuilds]: "waiting for its servers",
  [Status.Identifying]: "identifying",
  [Status.Resuming]: "resuming",
};

/**
 * Why `client` is not connected to the gateway, or undefined when every shard of this process is
 * ready. discord.js keeps a client's own status at ready once it has been, whatever happens after;
 * the shards' statuses follow each drop, reconnection and resume, so they are what is read.
 *
 * @returns e.g. `shard 1 reconnecting` (every shard that is not ready, by id), or `not connected`
 *   before the login has made any shard
 */
export function gatewayProblem(client: Client): string | undefined {
  const shards = [...client.ws.shards.values()];
  if (shards.length === 0) return "not connected";
  const down = shards.filter((shard) => shard.status !== Status.Ready);
  if (down.length === 0) return undefined;
  return down.map((shard) => `shard ${shard.id} ${STATES[shard.status]}`).join(", ");
}
