/**
 * `/unanswered` end to end: moderators list, privately, what members asked that the articles
 * could not answer in the last 30 days, most often asked first, ten to a page; members are
 * refused, the command and its page buttons alike, and each server sees only its own questions.
 */
import { InteractionResponseType } from "discord.js";
import { describe, expect, it } from "vitest";
import type { OptionValue } from "../support/fakeDiscord.js";
import { answeredPrivately, askAsNewUser, embedText, isEphemeral } from "./botHarness.js";
import { assertMessageWithinLimits } from "./limitsAssert.js";
import {
  buttons,
  CEASEFIRE,
  clock,
  descriptionLines,
  guildA,
  guildB,
  h,
  NOT_MODERATOR,
  outcomeOf,
  START,
  setClock,
  usePinsHarness,
  type Who,
} from "./pinsHarness.js";

const OFF_TOPIC = "Who won the 1998 World Cup final?";
const OTHER_OFF_TOPIC = "What is the capital of Australia?";
const DAY_MS = 24 * 60 * 60 * 1000;

usePinsHarness();

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
    setClock(clock + 60_000);
    await ask(OFF_TOPIC);
    setClock(clock + 60_000);
    await ask(CEASEFIRE); // answered: never listed
    await ask("who won the 1998 world cup FINAL"); // the same question in other case
    setClock(clock + 60_000);
    const lastAsked = clock;
    await ask(OFF_TOPIC, news);
    setClock(clock + 60_000);

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
    setClock(START + 31 * DAY_MS);
    await ask(OTHER_OFF_TOPIC);

    const reply = await unanswered().final();

    const text = embedText(reply.embeds);
    expect(text).not.toContain(OFF_TOPIC);
    expect(descriptionLines(reply)).toEqual([
      `**1×** “${OTHER_OFF_TOPIC}” · <#${h.fake.channel.id}> · <t:${clock / 1000}:R>`,
      `**1×** “What is the population of Lima?” · <#${h.fake.channel.id}> · <t:${(START + 2 * DAY_MS) / 1000}:R>`,
    ]);
    // Counts cover the 30 days too: an old asking does not add to a recent one.
    setClock(clock + 60_000);
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

    expect(next.responseType).toBe(InteractionResponseType.DeferredMessageUpdate);
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
