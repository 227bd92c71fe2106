/**
 * `/pins add` end to end: a moderator (or a member with Pin Messages) pins a paragraph of an
 * article as the answer to a question; the answer is posted publicly and pinned in the channel,
 * the pin is stored and its number told privately; members, unknown articles, paragraphs past
 * the end and questions without words are refused. (The Pin answer button and context menu:
 * pins.e2e.test.ts.)
 */
import { InteractionResponseType, MessageFlags, PermissionFlagsBits } from "discord.js";
import { describe, expect, it } from "vitest";
import { messageLink, PINNED_LABEL } from "../../src/discord/format/format.js";
import { FakePermissions, type OptionValue } from "../support/fakeDiscord.js";
import { answeredPrivately, embedText, isEphemeral } from "./botHarness.js";
import { assertMessageWithinLimits, assertNoLiveMentions, embedTexts } from "./limitsAssert.js";
import {
  addCeasefirePin,
  CEASEFIRE,
  guildA,
  guildB,
  h,
  listAll,
  listedIds,
  NOT_MODERATOR,
  outcomeOf,
  pinCalls,
  pins,
  SEED_ID,
  SEED_PARAGRAPHS,
  START,
  usePinsHarness,
  type Who,
} from "./pinsHarness.js";

const SEED_TITLE =
  "Kremlin Confirms Putin’s Message to Trump on Ukraine Ceasefire, Expresses Cautious Optimism";
/** A member with Pin Messages and nothing else a moderator has. */
const PIN_MESSAGES_ONLY = (
  BigInt(FakePermissions.member) | PermissionFlagsBits.PinMessages
).toString();

usePinsHarness();

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
    const stored = await listAll();
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
    expect(await listAll(guildB().guildId)).toEqual([]);

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
    expect(h.fake.pinnedIn(h.fake.channel.id)).toEqual([
      messageId,
      (await listAll())[1]?.messageId,
    ]);
    expect((await listAll()).map((pin) => [pin.id, pin.pinnedBy])).toEqual([
      [2, pinner.id],
      [1, expect.any(String)],
    ]);
    // The article id as typed, in any case, is stored as the article's own id.
    expect((await listAll())[0]?.citations[0]?.articleId).toBe(SEED_ID);
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
    expect(await listAll()).toEqual([]);
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
      expect(await listAll()).toEqual([]);
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
        'No article has the id "no-such-article". Pick one from the list as you type, or see `/articles list`.',
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
    expect((await listAll())[0]?.citations[0]?.paragraph).toBe(SEED_PARAGRAPHS);
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
    expect(await listAll()).toEqual([]);
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
    expect((await listAll())[0]?.question).toBe(question);

    const list = await pins("list", {}, { role: "member" }).final();
    assertNoLiveMentions(embedTexts(list.embeds ?? []));
    expect(embedText(list.embeds)).not.toContain("**Putin**");
  });
});
