/** Schema versions: a new database, one from the previous version, one from a newer newsdesk. */
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/log.js";
import { questionKey } from "../../src/pins/questionMatch.js";
import { StoreError } from "../../src/store/errors.js";
import { MIGRATIONS, SCHEMA_VERSION } from "../../src/store/migrations.js";
import { openSqlite } from "../../src/store/sqlite/SqliteDatabase.js";
import {
  CHANNEL,
  CITATION,
  CITATION_WITHOUT_URL,
  GUILD,
  MODERATOR,
  makeTempDir,
  openPinStore,
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

const quiet = createLogger({ level: "error" });

/** Creates the file at schema version `target`, as the newsdesk of that version left it. */
async function migrateTo(target: number): Promise<void> {
  await (await openSqlite(file, { log: quiet, schemaVersion: target })).close();
}

/** The file's schema version (`PRAGMA user_version`). */
const schemaVersion = (db: Database.Database) =>
  db.pragma("user_version", { simple: true }) as number;

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
  it("has at least two versions, so that upgrading is tested", async () => {
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(2);
  });

  it("builds the current schema on an empty database, in WAL mode", async () => {
    await (await openPinStore(file)).close();
    withDatabase((db) => {
      expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
      expect(tables(db)).toEqual(expect.arrayContaining(["answers", "pins", "unanswered"]));
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    });
  });

  it("opens a new database at schema version 10", async () => {
    await (await openPinStore(file)).close();
    withDatabase((db) => expect(schemaVersion(db)).toBe(10));
    expect(SCHEMA_VERSION).toBe(10);
  });

  it("upgrades a version-9 database to folder articles, keeping its fetched articles", async () => {
    await migrateTo(9);
    withDatabase((db) => {
      db.prepare(
        `INSERT INTO feeds (url, next_poll_at, added_by, added_at) VALUES (?, ?, ?, ?)`,
      ).run("https://news.test/feed.xml", 1, MODERATOR, 1);
      const insert = db.prepare(
        `INSERT INTO fetched_articles (id, guild_id, origin, feed_id, url, title, paragraphs, added_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      insert.run("from-feed", GUILD, "feed", 1, "https://news.test/a", "A", '["One."]', 10);
      insert.run("from-link", GUILD, "link", null, "https://news.test/b", "B", '["Two."]', 20);
      expect(() =>
        insert.run("folder-too-early", null, "folder", null, null, "C", '["Three."]', 30),
      ).toThrow(/CHECK constraint/);
    });
    const db = await openSqlite(file, { log: quiet });
    const rows = await db.read((sql) =>
      sql.all("SELECT id, origin, feed_id, host, added_at FROM fetched_articles ORDER BY id"),
    );
    expect(rows).toEqual([
      { id: "from-feed", origin: "feed", feed_id: 1, host: null, added_at: 10 },
      { id: "from-link", origin: "link", feed_id: null, host: null, added_at: 20 },
    ]);
    // The rebuilt table keeps its rules: ids without case, a feed removed leaves its articles.
    await db.keep((sql) => sql.run("DELETE FROM feeds WHERE id = 1"));
    expect(
      await db.read((sql) =>
        sql.get("SELECT feed_id FROM fetched_articles WHERE id = 'FROM-FEED'"),
      ),
    ).toEqual({ feed_id: null });
    await db.keep((sql) =>
      sql.run(
        `INSERT INTO fetched_articles (id, origin, title, paragraphs, added_at, host)
         VALUES ('folder-one', 'folder', 'C', '["Three."]', 30, 'host-a:/data')`,
      ),
    );
    await db.close();
    withDatabase((raw) => {
      expect(schemaVersion(raw)).toBe(SCHEMA_VERSION);
      const indexes = raw
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?")
        .all("fetched_articles")
        .map((row) => (row as { name: string }).name);
      expect(indexes).toEqual(
        expect.arrayContaining([
          "fetched_articles_by_guild",
          "fetched_articles_by_time",
          "fetched_articles_by_feed",
          "fetched_articles_by_host",
        ]),
      );
    });
  });

  it("upgrades a version-3 database: its unanswered questions were all refusals", async () => {
    await migrateTo(3);
    withDatabase((db) => {
      db.prepare(
        `INSERT INTO unanswered (guild_id, channel_id, question, question_key, asked_at)
         VALUES (?, ?, ?, ?, ?)`,
      ).run(GUILD, CHANNEL, "Who is the new mayor?", questionKey("Who is the new mayor?"), 2_000);
    });
    const store = await openPinStore(file);
    store.recordUnanswered({
      guildId: GUILD,
      channelId: CHANNEL,
      question: "who is the new MAYOR",
      at: 3_000,
      uncertain: true,
    });
    expect((await store.listUnanswered(GUILD, { page: 1, pageSize: 10 })).items).toEqual([
      {
        question: "who is the new MAYOR",
        channelId: CHANNEL,
        count: 2,
        uncertain: 1,
        lastAskedAt: 3_000,
      },
    ]);
    await store.close();
  });

  it("upgrades a version-1 database, giving its unanswered questions their keys", async () => {
    await migrateTo(1);
    withDatabase((db) => {
      insertPinRow(db);
      db.prepare(
        "INSERT INTO unanswered (guild_id, channel_id, question, asked_at) VALUES (?, ?, ?, ?)",
      ).run(GUILD, CHANNEL, "Who is the new mayor?", 2_000);
    });

    const store = await openPinStore(file);
    const pin = await store.getPinByMessage(GUILD, "9001");
    expect(pin).toMatchObject({
      question: "How long would the ceasefire last?",
      citations: [CITATION],
    });
    expect((await store.findPinnedAnswer(GUILD, "how long will the ceasefire last"))?.pin).toEqual(
      pin,
    );
    // The old row got its key in the upgrade: a rephrasing asked now counts with it.
    store.recordUnanswered({
      guildId: GUILD,
      channelId: CHANNEL,
      question: "who's the NEW mayor",
      at: 3_000,
    });
    expect((await store.listUnanswered(GUILD, { page: 1, pageSize: 10 })).items).toEqual([
      {
        question: "who's the NEW mayor",
        channelId: CHANNEL,
        count: 2,
        uncertain: 0,
        lastAskedAt: 3_000,
      },
    ]);
    await store.close();
    withDatabase((db) => expect(schemaVersion(db)).toBe(SCHEMA_VERSION));
  });

  it("upgrades a version-2 database holding pins and unanswered questions, keeping them", async () => {
    await migrateTo(2);
    withDatabase((db) => {
      expect(tables(db)).not.toContain("answers");
      insertPinRow(db);
      // As version 2 records them: with their key.
      db.prepare(
        `INSERT INTO unanswered (guild_id, channel_id, question, question_key, asked_at)
         VALUES (?, ?, ?, ?, ?)`,
      ).run(GUILD, CHANNEL, "Who is the new mayor?", questionKey("Who is the new mayor?"), 2_000);
    });

    const store = await openPinStore(file);
    expect(await store.getPinByMessage(GUILD, "9001")).toEqual({
      id: expect.any(Number),
      guildId: GUILD,
      channelId: CHANNEL,
      messageId: "9001",
      question: "How long would the ceasefire last?",
      citations: [CITATION],
      pinnedBy: MODERATOR,
      pinnedAt: 1_000,
    });
    expect((await store.listUnanswered(GUILD, { page: 1, pageSize: 10 })).items).toEqual([
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
    expect(await store.getAnswer(GUILD, "9002")).toEqual(answer);
    await store.close();
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

  it("upgrades a version-4 database to the feed tables, keeping its pins", async () => {
    await migrateTo(4);
    withDatabase((db) => {
      expect(tables(db)).not.toContain("feeds");
      insertPinRow(db);
    });
    const store = await openPinStore(file);
    expect((await store.listPins(GUILD, { page: 1, pageSize: 10 })).total).toBe(1);
    await store.close();
    withDatabase((db) => {
      expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
      expect(tables(db)).toEqual(
        expect.arrayContaining(["feeds", "seen_items", "fetched_articles"]),
      );
    });
  });

  it("opens an up-to-date database without changing it", async () => {
    await (await openPinStore(file)).close();
    const store = await openPinStore(file);
    await store.close();
    withDatabase((db) => expect(schemaVersion(db)).toBe(SCHEMA_VERSION));
  });

  it("refuses a database from a newer newsdesk with one clear line, and leaves it alone", async () => {
    await (await openPinStore(file)).close();
    withDatabase((db) => db.pragma(`user_version = ${SCHEMA_VERSION + 1}`));
    let error: unknown;
    try {
      await openPinStore(file);
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

  it("knows no version beyond its own", async () => {
    await expect(
      openSqlite(file, { log: quiet, schemaVersion: SCHEMA_VERSION + 1 }),
    ).rejects.toThrow(RangeError);
    withDatabase((db) => expect(schemaVersion(db)).toBe(0));
  });
});
