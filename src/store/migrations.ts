/**
 * The database's schema, as numbered migrations kept in code, each written for both engines:
 * version N is the same tables, columns and indexes on SQLite and on PostgreSQL, in each one's
 * dialect (SQLite's STRICT integers are PostgreSQL's bigint; its JSON text with a json_valid
 * check is jsonb; its NOCASE article ids are citext). Opening a database applies the missing
 * ones in one transaction that no other process can run at the same time (SQLite's immediate
 * transaction; PostgreSQL's advisory lock), so a host or shard that opens it while another
 * migrates waits, then finds the work done. Where the version is kept is the engine's
 * (`PRAGMA user_version`; the `newsdesk_schema` table). A migration, once released, is never
 * edited: a change is a new migration.
 */
import type { Dialect, Sql } from "./database.js";

/** One schema change: what it does, its DDL on each engine, and what it does to the rows. */
export interface Migration {
  readonly description: string;
  /** The statements, per dialect, run as one script. */
  readonly ddl: Readonly<Record<Dialect, string>>;
  /** Run after the DDL, on either engine, in the same transaction (rows to compute in code). */
  readonly after?: (sql: Sql) => Promise<void>;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    description: "pins and unanswered questions",
    // AUTOINCREMENT (and PostgreSQL's identity, a sequence): a removed pin's id is never given
    // to a new pin, so a moderator's `/pins remove id:` typed from an old list cannot hit
    // another answer.
    ddl: {
      sqlite: `
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
      `,
      postgres: `
        CREATE TABLE pins (
          id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          guild_id text NOT NULL,
          channel_id text NOT NULL,
          message_id text,
          question text NOT NULL,
          citations jsonb NOT NULL,
          pinned_by text NOT NULL,
          pinned_at bigint NOT NULL
        );
        CREATE INDEX pins_by_guild ON pins (guild_id, id);
        CREATE UNIQUE INDEX pins_by_message ON pins (guild_id, message_id)
          WHERE message_id IS NOT NULL;
        CREATE TABLE unanswered (
          id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          guild_id text NOT NULL,
          channel_id text NOT NULL,
          question text NOT NULL,
          asked_at bigint NOT NULL
        );
        CREATE INDEX unanswered_by_time ON unanswered (guild_id, asked_at);
      `,
    },
  },
  {
    description: "count unanswered questions by their terms, not their exact text",
    // The key comes from the text pipeline (questionKey), which SQL cannot run: existing rows
    // get theirs here, new rows when they are recorded. A change to questionKey or to the
    // pipeline needs a migration that recomputes the keys, or old and new rows count apart.
    ddl: {
      sqlite: `
        ALTER TABLE unanswered ADD COLUMN question_key TEXT NOT NULL DEFAULT '';
        CREATE INDEX unanswered_by_key ON unanswered (guild_id, question_key, asked_at);
      `,
      postgres: `
        ALTER TABLE unanswered ADD COLUMN question_key text NOT NULL DEFAULT '';
        CREATE INDEX unanswered_by_key ON unanswered (guild_id, question_key, asked_at);
      `,
    },
    async after(sql) {
      const rows = await sql.all<{ id: number; question: string }>(
        "SELECT id, question FROM unanswered",
      );
      if (rows.length === 0) return;
      // Loaded only here: the text pipeline brings the language models, which a process that
      // merely opens the database (deploy-commands) must not pay for.
      const { questionKey } = await import("../pins/questionMatch.js");
      for (const row of rows) {
        await sql.run("UPDATE unanswered SET question_key = ? WHERE id = ?", [
          questionKey(row.question),
          row.id,
        ]);
      }
    },
  },
  {
    description: "answers the bot sent, so that their messages can be pinned",
    // Pruned by answered_at when an answer is recorded (ANSWER_RETENTION_MS), hence the index.
    ddl: {
      sqlite: `
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
      `,
      postgres: `
        CREATE TABLE answers (
          guild_id text NOT NULL,
          message_id text NOT NULL,
          channel_id text NOT NULL,
          question text NOT NULL,
          citations jsonb NOT NULL,
          answered_at bigint NOT NULL,
          PRIMARY KEY (guild_id, message_id)
        );
        CREATE INDEX answers_by_time ON answers (answered_at);
      `,
    },
  },
  {
    description: "questions answered with low confidence, listed with the unanswered ones",
    ddl: {
      sqlite: "ALTER TABLE unanswered ADD COLUMN uncertain INTEGER NOT NULL DEFAULT 0;",
      postgres: "ALTER TABLE unanswered ADD COLUMN uncertain integer NOT NULL DEFAULT 0;",
    },
  },
  {
    description: "feeds, their poll state, the items seen, and the articles fetched",
    // guild_id NULL: an operator's feed (FEEDS_FILE) or a global article. A feed's URL is
    // unique per guild (NULLs are distinct in a plain unique index, hence the expression). Seen
    // items go with their feed; an article outlives its feed (pins may cite it) until retention
    // prunes it. Article ids compare without case, as the library's do: SQLite's NOCASE,
    // PostgreSQL's citext (a trusted extension of postgresql-contrib: the database's owner may
    // create it).
    ddl: {
      sqlite: `
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
      `,
      postgres: `
        CREATE EXTENSION IF NOT EXISTS citext;
        CREATE TABLE feeds (
          id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          guild_id text,
          url text NOT NULL,
          channel_id text,
          etag text,
          last_modified text,
          next_poll_at bigint NOT NULL,
          last_success_at bigint,
          failures integer NOT NULL DEFAULT 0,
          failing_since bigint,
          last_error text,
          added_by text NOT NULL,
          added_at bigint NOT NULL
        );
        CREATE UNIQUE INDEX feeds_by_url ON feeds (coalesce(guild_id, ''), url);
        CREATE INDEX feeds_due ON feeds (next_poll_at);
        CREATE TABLE fetched_articles (
          id citext PRIMARY KEY,
          guild_id text,
          origin text NOT NULL CHECK (origin IN ('feed', 'link')),
          feed_id bigint REFERENCES feeds (id) ON DELETE SET NULL,
          url text,
          title text NOT NULL,
          source text,
          published text,
          paragraphs jsonb NOT NULL,
          added_at bigint NOT NULL
        );
        CREATE INDEX fetched_articles_by_guild ON fetched_articles (guild_id, added_at);
        CREATE INDEX fetched_articles_by_time ON fetched_articles (added_at);
        CREATE INDEX fetched_articles_by_feed ON fetched_articles (feed_id);
        CREATE TABLE seen_items (
          feed_id bigint NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
          item_key text NOT NULL,
          article_id text,
          seen_at bigint NOT NULL,
          PRIMARY KEY (feed_id, item_key)
        );
      `,
    },
  },
  {
    description: "a feed's title, and the channel its moderators are told in when it fails",
    // notice_channel_id: where /feeds add was run; a failing feed without an announcement
    // channel is reported there. title: the feed's own, as its last good poll gave it.
    ddl: {
      sqlite: `
        ALTER TABLE feeds ADD COLUMN title TEXT;
        ALTER TABLE feeds ADD COLUMN notice_channel_id TEXT;
      `,
      postgres: `
        ALTER TABLE feeds ADD COLUMN title text;
        ALTER TABLE feeds ADD COLUMN notice_channel_id text;
      `,
    },
  },
  {
    description: "the turns of the conversations in threads and forum posts",
    // One row a turn, numbered within its thread; the store keeps the last few of each
    // thread and forgets idle threads (src/threads/ConversationStore.ts). citations: the
    // paragraphs the answer showed, as [{ articleId, paragraph }].
    ddl: {
      sqlite: `
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
      `,
      postgres: `
        CREATE TABLE conversation_turns (
          guild_id text NOT NULL,
          thread_id text NOT NULL,
          turn integer NOT NULL,
          question text NOT NULL,
          searched text NOT NULL,
          citations jsonb NOT NULL,
          answered integer NOT NULL CHECK (answered IN (0, 1)),
          asked_at bigint NOT NULL,
          PRIMARY KEY (guild_id, thread_id, turn)
        );
        CREATE INDEX conversation_turns_by_time ON conversation_turns (asked_at);
      `,
    },
  },
  {
    description:
      "the questions asked in servers, the 👍/👎 votes on their answers, per-server vote secrets",
    // asked: one row per question answered or abstained in a server (no member id, by design);
    // message_id is the answer's message, what a vote button is on. pin_id: the pin that led
    // the answer. votes: one per member and question, the member only as an HMAC of their id
    // under the server's secret (vote_secrets, made on the first vote); a question's votes go
    // with it when retention prunes it.
    ddl: {
      sqlite: `
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
      `,
      postgres: `
        CREATE TABLE asked (
          id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          guild_id text NOT NULL,
          channel_id text NOT NULL,
          message_id text,
          question text NOT NULL,
          question_key text NOT NULL,
          outcome text NOT NULL CHECK (outcome IN ('high', 'low', 'abstained', 'pinned')),
          confidence text NOT NULL CHECK (confidence IN ('high', 'low', 'none')),
          citations jsonb NOT NULL,
          pin_id bigint,
          asked_at bigint NOT NULL
        );
        CREATE INDEX asked_by_time ON asked (guild_id, asked_at);
        CREATE UNIQUE INDEX asked_by_message ON asked (guild_id, message_id)
          WHERE message_id IS NOT NULL;
        CREATE INDEX asked_by_pin ON asked (guild_id, pin_id) WHERE pin_id IS NOT NULL;
        CREATE TABLE votes (
          asked_id bigint NOT NULL REFERENCES asked (id) ON DELETE CASCADE,
          voter text NOT NULL,
          vote integer NOT NULL CHECK (vote IN (1, -1)),
          reason text CHECK (reason IN ('wrong-passage', 'outdated', 'not-in-articles', 'other')),
          voted_at bigint NOT NULL,
          PRIMARY KEY (asked_id, voter)
        );
        CREATE TABLE vote_secrets (
          guild_id text PRIMARY KEY,
          secret bytea NOT NULL
        );
      `,
    },
  },
  {
    description: "leases: which process does the work that must happen once (SQLite's election)",
    // One row per piece of once-only work (the feed poll, deploy-commands), held by the process
    // whose `holder` it names until `expires_at` (milliseconds since the epoch) unless renewed:
    // see src/store/sqlite/leaseClaim.ts. PostgreSQL elects with advisory locks and leaves the
    // table empty; it is there so that both engines keep one schema.
    ddl: {
      sqlite: `
        CREATE TABLE leases (
          name TEXT PRIMARY KEY,
          holder TEXT NOT NULL,
          expires_at INTEGER NOT NULL
        ) STRICT;
      `,
      postgres: `
        CREATE TABLE leases (
          name text PRIMARY KEY,
          holder text NOT NULL,
          expires_at bigint NOT NULL
        );
      `,
    },
  },
  {
    description: "articles of the hosts' folders in the shared article store (origin 'folder')",
    // On PostgreSQL the hosts share one library: each host writes its articles folder's articles
    // here (origin 'folder', `host` naming the host and folder that wrote it, see
    // src/feeds/FolderShare.ts) so that the others index them. SQLite keeps the same schema
    // (its processes share one machine and read the folder themselves). SQLite cannot change a
    // CHECK constraint in place: the table is made anew and its rows copied.
    ddl: {
      sqlite: `
        CREATE TABLE fetched_articles_v10 (
          id TEXT PRIMARY KEY COLLATE NOCASE,
          guild_id TEXT,
          origin TEXT NOT NULL CHECK (origin IN ('feed', 'link', 'folder')),
          feed_id INTEGER REFERENCES feeds (id) ON DELETE SET NULL,
          url TEXT,
          title TEXT NOT NULL,
          source TEXT,
          published TEXT,
          paragraphs TEXT NOT NULL CHECK (json_valid(paragraphs)),
          added_at INTEGER NOT NULL,
          host TEXT
        ) STRICT;
        INSERT INTO fetched_articles_v10
          (id, guild_id, origin, feed_id, url, title, source, published, paragraphs, added_at)
          SELECT id, guild_id, origin, feed_id, url, title, source, published, paragraphs, added_at
          FROM fetched_articles;
        DROP TABLE fetched_articles;
        ALTER TABLE fetched_articles_v10 RENAME TO fetched_articles;
        CREATE INDEX fetched_articles_by_guild ON fetched_articles (guild_id, added_at);
        CREATE INDEX fetched_articles_by_time ON fetched_articles (added_at);
        CREATE INDEX fetched_articles_by_feed ON fetched_articles (feed_id);
        CREATE INDEX fetched_articles_by_host ON fetched_articles (host) WHERE host IS NOT NULL;
      `,
      postgres: `
        ALTER TABLE fetched_articles DROP CONSTRAINT fetched_articles_origin_check;
        ALTER TABLE fetched_articles ADD CONSTRAINT fetched_articles_origin_check
          CHECK (origin IN ('feed', 'link', 'folder'));
        ALTER TABLE fetched_articles ADD COLUMN host text;
        CREATE INDEX fetched_articles_by_host ON fetched_articles (host) WHERE host IS NOT NULL;
      `,
    },
  },
];

/** The schema version this code writes: the number of migrations. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Applies migrations `from` (the version found) up to `to`, in order, on the caller's
 * transaction: the engine takes its lock, reads and writes its version, and calls this.
 * @throws NewerSchemaError when `from` is above `to` (the engine reports it as NEWER_SCHEMA)
 * @throws RangeError when `to` is not a known version
 */
export async function applyMigrations(sql: Sql, from: number, to: number): Promise<void> {
  if (!Number.isInteger(to) || to < 0 || to > SCHEMA_VERSION) {
    throw new RangeError(`database: no schema version ${to} (known: 0 to ${SCHEMA_VERSION})`);
  }
  if (from > to) throw new NewerSchemaError(from, to);
  for (let version = from; version < to; version++) {
    const migration = MIGRATIONS[version];
    if (migration === undefined) continue;
    await sql.exec(migration.ddl[sql.dialect]);
    await migration.after?.(sql);
  }
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
