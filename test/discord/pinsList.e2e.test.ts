/**
 * `/pins list` end to end: any member lists the server's pins, privately, newest first, ten to a
 * page with Previous and Next buttons that turn the page in place; each server sees only its own
 * pins.
 */
import { InteractionResponseType } from "discord.js";
import { describe, expect, it } from "vitest";
import { messageLink } from "../../src/discord/format/format.js";
import { answeredPrivately, embedText } from "./botHarness.js";
import {
  addCeasefirePin,
  buttons,
  CEASEFIRE,
  descriptionLines,
  guildA,
  guildB,
  h,
  listedIds,
  outcomeOf,
  pins,
  START,
  seedPins,
  usePinsHarness,
} from "./pinsHarness.js";

usePinsHarness();

describe("/pins list", () => {
  it("says there are no pins yet, and how to pin", async () => {
    const handle = pins("list", {}, { role: "member" });
    const reply = await handle.final();

    expect(await answeredPrivately(handle)).toBe(true);
    expect(reply.embeds).toEqual([
      expect.objectContaining({
        title: "Pinned answers",
        description:
          "No pinned answers yet. A moderator pins an answer with its 📌 Pin answer button, or with `/pins add`.",
        footer: { text: "Page 1 of 1 · 0 pins" },
      }),
    ]);
    expect(buttons(reply)).toEqual([]);
    expect(await outcomeOf(handle)).toBe("ok");
  });

  it("a member lists a pin made with /pins add, privately, linked to its message", async () => {
    const { messageId } = await addCeasefirePin();
    const link = messageLink(h.fake.guild.id, h.fake.channel.id, messageId);

    const handle = pins("list", {}, { role: "member" });
    const reply = await handle.final();

    expect(handle.responseType).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(await answeredPrivately(handle)).toBe(true);
    expect(reply.embeds?.[0]?.description).toBe(
      `**#1** [“${CEASEFIRE}”](${link}) · Kremlin Confirms Putin’s Message to Trump on Ukraine… ¶4 · <t:${START / 1000}:d>`,
    );
    expect(reply.embeds?.[0]?.footer?.text).toBe("Page 1 of 1 · 1 pin");
    expect(buttons(reply)).toEqual([]);
    expect(await outcomeOf(handle)).toBe("ok");
  });

  it("pages 10 pins at a time, newest first; Next and Previous turn the page in place", async () => {
    await seedPins(12);

    const handle = pins("list", {}, { role: "member" });
    const first = await handle.final();

    expect(await answeredPrivately(handle)).toBe(true);
    expect(listedIds(first)).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3]);
    expect(descriptionLines(first)).toHaveLength(10);
    expect(first.embeds?.[0]?.footer?.text).toBe("Page 1 of 2 · 12 pins");
    expect(buttons(first)).toEqual([
      { id: "pins:list:0", label: "Previous", disabled: true },
      { id: "pins:list:2", label: "Next", disabled: false },
    ]);
    const list = handle.message();
    if (!list) throw new Error("test: /pins list left no message");

    const next = h.fake.sendButton({
      customId: "pins:list:2",
      message: list.id,
      role: "member",
      user: h.newUser(),
    });
    const second = await next.final();

    expect(next.responseType).toBe(InteractionResponseType.DeferredMessageUpdate);
    expect(listedIds(second)).toEqual([2, 1]);
    expect(second.embeds?.[0]?.footer?.text).toBe("Page 2 of 2 · 12 pins");
    expect(buttons(second)).toEqual([
      { id: "pins:list:1", label: "Previous", disabled: false },
      { id: "pins:list:3", label: "Next", disabled: true },
    ]);
    // The list message itself now shows page 2.
    expect(h.fake.message(list.id)?.embeds[0]?.footer?.text).toBe("Page 2 of 2 · 12 pins");
    expect(await h.logs.eventLine(next.id)).toMatchObject({
      kind: "button",
      command: "pins:list",
      outcome: "ok",
    });

    const back = await h.fake
      .sendButton({ customId: "pins:list:1", message: list.id, role: "member" })
      .final();
    expect(listedIds(back)).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3]);
  });

  it("a page past the end says where the pins end, with a way back", async () => {
    await seedPins(12);

    const handle = pins("list", { page: 3 }, { role: "member" });
    const reply = await handle.final();

    expect(reply.embeds?.[0]?.description).toBe("There is no page 3; the pins end at page 2.");
    expect(listedIds(reply)).toEqual([]);
    expect(buttons(reply)).toEqual([
      { id: "pins:list:2", label: "Previous", disabled: false },
      { id: "pins:list:4", label: "Next", disabled: true },
    ]);
    expect(await outcomeOf(handle)).toBe("ok");

    const page2 = await pins("list", { page: 2 }, { role: "member" }).final();
    expect(listedIds(page2)).toEqual([2, 1]);
  });

  it("shows only the server's own pins, whichever server asks", async () => {
    const own = await seedPins(2, guildA());
    const theirs = await seedPins(3, guildB());
    expect(theirs.map((pin) => pin.id)).toEqual([3, 4, 5]);

    const inA = await pins("list", {}, { role: "member" }).final();
    const inB = await pins("list", {}, { role: "member", channelId: guildB().channelId }).final();

    expect(listedIds(inA)).toEqual(own.map((pin) => pin.id).reverse());
    expect(inA.embeds?.[0]?.footer?.text).toBe("Page 1 of 1 · 2 pins");
    expect(embedText(inA.embeds)).not.toContain(guildB().guildId);
    expect(listedIds(inB)).toEqual([5, 4, 3]);
    expect(inB.embeds?.[0]?.footer?.text).toBe("Page 1 of 1 · 3 pins");
    expect(embedText(inB.embeds)).not.toContain(`/${h.fake.guild.id}/`);
  });
});
