/** The conversation store on a real SQLite file in a temporary folder, on the pin store's connection. */
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ConversationTurn } from "../../src/answer/types.js";
import { MAX_QUESTION_CHARS } from "../../src/constants.js";
import { SqlitePinStore } from "../../src/pins/SqlitePinStore.js";
import {
  CITATIONS_PER_TURN,
  CONVERSATION_IDLE_MS,
  ConversationStore,
  MAX_TURNS,
} from "../../src/threads/ConversationStore.js";
import { GUILD, makeTempDir, OTHER_GUILD, removeTempDir } from "../pins/fixtures.js";

const T0 = Date.UTC(2026, 0, 1);
const THREAD = "1200000000000000001";
const OTHER_THREAD = "1200000000000000002";

let dir: string;
let file: string;
let pins: SqlitePinStore;
let store: ConversationStore;

function open(): void {
  pins = SqlitePinStore.open(file);
  store = new ConversationStore(pins.connection);
}

beforeEach(async () => {
  dir = await makeTempDir();
  file = path.join(dir, "newsdesk.sqlite");
  open();
});

afterEach(async () => {
  pins.close();
  await removeTempDir(dir);
});

function turn(question: string, articleId = "ceasefire", answered = true): ConversationTurn {
  return {
    question,
    searched: `${question} (searched)`,
    citations: answered ? [{ articleId, paragraph: 2 }] : [],
    answered,
  };
}

describe("ConversationStore", () => {
  it("gives a thread's turns back oldest first, as recorded", async () => {
    await store.recordTurn({ guildId: GUILD, threadId: THREAD, turn: turn("How long?"), at: T0 });
    await store.recordTurn({
      guildId: GUILD,
      threadId: THREAD,
      turn: turn("When would it start?", "other", false),
      at: T0 + 1000,
    });

    expect(store.turns(GUILD, THREAD, T0 + 2000)).toEqual([
      turn("How long?"),
      turn("When would it start?", "other", false),
    ]);
  });

  it("keeps each thread and each guild apart", async () => {
    await store.recordTurn({ guildId: GUILD, threadId: THREAD, turn: turn("a"), at: T0 });
    await store.recordTurn({ guildId: GUILD, threadId: OTHER_THREAD, turn: turn("b"), at: T0 });

    expect(store.turns(GUILD, THREAD, T0).map((t) => t.question)).toEqual(["a"]);
    expect(store.turns(GUILD, OTHER_THREAD, T0).map((t) => t.question)).toEqual(["b"]);
    expect(store.turns(OTHER_GUILD, THREAD, T0)).toEqual([]);
  });

  it(`keeps the last ${MAX_TURNS} turns of a thread`, async () => {
    for (let i = 1; i <= MAX_TURNS + 3; i++) {
      await store.recordTurn({ guildId: GUILD, threadId: THREAD, turn: turn(`q${i}`), at: T0 + i });
    }

    const kept = store.turns(GUILD, THREAD, T0 + 100).map((t) => t.question);
    expect(kept).toHaveLength(MAX_TURNS);
    expect(kept.at(-1)).toBe(`q${MAX_TURNS + 3}`);
    expect(kept[0]).toBe("q4");
    const rows = pins.connection.db
      .prepare("SELECT count(*) FROM conversation_turns")
      .pluck()
      .get();
    expect(rows).toBe(MAX_TURNS);
  });

  it("reads an idle thread as no conversation, and forgets it on a later turn", async () => {
    await store.recordTurn({ guildId: GUILD, threadId: THREAD, turn: turn("old"), at: T0 });
    const later = T0 + CONVERSATION_IDLE_MS + 1;

    expect(store.turns(GUILD, THREAD, T0 + CONVERSATION_IDLE_MS)).toHaveLength(1);
    expect(store.turns(GUILD, THREAD, later)).toEqual([]);
    await store.recordTurn({
      guildId: GUILD,
      threadId: OTHER_THREAD,
      turn: turn("new"),
      at: later,
    });
    const threads = pins.connection.db
      .prepare("SELECT DISTINCT thread_id FROM conversation_turns")
      .pluck()
      .all();
    expect(threads).toEqual([OTHER_THREAD]);
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

    const [stored] = store.turns(GUILD, THREAD, T0);
    expect(stored?.question).toHaveLength(MAX_QUESTION_CHARS);
    expect(stored?.searched).toHaveLength(MAX_QUESTION_CHARS);
    expect(stored?.citations).toEqual(citations.slice(0, CITATIONS_PER_TURN));
  });

  it("keeps the turns across a reopening of the file (a restart)", async () => {
    await store.recordTurn({ guildId: GUILD, threadId: THREAD, turn: turn("kept?"), at: T0 });
    pins.close();
    open();

    expect(store.turns(GUILD, THREAD, T0).map((t) => t.question)).toEqual(["kept?"]);
  });

  it("retries a turn while another connection holds the write lock; flush waits for it", async () => {
    const holder = new Database(file);
    holder.exec("BEGIN IMMEDIATE");
    let written: Promise<void>;
    try {
      written = store.recordTurn({ guildId: GUILD, threadId: THREAD, turn: turn("held"), at: T0 });
      // A flush that gives up first leaves it in flight, not lost.
      await store.flush(50);
      expect(store.turns(GUILD, THREAD, T0)).toEqual([]);
    } finally {
      holder.exec("COMMIT");
      holder.close();
    }
    await store.flush(10_000);
    expect(store.turns(GUILD, THREAD, T0).map((t) => t.question)).toEqual(["held"]);
    await expect(written).resolves.toBeUndefined();
  });

  it("refuses a turn once the store is closed, with the pin store's error", async () => {
    pins.close();

    await expect(
      store.recordTurn({ guildId: GUILD, threadId: THREAD, turn: turn("late"), at: T0 }),
    ).rejects.toMatchObject({ name: "StoreError" });
    open();
  });
});
