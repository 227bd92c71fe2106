import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  type AnswerPolicyContext,
  CITATIONS_KEPT,
  planAnswer,
  recordAfterReply,
} from "../../src/answer/answerPolicy.js";
import { AnswerService } from "../../src/answer/answerService.js";
import { loadCorpus } from "../../src/corpus/loadCorpus.js";
import { loadWordNet } from "../../src/lexicon/wordnet.js";
import { createLogger } from "../../src/log.js";
import { DEFAULT_DATA_DIR } from "../../src/paths.js";
import { SqlPinStore } from "../../src/pins/SqlPinStore.js";
import type { PinStore } from "../../src/pins/types.js";
import type { Database } from "../../src/store/database.js";
import { MEMORY, openSqlite } from "../../src/store/sqlite/SqliteDatabase.js";
import { ConversationStore } from "../../src/threads/ConversationStore.js";
import { VoteStore } from "../../src/votes/VoteStore.js";
import { LogCapture } from "../discord/botHarness.js";

const GUILD = "100000000000000001";
const CHANNEL = "100000000000000002";
const NOW = 1_700_000_000_000;
const CEASEFIRE = "How long would the ceasefire last?";
const OFF_TOPIC = "Who won the 1998 World Cup final?";
const where = { guildId: GUILD, channelId: CHANNEL };

let answers: AnswerService;
let database: Database | undefined;
let store: PinStore;
let logs: LogCapture;
let questions: VoteStore;

beforeAll(async () => {
  const corpus = await loadCorpus(DEFAULT_DATA_DIR);
  answers = new AnswerService(corpus.articles, { thesaurus: loadWordNet() });
});

afterEach(() => database?.close());

async function context(pins?: PinStore): Promise<AnswerPolicyContext> {
  database = await openSqlite(MEMORY);
  logs = new LogCapture();
  const log = createLogger({ level: "error", destination: logs.stream });
  store = new SqlPinStore(database, log);
  questions = new VoteStore(database, log);
  return {
    answers,
    pins: pins ?? store,
    questions,
    log,
    now: () => NOW,
  };
}

describe("planAnswer", () => {
  it("answers from the articles, pinnable and to be kept when public in a server", async () => {
    const plan = await planAnswer(await context(), CEASEFIRE, where);
    expect(plan.kind).toBe("answered");
    if (plan.kind !== "answered") return;
    expect(plan.answer.citations[0]?.paragraph).toBe(4);
    expect(plan.answer.citations.length).toBeLessThanOrEqual(CITATIONS_KEPT);
    expect(plan.pinnable).toBe(true);
    expect(plan.answer.confidence).toBe("high");
    expect(plan.records).toEqual([
      expect.objectContaining({ kind: "answer", guildId: GUILD, question: CEASEFIRE }),
    ]);
  });

  it("keeps nothing of a private answer or one outside a server", async () => {
    const ctx = await context();
    for (const plan of [
      await planAnswer(ctx, CEASEFIRE, { ...where, private: true }),
      await planAnswer(ctx, CEASEFIRE, { guildId: null, channelId: CHANNEL }),
    ]) {
      expect(plan).toMatchObject({ kind: "answered", pinnable: false, records: [] });
    }
  });

  it("leads with a matching pin and drops the citations the pin already quotes", async () => {
    const ctx = await context();
    const [first] = answers.ask(CEASEFIRE).citations;
    if (!first) throw new Error("test: the seed question has no answer");
    await store.addPin({
      guildId: GUILD,
      channelId: CHANNEL,
      question: CEASEFIRE,
      citations: [first],
      pinnedBy: "100000000000000004",
      pinnedAt: 1,
    });
    const plan = await planAnswer(ctx, "How long is the ceasefire going to last?", where);
    expect(plan.kind).toBe("answered");
    if (plan.kind !== "answered") return;
    expect(plan.pinned?.pin.id).toBe(1);
    expect(plan.pinnable).toBe(false);
    expect(plan.records).toEqual([]);
    expect(plan.answer.citations.some((c) => c.paragraph === first.paragraph)).toBe(false);
    // Another server's pins are not this one's.
    expect(
      await planAnswer(ctx, CEASEFIRE, { ...where, guildId: "100000000000000009" }),
    ).not.toHaveProperty("pinned");
  });

  it("abstains with the closest articles and an unanswered record, stored only after the reply", async () => {
    const ctx = await context();
    const plan = await planAnswer(ctx, OFF_TOPIC, where);
    expect(plan.kind).toBe("abstained");
    if (plan.kind !== "abstained") return;
    expect(plan.records).toEqual([
      {
        kind: "unanswered",
        question: { guildId: GUILD, channelId: CHANNEL, question: OFF_TOPIC, at: NOW },
      },
    ]);
    expect((await store.listUnanswered(GUILD, { page: 1, pageSize: 10 })).total).toBe(0);

    recordAfterReply(ctx, plan);
    expect((await store.listUnanswered(GUILD, { page: 1, pageSize: 10 })).items).toEqual([
      { question: OFF_TOPIC, channelId: CHANNEL, count: 1, uncertain: 0, lastAskedAt: NOW },
    ]);
  });

  it("gives the answer service's expected failures as invalid, with their code", async () => {
    const ctx = await context();
    expect(await planAnswer(ctx, "  ?! ", where)).toEqual({
      kind: "invalid",
      code: "EMPTY_QUESTION",
    });
    expect(await planAnswer(ctx, CEASEFIRE, { ...where, articleId: "nope" })).toEqual({
      kind: "invalid",
      code: "UNKNOWN_ARTICLE",
    });
  });
});

describe("recordAfterReply", () => {
  it("logs every question asked in a server once its reply is sent, public or private, with what it got", async () => {
    const ctx = await context();
    const [first] = answers.ask(CEASEFIRE).citations;
    if (!first) throw new Error("test: the seed question has no answer");
    const answered = await planAnswer(ctx, CEASEFIRE, where);
    const hidden = await planAnswer(ctx, CEASEFIRE, { ...where, private: true });
    const abstained = await planAnswer(ctx, OFF_TOPIC, where);
    const direct = await planAnswer(ctx, CEASEFIRE, { guildId: null, channelId: CHANNEL });
    expect(await questions.listQuestions(GUILD, { sinceMs: 0 })).toEqual([]);
    recordAfterReply(ctx, answered, { channelId: CHANNEL, messageId: "11" }, 2);
    recordAfterReply(ctx, hidden, { channelId: CHANNEL, messageId: "12" }, 2);
    recordAfterReply(ctx, abstained);
    recordAfterReply(ctx, direct, { channelId: CHANNEL, messageId: "13" });
    const pin = await store.addPin({
      guildId: GUILD,
      channelId: CHANNEL,
      question: CEASEFIRE,
      citations: [first],
      pinnedBy: "100000000000000004",
      pinnedAt: 1,
    });
    recordAfterReply(ctx, await planAnswer(ctx, CEASEFIRE, where), {
      channelId: CHANNEL,
      messageId: "14",
    });

    const logged = await questions.listQuestions(GUILD, { sinceMs: 0 });
    expect(logged.map((q) => [q.messageId, q.outcome, q.confidence, q.pinId])).toEqual([
      ["11", "high", "high", undefined],
      ["12", "high", "high", undefined],
      [undefined, "abstained", "none", undefined],
      ["14", "pinned", expect.any(String), pin.id],
    ]);
    // The citations the reply showed: two here, as the surface said; the pin's first.
    expect(logged[0]?.citations).toEqual(
      answered.kind === "answered"
        ? answered.answer.citations
            .slice(0, 2)
            .map(({ articleId, title, paragraph }) => ({ articleId, title, paragraph }))
        : [],
    );
    expect(logged[2]?.citations).toEqual([]);
    expect(logged[3]?.citations[0]).toEqual({
      articleId: first.articleId,
      title: first.title,
      paragraph: first.paragraph,
    });
    expect(logged.every((q) => q.at === NOW && q.channelId === CHANNEL)).toBe(true);
  });

  it("keeps a public answer under the message it was sent as, so it can be pinned", async () => {
    const ctx = await context();
    const plan = await planAnswer(ctx, CEASEFIRE, where);
    recordAfterReply(ctx, plan, { channelId: CHANNEL, messageId: "100000000000000005" });
    expect(await store.getAnswer(GUILD, "100000000000000005")).toMatchObject({
      question: CEASEFIRE,
      channelId: CHANNEL,
      answeredAt: NOW,
    });
  });

  it("never throws when the store fails, and logs it: the asker already has the answer", async () => {
    const broken = new Proxy({} as PinStore, {
      get: () => () => {
        throw new Error("SQLITE_IOERR: disk I/O error");
      },
    });
    const ctx = await context(broken);
    const answered = await planAnswer(ctx, CEASEFIRE, where);
    const abstained = await planAnswer(ctx, OFF_TOPIC, where);
    expect(answered.kind).toBe("answered");
    expect(() =>
      recordAfterReply(ctx, answered, { channelId: CHANNEL, messageId: "1" }),
    ).not.toThrow();
    expect(() => recordAfterReply(ctx, abstained)).not.toThrow();
    for (const doing of [
      "looking up pinned answers",
      "recording a sent answer",
      "recording an unanswered question",
    ]) {
      expect((await logs.waitFor((l) => l.msg === `pins: failed ${doing}`)).level).toBe("error");
    }
  });
});

describe("planAnswer in a conversation", () => {
  const THREAD = "100000000000000007";
  const inThread = { ...where, conversationId: THREAD };

  async function withConversations() {
    const ctx = await await context();
    const conversations = new ConversationStore(database as Database);
    return { ctx: { ...ctx, conversations }, conversations };
  }

  it("gives the thread's earlier turns to the answer service, and keeps the new turn after the reply", async () => {
    const { ctx, conversations } = await withConversations();
    const first = {
      question: CEASEFIRE,
      searched: CEASEFIRE,
      citations: [{ articleId: "ceasefire", paragraph: 4 }],
      answered: true,
    };
    await conversations.recordTurn({ guildId: GUILD, threadId: THREAD, turn: first, at: NOW });
    const ask = vi.spyOn(answers, "ask");
    try {
      const plan = await planAnswer(ctx, "When would it start?", inThread);
      expect(ask).toHaveBeenCalledWith(
        "When would it start?",
        expect.objectContaining({ conversation: [first], guildId: GUILD }),
      );
      if (plan.kind === "invalid") throw new Error("unreachable");
      const turn = plan.records.find((record) => record.kind === "turn");
      expect(turn).toMatchObject({
        guildId: GUILD,
        threadId: THREAD,
        turn: { question: "When would it start?", answered: plan.answer.answered },
      });
      // Nothing is stored before the reply.
      expect(await conversations.turns(GUILD, THREAD, NOW)).toHaveLength(1);
      recordAfterReply(ctx, plan, { channelId: THREAD, messageId: "100000000000000008" });
      expect((await conversations.turns(GUILD, THREAD, NOW)).map((t) => t.question)).toEqual([
        CEASEFIRE,
        "When would it start?",
      ]);
    } finally {
      ask.mockRestore();
    }
  });

  it("asks without a conversation outside a thread, and keeps no turn of a private answer", async () => {
    const { ctx } = await withConversations();
    const ask = vi.spyOn(answers, "ask");
    try {
      await planAnswer(ctx, CEASEFIRE, where);
      expect(ask.mock.calls[0]?.[1]).not.toHaveProperty("conversation");
      const hidden = await planAnswer(ctx, CEASEFIRE, { ...inThread, private: true });
      if (hidden.kind === "invalid") throw new Error("unreachable");
      expect(hidden.records.some((record) => record.kind === "turn")).toBe(false);
    } finally {
      ask.mockRestore();
    }
  });

  it("records the turn of an abstention too, so the next question knows it went unanswered", async () => {
    const { ctx } = await withConversations();
    const plan = await planAnswer(ctx, OFF_TOPIC, inThread);
    expect(plan.kind).toBe("abstained");
    if (plan.kind !== "abstained") return;
    expect(plan.records).toContainEqual(
      expect.objectContaining({ kind: "turn", turn: expect.objectContaining({ answered: false }) }),
    );
  });
});
