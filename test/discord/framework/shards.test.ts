import { Client, GatewayIntentBits } from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import { servedShards, shardClientOptions } from "../../../src/discord/framework/shards.js";

const clients: Client[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) await client.destroy();
});

/** A client that never logs in: its shards are what the options and discord.js made of them. */
function client(options: Partial<ConstructorParameters<typeof Client>[0]> = {}): Client {
  const created = new Client({ intents: [GatewayIntentBits.Guilds], ...options });
  clients.push(created);
  return created;
}

describe("shardClientOptions", () => {
  it("gives the client this host's shards of the total, or nothing without the settings", () => {
    expect(shardClientOptions({ shardCount: 8, shardList: [4, 5, 6, 7] })).toEqual({
      shards: [4, 5, 6, 7],
      shardCount: 8,
    });
    expect(shardClientOptions({})).toEqual({});
  });

  it("makes a client that serves those shards", () => {
    const options = shardClientOptions({ shardCount: 8, shardList: [4, 5] });
    const served = client(options);
    expect(served.options.shardCount).toBe(8);
    expect(servedShards(served)).toEqual([4, 5]);
  });
});

describe("servedShards", () => {
  it("is shard 0 for a client without sharding options", () => {
    expect(servedShards(client())).toEqual([0]);
  });

  it("lists a client's own shards ascending", () => {
    expect(servedShards(client({ shards: [3, 1], shardCount: 4 }))).toEqual([1, 3]);
    expect(servedShards(client({ shards: 2, shardCount: 4 }))).toEqual([2]);
  });

  it("under a sharding manager, is the shards the manager gave (client.shard.ids)", () => {
    const managed = { shard: { ids: [6] }, options: { shards: [6] } } as unknown as Client;
    expect(servedShards(managed)).toEqual([6]);
  });

  it("refuses a client on Discord's recommended count that has not logged in", () => {
    expect(() => servedShards(client({ shards: "auto" }))).toThrow(
      /^shards: the client has not logged in yet/,
    );
  });
});
