/**
 * The moderators' slash commands end to end: `/pins add`, `/pins list`, `/pins remove` and
 * `/unanswered`, run by members and moderators through the fake Discord against the real bot and
 * a fresh in-memory pin database per test. Rows a test needs many of (12 pins, 12 questions) are
 * seeded in the store; everything a person does goes through the fake. The bot's clock is the
 * test's, so that times shown and the 30-day window can be checked exactly.
 * (The Pin answer button, the context menu, pinned answers leading replies, restarts and full
 * channels: pins.e2e.test.ts.)
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionContextType,
  InteractionResponseType,
  MessageFlags,
  PermissionFlagsBits,
} from "discord.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { messageLink, PINNED_LABEL } from "../../src/discord/format/format.js";
import type { Pin } from "../../src/pins/types.js";
import {
  FakePermissions,
  type FakeRole,
  type InteractionHandle,
  type MessageBody,
  type OptionValue,
} from "../support/fakeDiscord.js";
import {
  answeredPrivately,
  askAsNewUser,
  embedText,
  type Harness,
  isEphemeral,
  sentBodies,
  startHarness,
} from "./botHarness.js";
import { assertMessageWithinLimits, assertNoLiveMentions, embedTexts } from "./limitsAssert.js";

const SEED_ID = "kremlin-putin-message-trump-ceasefire";
const SEED_TITLE =
  "Kremlin Confirms Putin’s Message to Trump on Ukraine Ceasefire, Expresses Cautious Optimism";
/** The seed article's paragraph count (data/articles/kremlin-putin-message-trump-ceasefire.txt). */
const SEED_PARAGRAPHS = 8;
const CEASEFIRE = "How long would the ceasefire last?";
const OFF_TOPIC = "Who won the 1998 World Cup final?";
const OTHER_OFF_TOPIC = "What is the capital of Australia?";
const DAY_MS = 24 * 60 * 60 * 1000;
/** The bot's clock at the start of every test (a fixed time, so shown times are exact). */
const START = Date.parse("2025-03-20T12:00:00.000Z");
const NOT_MODERATOR =
  "Only moderators (Manage Messages or Pin Messages) can do this; nothing was pinned or changed.";
/** A member with Pin Messages and nothing else a moderator has. */
const PIN_MESSAGES_ONLY = (
  BigInt(FakePermissions.member) | PermissionFlagsBits.PinMessages
).toString();

let h: Harness;
let clock: number;

beforeEach(async () => {
  clock = START;
  h = await startHarness({
    now: () => clock,
    guilds: [
      { name: "Newsroom", channels: [{ name: "general" }, { name: "news" }] },
      { name: "Elsewhere", channels: [{ name: "general" }] },
    ],
  });
});

afterEach(async () => {
  try {
    // Whatever a test did, every message the bot sent fits Discord and pings nobody, and it
    // made no call the fake does not know.
    for (const { body } of sentBodies(h.fake)) {
      assertMessageWithinLimits(body);
      expect(body.allowed_mentions).toEqual({ parse: [] });
    }
    expect(h.fake.unhandledRequests.map((r) => `${r.method} ${r.path}`)).toEqual([]);
  } finally {
    await h?.stop();
  }
});

// ---------------------------------------------------------------- helpers

function guildA() {
  return { guildId: h.fake.guild.id, channelId: h.fake.channel.id };
}

function guildB() {
  const guild = h.fake.guilds[1];
  const channel = guild?.channels[0];
  if (!guild || !channel) throw new Error("test: the harness has no second guild");
  return { guildId: guild.id, channelId: channel.id };
}

interface Who {
  role?: FakeRole;
  user?: { id: string };
  channelId?: string;
  permissions?: string;
}

/** `/pins <subcommand>` as a new user (a moderator unless told otherwise). */
function pins(subcommand: string, options: Record<string, OptionValue> = {}, who: Who = {}) {
  return h.fake.sendSlashCommand({
    name: "pins",
    subcommand,
    options,
    role: who.role ?? "moderator",
    user: who.user ?? h.newUser(),
    ...(who.channelId ? { channelId: who.channelId } : {}),
    ...(who.permissions ? { permissions: who.permissions } : {}),
  });
}

/** `/unanswered` as a new user (a moderator unless told otherwise). */
function unanswered(options: Record<string, OptionValue> = {}, who: Who = {}) {
  return h.fake.sendSlashCommand({
    name: "unanswered",
    options,
    role: who.role ?? "moderator",
    user: who.user ?? h.newUser(),
    ...(who.channelId ? { channelId: who.channelId } : {}),
  });
}

/** `/ask` as a new member; resolves with the answer once the bot has answered and logged it. */
const ask = async (question: string, channelId?: string) =>
  (await askAsNewUser(h, question, channelId)).reply;

/** The outcome the router logged for an interaction. */
async function outcomeOf(handle: InteractionHandle): Promise<unknown> {
  return (await h.logs.eventLine(handle.id)).outcome;
}

const listAll = (guildId = h.fake.guild.id) =>
  h.pins.listPins(guildId, { page: 1, pageSize: 100 }).items;

/** The REST calls that pin (PUT) or unpin (DELETE) a message in a channel. */
const pinCalls = (method: "PUT" | "DELETE") =>
  h.fake.requests.filter((r) => r.method === method && /\/messages\/pins\/\d+$/.test(r.path));

/** The buttons of a message body: custom id, label and whether disabled. */
function buttons(body: MessageBody) {
  type Button = { custom_id?: string; label?: string; disabled?: boolean };
  return ((body.components ?? []) as { components?: Button[] }[]).flatMap((row) =>
    (row.components ?? []).map((button) => ({
      id: button.custom_id,
      label: button.label,
      disabled: button.disabled ?? false,
    })),
  );
}

/** The lines of the first embed's description. */
const descriptionLines = (body: MessageBody) => (body.embeds?.[0]?.description ?? "").split("\n");

/** The pin ids a /pins list page shows, in order. */
const listedIds = (body: MessageBody) =>
  descriptionLines(body).flatMap((line) => {
    const id = /^\*\*#(\d+)\*\* /.exec(line)?.[1];
    return id === undefined ? [] : [Number(id)];
  });

/** Stores `count` pins in a guild, each on a message of the bot there; ids in order. */
function seedPins(count: number, where = guildA(), pinnedBy = "111111111111111111"): Pin[] {
  return Array.from({ length: count }, (_, i) => {
    const paragraph = (i % SEED_PARAGRAPHS) + 1;
    const question = `Seeded question ${i + 1}: what does paragraph ${paragraph} say?`;
    const message = h.fake.seedMessage({
      fromBot: true,
      channelId: where.channelId,
      content: question,
    });
    return h.pins.addPin({
      guildId: where.guildId,
      channelId: where.channelId,
      messageId: message.id,
      question,
      citations: [h.services.answers.cite(question, SEED_ID, paragraph)],
      pinnedBy,
      pinnedAt: clock - (count - i) * 60_000,
    });
  });
}

/** `/pins add` of the seed article's paragraph 4 by a moderator; resolves with what it made. */
async function addCeasefirePin(question = CEASEFIRE) {
  const moderator = h.newUser();
  const handle = pins(
    "add",
    { question, article: SEED_ID, paragraph: 4 },
    { role: "moderator", user: moderator },
  );
  const reply = await handle.final();
  const told = await handle.followup(0);
  await h.logs.eventLine(handle.id);
  const messageId = handle.message()?.id;
  if (!messageId) throw new Error("test: /pins add left no message");
  return { handle, reply, told, messageId, moderator };
}

// ---------------------------------------------------------------- registration

describe("registration", () => {
  it("registers /pins with add, list and remove, shown to everyone, in servers only", () => {
    const registered = h.fake.registeredCommands(h.fake.guild.id);
    const command = registered.find((c) => c.name === "pins");

    expect(command).toMatchObject({
      type: ApplicationCommandType.ChatInput,
      default_member_permissions: null,
      contexts: [InteractionContextType.Guild],
    });
    expect(command?.options).toEqual([
      expect.objectContaining({
        type: ApplicationCommandOptionType.Subcommand,
        name: "add",
        options: [
          expect.objectContaining({
            name: "question",
            type: ApplicationCommandOptionType.String,
            required: true,
            max_length: 1000,
          }),
          expect.objectContaining({
            name: "article",
            type: ApplicationCommandOptionType.String,
            required: true,
            autocomplete: true,
          }),
          expect.objectContaining({
            name: "paragraph",
            type: ApplicationCommandOptionType.Integer,
            required: true,
            min_value: 1,
          }),
        ],
      }),
      expect.objectContaining({
        type: ApplicationCommandOptionType.Subcommand,
        name: "list",
        options: [
          expect.objectContaining({
            name: "page",
            type: ApplicationCommandOptionType.Integer,
            required: false,
            min_value: 1,
          }),
        ],
      }),
      expect.objectContaining({
        type: ApplicationCommandOptionType.Subcommand,
        name: "remove",
        options: [
          expect.objectContaining({
            name: "id",
            type: ApplicationCommandOptionType.Integer,
            required: true,
            min_value: 1,
            autocomplete: true,
          }),
        ],
      }),
    ]);
    // The same in every server the bot is in.
    expect(h.fake.registeredCommands(guildB().guildId).find((c) => c.name === "pins")).toEqual({
      ...command,
      id: expect.any(String),
      version: expect.any(String),
      guild_id: guildB().guildId,
    });
  });

  it("registers /unanswered and the Pin answer menu for Manage Messages by default, in servers only", () => {
    const registered = h.fake.registeredCommands(h.fake.guild.id);
    const manageMessages = PermissionFlagsBits.ManageMessages.toString();
    expect(manageMessages).toBe("8192");

    expect(registered.find((c) => c.name === "unanswered")).toMatchObject({
      type: ApplicationCommandType.ChatInput,
      default_member_permissions: "8192",
      contexts: [InteractionContextType.Guild],
      options: [
        expect.objectContaining({
          name: "page",
          type: ApplicationCommandOptionType.Integer,
          min_value: 1,
        }),
      ],
    });
    const menu = registered.find((c) => c.name === "Pin answer");
    expect(menu).toMatchObject({
      type: ApplicationCommandType.Message,
      default_member_permissions: "8192",
      contexts: [InteractionContextType.Guild],
    });
    expect(menu?.options ?? []).toEqual([]);
  });
});

// ---------------------------------------------------------------- /pins add

describe("/pins add", () => {
  it("a moderator pins a paragraph: public pinned answer, pinned in the channel, stored, number told privately", async () => {
    const { handle, reply, told, messageId, moderator } = await addCeasefirePin();
    const { guildId, channelId } = guildA();
    const link = messageLink(guildId, channelId, messageId);

    // The answer is public: a deferral without the ephemeral flag, then the pinned answer.
    expect(handle.responseType).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(await answeredPrivately(handle)).toBe(false);
    const [embed, ...more] = reply.embeds ?? [];
    expect(more).toEqual([]);
    expect(embed?.author?.name).toBe(PINNED_LABEL);
    expect(embed?.author?.name).toBe("📌 Pinned by moderators");
    expect(embed?.title).toBe(CEASEFIRE);
    expect(embed?.url).toBe(link);
    expect(embed?.description).toContain("calls for a 30-day halt to fighting");
    expect(embed?.description).toContain(`\\[1\\] ${SEED_TITLE} ¶4`);
    expect(embed?.description).toContain(`[Original answer](${link})`);
    expect(embed?.footer?.text).toBe("Pin #1");
    expect(embed?.timestamp).toBe(new Date(START).toISOString());
    expect(reply.components ?? []).toEqual([]);
    expect(reply.allowed_mentions).toEqual({ parse: [] });
    assertMessageWithinLimits(reply);
    // The channel's message is the public answer, no longer "thinking".
    const posted = h.fake.message(messageId);
    expect(posted?.channel_id).toBe(channelId);
    expect(posted?.author.id).toBe(h.fake.botUser.id);
    expect(posted?.embeds[0]?.title).toBe(CEASEFIRE);
    expect((posted?.flags ?? 0) & (MessageFlags.Loading | MessageFlags.Ephemeral)).toBe(0);

    // Pinned in the channel, once.
    await h.fake.waitForRequest({
      method: "PUT",
      path: `/channels/${channelId}/messages/pins/${messageId}`,
    });
    expect(h.fake.pinnedIn(channelId)).toEqual([messageId]);
    expect(pinCalls("PUT")).toHaveLength(1);

    // Stored, with the moderator's paragraph as the citation.
    const stored = listAll();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      id: 1,
      guildId,
      channelId,
      messageId,
      question: CEASEFIRE,
      pinnedBy: moderator.id,
      pinnedAt: START,
    });
    expect(stored[0]?.citations).toEqual([
      expect.objectContaining({ articleId: SEED_ID, title: SEED_TITLE, paragraph: 4, score: 0 }),
    ]);
    expect(stored[0]?.citations[0]?.text).toContain("calls for a 30-day halt to fighting");
    expect(listAll(guildB().guildId)).toEqual([]);

    // The moderator alone is told the pin's number and how to undo it.
    expect(told.content).toBe(
      "📌 Pinned as #1: similar questions in this server now get this answer first. `/pins remove id: 1` undoes it.",
    );
    expect(isEphemeral(told)).toBe(true);
    expect(told.allowed_mentions).toEqual({ parse: [] });
    assertMessageWithinLimits(told);
    expect(await h.logs.eventLine(handle.id)).toMatchObject({
      kind: "command",
      command: "pins",
      guildId,
      channelId,
      outcome: "ok",
    });
    expect(h.logs.lines).toContainEqual(
      expect.objectContaining({ msg: "answer pinned", pinId: 1, messageId }),
    );
  });

  it("numbers pins in order, and a member with only Pin Messages may pin", async () => {
    await addCeasefirePin();
    const pinner = h.newUser();

    const second = pins(
      "add",
      {
        question: "What does the proposal focus on?",
        article: SEED_ID.toUpperCase(),
        paragraph: 4,
      },
      { role: "member", permissions: PIN_MESSAGES_ONLY, user: pinner },
    );
    const reply = await second.final();

    expect(reply.embeds?.[0]?.footer?.text).toBe("Pin #2");
    expect((await second.followup(0)).content).toMatch(/^📌 Pinned as #2: /);
    expect(await outcomeOf(second)).toBe("ok");
    const messageId = second.message()?.id ?? "";
    expect(h.fake.pinnedIn(h.fake.channel.id)).toEqual([messageId, listAll()[1]?.messageId]);
    expect(listAll().map((pin) => [pin.id, pin.pinnedBy])).toEqual([
      [2, pinner.id],
      [1, expect.any(String)],
    ]);
    // The article id as typed, in any case, is stored as the article's own id.
    expect(listAll()[0]?.citations[0]?.articleId).toBe(SEED_ID);
  });

  it("completes the article option with the articles' titles and ids", async () => {
    const byTitle = h.fake.sendAutocomplete({
      name: "pins",
      subcommand: "add",
      options: { question: CEASEFIRE },
      focused: { name: "article", value: "UKRAINE ceasefire" },
      role: "moderator",
    });
    const byId = h.fake.sendAutocomplete({
      name: "pins",
      subcommand: "add",
      focused: { name: "article", value: "kremlin-putin" },
      role: "moderator",
    });
    const none = h.fake.sendAutocomplete({
      name: "pins",
      subcommand: "add",
      focused: { name: "article", value: "zzz-no-such" },
      role: "moderator",
    });

    const expected = [{ name: SEED_TITLE, value: SEED_ID }];
    expect((await byTitle.final()).choices).toEqual(expected);
    expect(byTitle.responseType).toBe(InteractionResponseType.ApplicationCommandAutocompleteResult);
    expect((await byId.final()).choices).toEqual(expected);
    expect((await none.final()).choices).toEqual([]);
    expect(await h.logs.eventLine(byId.id)).toMatchObject({
      kind: "autocomplete",
      command: "pins",
      outcome: "ok",
    });
    // Typing touches nothing.
    expect(listAll()).toEqual([]);
  });

  describe("refusals: private, nothing stored, nothing pinned", () => {
    /** Runs `/pins add` and checks everything a refusal must leave as it was. */
    async function refusedAdd(options: Record<string, OptionValue>, who: Who = {}) {
      const handle = pins("add", options, who);
      const reply = await handle.final();

      expect(handle.responseType).toBe(InteractionResponseType.ChannelMessageWithSource);
      expect(isEphemeral(reply)).toBe(true);
      expect(reply.embeds ?? []).toEqual([]);
      expect(reply.allowed_mentions).toEqual({ parse: [] });
      assertMessageWithinLimits(reply);
      expect(handle.followups()).toEqual([]);
      expect(listAll()).toEqual([]);
      expect(pinCalls("PUT")).toEqual([]);
      expect(h.fake.pinnedIn(h.fake.channel.id)).toEqual([]);
      // No public message in the channel (the refusal is the only message, and ephemeral).
      const publicMessages = h.fake
        .messagesIn(h.fake.channel.id)
        .filter((m) => ((m.flags ?? 0) & MessageFlags.Ephemeral) === 0);
      expect(publicMessages).toEqual([]);
      return { reply, outcome: await outcomeOf(handle) };
    }

    it("refuses a member", async () => {
      const { reply, outcome } = await refusedAdd(
        { question: CEASEFIRE, article: SEED_ID, paragraph: 4 },
        { role: "member" },
      );
      expect(reply.content).toBe(NOT_MODERATOR);
      expect(outcome).toBe("forbidden");
    });

    it("refuses an unknown article, naming it", async () => {
      const { reply, outcome } = await refusedAdd({
        question: CEASEFIRE,
        article: "no-such-article",
        paragraph: 1,
      });
      expect(reply.content).toBe(
        'No article has the id "no-such-article". Pick one from the list as you type, or see `/articles`.',
      );
      expect(outcome).toBe("invalid");
    });

    it("refuses a paragraph past the end, giving the article's range", async () => {
      const { reply, outcome } = await refusedAdd({
        question: CEASEFIRE,
        article: SEED_ID,
        paragraph: SEED_PARAGRAPHS + 1,
      });
      expect(reply.content).toBe(
        `"${SEED_TITLE}" has paragraphs 1 to ${SEED_PARAGRAPHS}; there is no paragraph 9.`,
      );
      expect(outcome).toBe("invalid");
    });

    it("refuses a question of only punctuation", async () => {
      const { reply, outcome } = await refusedAdd({
        question: "?! …",
        article: SEED_ID,
        paragraph: 4,
      });
      expect(reply.content).toContain("Give the question in words, e.g. `/pins add question:");
      expect(outcome).toBe("invalid");
    });
  });

  it("the last paragraph can be pinned (the range is 1 to the paragraph count)", async () => {
    const handle = pins("add", {
      question: "Who contributed to this report?",
      article: SEED_ID,
      paragraph: SEED_PARAGRAPHS,
    });
    const reply = await handle.final();

    expect(reply.embeds?.[0]?.description).toContain("Reuters, CNN, and Al Jazeera");
    expect(reply.embeds?.[0]?.description).toContain(`¶${SEED_PARAGRAPHS}`);
    expect(listAll()[0]?.citations[0]?.paragraph).toBe(SEED_PARAGRAPHS);
    expect(await outcomeOf(handle)).toBe("ok");
  });

  it("a question as long as Discord allows fits the pinned answer, the list and the removal", async () => {
    const question = `${"Why would the _ceasefire_ last? ".repeat(40)}`.slice(0, 999).concat("?");
    expect(question).toHaveLength(1000);

    const { reply, told } = await addCeasefirePin(question);
    const list = await pins("list", {}, { role: "member" }).final();
    const removed = await pins("remove", { id: 1 }).final();

    for (const body of [reply, told, list, removed]) assertMessageWithinLimits(body);
    expect(reply.embeds?.[0]?.title?.length).toBeLessThanOrEqual(256);
    expect(reply.embeds?.[0]?.title).toMatch(/…$/);
    expect(listedIds(list)).toEqual([1]);
    expect(removed.content).toMatch(/^Removed pin #1 \("Why would the \\_ceasefire\\_ last\? /);
    expect(removed.content).toMatch(/…"\): questions no longer get it first\.$/);
    expect(listAll()).toEqual([]);
  });

  it("a question's mentions and markdown are shown as text, never pinging or formatting", async () => {
    const question =
      "@everyone <@123456789012345678> did **Putin** agree to a [30-day](https://x.y) halt?";

    const { reply } = await addCeasefirePin(question);

    const title = reply.embeds?.[0]?.title ?? "";
    expect(title).not.toBe(question);
    expect(title).toContain("Putin");
    assertNoLiveMentions(embedTexts(reply.embeds ?? []));
    expect(reply.allowed_mentions).toEqual({ parse: [] });
    // The raw question is what is stored and matched.
    expect(listAll()[0]?.question).toBe(question);

    const list = await pins("list", {}, { role: "member" }).final();
    assertNoLiveMentions(embedTexts(list.embeds ?? []));
    expect(embedText(list.embeds)).not.toContain("**Putin**");
  });
});

// ---------------------------------------------------------------- /pins list

describe("/pins list", () => {
  it("says there are no pins yet, and how to pin", async () => {
    const handle = pins("list", {}, { role: "member" });
    const reply = await handle.final();

    expect(isEphemeral(reply)).toBe(true);
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

    expect(handle.responseType).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(isEphemeral(reply)).toBe(true);
    expect(reply.embeds?.[0]?.description).toBe(
      `**#1** [“${CEASEFIRE}”](${link}) · Kremlin Confirms Putin’s Message to Trump on Ukraine… ¶4 · <t:${START / 1000}:d>`,
    );
    expect(reply.embeds?.[0]?.footer?.text).toBe("Page 1 of 1 · 1 pin");
    expect(buttons(reply)).toEqual([]);
    expect(await outcomeOf(handle)).toBe("ok");
  });

  it("pages 10 pins at a time, newest first; Next and Previous turn the page in place", async () => {
    seedPins(12);

    const handle = pins("list", {}, { role: "member" });
    const first = await handle.final();

    expect(isEphemeral(first)).toBe(true);
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

    expect(next.responseType).toBe(InteractionResponseType.UpdateMessage);
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
    seedPins(12);

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
    const own = seedPins(2, guildA());
    const theirs = seedPins(3, guildB());
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

// ---------------------------------------------------------------- /pins remove

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
    expect(h.pins.getPin(h.fake.guild.id, 1)).toBeUndefined();
    expect(listAll()).toEqual([]);
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
    seedPins(12);
    const other = guildB();
    seedPins(1, other);
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
    seedPins(1);

    const handle = pins("remove", { id: 99 });
    const reply = await handle.final();

    expect(reply.content).toBe("No pin #99 in this server; `/pins list` shows them.");
    expect(handle.responseType).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(isEphemeral(reply)).toBe(true);
    expect(pinCalls("DELETE")).toEqual([]);
    expect(listAll().map((pin) => pin.id)).toEqual([1]);
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
    const theirs = h.pins.getPin(elsewhere.guildId, 1);
    expect(theirs?.messageId).toBe(added.message()?.id);
    expect(h.fake.pinnedIn(elsewhere.channelId)).toEqual([theirs?.messageId]);

    const handle = pins("remove", { id: 1 });
    const reply = await handle.final();

    expect(reply.content).toBe("No pin #1 in this server; `/pins list` shows them.");
    expect(isEphemeral(reply)).toBe(true);
    expect(h.pins.getPin(elsewhere.guildId, 1)).toEqual(theirs);
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
    expect(h.pins.getPin(h.fake.guild.id, 1)?.messageId).toBe(messageId);
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
    expect(h.pins.getPin(h.fake.guild.id, 1)).toBeUndefined();
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

// ---------------------------------------------------------------- /unanswered

describe("/unanswered", () => {
  it("refuses a member, privately, the command and its page buttons alike", async () => {
    seedUnanswered(12);

    const handle = unanswered({}, { role: "member" });
    const reply = await handle.final();

    expect(handle.responseType).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(isEphemeral(reply)).toBe(true);
    expect(reply.content).toBe(NOT_MODERATOR);
    expect(reply.embeds ?? []).toEqual([]);
    expect(embedText(reply.embeds)).not.toContain("population");
    expect(await outcomeOf(handle)).toBe("forbidden");

    // A page button, clicked by a member (e.g. on a message forwarded to them): refused too.
    const list = unanswered();
    await list.final();
    const message = list.message();
    if (!message) throw new Error("test: /unanswered left no message");
    const click = h.fake.sendButton({
      customId: "unanswered:page:2",
      message: message.id,
      role: "member",
    });
    const refused = await click.final();
    expect(click.responseType).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(isEphemeral(refused)).toBe(true);
    expect(refused.content).toBe(NOT_MODERATOR);
    expect(h.fake.message(message.id)?.embeds[0]?.footer?.text).toBe("Last 30 days · Page 1 of 2");
    expect(await outcomeOf(click)).toBe("forbidden");
  });

  it("lists what members asked and the articles could not answer, most often asked first", async () => {
    const news = h.fake.guild.channels[1]?.id ?? "";
    await ask(OTHER_OFF_TOPIC);
    clock += 60_000;
    await ask(OFF_TOPIC);
    clock += 60_000;
    await ask(CEASEFIRE); // answered: never listed
    await ask("who won the 1998 world cup FINAL"); // the same question in other case
    clock += 60_000;
    const lastAsked = clock;
    await ask(OFF_TOPIC, news);
    clock += 60_000;

    const handle = unanswered();
    const reply = await handle.final();

    expect(await answeredPrivately(handle)).toBe(true);
    const [embed] = reply.embeds ?? [];
    expect(embed?.title).toBe("Questions the articles could not answer");
    expect(descriptionLines(reply)).toEqual([
      `**3×** “${OFF_TOPIC}” · <#${news}> · <t:${lastAsked / 1000}:R>`,
      `**1×** “${OTHER_OFF_TOPIC}” · <#${h.fake.channel.id}> · <t:${START / 1000}:R>`,
    ]);
    expect(embed?.footer?.text).toBe("Last 30 days · Page 1 of 1");
    expect(embedText(reply.embeds)).not.toContain("ceasefire");
    expect(buttons(reply)).toEqual([]);
    expect(reply.allowed_mentions).toEqual({ parse: [] });
    assertMessageWithinLimits(reply);
    expect(await outcomeOf(handle)).toBe("ok");

    // Another server's moderators see none of it.
    const elsewhere = await unanswered({}, { channelId: guildB().channelId }).final();
    expect(elsewhere.embeds?.[0]?.description).toBe("No unanswered questions in the last 30 days.");
  });

  it("leaves out questions asked more than 30 days ago", async () => {
    await ask(OFF_TOPIC); // at START
    h.pins.recordUnanswered({
      ...guildA(),
      question: "What is the population of Lima?",
      at: START + 2 * DAY_MS,
    });
    clock = START + 31 * DAY_MS;
    await ask(OTHER_OFF_TOPIC);

    const reply = await unanswered().final();

    const text = embedText(reply.embeds);
    expect(text).not.toContain(OFF_TOPIC);
    expect(descriptionLines(reply)).toEqual([
      `**1×** “${OTHER_OFF_TOPIC}” · <#${h.fake.channel.id}> · <t:${clock / 1000}:R>`,
      `**1×** “What is the population of Lima?” · <#${h.fake.channel.id}> · <t:${(START + 2 * DAY_MS) / 1000}:R>`,
    ]);
    // Counts cover the 30 days too: an old asking does not add to a recent one.
    clock += 60_000;
    await ask(OFF_TOPIC);
    const again = await unanswered().final();
    expect(descriptionLines(again)[0]).toMatch(/^\*\*1×\*\* “Who won the 1998 World Cup final\?”/);
    expect(embedText(again.embeds)).not.toContain("2×");
  });

  it("pages 10 questions at a time; the Next button shows the rest", async () => {
    const questions = seedUnanswered(12);

    const handle = unanswered();
    const first = await handle.final();

    expect(descriptionLines(first)).toHaveLength(10);
    expect(descriptionLines(first).map(questionOf)).toEqual(questions.slice(0, 10));
    expect(first.embeds?.[0]?.footer?.text).toBe("Last 30 days · Page 1 of 2");
    expect(buttons(first)).toEqual([
      { id: "unanswered:page:0", label: "Previous", disabled: true },
      { id: "unanswered:page:2", label: "Next", disabled: false },
    ]);
    const message = handle.message();
    if (!message) throw new Error("test: /unanswered left no message");

    const next = h.fake.sendButton({
      customId: "unanswered:page:2",
      message: message.id,
      role: "moderator",
    });
    const second = await next.final();

    expect(next.responseType).toBe(InteractionResponseType.UpdateMessage);
    expect(descriptionLines(second).map(questionOf)).toEqual(questions.slice(10));
    expect(second.embeds?.[0]?.footer?.text).toBe("Last 30 days · Page 2 of 2");
    expect(buttons(second)).toEqual([
      { id: "unanswered:page:1", label: "Previous", disabled: false },
      { id: "unanswered:page:3", label: "Next", disabled: true },
    ]);
    expect(await h.logs.eventLine(next.id)).toMatchObject({
      kind: "button",
      command: "unanswered:page",
      outcome: "ok",
    });

    const past = await unanswered({ page: 5 }).final();
    expect(past.embeds?.[0]?.description).toBe("There is no page 5; the questions end at page 2.");
    expect(buttons(past)[0]).toEqual({
      id: "unanswered:page:2",
      label: "Previous",
      disabled: false,
    });
  });
});

/** The question of a line of /unanswered. */
function questionOf(line: string): string | undefined {
  return /“(.*)”/.exec(line)?.[1];
}

/** Records `count` distinct unanswered questions in guild A, the first the most recent. */
function seedUnanswered(count: number): string[] {
  const cities = [
    "Paris",
    "Lima",
    "Oslo",
    "Cairo",
    "Tokyo",
    "Dublin",
    "Nairobi",
    "Quito",
    "Hanoi",
    "Warsaw",
    "Ottawa",
    "Canberra",
    "Bogota",
    "Manila",
  ];
  return cities.slice(0, count).map((city, i) => {
    const question = `What is the population of ${city}?`;
    h.pins.recordUnanswered({ ...guildA(), question, at: clock - (i + 1) * 60_000 });
    return question;
  });
}
