import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/log.js";
import { SqlPinStore } from "../../src/pins/SqlPinStore.js";
import type { Database as StoreDatabase } from "../../src/store/database.js";
import { StoreError } from "../../src/store/errors.js";
import { openSqlite } from "../../src/store/sqlite/SqliteDatabase.js";
import { isPinFlagged, type LoggedQuestion, QUESTION_RETENTION_MS } from "../../src/votes/types.js";
import { VoteStore } from "../../src/votes/VoteStore.js";
import { LogCapture } from "../discord/botHarness.js";
import { CHANNEL, GUILD, makeTempDir, OTHER_GUILD, removeTempDir } from "../pins/fixtures.js";
import { ENGINES, type TestDatabase } from "../support/engines.js";

const NOW = 1_700_000_000_000;
const ALICE = "500000000000000005";
const BOB = "600000000000000006";
const MESSAGE = "700000000000000007";

function asked(overrides: Partial<LoggedQuestion> = {}): LoggedQuestion {
  return {
    guildId: GUILD,
    channelId: CHANNEL,
    messageId: MESSAGE,
    question: "How long would the ceasefire last?",
    outcome: "high",
    confidence: "high",
    citations: [{ articleId: "gaza-ceasefire", title: "Gaza ceasefire takes hold", paragraph: 2 }],
    at: NOW,
    ...overrides,
  };
}

describe.each(ENGINES)("the vote store on $name", (engine) => {
  let fresh: TestDatabase;
  let database: StoreDatabase;
  let votes: VoteStore;

  /** Logs the questions, and waits until they are written. */
  async function record(...questions: LoggedQuestion[]): Promise<void> {
    for (const question of questions) votes.recordQuestion(question);
    await votes.flush(10_000);
  }

  beforeEach(async () => {
    fresh = await engine.fresh();
    database = await fresh.open();
    votes = new VoteStore(database, createLogger({ level: "error" }));
  });

  afterEach(async () => {
    await fresh.remove();
  });

  describe("the question log", () => {
    it("keeps the question, its key, outcome, confidence and the citations shown, no more", async () => {
      const full = {
        articleId: "gaza-ceasefire",
        title: "Gaza ceasefire takes hold",
        paragraph: 2,
        excerpt: "not kept",
        text: "not kept either",
      };
      await record(asked({ citations: [full] }));
      await record(
        asked({ messageId: "700000000000000008", question: "Who won?", outcome: "abstained" }),
      );
      const [first, second] = await votes.listQuestions(GUILD, { sinceMs: 0 });
      expect(first).toMatchObject({
        id: 1,
        guildId: GUILD,
        channelId: CHANNEL,
        messageId: MESSAGE,
        question: "How long would the ceasefire last?",
        questionKey: expect.stringContaining("ceasefir"),
        outcome: "high",
        confidence: "high",
        at: NOW,
        votes: { up: 0, down: 0 },
        reasons: {},
      });
      expect(first?.citations).toEqual([
        { articleId: "gaza-ceasefire", title: "Gaza ceasefire takes hold", paragraph: 2 },
      ]);
      expect(second).toMatchObject({ question: "Who won?", outcome: "abstained" });
      expect(await votes.listQuestions(OTHER_GUILD, { sinceMs: 0 })).toEqual([]);
    });

    it("lists a period's questions, oldest first, with their votes and 👎 reasons", async () => {
      await record(asked({ messageId: "1", at: NOW - 10 }));
      await record(asked({ messageId: "2", at: NOW }));
      await record(asked({ messageId: "3", at: NOW + 10 }));
      await votes.castVote(GUILD, "2", ALICE, "down", NOW);
      await votes.castVote(GUILD, "2", BOB, "down", NOW);
      const cast = await votes.castVote(GUILD, "1", ALICE, "up", NOW);
      if (cast.kind !== "cast") throw new Error("unreachable");
      const second = await votes.listQuestions(GUILD, { sinceMs: NOW, untilMs: NOW + 1 });
      expect(second.map((q) => q.messageId)).toEqual(["2"]);
      const logged = second[0];
      if (!logged) throw new Error("unreachable");
      expect(await votes.setReason(GUILD, logged.id, ALICE, "outdated")).toBe(true);
      expect(await votes.setReason(GUILD, logged.id, BOB, "outdated")).toBe(true);
      const all = await votes.listQuestions(GUILD, { sinceMs: 0 });
      expect(all.map((q) => [q.messageId, q.votes, q.reasons])).toEqual([
        ["1", { up: 1, down: 0 }, {}],
        ["2", { up: 0, down: 2 }, { outdated: 2 }],
        ["3", { up: 0, down: 0 }, {}],
      ]);
    });

    it("pages a period's questions after the last one read, ties on the time in id order", async () => {
      // Two questions at the same time, one at the period's first and one past its end.
      const times = [NOW - 1, NOW, NOW, NOW + 5, NOW + 10, NOW + 20];
      await record(...times.map((at, i) => asked({ messageId: String(i + 1), at })));
      await votes.castVote(GUILD, "3", ALICE, "down", NOW);
      const period = { sinceMs: NOW, untilMs: NOW + 20 };
      const pages: string[][] = [];
      let after: { at: number; id: number } | undefined;
      for (;;) {
        const page = await votes.listQuestionsPage(GUILD, period, after, 2);
        if (page.length === 0) break;
        pages.push(page.map((q) => q.messageId ?? ""));
        after = page.at(-1);
      }
      expect(pages).toEqual([
        ["2", "3"],
        ["4", "5"],
      ]);
      expect(await votes.listQuestionsPage(GUILD, period, undefined, 10)).toEqual(
        await votes.listQuestions(GUILD, period),
      );
      expect(await votes.listQuestionsPage(OTHER_GUILD, period, undefined, 10)).toEqual([]);
    });
  });

  describe("votes", () => {
    beforeEach(() => record(asked()));

    it("counts one vote per member, moves it to the other button, takes it back on a second click", async () => {
      expect(await votes.castVote(GUILD, MESSAGE, ALICE, "up", NOW)).toEqual({
        kind: "cast",
        askedId: 1,
        vote: "up",
        tally: { up: 1, down: 0 },
      });
      expect(await votes.castVote(GUILD, MESSAGE, BOB, "up", NOW)).toMatchObject({
        vote: "up",
        tally: { up: 2, down: 0 },
      });
      expect(await votes.castVote(GUILD, MESSAGE, BOB, "down", NOW)).toMatchObject({
        vote: "down",
        tally: { up: 1, down: 1 },
      });
      expect(await votes.castVote(GUILD, MESSAGE, ALICE, "up", NOW)).toMatchObject({
        vote: undefined,
        tally: { up: 0, down: 1 },
      });
      expect(await votes.voteOf(GUILD, MESSAGE, ALICE)).toBeUndefined();
      expect(await votes.voteOf(GUILD, MESSAGE, BOB)).toBe("down");
      expect(await votes.tallyOf(GUILD, MESSAGE)).toEqual({ up: 0, down: 1 });
    });

    it("knows no answer it has no logged question for, nor one of another guild", async () => {
      expect(await votes.castVote(GUILD, "799999999999999999", ALICE, "up", NOW)).toEqual({
        kind: "unknown",
      });
      expect(await votes.castVote(OTHER_GUILD, MESSAGE, ALICE, "up", NOW)).toEqual({
        kind: "unknown",
      });
      expect(await votes.tallyOf(OTHER_GUILD, MESSAGE)).toBeUndefined();
    });

    it("keeps a 👎's reason; moving the vote to 👍 clears it, and a 👍 takes none", async () => {
      await votes.castVote(GUILD, MESSAGE, ALICE, "down", NOW);
      expect(await votes.setReason(GUILD, 1, ALICE, "wrong-passage")).toBe(true);
      expect((await votes.listQuestions(GUILD, { sinceMs: 0 }))[0]?.reasons).toEqual({
        "wrong-passage": 1,
      });
      await votes.castVote(GUILD, MESSAGE, ALICE, "up", NOW);
      expect((await votes.listQuestions(GUILD, { sinceMs: 0 }))[0]?.reasons).toEqual({});
      expect(await votes.setReason(GUILD, 1, ALICE, "other")).toBe(false);
      await votes.castVote(GUILD, MESSAGE, ALICE, "down", NOW);
      // Back to 👎: the old reason does not come back with it.
      expect((await votes.listQuestions(GUILD, { sinceMs: 0 }))[0]?.reasons).toEqual({});
      // Another guild cannot reach this question by its id.
      expect(await votes.setReason(OTHER_GUILD, 1, ALICE, "other")).toBe(false);
    });

    it("keeps a server's secret across a restart: a member's vote is still theirs", async () => {
      await votes.castVote(GUILD, MESSAGE, ALICE, "up", NOW);
      await database.close();
      database = await fresh.open();
      votes = new VoteStore(database, createLogger({ level: "error" }));
      expect(await votes.castVote(GUILD, MESSAGE, ALICE, "up", NOW)).toMatchObject({
        vote: undefined,
        tally: { up: 0, down: 0 },
      });
    });
  });

  describe("pins and their votes", () => {
    it("adds the votes on a pin's own message and on the answers it led; flags more 👎 than 👍, at least 2", async () => {
      const pin = await new SqlPinStore(database, createLogger({ level: "error" })).addPin({
        guildId: GUILD,
        channelId: CHANNEL,
        messageId: MESSAGE,
        question: "How long would the ceasefire last?",
        citations: [],
        pinnedBy: ALICE,
        pinnedAt: NOW,
      });
      await record(asked());
      await record(asked({ messageId: "2", outcome: "pinned", pinId: pin.id }));
      await record(asked({ messageId: "3" }));
      await votes.castVote(GUILD, MESSAGE, ALICE, "down", NOW);
      await votes.castVote(GUILD, "3", BOB, "down", NOW);
      const tally = async () => (await votes.pinVotes(GUILD, [pin])).get(pin.id);
      expect(await tally()).toEqual({ up: 0, down: 1 });
      expect(isPinFlagged({ up: 0, down: 1 })).toBe(false);
      await votes.castVote(GUILD, "2", BOB, "down", NOW);
      expect(await tally()).toEqual({ up: 0, down: 2 });
      expect(isPinFlagged({ up: 0, down: 2 })).toBe(true);
      await votes.castVote(GUILD, "2", ALICE, "up", NOW);
      expect(await tally()).toEqual({ up: 1, down: 2 });
      expect(isPinFlagged({ up: 2, down: 2 })).toBe(false);
      expect((await votes.pinVotes(OTHER_GUILD, [pin])).get(pin.id)).toEqual({ up: 0, down: 0 });
    });
  });
});

describe("the vote store on its SQLite file", () => {
  let dir: string;
  let file: string;
  let database: StoreDatabase;
  let votes: VoteStore;
  let logs: LogCapture;

  /** Logs the questions, and waits until they are written. */
  async function record(...questions: LoggedQuestion[]): Promise<void> {
    for (const question of questions) votes.recordQuestion(question);
    await votes.flush(10_000);
  }

  beforeEach(async () => {
    dir = await makeTempDir();
    file = path.join(dir, "newsdesk.sqlite");
    logs = new LogCapture();
    database = await openSqlite(file);
    votes = new VoteStore(database, createLogger({ level: "debug", destination: logs.stream }));
  });

  afterEach(async () => {
    await database.close();
    await removeTempDir(dir);
  });

  it("forgets a guild's questions, and their votes, older than the retention", async () => {
    await record(asked({ messageId: "1", at: NOW }));
    await record(asked({ guildId: OTHER_GUILD, messageId: "1", at: NOW }));
    await votes.castVote(GUILD, "1", ALICE, "up", NOW);
    await record(asked({ messageId: "2", at: NOW + QUESTION_RETENTION_MS }));
    expect((await votes.listQuestions(GUILD, { sinceMs: 0 })).map((q) => q.messageId)).toEqual([
      "1",
      "2",
    ]);
    await record(asked({ messageId: "3", at: NOW + QUESTION_RETENTION_MS + 1 }));
    expect((await votes.listQuestions(GUILD, { sinceMs: 0 })).map((q) => q.messageId)).toEqual([
      "2",
      "3",
    ]);
    // Another guild's questions are pruned by that guild's own records.
    expect(await votes.listQuestions(OTHER_GUILD, { sinceMs: 0 })).toHaveLength(1);
    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare("SELECT count(*) AS n FROM votes").get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });

  it("retries a question while another connection holds the write lock, and flush waits for it", async () => {
    const holder = new Database(file);
    holder.exec("BEGIN IMMEDIATE");
    try {
      expect(() => votes.recordQuestion(asked())).not.toThrow();
      // Not written yet: the lock is held.
      expect(await votes.listQuestions(GUILD, { sinceMs: 0 })).toEqual([]);
    } finally {
      holder.exec("COMMIT");
      holder.close();
    }
    await votes.flush(10_000);
    expect((await votes.listQuestions(GUILD, { sinceMs: 0 })).map((q) => q.messageId)).toEqual([
      MESSAGE,
    ]);
  });

  it("never throws when the database cannot take a question: it is logged", async () => {
    await rm(file);
    expect(() => votes.recordQuestion(asked())).not.toThrow();
    const line = await logs.waitFor((l) => String(l.msg).startsWith("votes: records dropped"));
    expect(line.level).toBe("error");
  });

  it("stores a member only as an HMAC under the server's secret: the id is nowhere in the file", async () => {
    await record(asked(), asked({ guildId: OTHER_GUILD }));
    await votes.castVote(GUILD, MESSAGE, ALICE, "up", NOW);
    await votes.castVote(OTHER_GUILD, MESSAGE, ALICE, "up", NOW);
    await database.close();
    const bytes = await readFile(file);
    const wal = await readFile(`${file}-wal`).catch(() => Buffer.alloc(0));
    for (const content of [bytes, wal]) {
      expect(content.includes(ALICE)).toBe(false);
      expect(content.includes(Buffer.from(ALICE, "utf16le"))).toBe(false);
    }
    const db = new Database(file, { readonly: true });
    try {
      const secrets = db.prepare("SELECT guild_id, secret FROM vote_secrets").all() as {
        guild_id: string;
        secret: Buffer;
      }[];
      expect(secrets.map((s) => s.guild_id).sort()).toEqual([GUILD, OTHER_GUILD]);
      expect(secrets.every((s) => s.secret.length === 32)).toBe(true);
      expect(secrets[0]?.secret.equals(secrets[1]?.secret ?? Buffer.alloc(0))).toBe(false);
      const voters = db.prepare("SELECT voter FROM votes ORDER BY asked_id").pluck().all();
      expect(voters).toHaveLength(2);
      // The same member is not the same voter in two servers.
      expect(voters[0]).not.toBe(voters[1]);
      expect(voters.every((v) => /^[0-9a-f]{64}$/.test(String(v)))).toBe(true);
    } finally {
      db.close();
    }
  });

  it("refuses a vote the database cannot keep, and counts nothing", async () => {
    await record(asked());
    await rm(file);
    const refused = votes.castVote(GUILD, MESSAGE, ALICE, "up", NOW);
    await expect(refused).rejects.toBeInstanceOf(StoreError);
    await expect(refused).rejects.toMatchObject({ code: "GONE" });
  });
});
