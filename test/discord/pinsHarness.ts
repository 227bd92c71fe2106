/**
 * What the end-to-end tests of the moderators' slash commands share (pinsRegistration,
 * pinsAdd, pinsList, pinsRemove and unanswered .e2e.test.ts): the real bot on the fake Discord,
 * with two servers and a fresh in-memory pin database per test, and the helpers those tests run
 * the commands and read the answers with. Rows a test needs many of (12 pins) are seeded in the
 * store; everything a person does goes through the fake. The bot's clock is the test's
 * ({@link clock}, {@link setClock}), so that times shown and the 30-day window can be checked
 * exactly.
 */
import { afterEach, beforeEach, expect } from "vitest";
import type { Pin } from "../../src/pins/types.js";
import type {
  FakeRole,
  InteractionHandle,
  MessageBody,
  OptionValue,
} from "../support/fakeDiscord.js";
import { type Harness, sentBodies, startHarness } from "./botHarness.js";
import { assertMessageWithinLimits } from "./limitsAssert.js";

export const SEED_ID = "kremlin-putin-message-trump-ceasefire";
/** The seed article's paragraph count (data/articles/kremlin-putin-message-trump-ceasefire.txt). */
export const SEED_PARAGRAPHS = 8;
export const CEASEFIRE = "How long would the ceasefire last?";
/** The bot's clock at the start of every test (a fixed time, so shown times are exact). */
export const START = Date.parse("2025-03-20T12:00:00.000Z");
export const NOT_MODERATOR =
  "Only moderators (Manage Messages or Pin Messages) can do this; nothing was changed.";

/** The running test's harness: a new one for every test of a file that calls usePinsHarness. */
export let h: Harness;
/** The bot's clock, {@link START} when a test begins. */
export let clock: number;

/** Sets the bot's clock. */
export function setClock(time: number): void {
  clock = time;
}

/** Starts {@link h} before every test of the calling file and stops it after. */
export function usePinsHarness(): void {
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
}

/** The first server and its first channel, where the fake's interactions happen by default. */
export function guildA() {
  return { guildId: h.fake.guild.id, channelId: h.fake.channel.id };
}

/** The second server ("Elsewhere") and its channel. */
export function guildB() {
  const guild = h.fake.guilds[1];
  const channel = guild?.channels[0];
  if (!guild || !channel) throw new Error("test: the harness has no second guild");
  return { guildId: guild.id, channelId: channel.id };
}

/** Who runs a command, and where (default: a new moderator in guild A's first channel). */
export interface Who {
  role?: FakeRole;
  user?: { id: string };
  channelId?: string;
  permissions?: string;
}

/** `/pins <subcommand>` as a new user (a moderator unless told otherwise). */
export function pins(subcommand: string, options: Record<string, OptionValue> = {}, who: Who = {}) {
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

/** The outcome the router logged for an interaction. */
export async function outcomeOf(handle: InteractionHandle): Promise<unknown> {
  return (await h.logs.eventLine(handle.id)).outcome;
}

/** The pins of a server (default: guild A), newest first, up to 100. */
export const listAll = async (guildId = h.fake.guild.id) =>
  (await h.pins.listPins(guildId, { page: 1, pageSize: 100 })).items;

/** The REST calls that pin (PUT) or unpin (DELETE) a message in a channel. */
export const pinCalls = (method: "PUT" | "DELETE") =>
  h.fake.requests.filter((r) => r.method === method && /\/messages\/pins\/\d+$/.test(r.path));

/** The buttons of a message body: custom id, label and whether disabled. */
export function buttons(body: MessageBody) {
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
export const descriptionLines = (body: MessageBody) =>
  (body.embeds?.[0]?.description ?? "").split("\n");

/** The pin ids a /pins list page shows, in order. */
export const listedIds = (body: MessageBody) =>
  descriptionLines(body).flatMap((line) => {
    const id = /^\*\*#(\d+)\*\* /.exec(line)?.[1];
    return id === undefined ? [] : [Number(id)];
  });

/** Stores `count` pins in a guild, each on a message of the bot there; ids in order. */
export async function seedPins(
  count: number,
  where = guildA(),
  pinnedBy = "111111111111111111",
): Promise<Pin[]> {
  const pins: Pin[] = [];
  for (let i = 0; i < count; i++) {
    const paragraph = (i % SEED_PARAGRAPHS) + 1;
    const question = `Seeded question ${i + 1}: what does paragraph ${paragraph} say?`;
    const message = h.fake.seedMessage({
      fromBot: true,
      channelId: where.channelId,
      content: question,
    });
    pins.push(
      await h.pins.addPin({
        guildId: where.guildId,
        channelId: where.channelId,
        messageId: message.id,
        question,
        citations: [h.services.answers.cite(question, SEED_ID, paragraph)],
        pinnedBy,
        pinnedAt: clock - (count - i) * 60_000,
      }),
    );
  }
  return pins;
}

/** `/pins add` of the seed article's paragraph 4 by a moderator; resolves with what it made. */
export async function addCeasefirePin(question = CEASEFIRE) {
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
