/**
 * The pin store's contract, on every engine (SQLite in a temp folder, PostgreSQL on the test
 * server): each test on a fresh database.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/log.js";
import { SqlPinStore } from "../../src/pins/SqlPinStore.js";
import { ANSWER_RETENTION_MS } from "../../src/pins/types.js";
import type { Database } from "../../src/store/database.js";
import { MEMORY, openSqlite } from "../../src/store/sqlite/SqliteDatabase.js";
import { ENGINES, type TestDatabase } from "../support/engines.js";
import {
  CHANNEL,
  CITATION,
  CITATION_WITHOUT_URL,
  GUILD,
  MODERATOR,
  makeTempDir,
  newPin,
  OTHER_GUILD,
  removeTempDir,
  sentAnswer,
} from "./fixtures.js";

const quiet = createLogger({ level: "error" });

describe("the pin store's SQLite file", () => {
  it("is created with its folder", async () => {
    const dir = await makeTempDir();
    try {
      // A folder that does not exist yet: opening creates it.
      const file = path.join(dir, "var", "newsdesk.sqlite");
      const database = await openSqlite(file, { log: quiet });
      await database.close();
      expect(existsSync(file)).toBe(true);
    } finally {
      await removeTempDir(dir);
    }
  });

  it("works in memory, for tests and the command line", async () => {
    const database = await openSqlite(MEMORY, { log: quiet });
    const memory = new SqlPinStore(database, quiet);
    const pin = await memory.addPin(newPin("Who is Steve Witkoff?"));
    expect(await memory.getPin(GUILD, pin.id)).toEqual(pin);
    await database.close();
  });
});

describe.each(ENGINES)("the pin store on $name", (engine) => {
  let fresh: TestDatabase;
  let database: Database;
  let store: SqlPinStore;

  /** Another connection to the same database, as another shard or host has. */
  const another = async () => new SqlPinStore(await fresh.open(), quiet);

  beforeEach(async () => {
    fresh = await engine.fresh();
    database = await fresh.open();
    store = new SqlPinStore(database, quiet);
  });

  afterEach(async () => {
    await store.close();
    await fresh.remove();
  });

  describe("pins", () => {
    it("stores a pin with everything it was given, and gets it back by id and by message", async () => {
      const pin = await store.addPin(
        newPin("How long would the ceasefire last?", { messageId: "9001" }),
      );
      expect(pin).toEqual({
        id: pin.id,
        guildId: GUILD,
        channelId: CHANNEL,
        messageId: "9001",
        question: "How long would the ceasefire last?",
        citations: [CITATION],
        pinnedBy: MODERATOR,
        pinnedAt: Date.UTC(2026, 10, 26, 12),
      });
      expect(Number.isInteger(pin.id)).toBe(true);
      expect(await store.getPin(GUILD, pin.id)).toEqual(pin);
      expect(await store.getPinByMessage(GUILD, "9001")).toEqual(pin);
    });

    it("leaves messageId out of a pin stored without a message", async () => {
      const pin = await store.addPin(newPin("Who is Steve Witkoff?"));
      expect(pin).not.toHaveProperty("messageId");
      expect(await store.getPin(GUILD, pin.id)).not.toHaveProperty("messageId");
    });

    it("returns the existing pin when the same message is pinned twice", async () => {
      const first = await store.addPin(newPin("Who is Steve Witkoff?", { messageId: "9001" }));
      const again = await store.addPin(
        newPin("Who is Steve Witkoff?", { messageId: "9001", pinnedBy: "500000000000000005" }),
      );
      expect(again).toEqual(first);
      expect((await store.listPins(GUILD, { page: 1, pageSize: 10 })).total).toBe(1);
      // The same message id in another guild is another pin.
      const other = await store.addPin(
        newPin("Who is Steve Witkoff?", { messageId: "9001", guildId: OTHER_GUILD }),
      );
      expect(other.id).not.toBe(first.id);
    });

    it("lists a guild's pins newest first, a page at a time", async () => {
      const ids: number[] = [];
      for (const question of ["One?", "Two?", "Three?", "Four?", "Five?"]) {
        ids.push((await store.addPin(newPin(question))).id);
      }
      const first = await store.listPins(GUILD, { page: 1, pageSize: 2 });
      expect(first.items.map((p) => p.question)).toEqual(["Five?", "Four?"]);
      expect(first).toMatchObject({ total: 5, page: 1, pageCount: 3 });
      const last = await store.listPins(GUILD, { page: 3, pageSize: 2 });
      expect(last.items.map((p) => p.id)).toEqual([ids[0]]);
      expect((await store.listPins(GUILD, { page: 4, pageSize: 2 })).items).toEqual([]);
      expect(await store.listPins("999999999999999999", { page: 1, pageSize: 2 })).toEqual({
        items: [],
        total: 0,
        page: 1,
        pageCount: 0,
      });
    });

    it("rejects pages that do not exist as a request", async () => {
      expect(() => store.listPins(GUILD, { page: 0, pageSize: 10 })).toThrow(RangeError);
      expect(() => store.listPins(GUILD, { page: 1, pageSize: 0 })).toThrow(RangeError);
      expect(() => store.listPins(GUILD, { page: 1, pageSize: 101 })).toThrow(RangeError);
      expect(() => store.listUnanswered(GUILD, { page: 1.5, pageSize: 10 })).toThrow(RangeError);
    });

    it("removes a pin, returning it so that its message can be unpinned", async () => {
      const pin = await store.addPin(newPin("Who is Steve Witkoff?", { messageId: "9001" }));
      expect(await store.removePin(GUILD, pin.id)).toEqual(pin);
      expect(await store.getPin(GUILD, pin.id)).toBeUndefined();
      expect(await store.removePin(GUILD, pin.id)).toBeUndefined();
      // Ids are not reused: a new pin never takes a removed pin's id.
      expect((await store.addPin(newPin("Who is Steve Witkoff?"))).id).toBeGreaterThan(pin.id);
    });

    it("never shows, matches or removes one guild's pin in another guild", async () => {
      const pin = await store.addPin(
        newPin("How long would the ceasefire last?", { messageId: "9001" }),
      );
      expect(await store.getPin(OTHER_GUILD, pin.id)).toBeUndefined();
      expect(await store.getPinByMessage(OTHER_GUILD, "9001")).toBeUndefined();
      expect((await store.listPins(OTHER_GUILD, { page: 1, pageSize: 10 })).total).toBe(0);
      expect(await store.findPinnedAnswer(OTHER_GUILD, "How long would the ceasefire last?")).toBe(
        undefined,
      );
      expect(await store.removePin(OTHER_GUILD, pin.id)).toBeUndefined();
      expect(await store.getPin(GUILD, pin.id)).toEqual(pin);
    });

    it("finds the pinned answer of a similar question, and none for an unrelated one", async () => {
      await store.addPin(newPin("Who carried Putin's message to Trump?"));
      const ceasefire = await store.addPin(newPin("How long would the Gaza ceasefire last?"));
      const found = await store.findPinnedAnswer(GUILD, "how long will the ceasefire in Gaza last");
      expect(found?.pin).toEqual(ceasefire);
      expect(found?.similarity).toBeGreaterThan(0.65);
      expect(
        await store.findPinnedAnswer(GUILD, "Who won the election in Poland?"),
      ).toBeUndefined();
      expect(await store.findPinnedAnswer(GUILD, "How long?")).toBeUndefined();
    });

    it("matches pins another process added and stops matching pins it removed (terms kept per pin)", async () => {
      const other = await another();
      try {
        const first = await store.addPin(newPin("How long would the Gaza ceasefire last?"));
        expect(
          (await store.findPinnedAnswer(GUILD, "How long will the Gaza ceasefire last?"))?.pin,
        ).toEqual(first);
        // Another shard pins a closer question and removes the first.
        const closer = await other.addPin(newPin("How long will the Gaza ceasefire hold?"));
        expect(
          (await store.findPinnedAnswer(GUILD, "how long will the gaza ceasefire hold"))?.pin,
        ).toEqual(closer);
        await other.removePin(GUILD, first.id);
        // Only "...hold?" is left, which does not ask the same (0.52 against 0.6).
        expect(
          await store.findPinnedAnswer(GUILD, "How long would the Gaza ceasefire last?"),
        ).toBeUndefined();
        await other.removePin(GUILD, closer.id);
        expect(
          await store.findPinnedAnswer(GUILD, "How long will the Gaza ceasefire hold?"),
        ).toBeUndefined();
      } finally {
        await other.close();
      }
    });

    it("keeps everything across close and reopen", async () => {
      const pin = await store.addPin(
        newPin("How long would the ceasefire last?", { messageId: "9001" }),
      );
      store.recordUnanswered({ guildId: GUILD, channelId: CHANNEL, question: "Who?", at: 5 });
      const answer = sentAnswer("How long would the ceasefire last?", "9002");
      store.recordAnswer(answer);
      await store.close();
      await store.close();
      await database.close();
      database = await fresh.open();
      store = new SqlPinStore(database, quiet);
      expect(await store.getPin(GUILD, pin.id)).toEqual(pin);
      expect(
        (await store.findPinnedAnswer(GUILD, "How long would the ceasefire last?"))?.pin,
      ).toEqual(pin);
      expect((await store.listUnanswered(GUILD, { page: 1, pageSize: 10 })).total).toBe(1);
      expect(await store.getAnswer(GUILD, "9002")).toEqual(answer);
    });
  });

  describe("unanswered questions", () => {
    const ask = (question: string, at: number, guildId = GUILD, channelId = CHANNEL) =>
      store.recordUnanswered({ guildId, channelId, question, at });

    it("forgets a guild's questions older than 90 days when it records a new one, not others'", async () => {
      const day = 24 * 60 * 60 * 1000;
      const now = 1_000 * day;
      ask("Who won the 1998 World Cup?", now - 91 * day);
      ask("Who is the mayor?", now - 89 * day);
      ask("Who won the 1998 World Cup?", now - 91 * day, OTHER_GUILD);
      const all = async (guildId: string) => {
        await store.flush();
        const listed = await store.listUnanswered(guildId, { page: 1, pageSize: 10 });
        return listed.items.map((q) => q.question);
      };
      expect(await all(GUILD)).toHaveLength(2); // nothing is pruned until a question is recorded

      ask("Who is the mayor?", now);

      expect(await all(GUILD)).toEqual(["Who is the mayor?"]);
      await store.flush();
      expect((await store.listUnanswered(GUILD, { page: 1, pageSize: 10 })).items[0]?.count).toBe(
        2,
      );
      expect(await all(OTHER_GUILD)).toEqual(["Who won the 1998 World Cup?"]);
    });

    it("counts rephrasings together, most frequent first, then most recent", async () => {
      ask("How long will the ceasefire last?", 10);
      ask("Who won the election?", 20);
      ask("how long would the CEASEFIRE last", 30);
      ask("Who is the mayor?", 40);
      ask("Who won the election ?!", 50);
      ask("How long will the “ceasefire” last?", 60, GUILD, "300000000000000099");
      await store.flush();
      const page = await store.listUnanswered(GUILD, { page: 1, pageSize: 10 });
      expect(page.items).toEqual([
        {
          question: "How long will the “ceasefire” last?",
          channelId: "300000000000000099",
          count: 3,
          uncertain: 0,
          lastAskedAt: 60,
        },
        {
          question: "Who won the election ?!",
          channelId: CHANNEL,
          count: 2,
          uncertain: 0,
          lastAskedAt: 50,
        },
        {
          question: "Who is the mayor?",
          channelId: CHANNEL,
          count: 1,
          uncertain: 0,
          lastAskedAt: 40,
        },
      ]);
      expect(page).toMatchObject({ total: 3, page: 1, pageCount: 1 });
    });

    it("orders equal counts by the latest time asked", async () => {
      ask("Who is the mayor?", 10);
      ask("What did the minister say?", 30);
      ask("Where is the summit?", 20);
      await store.flush();
      const questions = (await store.listUnanswered(GUILD, { page: 1, pageSize: 10 })).items;
      expect(questions.map((q) => q.question)).toEqual([
        "What did the minister say?",
        "Where is the summit?",
        "Who is the mayor?",
      ]);
    });

    it("counts only the questions asked since the given time", async () => {
      ask("Who is the mayor?", 10);
      ask("Who is the mayor?", 20);
      ask("Who is the mayor?", 30);
      ask("Where is the summit?", 25);
      ask("Where is the summit?", 26);
      await store.flush();
      const recent = await store.listUnanswered(GUILD, { sinceMs: 25, page: 1, pageSize: 10 });
      expect(recent.items.map((q) => [q.question, q.count])).toEqual([
        ["Where is the summit?", 2],
        ["Who is the mayor?", 1],
      ]);
    });

    it("pages, and keeps each guild's questions to itself", async () => {
      for (const [i, question] of ["A mayor?", "A summit?", "A minister?"].entries()) {
        ask(question, i);
      }
      ask("A secret?", 99, OTHER_GUILD);
      await store.flush();
      const second = await store.listUnanswered(GUILD, { page: 2, pageSize: 2 });
      expect(second.items.map((q) => q.question)).toEqual(["A mayor?"]);
      expect(second).toMatchObject({ total: 3, page: 2, pageCount: 2 });
      await store.flush();
      const other = await store.listUnanswered(OTHER_GUILD, { page: 1, pageSize: 10 });
      expect(other.items.map((q) => q.question)).toEqual(["A secret?"]);
    });

    it("cuts a pasted wall of text to the length the answer service reads", async () => {
      ask(`Why ${"ceasefire ".repeat(500)}?`, 1);
      await store.flush();
      const [item] = (await store.listUnanswered(GUILD, { page: 1, pageSize: 1 })).items;
      expect(item?.question.length).toBe(1_000);
    });
  });

  describe("sent answers", () => {
    const NOW = Date.UTC(2026, 10, 26, 12);

    it("gives back a sent answer's question and citations exactly, url or not, highlights and all", async () => {
      const answer = sentAnswer("How long would the ceasefire last?", "9001", {
        citations: [CITATION, CITATION_WITHOUT_URL],
      });
      store.recordAnswer(answer);
      await store.flush();
      const found = await store.getAnswer(GUILD, "9001");
      expect(found).toEqual({
        guildId: GUILD,
        channelId: CHANNEL,
        messageId: "9001",
        question: "How long would the ceasefire last?",
        citations: [CITATION, CITATION_WITHOUT_URL],
        answeredAt: NOW,
      });
      expect(found?.citations[0]?.url).toBe("https://example.com/gaza");
      expect(found?.citations[0]?.highlights).toEqual([
        [4, 13],
        [20, 24],
      ]);
      expect(found?.citations[1]).not.toHaveProperty("url");
      expect(found?.citations[1]?.highlights).toEqual([]);
    });

    it("knows no answer for a message whose answer was never recorded", async () => {
      store.recordAnswer(sentAnswer("Who is Steve Witkoff?", "9001"));
      await store.flush();
      expect(await store.getAnswer(GUILD, "9002")).toBeUndefined();
    });

    it("keeps each guild's sent answers to itself, even for the same message id", async () => {
      store.recordAnswer(sentAnswer("Who is Steve Witkoff?", "9001"));
      await store.flush();
      expect(await store.getAnswer(OTHER_GUILD, "9001")).toBeUndefined();
      const other = sentAnswer("Who won the election?", "9001", {
        guildId: OTHER_GUILD,
        citations: [CITATION_WITHOUT_URL],
      });
      store.recordAnswer(other);
      await store.flush();
      expect(await store.getAnswer(OTHER_GUILD, "9001")).toEqual(other);
      await store.flush();
      expect((await store.getAnswer(GUILD, "9001"))?.question).toBe("Who is Steve Witkoff?");
    });

    it("replaces the answer recorded for the same message in the same guild", async () => {
      store.recordAnswer(sentAnswer("Who is Steve Witkoff?", "9001"));
      const edited = sentAnswer("Who won the election?", "9001", {
        channelId: "300000000000000099",
        citations: [CITATION_WITHOUT_URL],
        answeredAt: NOW + 1_000,
      });
      store.recordAnswer(edited);
      await store.flush();
      expect(await store.getAnswer(GUILD, "9001")).toEqual(edited);
    });

    it("forgets answers older than the retention when a later one is recorded, and keeps the rest", async () => {
      const later = NOW + ANSWER_RETENTION_MS;
      store.recordAnswer(sentAnswer("Too old?", "1", { answeredAt: NOW - 1 }));
      store.recordAnswer(
        sentAnswer("Too old elsewhere?", "2", { answeredAt: NOW - 1, guildId: OTHER_GUILD }),
      );
      store.recordAnswer(sentAnswer("Just in time?", "3", { answeredAt: NOW }));
      store.recordAnswer(sentAnswer("Recent?", "4", { answeredAt: later - 1_000 }));
      // Nothing is pruned until an answer is recorded.
      await store.flush();
      expect((await store.getAnswer(GUILD, "1"))?.question).toBe("Too old?");

      store.recordAnswer(sentAnswer("Now?", "5", { answeredAt: later }));
      await store.flush();
      expect(await store.getAnswer(GUILD, "1")).toBeUndefined();
      // Pruning is by age alone, across guilds: the table stays bounded.
      await store.flush();
      expect(await store.getAnswer(OTHER_GUILD, "2")).toBeUndefined();
      await store.flush();
      expect((await store.getAnswer(GUILD, "3"))?.question).toBe("Just in time?");
      await store.flush();
      expect((await store.getAnswer(GUILD, "4"))?.question).toBe("Recent?");
      await store.flush();
      expect((await store.getAnswer(GUILD, "5"))?.question).toBe("Now?");
    });

    it("cuts a pasted wall of text in a sent answer's question to the length the answer service reads", async () => {
      store.recordAnswer(sentAnswer(`Why ${"ceasefire ".repeat(500)}?`, "9001"));
      await store.flush();
      const question = (await store.getAnswer(GUILD, "9001"))?.question;
      expect(question?.length).toBe(1_000);
      expect(question).toBe(`Why ${"ceasefire ".repeat(500)}?`.slice(0, 1_000));
    });
  });
});
