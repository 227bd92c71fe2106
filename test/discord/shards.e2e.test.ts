/**
 * Shards on several hosts, end to end: newsdesk bots logged in to one fake Discord with
 * SHARD_LIST 0 and 1 of SHARD_TOTAL 2, as two hosts run them, each answer in the guild on their
 * own shard only; one bot with SHARD_LIST 0,1 (internal sharding, one process) serves both.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { servedShards } from "../../src/discord/framework/shards.js";
import { type FakeDiscord, type FakeGuild, startTwoShardFake } from "../support/fakeDiscord.js";
import { type Harness, startHarness } from "./botHarness.js";

const QUESTION = "How long would the ceasefire last?";

let fake: FakeDiscord;
let zero: FakeGuild;
let one: FakeGuild;
const harnesses: Harness[] = [];

beforeAll(async () => {
  ({ fake, zero, one } = await startTwoShardFake());
});

afterAll(async () => {
  for (const h of harnesses) await h.stop();
  await fake?.stop();
});

/** A bot serving `list` of 2 shards on the shared fake, stopped after the file. */
async function startShards(list: number[]): Promise<Harness> {
  const h = await startHarness({ fake, shards: { list, total: 2 } });
  harnesses.push(h);
  return h;
}

/** Stops bots before the file ends (their shards' sessions stay in the fake, not live). */
async function stopShards(...stopping: Harness[]): Promise<void> {
  for (const h of stopping) harnesses.splice(harnesses.indexOf(h), 1);
  await Promise.all(stopping.map((h) => h.stop()));
}

/** `/ask` in the guild's #general; resolves once it is answered. */
async function ask(guild: FakeGuild) {
  const handle = fake.sendSlashCommand({
    name: "ask",
    options: { question: QUESTION },
    channelId: guild.channels[0]?.id,
    user: fake.resolveUser({ username: `reader-${guild.name}-${harnesses.length}` }),
  });
  const reply = await handle.final();
  return { id: handle.id, reply };
}

/** The ids of the interactions a bot logged, in order. */
const answered = (h: Harness) =>
  h.logs.lines.filter((line) => line.msg === "interaction").map((line) => line.id);

describe("SHARD_LIST and SHARD_TOTAL on one fake Discord", () => {
  it("two bots of shards 0 and 1 of 2 each answer in the guild of their shard only", async () => {
    const [first, second] = await Promise.all([startShards([0]), startShards([1])]);
    expect(servedShards(first.bot.client)).toEqual([0]);
    expect(servedShards(second.bot.client)).toEqual([1]);
    expect([...first.bot.client.guilds.cache.keys()]).toEqual([zero.id]);
    expect([...second.bot.client.guilds.cache.keys()]).toEqual([one.id]);

    const inZero = await ask(zero);
    const inOne = await ask(one);
    // A last question on shard 0: had the second bot been sent the first, it had logged it.
    const lastInZero = await ask(zero);

    for (const { reply } of [inZero, inOne, lastInZero]) {
      expect(reply.embeds?.length ?? 0).toBeGreaterThan(0);
    }
    expect(await first.logs.eventLine(lastInZero.id)).toMatchObject({
      command: "ask",
      guildId: zero.id,
      outcome: "ok",
    });
    expect(await second.logs.eventLine(inOne.id)).toMatchObject({ guildId: one.id });
    expect(answered(first)).toEqual([inZero.id, lastInZero.id]);
    expect(answered(second)).toEqual([inOne.id]);
    expect(fake.tally()).toMatchObject({ lost: 0 });

    await stopShards(first, second);
  });

  it("one bot with SHARD_LIST=0,1 serves both guilds in one client", async () => {
    const both = await startShards([0, 1]);
    expect(servedShards(both.bot.client)).toEqual([0, 1]);
    expect(both.bot.client.guilds.cache.get(zero.id)?.shardId).toBe(0);
    expect(both.bot.client.guilds.cache.get(one.id)?.shardId).toBe(1);

    const inZero = await ask(zero);
    const inOne = await ask(one);

    expect(await both.logs.eventLine(inZero.id)).toMatchObject({ guildId: zero.id });
    expect(await both.logs.eventLine(inOne.id)).toMatchObject({ guildId: one.id });
    expect(fake.liveShards).toEqual([0, 1]);
  });
});
