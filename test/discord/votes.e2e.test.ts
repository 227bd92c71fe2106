/**
 * 👍/👎 end to end (issue 14): the real bot on the fake Discord. Every answer in a server, public
 * or private, ends with a row of 👍 and 👎 showing their counts; members vote, change and take
 * back their votes; a 👎 offers, privately, what was wrong; a pinned answer readers vote down is
 * flagged in `/pins list`. Every message sent fits Discord's limits and pings nobody (checked
 * after each test by usePinsHarness, and by the fake on every request).
 */
import { MessageFlags } from "discord.js";
import { describe, expect, it } from "vitest";
import { replies } from "../../src/discord/format/replies.js";
import type { InteractionHandle, MessageBody } from "../support/fakeDiscord.js";
import { askAsNewUser, isEphemeral } from "./botHarness.js";
import {
  addCeasefirePin,
  buttons,
  CEASEFIRE,
  descriptionLines,
  h,
  outcomeOf,
  pins,
  usePinsHarness,
} from "./pinsHarness.js";

usePinsHarness();

const UP = "ask:vote:up";
const DOWN = "ask:vote:down";

/** A message as the fake stores it now (after the bot's edits): its rows and flags. */
function stored(messageId: string): MessageBody {
  const message = h.fake.message(messageId);
  if (!message) throw new Error(`test: no message ${messageId}`);
  return {
    components: message.components ?? [],
    ...(message.flags === undefined ? {} : { flags: message.flags }),
  };
}

/** The labels of the vote buttons a stored message shows now. */
function voteLabels(messageId: string): string[] {
  return buttons(stored(messageId))
    .filter((b) => b.id === UP || b.id === DOWN)
    .map((b) => b.label ?? "");
}

/** A member clicks a vote button on `messageId`; resolves once the bot has handled it. */
async function vote(
  messageId: string,
  customId: string,
  user: { id: string },
): Promise<InteractionHandle> {
  const handle = h.fake.sendButton({ customId, message: messageId, user });
  await h.logs.eventLine(handle.id);
  return handle;
}

/** The ephemeral "what was wrong" follow-up a 👎 click sent. */
async function reasonPrompt(click: InteractionHandle) {
  const body = await click.followup(0);
  const message = h.fake
    .messagesIn()
    .find((m) => m.interaction_metadata?.id === click.id && m.content === body.content);
  if (!message) throw new Error("test: the 👎 left no follow-up");
  return { body, messageId: message.id };
}

describe("votes on an answer", () => {
  it("two members vote on one answer and change their votes; the buttons show the counts", async () => {
    const { reply, messageId } = await askAsNewUser(h, CEASEFIRE);
    // Its own row, the last: the answer's other buttons stay where they were.
    const rows = reply.components ?? [];
    expect(buttons({ components: rows.slice(-1) })).toEqual([
      { id: UP, label: "👍 0", disabled: false },
      { id: DOWN, label: "👎 0", disabled: false },
    ]);
    expect(buttons({ components: rows.slice(0, -1) }).map((b) => b.id)).toContain("pins:answer");
    const alice = h.newUser();
    const bob = h.newUser();

    const first = await vote(messageId, UP, alice);
    expect(await outcomeOf(first)).toBe("ok");
    // Acknowledged first (a deferred update), then the counts edited in place.
    expect(first.responseType).toBe(6);
    expect(voteLabels(messageId)).toEqual(["👍 1", "👎 0"]);

    await vote(messageId, UP, bob);
    expect(voteLabels(messageId)).toEqual(["👍 2", "👎 0"]);

    // Bob changes his mind: his vote moves, it is not counted twice.
    await vote(messageId, DOWN, bob);
    expect(voteLabels(messageId)).toEqual(["👍 1", "👎 1"]);

    // Alice clicks her own vote again: taken back, as a reaction is.
    const again = await vote(messageId, UP, alice);
    expect(await outcomeOf(again)).toBe("ok");
    expect(voteLabels(messageId)).toEqual(["👍 0", "👎 1"]);
    expect(again.followups()).toEqual([]);

    // The other rows of the answer are unchanged by the edits.
    const now = stored(messageId);
    expect(buttons({ components: (now.components ?? []).slice(0, -1) })).toEqual(
      buttons({ components: rows.slice(0, -1) }),
    );
    expect(await h.votes.voteOf(h.fake.guild.id, messageId, bob.id)).toBe("down");
    expect(await h.votes.voteOf(h.fake.guild.id, messageId, alice.id)).toBeUndefined();
  });

  it("two members clicking at once both count, and the buttons end on both votes", async () => {
    const { messageId } = await askAsNewUser(h, CEASEFIRE);
    // The first count edit is slow on the network: without the edits put in order, it would
    // land after the second's and show one vote.
    h.fake.delayNext({ method: "PATCH", path: /\/messages\/@original$/ }, 300);
    const clicks = [h.newUser(), h.newUser()].map((user) =>
      h.fake.sendButton({ customId: UP, message: messageId, user }),
    );
    await Promise.all(clicks.map((click) => h.logs.eventLine(click.id)));
    expect(voteLabels(messageId)).toEqual(["👍 2", "👎 0"]);
  });

  it("a private answer carries votes too, and they count", async () => {
    const asker = h.newUser();
    const handle = h.fake.sendSlashCommand({
      name: "ask",
      options: { question: CEASEFIRE, private: true },
      user: asker,
    });
    const reply = await handle.final();
    await h.logs.eventLine(handle.id);
    const messageId = handle.message()?.id;
    if (!messageId) throw new Error("test: no answer");
    expect(isEphemeral(stored(messageId))).toBe(true);
    expect(buttons(reply).map((b) => b.id)).toEqual([UP, DOWN]);

    await vote(messageId, DOWN, asker);
    expect(voteLabels(messageId)).toEqual(["👍 0", "👎 1"]);
    const [logged] = await h.votes.listQuestions(h.fake.guild.id, { sinceMs: 0 });
    expect(logged).toMatchObject({ messageId, outcome: "high", votes: { up: 0, down: 1 } });
  });

  it("an abstention and a refusal carry no votes", async () => {
    const { reply } = await askAsNewUser(h, "Who won the 1998 World Cup final?");
    expect(buttons(reply)).toEqual([]);
    const [logged] = await h.votes.listQuestions(h.fake.guild.id, { sinceMs: 0 });
    expect(logged).toMatchObject({ outcome: "abstained", confidence: "none" });
  });

  it("a vote on an answer the log does not know is refused privately, and nothing changes", async () => {
    const stranger = h.fake.seedMessage({
      fromBot: true,
      components: [
        {
          type: 1,
          components: [
            { type: 2, style: 2, label: "👍 0", custom_id: UP },
            { type: 2, style: 2, label: "👎 0", custom_id: DOWN },
          ],
        },
      ],
    });
    const click = await vote(stranger.id, UP, h.newUser());
    expect(await outcomeOf(click)).toBe("invalid");
    const told = await click.followup(0);
    expect(told.content).toBe(replies.voteNoRecord);
    expect(isEphemeral(told)).toBe(true);
    expect(voteLabels(stranger.id)).toEqual(["👍 0", "👎 0"]);
  });
});

describe("what was wrong", () => {
  it("a 👎 offers the reasons to the voter alone; the choice is kept, and a 👍 clears it", async () => {
    const { messageId } = await askAsNewUser(h, CEASEFIRE);
    const voter = h.newUser();
    const click = await vote(messageId, DOWN, voter);
    const prompt = await reasonPrompt(click);
    expect(prompt.body.content).toBe(replies.whatWasWrong);
    expect((prompt.body.flags ?? 0) & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(buttons(prompt.body).map((b) => b.label)).toEqual([
      "Wrong passage",
      "Outdated",
      "Not in the articles",
      "Other",
    ]);
    const outdated = buttons(prompt.body)[1]?.id;
    if (!outdated) throw new Error("test: no Outdated button");

    const choose = h.fake.sendButton({
      customId: outdated,
      message: prompt.messageId,
      user: voter,
    });
    expect(await outcomeOf(choose)).toBe("ok");
    expect(await choose.final()).toMatchObject({
      content: replies.reasonKept("Outdated"),
      components: [],
    });
    const reasons = async () =>
      (await h.votes.listQuestions(h.fake.guild.id, { sinceMs: 0 }))[0]?.reasons;
    expect(await reasons()).toEqual({ outdated: 1 });

    // Changed to 👍: the reason goes with the 👎, and no prompt comes.
    const up = await vote(messageId, UP, voter);
    expect(up.followups()).toEqual([]);
    expect(await reasons()).toEqual({});

    // A reason picked from the old prompt now: nothing is noted, and the voter is told why.
    const late = h.fake.sendButton({ customId: outdated, message: prompt.messageId, user: voter });
    expect(await outcomeOf(late)).toBe("invalid");
    expect((await late.final()).content).toBe(replies.reasonWithoutVote);
    expect(await reasons()).toEqual({});
  });

  it("a 👎 taken back sends no prompt", async () => {
    const { messageId } = await askAsNewUser(h, CEASEFIRE);
    const voter = h.newUser();
    await vote(messageId, DOWN, voter);
    const back = await vote(messageId, DOWN, voter);
    expect(back.followups()).toEqual([]);
    expect(voteLabels(messageId)).toEqual(["👍 0", "👎 0"]);
  });
});

describe("/pins list and the votes", () => {
  it("flags a pinned answer that answers led by it got 👎 from two members, not one", async () => {
    await addCeasefirePin();
    const led = await askAsNewUser(h, "How long is the ceasefire going to last?");
    const [logged] = await h.votes.listQuestions(h.fake.guild.id, { sinceMs: 0 });
    expect(logged).toMatchObject({ outcome: "pinned", pinId: 1 });

    await vote(led.messageId, DOWN, h.newUser());
    const once = pins("list", {}, { role: "member" });
    expect(descriptionLines(await once.final())[0]).not.toContain("⚠️");

    await vote(led.messageId, DOWN, h.newUser());
    const twice = pins("list", {}, { role: "member" });
    expect(descriptionLines(await twice.final())[0]).toMatch(/^\*\*#1\*\* .* · ⚠️ 2 👎 · 0 👍$/);
  });

  it("flags an answer pinned with its button once its own message gets more 👎 than 👍", async () => {
    const { messageId } = await askAsNewUser(h, CEASEFIRE);
    const pinning = h.fake.sendButton({
      customId: "pins:answer",
      message: messageId,
      role: "moderator",
      user: h.newUser(),
    });
    expect(await outcomeOf(pinning)).toBe("ok");
    for (const choice of [DOWN, DOWN, UP]) await vote(messageId, choice, h.newUser());

    const list = pins("list", {}, { role: "member" });
    expect(descriptionLines(await list.final())[0]).toMatch(/ · ⚠️ 2 👎 · 1 👍$/);

    await vote(messageId, UP, h.newUser());
    const even = pins("list", {}, { role: "member" });
    expect(descriptionLines(await even.final())[0]).not.toContain("⚠️");
  });
});
