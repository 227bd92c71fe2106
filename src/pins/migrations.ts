/**
 * The pin database's schema, as numbered migrations kept in code. The number of migrations
 * applied is the database's `PRAGMA user_version`; opening a database applies the missing ones,
 * in one transaction, so a shard that opens the file while another migrates waits, then finds
 * the work done. A migration, once released, is never edited: a change is a new migration.
 */
import type { Database } from "better-sqlite3";
import { questionKey } from "./questionMatch.js";

/** One schema change: what it does, and doing it. */
export interface Migration {
  readonly description: string;
  up(db: Database): void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    description: "pins and unanswered questions",
    up(db) {
      // AUTOINCREMENT: a removed pin's id is never given to a new pin, so a moderator's
      // `/pins remove id:` typed from an old list cannot hit another answer.
      db.exec(`
        CREATE TABLE pins (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          guild_id TEXT NOT NULL,
          channel_id TEXT NOT NULL,
          message_id TEXT,
          question TEXT NOT NULL,
          citations TEXT NOT NULL CHECK (json_valid(citations)),
          pinned_by TEXT NOT NULL,
          pinned_at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX pins_by_guild ON pins (guild_id, id);
        CREATE UNIQUE INDEX pins_by_message ON pins (guild_id, message_id)
          WHERE message_id IS NOT NULL;
        CREATE TABLE unanswered (
          id INTEGER PRIMARY KEY,
          guild_id TEXT NOT NULL,
          channel_id TEXT NOT NULL,
          question TEXT NOT NULL,
          asked_at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX unanswered_by_time ON unanswered (guild_id, asked_at);
      `);
    },
  },
  {
    description: "count unanswered questions by their terms, not their exact text",
    up(db) {
      // The key comes from the text pipeline (questionKey), which SQL cannot run: existing rows
      // get theirs here, new rows when they are recorded. A change to questionKey or to the
      // pipeline needs a migration that recomputes the keys, or old and new rows count apart.
      db.exec(`
        ALTER TABLE unanswered ADD COLUMN question_key TEXT NOT NULL DEFAULT '';
        CREATE INDEX unanswered_by_key ON unanswered (guild_id, question_key, asked_at);
      `);
      const rows = db.prepare("SELECT id, question FROM unanswered").all() as {
        id: number;
        question: string;
      }[];
      const update = db.prepare("UPDATE unanswered SET question_key = ? WHERE id = ?");
      for (const row of rows) update.run(questionKey(row.question), row.id);
    },
  },
  {
    description: "answers the bot sent, so that their messages can be pinned",
    up(db) {
      // Pruned by answered_at when an answer is recorded (ANSWER_RETENTION_MS), hence the index.
      db.exec(`
        CREATE TABLE answers (
          guild_id TEXT NOT NULL,
          message_id TEXT NOT NULL,
          channel_id TEXT NOT NULL,
          question TEXT NOT NULL,
          citations TEXT NOT NULL CHECK (json_valid(citations)),
          answered_at INTEGER NOT NULL,
          PRIMARY KEY (guild_id, message_id)
        ) STRICT;
        CREATE INDEX answers_by_time ON answers (answered_at);
      `);
    },
  },
  {
    description: "questions answered with low confidence, listed with the unanswered ones",
    up(db) {
      db.exec("ALTER TABLE unanswered ADD COLUMN uncertain INTEGER NOT NULL DEFAULT 0;");
    },
  },
  {
    description: "feeds, their poll state, the items seen, and the articles fetched",
    up(db) {
      // guild_id NULL: an operator's feed (FEEDS_FILE) or a global article. A feed's URL is
      // unique per guild (ifnull: NULLs are distinct in a plain unique index). Seen items go with
      // their feed; an article outlives its feed (pins may cite it) until retention prunes it.
      // Article ids compare without case, as the library's do.
      db.exec(`
        CREATE TABLE feeds (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          guild_id TEXT,
          url TEXT NOT NULL,
          channel_id TEXT,
          etag TEXT,
          last_modified TEXT,
          next_poll_at INTEGER NOT NULL,
          last_success_at INTEGER,
          failures INTEGER NOT NULL DEFAULT 0,
          failing_since INTEGER,
          last_error TEXT,
          added_by TEXT NOT NULL,
          added_at INTEGER NOT NULL
        ) STRICT;
        CREATE UNIQUE INDEX feeds_by_url ON feeds (ifnull(guild_id, ''), url);
        CREATE INDEX feeds_due ON feeds (next_poll_at);
        CREATE TABLE fetched_articles (
          id TEXT PRIMARY KEY COLLATE NOCASE,
          guild_id TEXT,
          origin TEXT NOT NULL CHECK (origin IN ('feed', 'link')),
          feed_id INTEGER REFERENCES feeds (id) ON DELETE SET NULL,
          url TEXT,
          title TEXT NOT NULL,
          source TEXT,
          published TEXT,
          paragraphs TEXT NOT NULL CHECK (json_valid(paragraphs)),
          added_at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX fetched_articles_by_guild ON fetched_articles (guild_id, added_at);
        CREATE INDEX fetched_articles_by_time ON fetched_articles (added_at);
        CREATE INDEX fetched_articles_by_feed ON fetched_articles (feed_id);
        CREATE TABLE seen_items (
          feed_id INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
          item_key TEXT NOT NULL,
          article_id TEXT,
          seen_at INTEGER NOT NULL,
          PRIMARY KEY (feed_id, item_key)
        ) STRICT, WITHOUT ROWID;
      `);
    },
  },
  {
    description: "a feed's title, and the channel its moderators are told in when it fails",
    up(db) {
      // notice_channel_id: where /feeds add was run; a failing feed without an announcement
      // channel is reported there. title: the feed's own, as its last good poll gave it.
      db.exec(`
        ALTER TABLE feeds ADD COLUMN title TEXT;
        ALTER TABLE feeds ADD COLUMN notice_channel_id TEXT;
      `);
    },
  },
  {
    description: "the turns of the conversations in threads and forum posts",
    up(db) {
      // One row a turn, numbered within its thread; the store keeps the last few of each
      // thread and forgets idle threads (src/threads/ConversationStore.ts). citations: the
      // paragraphs the answer showed, as [{ articleId, paragraph }].
      db.exec(`
        CREATE TABLE conversation_turns (
          guild_id TEXT NOT NULL,
          thread_id TEXT NOT NULL,
          turn INTEGER NOT NULL,
          question TEXT NOT NULL,
          searched TEXT NOT NULL,
          citations TEXT NOT NULL CHECK (json_valid(citations)),
          answered INTEGER NOT NULL CHECK (answered IN (0, 1)),
          asked_at INTEGER NOT NULL,
          PRIMARY KEY (guild_id, thread_id, turn)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX conversation_turns_by_time ON conversation_turns (asked_at);
      `);
    },
  },
  {
    description:
      "the questions asked in servers, the 👍/👎 votes on their answers, per-server vote secrets",
    up(db) {
      // asked: one row per question answered or abstained in a server (no member id, by design);
      // message_id is the answer's message, what a vote button is on. pin_id: the pin that led
      // the answer. votes: one per member and question, the member only as an HMAC of their id
      // under the server's secret (vote_secrets, made on the first vote); a question's votes go
      // with it when retention prunes it.
      db.exec(`
        CREATE TABLE asked (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          guild_id TEXT NOT NULL,
          channel_id TEXT NOT NULL,
          message_id TEXT,
          question TEXT NOT NULL,
          question_key TEXT NOT NULL,
          outcome TEXT NOT NULL CHECK (outcome IN ('high', 'low', 'abstained', 'pinned')),
          confidence TEXT NOT NULL CHECK (confidence IN ('high', 'low', 'none')),
          citations TEXT NOT NULL CHECK (json_valid(citations)),
          pin_id INTEGER,
          asked_at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX asked_by_time ON asked (guild_id, asked_at);
        CREATE UNIQUE INDEX asked_by_message ON asked (guild_id, message_id)
          WHERE message_id IS NOT NULL;
        CREATE INDEX asked_by_pin ON asked (guild_id, pin_id) WHERE pin_id IS NOT NULL;
        CREATE TABLE votes (
          asked_id INTEGER NOT NULL REFERENCES asked (id) ON DELETE CASCADE,
          voter TEXT NOT NULL,
          vote INTEGER NOT NULL CHECK (vote IN (1, -1)),
          reason TEXT CHECK (reason IN ('wrong-passage', 'outdated', 'not-in-articles', 'other')),
          voted_at INTEGER NOT NULL,
          PRIMARY KEY (asked_id, voter)
        ) STRICT, WITHOUT ROWID;
        CREATE TABLE vote_secrets (
          guild_id TEXT PRIMARY KEY,
          secret BLOB NOT NULL
        ) STRICT;
      `);
    },
  },
];

/** The schema version this code writes: the number of migrations. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** The database's schema version (`PRAGMA user_version`). */
export function schemaVersion(db: Database): number {
  return db.pragma("user_version", { simple: true }) as number;
}

/**
 * Brings the schema to version `target`, in one immediate transaction (it waits for other
 * writers, then no one else writes until it is done). Writes `user_version` even when there is
 * nothing to migrate: that write is what finds a read-only database at start-up rather than at
 * the first pin.
 *
 * @param target - default: {@link SCHEMA_VERSION}; tests pass a lower one to build old databases
 * @returns the version found before migrating
 * @throws Error when the database is at a version newer than `target` (the caller reports it)
 */
export function migrate(db: Database, target: number = SCHEMA_VERSION): number {
  if (!Number.isInteger(target) || target < 0 || target > SCHEMA_VERSION) {
    throw new RangeError(`pins: no schema version ${target} (known: 0 to ${SCHEMA_VERSION})`);
  }
  return db
    .transaction(() => {
      const found = schemaVersion(db);
      if (found > target) throw new NewerSchemaError(found, target);
      for (let version = found; version < target; version++) MIGRATIONS[version]?.up(db);
      db.pragma(`user_version = ${target}`);
      return found;
    })
    .immediate();
}

/** A database at a schema version newer than the code that opens it. */
export class NewerSchemaError extends Error {
  override readonly name = "NewerSchemaError";
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super(`schema version ${found} is newer than ${known}`);
  }
}
