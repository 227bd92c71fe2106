/**
 * Unexpected failures end to end: a handler that throws gets the user an ephemeral message with
 * a reference that is in the log beside the error, and the bot goes on answering; a failing
 * error reply is only logged.
 */

import { MessageFlags } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AnswerService } from "../../src/answer/answerService.js";
import type { Answer, AskOptions } from "../../src/answer/types.js";
import { startBot } from "../../src/discord/framework/bot.js";
import { createLogger } from "../../src/log.js";
import { MEMORY, openSqlite } from "../../src/store/sqlite/SqliteDatabase.js";
import { storesOn } from "../../src/stores.js";
import { FakeDiscord } from "../support/fakeDiscord.js";
import { testSources } from "../support/liveSources.js";
import {
  embedText,
  type Harness,
  LogCapture,
  seedServices,
  startHarness,
  testConfig,
} from "./botHarness.js";

/** The answer service, except that a question containing "explode" throws. */
class ExplodingAnswers extends AnswerService {
  override ask(question: string, options?: AskOptions): Answer {
    if (question.includes("explode")) throw new Error("kaboom: the index is corrupted");
    return super.ask(question, options);
  }
}

const CEASEFIRE = "How long would the ceasefire last?";

let h: Harness;

beforeAll(async () => {
  const seed = await seedServices();
  const services = { ...seed, answers: new ExplodingAnswers(seed.answers.library) };
  h = await startHarness({ services, cooldown: { questions: 100, perSeconds: 60 } });
});

afterAll(async () => {
  await h?.stop();
});

/** The reference in an error message: `...reference: \`abcd1234\``. */
function referenceIn(content: string | undefined): string {
  const ref = /reference: `([0-9a-f]+)`/.exec(content ?? "")?.[1];
  if (!ref) throw new Error(`no reference in ${JSON.stringify(content)}`);
  return ref;
}

describe("an error in a handler", () => {
  it("answers the asker with a reference that the log has beside the error; the next /ask works", async () => {
    const failing = h.fake.sendSlashCommand({ name: "ask", options: { question: "explode now" } });

    const reply = await failing.final();
    const ref = referenceIn(reply.content);

    expect(((reply.flags ?? 0) & MessageFlags.Ephemeral) !== 0).toBe(true);
    expect(reply.allowed_mentions).toEqual({ parse: [] });
    expect(failing.message()).toBeUndefined(); // the public "thinking…" was removed
    const logged = await h.logs.waitFor((line) => line.ref === ref);
    expect(logged).toMatchObject({
      level: "error",
      command: "ask",
      err: expect.objectContaining({ message: "kaboom: the index is corrupted" }),
    });
    expect(await h.logs.eventLine(failing.id)).toMatchObject({ outcome: "error" });

    const next = await h.fake
      .sendSlashCommand({ name: "ask", options: { question: CEASEFIRE } })
      .final();
    expect(embedText(next.embeds)).toContain("30-day");
  });

  it("replies to a message question with the reference", async () => {
    const sent = h.fake.sendMessage({ content: `${h.fake.botMention} explode please` });

    const reply = await sent.reply();
    const ref = referenceIn(reply.content);

    expect(reply.allowed_mentions).toEqual({ parse: [], replied_user: false });
    await h.logs.waitFor((line) => line.ref === ref && line.level === "error");
    expect((await h.logs.eventLine(sent.id)).outcome).toBe("error");
  });

  it("only logs an error reply that fails too, and keeps answering", async () => {
    // Every attempt of the error follow-up fails (discord.js retries a 500 three times).
    h.fake.failNext({ method: "POST", pathPrefix: "/webhooks/" }, 500, { times: 4 });
    const failing = h.fake.sendSlashCommand({
      name: "ask",
      options: { question: "explode again" },
    });

    const warned = await h.logs.waitFor(
      (line) => line.msg === "error reply failed" && line.id === failing.id,
    );
    expect(warned.level).toBe("warn");
    expect((await h.logs.eventLine(failing.id)).outcome).toBe("error");

    const next = await h.fake
      .sendSlashCommand({ name: "ask", options: { question: CEASEFIRE } })
      .final();
    expect(embedText(next.embeds)).toContain("30-day");
  });

  it("answers a modal's question that throws with the reference, removing its public thinking", async () => {
    const article = h.services.library.list(h.fake.guild.id)[0];
    if (!article) throw new Error("the seed library is empty");
    const failing = h.fake.sendModalSubmit({
      customId: `ask:about:${article.id}`,
      values: { question: "explode in the modal" },
    });

    const reply = await failing.final();
    const ref = referenceIn(reply.content);

    expect(failing.responseType).toBe(5);
    expect(((reply.flags ?? 0) & MessageFlags.Ephemeral) !== 0).toBe(true);
    expect(failing.message()).toBeUndefined();
    await h.logs.waitFor((line) => line.ref === ref && line.level === "error");
    expect(await h.logs.eventLine(failing.id)).toMatchObject({
      kind: "modal",
      command: "ask:about",
      outcome: "error",
    });
  });

  it("answers an unknown command and a stale button without an error", async () => {
    const command = h.fake.sendSlashCommand({ name: "retired" });
    const button = h.fake.sendButton({ customId: "gone:button" });

    expect((await command.final()).content).toContain("not available any more");
    expect((await button.final()).content).toContain("no longer works");
    expect(await h.logs.eventLine(command.id)).toMatchObject({
      command: "retired",
      outcome: "invalid",
    });
    expect(await h.logs.eventLine(button.id)).toMatchObject({
      command: "unknown",
      outcome: "invalid",
    });
  });
});

describe("startBot", () => {
  /**
   * Starts the bot on `fake` with `token` and an in-memory store, for a start that fails: it
   * rejects as startBot does, and the stores are closed once startBot settles, even when it
   * resolves (a bot that started would be left on closed stores, so it is not returned).
   */
  async function startOn(fake: FakeDiscord, token: string, logs: LogCapture): Promise<void> {
    const log = createLogger({ level: "debug", destination: logs.stream });
    const stores = storesOn(await openSqlite(MEMORY), log);
    try {
      await startBot({
        config: testConfig(fake, { discord: { token } }),
        services: await seedServices(),
        pins: stores.pins,
        sources: testSources(stores.feeds),
        conversations: stores.conversations,
        votes: stores.votes,
        commands: [],
        log,
      });
    } finally {
      await stores.close();
    }
  }

  it("rejects when Discord refuses the token, leaving nothing running", async () => {
    const fake = await FakeDiscord.start({ token: "right-token" });
    const logs = new LogCapture();
    try {
      await expect(startOn(fake, "wrong-token", logs)).rejects.toThrow(/token/i);
      expect(fake.gatewayConnections).toBe(0);
      expect(logs.text.join("\n")).not.toContain("wrong-token");
    } finally {
      await fake.stop();
    }
  });

  it("rejects at once, naming the setting to turn on, when the Message Content intent is not enabled", async () => {
    const fake = await FakeDiscord.start({ token: "right-token", messageContentIntent: false });
    const logs = new LogCapture();
    try {
      await expect(startOn(fake, "right-token", logs)).rejects.toThrow(
        /Message Content Intent.*Developer Portal/,
      );
      // One refused IDENTIFY, no retry, nothing left connected.
      expect(fake.gatewayConnections).toBe(1);
      expect(fake.identifies).toBe(0);
      expect(fake.gatewayLive).toBe(false);
    } finally {
      await fake.stop();
    }
  });
});
