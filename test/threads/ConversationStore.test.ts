/**
 * The conversation store's contract on every engine (SQLite in a temp folder, PostgreSQL on the
 * test server), and what only the SQLite file shows (another process's lock).
 */
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ConversationTurn } from "../../src/answer/types.js";
import { MAX_QUESTION_CHARS } from "../../src/constants.js";
import type { Database as StoreDatabase } from "../../src/store/database.js";
import { openSqlite } from "../../src/store/sqlite/SqliteDatabase.js";
import {
  CITATIONS_PER_TURN,
  CONVERSATION_IDLE_MS,
  ConversationStore,
  MAX_TURNS,
} from "../../src/threads/ConversationStore.js";
import { GUILD, makeTempDir, OTHER_GUILD, removeTempDir } from "../pins/fixtures.js";
import { ENGINES, type TestDatabase } from "../support/engines.js";

const T0 = Date.UTC(2026, 0, 1);
const THREAD = "1200000000000000001";
const OTHER_THREAD = "1200000000000000002";

function turn(question: string, articleId = "ceasefire", answered = true): ConversationTurn {
  return {
    question,
    searched: `${question} (searched)`,
    citations: answered ? [{ articleId, paragraph: 2 }] : [],
    answered,
  };
}

describe.each(ENGINES)("the conversation store on $name", (engine) => {
  let fresh: TestDatabase;
  let database: StoreDatabase;
  let store: ConversationStore;

  async function open(): Promise<void> {
    database = await fresh.open();
    store = new ConversationStore(database);
  }

  /** A count over the turns table, straight from the database. */
  const count = (select: string) =>
    database.read(async (sql) => (await sql.get<{ n: number }>(select))?.n);

  beforeEach(async () => {
    fresh = await engine.fresh();
    await open();
  });

  afterEach(async () => {
    await fresh.remove();
  });

  it("gives a thread's turns back oldest first, as recorded", async () => {
    await store.recordTurn({ guildId: GUILD, threadId: THREAD, turn: turn("How long?"), at: T0 });
    await store.recordTurn({
      guildId: GUILD,
      threadId: THREAD,
      turn: turn("When would it start?", "other", false),
      at: T0 + 1000,
    });

    expect(await store.turns(GUILD, THREAD, T0 + 2000)).toEqual([
      turn("How long?"),
      turn("When would it start?", "other", false),
    ]);
  });

  it("keeps each thread and each guild apart", async () => {
    await store.recordTurn({ guildId: GUILD, threadId: THREAD, turn: turn("a"), at: T0 });
    await store.recordTurn({ guildId: GUILD, threadId: OTHER_THREAD, turn: turn("b"), at: T0 });

    expect((await store.turns(GUILD, THREAD, T0)).map((t) => t.question)).toEqual(["a"]);
    expect((await store.turns(GUILD, OTHER_THREAD, T0)).map((t) => t.question)).toEqual(["b"]);
    expect(await store.turns(OTHER_GUILD, THREAD, T0)).toEqual([]);
  });

  it(`keeps the last ${MAX_TURNS} turns of a thread`, async () => {
    for (let i = 1; i <= MAX_TURNS + 3; i++) {
      await store.recordTurn({ guildId: GUILD, threadId: THREAD, turn: turn(`q${i}`), at: T0 + i });
    }

    const kept = (await store.turns(GUILD, THREAD, T0 + 100)).map((t) => t.question);
    expect(kept).toHaveLength(MAX_TURNS);
    expect(kept.at(-1)).toBe(`q${MAX_TURNS + 3}`);
    expect(kept[0]).toBe("q4");
    expect(await count("SELECT count(*) AS n FROM conversation_turns")).toBe(MAX_TURNS);
  });

  it("reads an idle thread as no conversation, and forgets it on a later turn", async () => {
    await store.recordTurn({ guildId: GUILD, threadId: THREAD, turn: turn("old"), at: T0 });
    const later = T0 + CONVERSATION_IDLE_MS + 1;

    expect(await store.turns(GUILD, THREAD, T0 + CONVERSATION_IDLE_MS)).toHaveLength(1);
    expect(await store.turns(GUILD, THREAD, later)).toEqual([]);
    await store.recordTurn({
      guildId: GUILD,
      threadId: OTHER_THREAD,
      turn: turn("new"),
      at: later,
    });
    const threads = await database.read((sql) =>
      sql.all<{ thread_id: string }>("SELECT DISTINCT thread_id FROM conversation_turns"),
    );
    expect(threads.map((row) => row.thread_id)).toEqual([OTHER_THREAD]);
  });

  it("cuts long questions and keeps only the citations a reply shows", async () => {
    const long = "w".repeat(MAX_QUESTION_CHARS + 50);
    const citations = Array.from({ length: 8 }, (_, i) => ({
      articleId: `a${i}`,
      paragraph: i + 1,
    }));
    await store.recordTurn({
      guildId: GUILD,
      threadId: THREAD,
      turn: { question: long, searched: long, citations, answered: true },
      at: T0,
    });

    const [stored] = await store.turns(GUILD, THREAD, T0);
    expect(stored?.question).toHaveLength(MAX_QUESTION_CHARS);
    expect(stored?.searched).toHaveLength(MAX_QUESTION_CHARS);
    expect(stored?.citations).toEqual(citations.slice(0, CITATIONS_PER_TURN));
  });

  it("keeps the turns across a reopening of the file (a restart)", async () => {
    await store.recordTurn({ guildId: GUILD, threadId: THREAD, turn: turn("kept?"), at: T0 });
    await database.close();
    await open();

    expect((await store.turns(GUILD, THREAD, T0)).map((t) => t.question)).toEqual(["kept?"]);
  });

  it("refuses a turn once the database is closed, with the store's error", async () => {
    await database.close();

    await expect(
      store.recordTurn({ guildId: GUILD, threadId: THREAD, turn: turn("late"), at: T0 }),
    ).rejects.toMatchObject({ name: "StoreError" });
  });
});

describe("the conversation store on its SQLite file", () => {
  let dir: string;
  let file: string;
  let database: StoreDatabase;
  let store: ConversationStore;

  beforeEach(async () => {
    dir = await makeTempDir();
    file = path.join(dir, "newsdesk.sqlite");
    database = await openSqlite(file);
    store = new ConversationStore(database);
  });

  afterEach(async () => {
    await database.close();
    await removeTempDir(dir);
  });

  it("retries a turn while another connection holds the write lock; flush waits for it", async () => {
    const holder = new Database(file);
    holder.exec("BEGIN IMMEDIATE");
    let written: Promise<void>;
    try {
      written = store.recordTurn({ guildId: GUILD, threadId: THREAD, turn: turn("held"), at: T0 });
      // A flush that gives up first leaves it in flight, not lost.
      await store.flush(50);
      expect(await store.turns(GUILD, THREAD, T0)).toEqual([]);
    } finally {
      holder.exec("COMMIT");
      holder.close();
    }
    await store.flush(10_000);
    expect((await store.turns(GUILD, THREAD, T0)).map((t) => t.question)).toEqual(["held"]);
    await expect(written).resolves.toBeUndefined();
  });
});
