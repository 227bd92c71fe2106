import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Config } from "../../../src/config.js";
import { AnswerCache } from "../../../src/discord/ask/AnswerCache.js";
import {
  answerQuestion,
  parseMoreSources,
  recordReply,
  withoutRemovedCitations,
} from "../../../src/discord/ask/answerReply.js";
import { Cooldown } from "../../../src/discord/framework/Cooldown.js";
import type { CommandContext } from "../../../src/discord/framework/command.js";
import { PIN_ANSWER_ID } from "../../../src/discord/pins/pinning.js";
import { FOLLOW_UP_ID } from "../../../src/discord/threads/followUp.js";
import { createLogger } from "../../../src/log.js";
import type { PinStore } from "../../../src/pins/types.js";
import type { Services } from "../../../src/services.js";
import type { Database } from "../../../src/store/database.js";
import { MEMORY, openSqlite } from "../../../src/store/sqlite/SqliteDatabase.js";
import { storesOn } from "../../../src/stores.js";
import { testSources } from "../../support/liveSources.js";
import { LogCapture, seedServices } from "../botHarness.js";

describe("parseMoreSources", () => {
  it("reads the cache key and offset of a More sources custom_id", async () => {
    expect(parseMoreSources("ask:more:u5asZ5QZ:3")).toEqual({ key: "u5asZ5QZ", offset: 3 });
  });

  it("refuses anything else", async () => {
    for (const id of [
      "ask:more",
      "ask:more:key",
      "ask:more:key:x",
      "ask:more:a:b:3",
      "ask:more::3",
    ]) {
      expect(parseMoreSources(id)).toBeUndefined();
    }
  });
});

describe("withoutRemovedCitations", () => {
  const citation = (articleId: string, paragraph: number) => ({
    articleId,
    title: articleId,
    paragraph,
    score: 1,
    excerpt: "text",
    matchedTerms: [],
  });
  const cached = {
    articlesSearched: 3,
    answer: {
      question: "q",
      answered: true,
      confidence: "high" as const,
      citations: [
        citation("a", 1),
        citation("gone", 1),
        citation("b", 2),
        citation("gone", 2),
        citation("c", 1),
      ],
    },
  };
  const live = (c: { articleId: string }) => c.articleId !== "gone";

  it("drops the removed articles' citations from the offset on, keeping those already shown", async () => {
    const result = withoutRemovedCitations(cached as never, 2, live);
    expect(result.answer.citations.map((c) => `${c.articleId}${c.paragraph}`)).toEqual([
      "a1",
      "gone1",
      "b2",
      "c1",
    ]);
  });

  it("gives the same answer back when every citation is live", async () => {
    expect(withoutRemovedCitations(cached as never, 5, live)).toBe(cached);
    expect(withoutRemovedCitations(cached as never, 0, () => true)).toBe(cached);
  });
});

describe("answerQuestion and the pin store", () => {
  const CEASEFIRE = "How long would the ceasefire last?";
  const SEED_ID = "kremlin-putin-message-trump-ceasefire";
  const GUILD = "100000000000000001";
  const CHANNEL = "100000000000000002";
  let services: Services;
  let databases: Database[] = [];

  beforeAll(async () => {
    services = await seedServices();
  });

  afterEach(async () => {
    await Promise.all(databases.map((database) => database.close()));
    databases = [];
  });

  async function context(pins?: PinStore) {
    const logs = new LogCapture();
    const log = createLogger({ level: "debug", destination: logs.stream });
    const database = await openSqlite(MEMORY);
    databases.push(database);
    // The pin store may be a broken one; the other stores are these tests' background.
    const stores = storesOn(database, log);
    const store = pins ?? stores.pins;
    const ctx: CommandContext = {
      services,
      config: {} as Config,
      log,
      cooldown: new Cooldown({ questions: 5, perSeconds: 60 }),
      answerCache: new AnswerCache(),
      pins: store,
      sources: testSources(stores.feeds),
      conversations: stores.conversations,
      votes: stores.votes,
      now: () => 1_700_000_000_000,
    };
    return { ctx, logs, store };
  }

  const where = { guildId: GUILD, channelId: CHANNEL };

  it("leads an answer in a conversation with how the follow-up was read (Answer.followUp)", async () => {
    const { ctx } = await context();
    const real = services.answers.ask.bind(services.answers);
    // The reading is the answer service's; here only its formatting into the reply is tested.
    const ask = vi.spyOn(services.answers, "ask").mockImplementation((question, options) => ({
      ...real(question, options),
      followUp: {
        searched: "when would the ceasefire start",
        fresh: false,
        stayedWith: { articleId: SEED_ID, title: "Kremlin *confirms*" },
      },
    }));
    try {
      const reply = await answerQuestion(ctx, "When would it start?", {
        ...where,
        conversationId: "100000000000000009",
        inThread: true,
      });
      if (reply.outcome === "invalid") throw new Error("unreachable");
      expect(reply.content).toBe(
        "↪️ Follow-up on *Kremlin \\*confirms\\**: searched “when would the ceasefire start”",
      );
    } finally {
      ask.mockRestore();
    }
    // An answer read on its own has no such line.
    expect(await answerQuestion(ctx, CEASEFIRE, where)).not.toHaveProperty("content");
  });

  it("a public answer in a server carries the Pin and Follow up buttons and is pinnable; a private one is not; both end with a row of votes", async () => {
    const { ctx } = await context();
    const shown = await answerQuestion(ctx, CEASEFIRE, where);
    const hidden = await answerQuestion(ctx, CEASEFIRE, { ...where, private: true });
    const direct = await answerQuestion(ctx, CEASEFIRE, { guildId: null, channelId: CHANNEL });

    expect(shown.outcome).toBe("ok");
    if (shown.outcome === "invalid") throw new Error("unreachable");
    const ids = (rows: typeof shown.components) =>
      rows.map((row) => row.components.map((b) => "custom_id" in b && b.custom_id));
    const votes = ["ask:vote:up", "ask:vote:down"];
    expect(ids(shown.components)).toEqual([[PIN_ANSWER_ID, FOLLOW_UP_ID], votes]);
    expect(shown.plan).toMatchObject({ kind: "answered", pinnable: true });
    // In a thread, no thread can be opened on the answer: it can still be pinned and voted on.
    const inThread = await answerQuestion(ctx, CEASEFIRE, { ...where, inThread: true });
    if (inThread.outcome === "invalid") throw new Error("unreachable");
    expect(ids(inThread.components)).toEqual([[PIN_ANSWER_ID], votes]);
    if (hidden.outcome === "invalid" || direct.outcome === "invalid") {
      throw new Error("unreachable");
    }
    // Only a server keeps the question log that votes count on.
    expect(ids(hidden.components)).toEqual([votes]);
    expect(direct.components).toEqual([]);
    for (const reply of [hidden, direct]) {
      expect(reply.plan).toMatchObject({ kind: "answered", pinnable: false });
    }
  });

  it("records an abstention for the server once the reply is sent, and nothing outside a server", async () => {
    const { ctx, store } = await context();
    const abstained = await answerQuestion(ctx, "Who won the 1998 World Cup final?", where);
    expect(abstained.outcome).toBe("abstained");
    expect((await store.listUnanswered(GUILD, { page: 1, pageSize: 10 })).items).toEqual([]);
    recordReply(ctx, abstained);
    recordReply(
      ctx,
      await answerQuestion(ctx, "Who won the 1998 World Cup final?", {
        guildId: null,
        channelId: CHANNEL,
      }),
    );

    const listed = await store.listUnanswered(GUILD, { page: 1, pageSize: 10 });
    expect(listed.items).toEqual([
      {
        question: "Who won the 1998 World Cup final?",
        channelId: CHANNEL,
        count: 1,
        uncertain: 0,
        lastAskedAt: 1_700_000_000_000,
      },
    ]);
  });

  it("a question about one article is led only by a pin that cites that article", async () => {
    const { ctx, store } = await context();
    const [citation] = services.answers.ask(CEASEFIRE).citations;
    if (!citation) throw new Error("test: the seed question has no answer");
    await store.addPin({
      guildId: GUILD,
      channelId: CHANNEL,
      messageId: "100000000000000003",
      question: CEASEFIRE,
      citations: [{ ...citation, articleId: "another-article" }],
      pinnedBy: "100000000000000004",
      pinnedAt: 1,
    });

    const anywhere = await answerQuestion(ctx, CEASEFIRE, where);
    const inSeed = await answerQuestion(ctx, CEASEFIRE, { ...where, articleId: SEED_ID });

    expect(anywhere.outcome !== "invalid" && anywhere.plan.kind === "answered").toBe(true);
    expect(
      anywhere.outcome !== "invalid" && "pinned" in anywhere.plan && anywhere.plan.pinned?.pin.id,
    ).toBe(1);
    expect(inSeed.outcome !== "invalid" && "pinned" in inSeed.plan).toBe(false);
  });

  it("a failing store is logged and answered around: the articles still answer", async () => {
    const broken = new Proxy({} as PinStore, {
      get: () => () => {
        throw new Error("SQLITE_IOERR: disk I/O error");
      },
    });
    const { ctx, logs } = await context(broken);

    const reply = await answerQuestion(ctx, CEASEFIRE, where);
    const abstained = await answerQuestion(ctx, "Who won the 1998 World Cup final?", where);
    if (reply.outcome === "invalid") throw new Error("unreachable");
    recordReply(ctx, reply, { id: "100000000000000005", channelId: CHANNEL });
    recordReply(ctx, abstained);

    expect(reply.outcome).toBe("ok");
    expect("pinned" in reply.plan).toBe(false);
    expect(abstained.outcome).toBe("abstained");
    for (const doing of [
      "looking up pinned answers",
      "recording an unanswered question",
      "recording a sent answer",
    ]) {
      const line = await logs.waitFor((l) => l.msg === `pins: failed ${doing}`);
      expect(line.level).toBe("error");
    }
  });
});
