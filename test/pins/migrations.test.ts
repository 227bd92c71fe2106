/** Schema versions: a new database, one from the previous version, one from a newer newsdesk. */
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StoreError } from "../../src/store/errors.js";
import { MIGRATIONS, migrate, SCHEMA_VERSION, schemaVersion } from "../../src/pins/migrations.js";
import { questionKey } from "../../src/pins/questionMatch.js";
import { openPinStore } from "../../src/pins/SqlitePinStore.js";
import {
  CHANNEL,
  CITATION,
  CITATION_WITHOUT_URL,
  GUILD,
  MODERATOR,
  makeTempDir,
  removeTempDir,
  sentAnswer,
} from "./fixtures.js";

let dir: string;
let file: string;

beforeEach(async () => {
  dir = await makeTempDir();
  file = path.join(dir, "newsdesk.sqlite");
});

afterEach(async () => {
  await removeTempDir(dir);
});

/** Runs `use` on the raw database file, closing it afterwards. */
function withDatabase<T>(use: (db: Database.Database) => T): T {
  const db = new Database(file);
  try {
    return use(db);
  } finally {
    db.close();
  }
}

const tables = (db: Database.Database) =>
  db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
    .pluck()
    .all() as string[];

/** A pin as every schema version so far stores it: message 9001, "How long would the ceasefire last?". */
function insertPinRow(db: Database.Database): void {
  db.prepare(
    `INSERT INTO pins (guild_id, channel_id, message_id, question, citations, pinned_by, pinned_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    GUILD,
    CHANNEL,
    "9001",
    "How long would the ceasefire last?",
    JSON.stringify([CITATION]),
    MODERATOR,
    1_000,
  );
}

describe("migrations", () => {
  it("has at least two versions, so that upgrading is tested", () => {
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(2);
  });

  it("builds the current schema on an empty database, in WAL mode", () => {
    openPinStore(file).close();
    withDatabase((db) => {
      expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
      expect(tables(db)).toEqual(expect.arrayContaining(["answers", "pins", "unanswered"]));
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    });
  });

  it("opens a new database at schema version 8", () => {
    openPinStore(file).close();
    withDatabase((db) => expect(schemaVersion(db)).toBe(8));
    expect(SCHEMA_VERSION).toBe(8);
  });

  it("upgrades a version-3 database: its unanswered questions were all refusals", () => {
    withDatabase((db) => {
      expect(migrate(db, 3)).toBe(0);
      db.prepare(
        `INSERT INTO unanswered (guild_id, channel_id, question, question_key, asked_at)
         VALUES (?, ?, ?, ?, ?)`,
      ).run(GUILD, CHANNEL, "Who is the new mayor?", questionKey("Who is the new mayor?"), 2_000);
    });
    const store = openPinStore(file);
    store.recordUnanswered({
      guildId: GUILD,
      channelId: CHANNEL,
      question: "who is the new MAYOR",
      at: 3_000,
      uncertain: true,
    });
    expect(store.listUnanswered(GUILD, { page: 1, pageSize: 10 }).items).toEqual([
      {
        question: "who is the new MAYOR",
        channelId: CHANNEL,
        count: 2,
        uncertain: 1,
        lastAskedAt: 3_000,
      },
    ]);
    store.close();
  });

  it("upgrades a version-1 database, giving its unanswered questions their keys", () => {
    withDatabase((db) => {
      expect(migrate(db, 1)).toBe(0);
      insertPinRow(db);
      db.prepare(
        "INSERT INTO unanswered (guild_id, channel_id, question, asked_at) VALUES (?, ?, ?, ?)",
      ).run(GUILD, CHANNEL, "Who is the new mayor?", 2_000);
    });

    const store = openPinStore(file);
    const pin = store.getPinByMessage(GUILD, "9001");
    expect(pin).toMatchObject({
      question: "How long would the ceasefire last?",
      citations: [CITATION],
    });
    expect(store.findPinnedAnswer(GUILD, "how long will the ceasefire last")?.pin).toEqual(pin);
    // The old row got its key in the upgrade: a rephrasing asked now counts with it.
    store.recordUnanswered({
      guildId: GUILD,
      channelId: CHANNEL,
      question: "who's the NEW mayor",
      at: 3_000,
    });
    expect(store.listUnanswered(GUILD, { page: 1, pageSize: 10 }).items).toEqual([
      {
        question: "who's the NEW mayor",
        channelId: CHANNEL,
        count: 2,
        uncertain: 0,
        lastAskedAt: 3_000,
      },
    ]);
    store.close();
    withDatabase((db) => expect(schemaVersion(db)).toBe(SCHEMA_VERSION));
  });

  it("upgrades a version-2 database holding pins and unanswered questions, keeping them", () => {
    withDatabase((db) => {
      expect(migrate(db, 2)).toBe(0);
      expect(tables(db)).not.toContain("answers");
      insertPinRow(db);
      // As version 2 records them: with their key.
      db.prepare(
        `INSERT INTO unanswered (guild_id, channel_id, question, question_key, asked_at)
         VALUES (?, ?, ?, ?, ?)`,
      ).run(GUILD, CHANNEL, "Who is the new mayor?", questionKey("Who is the new mayor?"), 2_000);
    });

    const store = openPinStore(file);
    expect(store.getPinByMessage(GUILD, "9001")).toEqual({
      id: expect.any(Number),
      guildId: GUILD,
      channelId: CHANNEL,
      messageId: "9001",
      question: "How long would the ceasefire last?",
      citations: [CITATION],
      pinnedBy: MODERATOR,
      pinnedAt: 1_000,
    });
    expect(store.listUnanswered(GUILD, { page: 1, pageSize: 10 }).items).toEqual([
      {
        question: "Who is the new mayor?",
        channelId: CHANNEL,
        count: 1,
        uncertain: 0,
        lastAskedAt: 2_000,
      },
    ]);
    // The new table works.
    const answer = sentAnswer("Who is the new mayor?", "9002", {
      citations: [CITATION_WITHOUT_URL, CITATION],
    });
    store.recordAnswer(answer);
    expect(store.getAnswer(GUILD, "9002")).toEqual(answer);
    store.close();
    withDatabase((db) => {
      expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
      expect(tables(db)).toEqual(expect.arrayContaining(["answers", "pins", "unanswered"]));
      const indexes = db
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'answers'")
        .pluck()
        .all();
      expect(indexes).toContain("answers_by_time");
      // STRICT and the JSON check hold for rows written by hand too.
      expect(() =>
        db
          .prepare(
            `INSERT INTO answers (guild_id, message_id, channel_id, question, citations, answered_at)
             VALUES (?, ?, ?, ?, ?, ?)`,
          )
          .run(GUILD, "9003", CHANNEL, "Who?", "not json", 1),
      ).toThrow(/CHECK constraint failed/);
    });
  });

  it("upgrades a version-4 database to the feed tables, keeping its pins", () => {
    withDatabase((db) => {
      expect(migrate(db, 4)).toBe(0);
      expect(tables(db)).not.toContain("feeds");
      insertPinRow(db);
    });
    const store = openPinStore(file);
    expect(store.listPins(GUILD, { page: 1, pageSize: 10 }).total).toBe(1);
    store.close();
    withDatabase((db) => {
      expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
      expect(tables(db)).toEqual(
        expect.arrayContaining(["feeds", "seen_items", "fetched_articles"]),
      );
    });
  });

  it("opens an up-to-date database without changing it", () => {
    openPinStore(file).close();
    const store = openPinStore(file);
    store.close();
    withDatabase((db) => expect(migrate(db)).toBe(SCHEMA_VERSION));
  });

  it("refuses a database from a newer newsdesk with one clear line, and leaves it alone", () => {
    openPinStore(file).close();
    withDatabase((db) => db.pragma(`user_version = ${SCHEMA_VERSION + 1}`));
    let error: unknown;
    try {
      openPinStore(file);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StoreError);
    const { code, message } = error as StoreError;
    expect(code).toBe("NEWER_SCHEMA");
    expect(message).toBe(
      `pins: ${file} was written by a newer newsdesk (schema version ${SCHEMA_VERSION + 1}; this newsdesk knows up to ${SCHEMA_VERSION}); update newsdesk, or set DATABASE_PATH to another file`,
    );
    withDatabase((db) => expect(schemaVersion(db)).toBe(SCHEMA_VERSION + 1));
  });

  it("knows no version beyond its own", () => {
    withDatabase((db) => {
      expect(() => migrate(db, SCHEMA_VERSION + 1)).toThrow(RangeError);
      expect(schemaVersion(db)).toBe(0);
    });
  });
});
