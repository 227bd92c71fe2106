/**
 * Moderator pins end to end: the real bot on the fake Discord with a real pin database in a temp
 * folder. A moderator pins an answer with its button or the "Pin answer" context menu; members
 * cannot; a similar question in the same server then gets the pinned answer first, in any way it
 * is asked, and another server does not; the pin survives a restart; removing it unpins the
 * message; a channel that cannot take the pin still keeps it in newsdesk and says why; questions
 * the articles could not answer reach `/unanswered`. (`/pins add|list|remove` and `/unanswered`
 * in depth: pinsAdd, pinsList, pinsRemove and unanswered .e2e.test.ts.)
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { messageLink, PINNED_LABEL } from "../../src/discord/format/format.js";
import {
  answeredPrivately,
  askAsNewUser,
  customIds,
  embedText,
  type Harness,
  startHarness,
} from "./botHarness.js";
import { assertMessageWithinLimits } from "./limitsAssert.js";

const CEASEFIRE = "How long would the ceasefire last?";
/** The same question in other words: the pinned answer must lead the reply to it. */
const SIMILAR = "For how long will the ceasefire last?";
const OFF_TOPIC = "Who won the 1998 World Cup final?";
const PIN_ID = "pins:answer";
const FOLLOW_UP_ID = "ask:followup";
/** The 👍/👎 row every answer in a server ends with (votes.e2e.test.ts). */
const VOTE_IDS = ["ask:vote:up", "ask:vote:down"];

let h: Harness;
let dir: string;

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "newsdesk-pins-e2e-"));
  h = await startHarness({
    qaChannel: true,
    databasePath: path.join(dir, "pins.sqlite"),
    guilds: [
      { name: "Newsroom", channels: [{ name: "general" }, { name: "news" }] },
      { name: "Elsewhere", channels: [{ name: "general" }] },
    ],
  });
});

afterEach(async () => {
  await h?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** `/ask` as a new member, answered and logged. */
const askPublicly = (question: string, channelId?: string) => askAsNewUser(h, question, channelId);

/** A moderator (or `role`) clicks "📌 Pin answer" on a message. */
function clickPin(messageId: string, role: "moderator" | "member" = "moderator") {
  return h.fake.sendButton({ customId: PIN_ID, message: messageId, role, user: h.newUser() });
}

const pinRequests = () =>
  h.fake.requests.filter((r) => r.method === "PUT" && r.path.includes("/messages/pins/"));

describe("pinning an answer", () => {
  it("a moderator pins an answer with its button: stored, pinned in the channel, told privately", async () => {
    const { reply, messageId } = await askPublicly(CEASEFIRE);
    expect(customIds(reply)).toEqual([PIN_ID, FOLLOW_UP_ID, ...VOTE_IDS]);

    const moderator = h.newUser();
    const click = h.fake.sendButton({
      customId: PIN_ID,
      message: messageId,
      role: "moderator",
      user: moderator,
    });
    const told = await click.final();

    expect(await answeredPrivately(click)).toBe(true);
    expect(told.content).toMatch(/^📌 Pinned as #1: similar questions in this server now get/);
    expect(h.fake.pinnedIn(h.fake.channel.id)).toEqual([messageId]);
    await h.fake.waitForRequest({
      method: "PUT",
      path: `/channels/${h.fake.channel.id}/messages/pins/${messageId}`,
    });
    const pin = await h.pins.getPinByMessage(h.fake.guild.id, messageId);
    expect(pin).toMatchObject({
      id: 1,
      guildId: h.fake.guild.id,
      channelId: h.fake.channel.id,
      messageId,
      question: CEASEFIRE,
      pinnedBy: moderator.id,
    });
    expect(pin?.citations.map((c) => c.paragraph)).toEqual([4]);
    expect(await h.logs.eventLine(click.id)).toMatchObject({
      kind: "button",
      command: PIN_ID,
      outcome: "ok",
    });

    const again = await clickPin(messageId).final();
    expect(again.content).toContain("already pinned as #1");
    expect(pinRequests()).toHaveLength(1);
  });

  it("a moderator pins an answer to a mention with the Pin answer context menu", async () => {
    const asked = h.fake.sendMessage({ content: `${h.fake.botMention} ${CEASEFIRE}` });
    const replyBody = await asked.reply();
    expect(customIds(replyBody)).toEqual([PIN_ID, FOLLOW_UP_ID, ...VOTE_IDS]);
    await h.logs.eventLine(asked.id);
    const answer = h.fake
      .messagesIn(h.fake.channel.id)
      .find((m) => m.message_reference?.message_id === asked.id);
    if (!answer) throw new Error("test: the bot's reply is not stored");

    const menu = h.fake.sendMessageContextMenu({
      name: "Pin answer",
      targetMessage: answer.id,
      role: "moderator",
      user: h.newUser(),
    });

    expect((await menu.final()).content).toMatch(/^📌 Pinned as #1/);
    expect(h.fake.pinnedIn(h.fake.channel.id)).toEqual([answer.id]);
    expect((await h.pins.getPinByMessage(h.fake.guild.id, answer.id))?.question).toBe(CEASEFIRE);
    expect(await h.logs.eventLine(menu.id)).toMatchObject({
      kind: "menu",
      command: "Pin answer",
      outcome: "ok",
    });
  });

  it("the context menu refuses a message that is not one of newsdesk's answers", async () => {
    const someone = h.fake.seedMessage({ content: "The ceasefire lasts 30 days, trust me." });
    const onUser = h.fake.sendMessageContextMenu({
      name: "Pin answer",
      targetMessage: someone.id,
      role: "moderator",
    });
    expect((await onUser.final()).content).toContain("Only newsdesk's answers can be pinned");

    const abstained = await askPublicly(OFF_TOPIC);
    expect(customIds(abstained.reply)).toEqual([]);
    const onAbstention = h.fake.sendMessageContextMenu({
      name: "Pin answer",
      targetMessage: abstained.messageId,
      role: "moderator",
    });
    expect((await onAbstention.final()).content).toContain("I have no record of this answer");
    expect(pinRequests()).toEqual([]);
    expect((await h.pins.listPins(h.fake.guild.id, { page: 1, pageSize: 10 })).total).toBe(0);
  });

  it("a member who clicks Pin answer is refused privately, and nothing is stored or pinned", async () => {
    const { messageId } = await askPublicly(CEASEFIRE);

    const click = clickPin(messageId, "member");
    const refused = await click.final();

    expect(await answeredPrivately(click)).toBe(true);
    expect(refused.content).toContain("Only moderators");
    expect(await h.logs.eventLine(click.id)).toMatchObject({ outcome: "forbidden" });
    expect(await h.pins.getPinByMessage(h.fake.guild.id, messageId)).toBeUndefined();
    expect(h.fake.pinnedIn(h.fake.channel.id)).toEqual([]);
    expect(pinRequests()).toEqual([]);

    const menu = h.fake.sendMessageContextMenu({
      name: "Pin answer",
      targetMessage: messageId,
      role: "member",
    });
    expect((await menu.final()).content).toContain("Only moderators");
    expect(pinRequests()).toEqual([]);
  });

  it("a private answer has no Pin button and is not kept for pinning", async () => {
    const handle = h.fake.sendSlashCommand({
      name: "ask",
      options: { question: CEASEFIRE, private: true },
      user: h.newUser(),
    });
    const reply = await handle.final();
    await h.logs.eventLine(handle.id);
    expect(customIds(reply)).toEqual(VOTE_IDS);
    const messageId = handle.message()?.id ?? "";
    expect(await h.pins.getAnswer(h.fake.guild.id, messageId)).toBeUndefined();
  });
});

describe("pinned answers come first", () => {
  it("in the same server, /ask, mentions and the Q&A channel lead with the pinned answer", async () => {
    const { messageId } = await askPublicly(CEASEFIRE);
    await clickPin(messageId).final();
    const link = messageLink(h.fake.guild.id, h.fake.channel.id, messageId);

    const viaAsk = await askPublicly(SIMILAR);
    const viaMention = await h.fake
      .sendMessage({ content: `${h.fake.botMention} ${SIMILAR}`, user: h.newUser() })
      .reply();
    const qaChannel = h.config.discord.qaChannelIds[0];
    const viaChannel = await h.fake
      .sendMessage({ content: SIMILAR, channelId: qaChannel, user: h.newUser() })
      .reply();

    for (const reply of [viaAsk.reply, viaMention, viaChannel]) {
      const [lead] = reply.embeds ?? [];
      expect(lead?.author?.name).toBe(PINNED_LABEL);
      expect(lead?.title).toBe(CEASEFIRE);
      expect(lead?.url).toBe(link);
      expect(lead?.description).toContain("30-day halt");
      expect(lead?.description).toContain(`[Original answer](${link})`);
      expect(lead?.footer?.text).toBe("Pin #1");
      // This question already has a pinned answer: no second Pin button.
      expect(customIds(reply)).not.toContain(PIN_ID);
      expect(reply.allowed_mentions).toMatchObject({ parse: [] });
      assertMessageWithinLimits(reply);
    }
  });

  it("the pinned answer is followed by the excerpts it does not already quote", async () => {
    // A moderator's own answer from paragraph 3, for a question paragraph 1 also answers.
    const add = h.fake.sendSlashCommand({
      name: "pins",
      subcommand: "add",
      options: {
        question: "What did the Kremlin say about Trump?",
        article: "kremlin-putin-message-trump-ceasefire",
        paragraph: 3,
      },
      role: "moderator",
    });
    await add.final();
    expect((await add.followup()).content).toMatch(/^📌 Pinned as #1/);

    const { reply } = await askPublicly("What has the Kremlin said about Trump?");
    const [lead, ...rest] = reply.embeds ?? [];
    expect(lead?.author?.name).toBe(PINNED_LABEL);
    expect(lead?.description).toContain("¶3");
    expect(lead?.description).toContain("Peskov");
    const retrieved = embedText(rest);
    expect(retrieved).toContain("¶1");
    expect(retrieved).not.toContain("¶3");
    assertMessageWithinLimits(reply);
  });

  it("another server does not see the pin: its answer comes from the articles, with its own Pin button", async () => {
    const { messageId } = await askPublicly(CEASEFIRE);
    await clickPin(messageId).final();
    const elsewhere = h.fake.guilds[1]?.channels[0]?.id ?? "";

    const { reply } = await askPublicly(SIMILAR, elsewhere);

    expect(embedText(reply.embeds)).not.toContain(PINNED_LABEL);
    expect(reply.embeds?.[0]?.author).toBeUndefined();
    expect(embedText(reply.embeds)).toContain("¶4");
    expect(customIds(reply)).toEqual([PIN_ID, FOLLOW_UP_ID, ...VOTE_IDS]);
  });

  it("an unrelated question is not led by the pin", async () => {
    const { messageId } = await askPublicly(CEASEFIRE);
    await clickPin(messageId).final();

    const { reply } = await askPublicly("Who delivered Putin's message to Trump?");

    expect(reply.embeds?.[0]?.author?.name).not.toBe(PINNED_LABEL);
    expect(embedText(reply.embeds)).not.toContain(PINNED_LABEL);
  });

  it("the bot restarted on the same database still has the pin and leads with it", async () => {
    const { messageId } = await askPublicly(CEASEFIRE);
    await clickPin(messageId).final();

    await h.restartBot();
    const { reply } = await askPublicly(SIMILAR);

    expect(reply.embeds?.[0]?.author?.name).toBe(PINNED_LABEL);
    expect(reply.embeds?.[0]?.url).toBe(messageLink(h.fake.guild.id, h.fake.channel.id, messageId));
    expect((await h.pins.getPinByMessage(h.fake.guild.id, messageId))?.question).toBe(CEASEFIRE);
  });
});

describe("removing a pin", () => {
  it("/pins remove unpins the message, forgets the pin, and questions no longer get it", async () => {
    const { messageId } = await askPublicly(CEASEFIRE);
    await clickPin(messageId).final();
    expect(h.fake.pinnedIn(h.fake.channel.id)).toEqual([messageId]);

    const remove = h.fake.sendSlashCommand({
      name: "pins",
      subcommand: "remove",
      options: { id: 1 },
      role: "moderator",
    });
    const told = await remove.final();

    expect(told.content).toContain("Removed pin #1");
    await h.fake.waitForRequest({
      method: "DELETE",
      path: `/channels/${h.fake.channel.id}/messages/pins/${messageId}`,
    });
    expect(h.fake.pinnedIn(h.fake.channel.id)).toEqual([]);
    expect(await h.pins.getPin(h.fake.guild.id, 1)).toBeUndefined();
    // An answer pinned with its button never said "pinned" itself: it is not edited.
    expect(
      h.fake.requests.filter((r) => r.method === "PATCH" && r.path.startsWith("/channels/")),
    ).toEqual([]);
    const { reply } = await askPublicly(SIMILAR);
    expect(embedText(reply.embeds)).not.toContain(PINNED_LABEL);
  });
});

describe("when the channel cannot take the pin", () => {
  it("a full channel (30003): the pin is stored and the moderator is told why", async () => {
    const { messageId } = await askPublicly(CEASEFIRE);
    h.fake.failNext(
      { method: "PUT", pathPrefix: `/channels/${h.fake.channel.id}/messages/pins/` },
      400,
      {
        body: { code: 30003, message: "Maximum number of pins reached (250)" },
      },
    );

    const told = await clickPin(messageId).final();

    expect(told.content).toMatch(/^📌 Pinned as #1/);
    expect(told.content).toContain("The pin is stored, but the message is not pinned");
    expect(told.content).toContain("the most pins Discord allows (250)");
    expect(h.fake.pinnedIn(h.fake.channel.id)).toEqual([]);
    expect((await h.pins.getPinByMessage(h.fake.guild.id, messageId))?.id).toBe(1);
    expect(h.logs.lines).toContainEqual(
      expect.objectContaining({ msg: "pin failed", code: 30003 }),
    );
    // Stored is stored: the next similar question gets it first.
    const { reply } = await askPublicly(SIMILAR);
    expect(reply.embeds?.[0]?.author?.name).toBe(PINNED_LABEL);
  });

  it("a bot without Pin Messages (50013): stored, and the moderator is told which permission", async () => {
    const { messageId } = await askPublicly(CEASEFIRE);
    h.fake.failNext(
      { method: "PUT", pathPrefix: `/channels/${h.fake.channel.id}/messages/pins/` },
      403,
      {
        body: { code: 50013, message: "Missing Permissions" },
      },
    );

    const told = await clickPin(messageId).final();

    expect(told.content).toContain("I lack the Pin Messages permission in");
    expect(told.content).toContain(`<#${h.fake.channel.id}>`);
    expect(await h.pins.getPinByMessage(h.fake.guild.id, messageId)).toBeDefined();
  });
});

describe("unanswered questions", () => {
  it("a question the articles could not answer is listed by /unanswered, without who asked", async () => {
    await askPublicly(OFF_TOPIC);
    await h.fake
      .sendMessage({ content: `${h.fake.botMention} ${OFF_TOPIC}`, user: h.newUser() })
      .reply();
    await askPublicly(CEASEFIRE); // answered: not listed

    const list = h.fake.sendSlashCommand({ name: "unanswered", role: "moderator" });
    const reply = await list.final();

    expect(await answeredPrivately(list)).toBe(true);
    const text = embedText(reply.embeds);
    expect(text).toContain("**2×** “Who won the 1998 World Cup final?”");
    expect(text).not.toContain("ceasefire");
    assertMessageWithinLimits(reply);
  });
});
