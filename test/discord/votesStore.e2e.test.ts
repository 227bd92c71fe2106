/**
 * 👍/👎 end to end with the database a real file (issue 14): a vote the database cannot keep
 * is refused to the voter alone and the counts stay as they were; votes survive a restart; an
 * answer to a mention carries votes as `/ask`'s do.
 */
import { rm } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeTempDir, removeTempDir } from "../pins/fixtures.js";
import type { InteractionHandle, MessageBody } from "../support/fakeDiscord.js";
import { askAsNewUser, type Harness, isEphemeral, sentBodies, startHarness } from "./botHarness.js";
import { assertMessageWithinLimits } from "./limitsAssert.js";

const CEASEFIRE = "How long would the ceasefire last?";
const UP = "ask:vote:up";
const DOWN = "ask:vote:down";

let dir: string;
let h: Harness;

beforeEach(async () => {
  dir = await makeTempDir();
  h = await startHarness({ databasePath: path.join(dir, "var", "newsdesk.sqlite") });
});

afterEach(async () => {
  try {
    for (const { body } of sentBodies(h.fake)) assertMessageWithinLimits(body);
    expect(h.fake.unhandledRequests.map((r) => `${r.method} ${r.path}`)).toEqual([]);
    await h.stop();
  } finally {
    await removeTempDir(dir);
  }
});

/** The labels of the vote buttons message `messageId` shows now. */
function voteLabels(messageId: string): string[] {
  const message = h.fake.message(messageId);
  if (!message) throw new Error(`test: no message ${messageId}`);
  return (message.components ?? []).flatMap((row) =>
    "components" in row
      ? (row.components as { custom_id?: string; label?: string }[])
          .filter((b) => b.custom_id === UP || b.custom_id === DOWN)
          .map((b) => b.label ?? "")
      : [],
  );
}

async function vote(messageId: string, customId: string, user = h.newUser()) {
  const handle: InteractionHandle = h.fake.sendButton({ customId, message: messageId, user });
  const line = await h.logs.eventLine(handle.id);
  return { handle, outcome: line.outcome };
}

describe("a database that cannot keep a vote", () => {
  it("tells the voter alone, in one line, and leaves the counts as they were", async () => {
    const { messageId } = await askAsNewUser(h, CEASEFIRE);
    await vote(messageId, UP);
    expect(voteLabels(messageId)).toEqual(["👍 1", "👎 0"]);
    const editsBefore = h.fake.requests.filter((r) => r.method === "PATCH").length;

    // The database's folder is deleted while the bot runs: nothing written now would be kept.
    await rm(path.join(dir, "var"), { recursive: true, force: true });
    const { handle, outcome } = await vote(messageId, DOWN);

    expect(outcome).toBe("invalid");
    expect(handle.responseType).toBe(6);
    const told: MessageBody = await handle.followup(0);
    expect(isEphemeral(told)).toBe(true);
    expect(told.content).toMatch(/^Your vote was not counted: the database cannot keep it\./);
    expect(told.content?.split("\n")).toHaveLength(1);
    expect(told.content).toContain("is gone");
    expect(voteLabels(messageId)).toEqual(["👍 1", "👎 0"]);
    expect(h.fake.requests.filter((r) => r.method === "PATCH").length).toBe(editsBefore);
    expect(handle.followups()).toHaveLength(1);
  });
});

describe("votes on the database file", () => {
  it("are a member's still after a restart: a second click takes the vote back", async () => {
    const { messageId } = await askAsNewUser(h, CEASEFIRE);
    const member = h.newUser();
    await vote(messageId, UP, member);
    await h.restartBot();
    expect((await vote(messageId, UP, member)).outcome).toBe("ok");
    expect(voteLabels(messageId)).toEqual(["👍 0", "👎 0"]);
  });

  it("an answer to a mention carries votes, and they count", async () => {
    const sent = h.fake.sendMessage({
      content: `${h.fake.botMention} ${CEASEFIRE}`,
      user: h.newUser(),
    });
    await h.logs.eventLine(sent.message.id);
    const answer = h.fake
      .messagesIn()
      .find((m) => m.message_reference?.message_id === sent.message.id);
    if (!answer) throw new Error("test: the mention got no reply");
    expect(voteLabels(answer.id)).toEqual(["👍 0", "👎 0"]);
    await vote(answer.id, UP);
    expect(voteLabels(answer.id)).toEqual(["👍 1", "👎 0"]);
    const [logged] = await h.votes.listQuestions(h.fake.guild.id, { sinceMs: 0 });
    expect(logged).toMatchObject({ messageId: answer.id, votes: { up: 1, down: 0 } });
  });
});
