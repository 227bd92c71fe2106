/**
 * Conversations end to end: the real bot on the fake Discord with a real database file in a temp
 * folder. "💬 Follow up" opens a thread on an answer (named after its question, within Discord's
 * 100), where every member's message is a follow-up, read with the thread's earlier turns (the
 * real answer service is spied on for what it receives) and kept as a turn; the turns outlive a
 * restart; a Q&A forum's posts are answered, then their follow-ups; bots are not answered;
 * channels where the bot may not open threads, and answers too old, are refused with a message.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PermissionFlagsBits } from "discord.js";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { AskOptions } from "../../src/answer/types.js";
import { replies } from "../../src/discord/format/replies.js";
import { FOLLOW_UP_ID } from "../../src/discord/threads/followUp.js";
import {
  answeredPrivately,
  askAsNewUser,
  customIds,
  embedText,
  type Harness,
  sentBodies,
  startHarness,
} from "./botHarness.js";
import { assertMessageWithinLimits } from "./limitsAssert.js";

const CEASEFIRE = "How long would the ceasefire last?";
/** Over Discord's 100 characters for a thread name, and still answered by the seed articles. */
const LONG_QUESTION =
  "How long would the ceasefire last, according to what the Kremlin said after the phone call between Putin and Trump this week?";
const FOLLOW_UP = "When would it start?";

let h: Harness;
let dir: string;

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "newsdesk-threads-e2e-"));
  h = await startHarness({
    qaChannel: true,
    databasePath: path.join(dir, "newsdesk.sqlite"),
    guilds: [
      {
        name: "Newsroom",
        channels: [
          { name: "general" },
          // The harness makes the second channel its Q&A channel: here, a forum.
          { name: "questions", kind: "forum" },
          { name: "locked", botDenied: PermissionFlagsBits.CreatePublicThreads.toString() },
          { name: "lounge", kind: "forum" },
        ],
      },
    ],
  });
});

afterEach(async () => {
  vi.restoreAllMocks();
  try {
    // Whatever a test did, every message the bot sent fits Discord and pings nobody, every
    // thread name fits, and it made no call the fake does not know.
    for (const { body } of sentBodies(h.fake)) {
      assertMessageWithinLimits(body);
      expect(body.allowed_mentions?.parse).toEqual([]);
      expect(body.allowed_mentions?.replied_user ?? false).toBe(false);
    }
    for (const thread of h.fake.threadsIn()) {
      expect(thread.name.length).toBeGreaterThan(0);
      expect(thread.name.length).toBeLessThanOrEqual(100);
    }
    expect(h.fake.unhandledRequests.map((r) => `${r.method} ${r.path}`)).toEqual([]);
  } finally {
    await h?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

function channel(index: number): string {
  const found = h.fake.guild.channels[index];
  if (!found) throw new Error(`test: no channel ${index}`);
  return found.id;
}

const forumId = () => channel(1);

/** The conversation's turns as stored now. */
const turns = (threadId: string) => h.conversations.turns(h.fake.guild.id, threadId, Date.now());

/** Clicks "Follow up" on a message as a new member; resolves once it is handled and logged. */
async function clickFollowUp(messageId: string) {
  const click = h.fake.sendButton({
    customId: FOLLOW_UP_ID,
    message: messageId,
    user: h.newUser(),
  });
  const told = await click.final();
  const line = await h.logs.eventLine(click.id);
  return { click, told, line };
}

/** Asks `question` publicly, clicks "Follow up" on the answer: the thread's id. */
async function openThread(question = CEASEFIRE): Promise<string> {
  const { messageId } = await askAsNewUser(h, question);
  await clickFollowUp(messageId);
  return messageId;
}

/** A new member says `content` in a channel; resolves with the bot's reply once it is logged. */
async function say(channelId: string, content: string) {
  const sent = h.fake.sendMessage({ content, channelId, user: h.newUser() });
  const reply = await sent.reply();
  const line = await h.logs.eventLine(sent.id);
  return { sent, reply, line };
}

/** The options the real answer service was asked `question` with, last time. */
function askedWith(spy: { mock: { calls: unknown[][] } }, question: string): AskOptions {
  const call = spy.mock.calls.findLast((args) => args[0] === question);
  if (!call) throw new Error(`test: the service was not asked "${question}"`);
  return call[1] as AskOptions;
}

describe("the Follow up button", () => {
  it("opens a thread on the answer, named after its question cut to 100, and points to it", async () => {
    const { reply, messageId } = await askAsNewUser(h, LONG_QUESTION);
    expect(customIds(reply)).toContain(FOLLOW_UP_ID);

    const { click, told, line } = await clickFollowUp(messageId);

    expect(await answeredPrivately(click)).toBe(true);
    expect(told.content).toBe(replies.followUpIn(messageId));
    expect(line).toMatchObject({ kind: "button", command: FOLLOW_UP_ID, outcome: "ok" });
    const [thread] = h.fake.threadsIn();
    expect(thread).toMatchObject({ id: messageId, parentId: h.fake.channel.id });
    expect(thread?.name.length).toBeLessThanOrEqual(100);
    expect(thread?.name).toMatch(/^How long would the ceasefire last, according to .*…$/);
    expect(LONG_QUESTION.startsWith(thread?.name.slice(0, -1) ?? "-")).toBe(true);
    // The thread says what it is for; its first turn is the answer it opened on.
    expect(h.fake.messagesIn(messageId).map((m) => m.content)).toEqual([replies.threadWelcome]);
    expect(await turns(messageId)).toEqual([
      expect.objectContaining({ question: LONG_QUESTION, answered: true }),
    ]);
    expect((await turns(messageId))[0]?.citations.length).toBeGreaterThan(0);
  });

  it("points a second click, anyone's, to the thread already there", async () => {
    const threadId = await openThread();

    const { told, line } = await clickFollowUp(threadId);

    expect(told.content).toBe(replies.followUpIn(threadId));
    expect(line.outcome).toBe("ok");
    expect(h.fake.threadsIn()).toHaveLength(1);
    const starts = h.fake.requests.filter(
      (r) => r.method === "POST" && r.path.endsWith("/threads"),
    );
    expect(starts).toHaveLength(1);
    expect(await turns(threadId)).toHaveLength(1);
  });

  it("opens one thread when two members click at once; both are pointed to it", async () => {
    const { messageId } = await askAsNewUser(h, CEASEFIRE);

    // Both clicks leave before the bot has opened anything: the second start is refused by
    // Discord (160004) and told where the thread is.
    const clicks = [0, 1].map(() =>
      h.fake.sendButton({ customId: FOLLOW_UP_ID, message: messageId, user: h.newUser() }),
    );
    const told = await Promise.all(clicks.map((click) => click.final()));

    expect(told.map((body) => body.content)).toEqual([
      replies.followUpIn(messageId),
      replies.followUpIn(messageId),
    ]);
    const starts = h.fake.requests.filter(
      (r) => r.method === "POST" && r.path.endsWith("/threads"),
    );
    expect(starts.map((r) => r.status).sort()).toEqual([201, 400]);
    expect(h.fake.threadsIn()).toHaveLength(1);
    await Promise.all(clicks.map((click) => h.logs.eventLine(click.id)));
    expect(await turns(messageId)).toHaveLength(1);
  });

  it("points to the thread even when its welcome line cannot be posted", async () => {
    const { messageId } = await askAsNewUser(h, CEASEFIRE);
    h.fake.failNext({ method: "POST", path: `/channels/${messageId}/messages` }, 403, {
      body: { message: "Missing Permissions", code: 50013 },
    });

    const { told, line } = await clickFollowUp(messageId);

    expect(told.content).toBe(replies.followUpIn(messageId));
    expect(line.outcome).toBe("ok");
    expect(h.fake.threadsIn()).toHaveLength(1);
    expect(await turns(messageId)).toHaveLength(1);
    expect((await h.logs.waitFor((l) => l.msg === "thread welcome failed")).level).toBe("warn");
  });

  it("is refused with a message where newsdesk may not open threads", async () => {
    const { reply, messageId } = await askAsNewUser(h, CEASEFIRE, channel(2));
    expect(customIds(reply)).toContain(FOLLOW_UP_ID);

    const { click, told, line } = await clickFollowUp(messageId);

    expect(await answeredPrivately(click)).toBe(true);
    expect(told.content).toBe(replies.followUpNoPermission);
    expect(line.outcome).toBe("forbidden");
    expect(h.fake.threadsIn()).toEqual([]);
  });

  it("is refused with a message on an answer too old to know its question", async () => {
    const old = h.fake.seedMessage({ fromBot: true, content: "an answer from long ago" });

    const { told, line } = await clickFollowUp(old.id);

    expect(told.content).toBe(replies.followUpTooOld);
    expect(line.outcome).toBe("invalid");
    expect(h.fake.threadsIn()).toEqual([]);
  });
});

describe("questions in a Follow up thread", () => {
  it("answers a member's message without a mention, with the conversation, and keeps its turn", async () => {
    const threadId = await openThread();
    const ask = vi.spyOn(h.services.answers, "ask");

    const { reply, line } = await say(threadId, FOLLOW_UP);

    expect(line).toMatchObject({ kind: "message", command: "thread", channelId: threadId });
    expect(reply.embeds?.length).toBeGreaterThan(0);
    // An answer in a thread can be pinned, not followed up in a thread of its own.
    expect(customIds(reply)).not.toContain(FOLLOW_UP_ID);
    expect(askedWith(ask, FOLLOW_UP).conversation).toEqual([
      expect.objectContaining({ question: CEASEFIRE, answered: true }),
    ]);
    expect((await turns(threadId)).map((turn) => turn.question)).toEqual([CEASEFIRE, FOLLOW_UP]);
  });

  it("reads a three-turn conversation in context: a follow-up answered that alone is refused, then a new subject", async () => {
    const { reply: first, messageId } = await askAsNewUser(
      h,
      "Who carried Putin's message to Trump?",
    );
    expect(embedText(first.embeds)).toContain("Steve Witkoff");
    await clickFollowUp(messageId);
    const threadId = messageId;

    // "he" is the envoy of the turn before: the thread stays with the article it cited.
    const { reply: second, line } = await say(threadId, "What did he bring back?");
    expect(second.content).toMatch(/^↪️ Follow-up on \*Kremlin Confirms Putin/);
    expect(embedText(second.embeds)).toContain("signals");
    expect(line.outcome).toBe("ok");
    // The same words asked on their own, in the channel, name nothing the articles answer.
    const alone = await say(channel(0), `${h.fake.botMention} What did he bring back?`);
    expect(alone.line.outcome).toBe("abstained");

    // A question with its own subject is searched afresh, and says so.
    const { reply: third } = await say(threadId, "How much did the bridge repair cost?");
    expect(third.content).toMatch(/^🔎 New subject/);
    expect((await turns(threadId)).map((turn) => turn.question)).toEqual([
      "Who carried Putin's message to Trump?",
      "What did he bring back?",
      "How much did the bridge repair cost?",
    ]);
  });

  it("takes /ask and a mention inside the thread as follow-ups too", async () => {
    const threadId = await openThread();
    const ask = vi.spyOn(h.services.answers, "ask");

    const command = h.fake.sendSlashCommand({
      name: "ask",
      options: { question: "What does Russia want in return?" },
      channelId: threadId,
      user: h.newUser(),
    });
    await command.final();
    await h.logs.eventLine(command.id);
    await say(threadId, `${h.fake.botMention} And Ukraine?`);

    expect(askedWith(ask, "What does Russia want in return?").conversation).toHaveLength(1);
    expect(askedWith(ask, "And Ukraine?").conversation).toHaveLength(2);
    expect((await turns(threadId)).map((turn) => turn.question)).toEqual([
      CEASEFIRE,
      "What does Russia want in return?",
      "And Ukraine?",
    ]);
  });

  it("keeps no turn of a private /ask in the thread, but reads it in context", async () => {
    const threadId = await openThread();
    const ask = vi.spyOn(h.services.answers, "ask");

    const command = h.fake.sendSlashCommand({
      name: "ask",
      options: { question: FOLLOW_UP, private: true },
      channelId: threadId,
      user: h.newUser(),
    });
    await command.final();
    await h.logs.eventLine(command.id);

    expect(askedWith(ask, FOLLOW_UP).conversation).toHaveLength(1);
    expect(await turns(threadId)).toHaveLength(1);
  });

  it("answers in context after a restart: a new bot on the same database file", async () => {
    const threadId = await openThread();
    await say(threadId, FOLLOW_UP);

    await h.restartBot();
    const ask = vi.spyOn(h.services.answers, "ask");
    const { line } = await say(threadId, "And Russia?");

    expect(line).toMatchObject({ command: "thread", outcome: expect.any(String) });
    expect(askedWith(ask, "And Russia?").conversation?.map((turn) => turn.question)).toEqual([
      CEASEFIRE,
      FOLLOW_UP,
    ]);
    expect(await turns(threadId)).toHaveLength(3);
  });

  it("answers neither its own messages nor other bots'", async () => {
    const threadId = await openThread();
    const botUser = h.fake.resolveUser({ username: "otherbot", bot: true });
    const fromBot = h.fake.sendMessage({ content: FOLLOW_UP, channelId: threadId, user: botUser });

    // Events are handled in order: once the member's message is answered, the bot's was seen.
    await say(threadId, "And Russia?");

    const inThread = h.fake.messagesIn(threadId);
    expect(inThread.some((m) => m.message_reference?.message_id === fromBot.id)).toBe(false);
    // The welcome line, the bot's, was not taken for a question either.
    const botReplies = inThread.filter((m) => m.author.id === h.fake.botUser.id);
    expect(botReplies.map((m) => m.message_reference?.message_id ?? "welcome")).toHaveLength(2);
    expect((await turns(threadId)).map((turn) => turn.question)).toEqual([
      CEASEFIRE,
      "And Russia?",
    ]);
  });
});

describe("forum posts in a Q&A forum", () => {
  it("answers a new post (its title and first message together), then follow-ups in it", async () => {
    const ask = vi.spyOn(h.services.answers, "ask");
    const post = h.fake.createForumPost({
      forumId: forumId(),
      title: "Ceasefire",
      content: "How long would it last?",
      user: h.newUser(),
    });

    const first = await post.reply();
    const line = await h.logs.eventLine(post.id);

    expect(line).toMatchObject({ command: "forum-post", channelId: post.threadId, outcome: "ok" });
    expect(first.embeds?.length).toBeGreaterThan(0);
    expect(customIds(first)).not.toContain(FOLLOW_UP_ID);
    expect(askedWith(ask, "Ceasefire\nHow long would it last?").conversation).toBeUndefined();
    expect((await turns(post.threadId)).map((turn) => turn.question)).toEqual([
      "Ceasefire\nHow long would it last?",
    ]);

    await say(post.threadId, FOLLOW_UP);

    expect(askedWith(ask, FOLLOW_UP).conversation).toHaveLength(1);
    expect(await turns(post.threadId)).toHaveLength(2);
  });

  it("leaves the posts of a forum not listed in QA_CHANNEL_IDS alone", async () => {
    const unlisted = h.fake.createForumPost({
      forumId: channel(3),
      title: "Ceasefire",
      content: "How long would it last?",
      user: h.newUser(),
    });
    const listed = h.fake.createForumPost({
      forumId: forumId(),
      title: "Ceasefire",
      content: "How long would it last?",
      user: h.newUser(),
    });

    // Events are handled in order: once the listed post is answered, the other was seen.
    await listed.reply();
    await h.logs.eventLine(listed.id);

    expect(h.fake.messagesIn(unlisted.threadId)).toHaveLength(1);
    expect(await turns(unlisted.threadId)).toEqual([]);
  });
});
