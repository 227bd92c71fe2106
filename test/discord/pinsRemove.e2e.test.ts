/**
 * `/pins remove` end to end: a moderator removes a pin by its id (completed as they type, from
 * the server's own pins): the message is unpinned in the channel and no longer says pinned, and
 * the pin is forgotten; unknown ids, another server's pins and members are refused; a message
 * deleted meanwhile still lets the pin go.
 */
import { InteractionResponseType } from "discord.js";
import { describe, expect, it } from "vitest";
import { answeredPrivately, isEphemeral } from "./botHarness.js";
import {
  addCeasefirePin,
  CEASEFIRE,
  guildA,
  guildB,
  h,
  listAll,
  NOT_MODERATOR,
  outcomeOf,
  pinCalls,
  pins,
  SEED_ID,
  seedPins,
  usePinsHarness,
} from "./pinsHarness.js";

usePinsHarness();

describe("/pins remove", () => {
  it("a moderator removes a pin made with /pins add: unpinned, forgotten, named in the reply", async () => {
    const { messageId } = await addCeasefirePin();
    const { channelId } = guildA();
    expect(h.fake.pinnedIn(channelId)).toEqual([messageId]);

    const handle = pins("remove", { id: 1 });
    const told = await handle.final();

    expect(await answeredPrivately(handle)).toBe(true);
    expect(told.content).toBe(`Removed pin #1 ("${CEASEFIRE}"): questions no longer get it first.`);
    await h.fake.waitForRequest({
      method: "DELETE",
      path: `/channels/${channelId}/messages/pins/${messageId}`,
    });
    expect(pinCalls("DELETE")).toHaveLength(1);
    expect(h.fake.pinnedIn(channelId)).toEqual([]);
    expect(await h.pins.getPin(h.fake.guild.id, 1)).toBeUndefined();
    expect(await listAll()).toEqual([]);
    // The answer itself stays in the channel; only the pin goes, and it no longer says pinned.
    const posted = h.fake.message(messageId);
    expect(posted?.pinned).toBe(false);
    expect(posted?.embeds[0]?.author).toBeUndefined();
    expect(posted?.embeds[0]?.footer?.text).toBe("Pin #1 · removed by the moderators");
    expect(posted?.embeds[0]?.title).toBe(CEASEFIRE);
    expect(posted?.embeds[0]?.description).toContain("30-day halt");
    expect(await outcomeOf(handle)).toBe("ok");
    expect(h.logs.lines).toContainEqual(
      expect.objectContaining({ msg: "pin removed", pinId: 1, messageId }),
    );

    const again = await pins("remove", { id: 1 }).final();
    expect(again.content).toBe("No pin #1 in this server; `/pins list` shows them.");
  });

  it("completes the id with the server's own pins, newest first, by number or by words", async () => {
    await seedPins(12);
    const other = guildB();
    await seedPins(1, other);
    const complete = (value: string, channelId = guildA().channelId) =>
      h.fake
        .sendAutocomplete({
          name: "pins",
          subcommand: "remove",
          focused: { name: "id", value },
          role: "moderator",
          channelId,
        })
        .final()
        .then((body) => (body.choices as { name: string; value: number }[]) ?? []);

    const all = await complete("");
    expect(all.map((c) => c.value)).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(all[0]?.name).toMatch(
      /^#12 · Seeded question 12: what does paragraph \d+ say\? · Kremlin/,
    );
    for (const choice of all) expect(choice.name.length).toBeLessThanOrEqual(100);
    expect((await complete("1")).map((c) => c.value)).toEqual([12, 11, 10, 1]);
    expect((await complete("#10")).map((c) => c.value)).toEqual([10]);
    expect((await complete("QUESTION 7:")).map((c) => c.value)).toEqual([7]);
    expect(await complete("nothing like this")).toEqual([]);
    // The other server sees only its own pin (numbered 13: ids are never reused).
    expect((await complete("", other.channelId)).map((c) => c.value)).toEqual([13]);
  });

  it("an unknown id: 'No pin', privately, nothing unpinned", async () => {
    await seedPins(1);

    const handle = pins("remove", { id: 99 });
    const reply = await handle.final();

    expect(reply.content).toBe("No pin #99 in this server; `/pins list` shows them.");
    expect(handle.responseType).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(await answeredPrivately(handle)).toBe(true);
    expect(pinCalls("DELETE")).toEqual([]);
    expect((await listAll()).map((pin) => pin.id)).toEqual([1]);
    expect(await outcomeOf(handle)).toBe("invalid");
  });

  it("another server's pin id: 'No pin', and that server's pin stays", async () => {
    // A moderator of the other server pins there with /pins add.
    const elsewhere = guildB();
    const added = pins(
      "add",
      { question: CEASEFIRE, article: SEED_ID, paragraph: 4 },
      { channelId: elsewhere.channelId },
    );
    await added.final();
    expect((await added.followup(0)).content).toMatch(/^📌 Pinned as #1: /);
    const theirs = await h.pins.getPin(elsewhere.guildId, 1);
    expect(theirs?.messageId).toBe(added.message()?.id);
    expect(h.fake.pinnedIn(elsewhere.channelId)).toEqual([theirs?.messageId]);

    const handle = pins("remove", { id: 1 });
    const reply = await handle.final();

    expect(reply.content).toBe("No pin #1 in this server; `/pins list` shows them.");
    expect(await answeredPrivately(handle)).toBe(true);
    expect(await h.pins.getPin(elsewhere.guildId, 1)).toEqual(theirs);
    expect(h.fake.pinnedIn(elsewhere.channelId)).toEqual([theirs?.messageId]);
    expect(pinCalls("DELETE")).toEqual([]);
    expect(await outcomeOf(handle)).toBe("invalid");
  });

  it("a member is refused, and the pin and its channel pin stay", async () => {
    const { messageId } = await addCeasefirePin();

    const handle = pins("remove", { id: 1 }, { role: "member" });
    const reply = await handle.final();

    expect(reply.content).toBe(NOT_MODERATOR);
    expect(isEphemeral(reply)).toBe(true);
    expect((await h.pins.getPin(h.fake.guild.id, 1))?.messageId).toBe(messageId);
    expect(h.fake.pinnedIn(h.fake.channel.id)).toEqual([messageId]);
    expect(pinCalls("DELETE")).toEqual([]);
    expect(await outcomeOf(handle)).toBe("forbidden");
  });

  it("the pinned message was deleted meanwhile: the pin is removed and the moderator told so", async () => {
    const { messageId } = await addCeasefirePin();
    const { channelId } = guildA();
    h.fake.failNext(
      { method: "DELETE", pathPrefix: `/channels/${channelId}/messages/pins/` },
      404,
      {
        body: { code: 10008, message: "Unknown Message" },
      },
    );

    const handle = pins("remove", { id: 1 });
    const told = await handle.final();

    expect(told.content).toBe(
      `Removed pin #1 ("${CEASEFIRE}"): questions no longer get it first.\n` +
        "The message could not be unpinned in the channel: the message was already deleted.",
    );
    expect(await answeredPrivately(handle)).toBe(true);
    const [unpin] = pinCalls("DELETE");
    expect(unpin).toMatchObject({
      path: `/channels/${channelId}/messages/pins/${messageId}`,
      status: 404,
      injected: true,
    });
    expect(pinCalls("DELETE")).toHaveLength(1); // a 404 is not retried
    expect(await h.pins.getPin(h.fake.guild.id, 1)).toBeUndefined();
    expect(h.logs.lines).toContainEqual(
      expect.objectContaining({ msg: "unpin failed", code: 10008, messageId }),
    );
    // A deleted message is not fetched to be edited.
    expect(
      h.fake.requests.filter((r) => r.path === `/channels/${channelId}/messages/${messageId}`),
    ).toEqual([]);
    expect(h.logs.lines.map((line) => line.msg)).not.toContain("unmarking failed");
    expect(await outcomeOf(handle)).toBe("ok");
  });
});
