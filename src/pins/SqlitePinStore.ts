/**
 * The pin store on one SQLite file (better-sqlite3), shared by every shard process of
 * `npm run start:sharded`: WAL mode lets readers and one writer work at once, a busy timeout
 * makes a writer wait for another process instead of failing, and every write is an immediate
 * transaction (it takes the write lock at its start, so two processes never deadlock upgrading
 * a read to a write).
 */
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { Citation } from "../answer/types.js";
import { MAX_QUESTION_CHARS } from "../constants.js";
import { MAX_PAGE_SIZE, type Page, type PageRequest } from "../page.js";
import { PinStoreError, type PinStoreErrorCode } from "./errors.js";
import { migrate, NewerSchemaError, SCHEMA_VERSION } from "./migrations.js";
import { matchPinnedTerms, questionKey, questionTerms } from "./questionMatch.js";
import {
  ANSWER_RETENTION_MS,
  type NewPin,
  type Pin,
  type PinnedAnswer,
  type PinStore,
  type SentAnswer,
  UNANSWERED_RETENTION_MS,
  type UnansweredQuestion,
  type UnansweredRequest,
  type UnansweredSummary,
} from "./types.js";

/**
 * How long a write waits for another process's write to finish before failing. Writes take
 * milliseconds; this only matters when a shard holds the lock while the others queue up.
 */
export const BUSY_TIMEOUT_MS = 5_000;

/** Pinned questions whose terms a store keeps in memory (about 100 bytes each). */
const PIN_TERMS_CACHED = 100_000;

/** In-memory database (tests, `npm run ask`): no file, nothing shared, gone on close. */
export const MEMORY = ":memory:";

interface PinRow {
  id: number;
  guild_id: string;
  channel_id: string;
  message_id: string | null;
  question: string;
  citations: string;
  pinned_by: string;
  pinned_at: number;
}

const PIN_COLUMNS =
  "id, guild_id, channel_id, message_id, question, citations, pinned_by, pinned_at";

function toPin(row: PinRow): Pin {
  return {
    id: row.id,
    guildId: row.guild_id,
    channelId: row.channel_id,
    ...(row.message_id === null ? {} : { messageId: row.message_id }),
    question: row.question,
    citations: JSON.parse(row.citations) as Citation[],
    pinnedBy: row.pinned_by,
    pinnedAt: row.pinned_at,
  };
}

interface AnswerRow {
  guild_id: string;
  channel_id: string;
  message_id: string;
  question: string;
  citations: string;
  answered_at: number;
}

function toSentAnswer(row: AnswerRow): SentAnswer {
  return {
    guildId: row.guild_id,
    channelId: row.channel_id,
    messageId: row.message_id,
    question: row.question,
    citations: JSON.parse(row.citations) as Citation[],
    answeredAt: row.answered_at,
  };
}

/** The offset and limit of a page, after checking the request. */
function pageWindow(request: PageRequest): { limit: number; offset: number } {
  const { page, pageSize } = request;
  if (!Number.isSafeInteger(page) || page < 1) {
    throw new RangeError(`pins: page must be a whole number from 1, got ${page}`);
  }
  if (!Number.isSafeInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new RangeError(`pins: pageSize must be from 1 to ${MAX_PAGE_SIZE}, got ${pageSize}`);
  }
  return { limit: pageSize, offset: (page - 1) * pageSize };
}

function toPage<T>(items: readonly T[], total: number, request: PageRequest): Page<T> {
  return {
    items,
    total,
    page: request.page,
    pageCount: Math.ceil(total / request.pageSize),
  };
}

/**
 * Opens (or creates) the pin database at `file`: creates its folder, switches to WAL, applies the
 * missing migrations and checks that the file can be written.
 *
 * @param file - the database file (`DATABASE_PATH`), or {@link MEMORY}
 * @throws PinStoreError with a one-line message naming the file and what to do, when the folder
 *   or file cannot be created or opened, the file is not a database or is damaged, it cannot be
 *   written, another process keeps it locked, or it comes from a newer newsdesk
 */
export function openPinStore(file: string): PinStore {
  return SqlitePinStore.open(file);
}

export class SqlitePinStore implements PinStore {
  readonly #db: Database.Database;
  readonly #statements;
  /**
   * The matcher's terms of each pinned question, by pin id: a pin's question never changes and
   * its id is never reused, so an entry never goes stale, and a pin added by another shard is
   * simply computed on first sight. Without it every question ran every pinned question of its
   * guild through the text pipeline again (7 ms a question with 1,000 pins).
   */
  readonly #termsByPin = new Map<number, readonly string[]>();

  private constructor(
    db: Database.Database,
    /** The database file, as given to {@link openPinStore}. */
    readonly file: string,
  ) {
    this.#db = db;
    this.#statements = {
      insertPin: db.prepare<unknown[], PinRow>(
        `INSERT INTO pins (guild_id, channel_id, message_id, question, citations, pinned_by, pinned_at)
         VALUES (?, ?, ?, ?, json(?), ?, ?)
         ON CONFLICT (guild_id, message_id) WHERE message_id IS NOT NULL DO NOTHING
         RETURNING ${PIN_COLUMNS}`,
      ),
      getPin: db.prepare<unknown[], PinRow>(
        `SELECT ${PIN_COLUMNS} FROM pins WHERE guild_id = ? AND id = ?`,
      ),
      getPinByMessage: db.prepare<unknown[], PinRow>(
        `SELECT ${PIN_COLUMNS} FROM pins WHERE guild_id = ? AND message_id = ?`,
      ),
      listPins: db.prepare<unknown[], PinRow>(
        `SELECT ${PIN_COLUMNS} FROM pins WHERE guild_id = ? ORDER BY id DESC LIMIT ? OFFSET ?`,
      ),
      countPins: db
        .prepare<unknown[], number>("SELECT count(*) FROM pins WHERE guild_id = ?")
        .pluck(),
      pinQuestions: db.prepare<unknown[], { id: number; question: string }>(
        "SELECT id, question FROM pins WHERE guild_id = ? ORDER BY id",
      ),
      deletePin: db.prepare<unknown[], PinRow>(
        `DELETE FROM pins WHERE guild_id = ? AND id = ? RETURNING ${PIN_COLUMNS}`,
      ),
      insertUnanswered: db.prepare(
        `INSERT INTO unanswered (guild_id, channel_id, question, question_key, asked_at, uncertain)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      // Bare columns next to max(): SQLite takes them from the row with the latest time
      // (https://sqlite.org/lang_select.html#bare_columns_in_an_aggregate_query).
      listUnanswered: db.prepare<unknown[], UnansweredSummary>(
        `SELECT question, channel_id AS channelId, count(*) AS count, sum(uncertain) AS uncertain,
           max(asked_at) AS lastAskedAt
         FROM unanswered WHERE guild_id = ? AND asked_at >= ?
         GROUP BY question_key
         ORDER BY count DESC, lastAskedAt DESC, question_key
         LIMIT ? OFFSET ?`,
      ),
      countUnanswered: db
        .prepare<unknown[], number>(
          `SELECT count(DISTINCT question_key) FROM unanswered
           WHERE guild_id = ? AND asked_at >= ?`,
        )
        .pluck(),
      upsertAnswer: db.prepare(
        `INSERT INTO answers (guild_id, message_id, channel_id, question, citations, answered_at)
         VALUES (?, ?, ?, ?, json(?), ?)
         ON CONFLICT (guild_id, message_id) DO UPDATE SET
           channel_id = excluded.channel_id,
           question = excluded.question,
           citations = excluded.citations,
           answered_at = excluded.answered_at`,
      ),
      pruneAnswers: db.prepare("DELETE FROM answers WHERE answered_at < ?"),
      // Per guild, on the (guild_id, asked_at) index: no scan of other guilds' rows.
      pruneUnanswered: db.prepare("DELETE FROM unanswered WHERE guild_id = ? AND asked_at < ?"),
      getAnswer: db.prepare<unknown[], AnswerRow>(
        `SELECT guild_id, channel_id, message_id, question, citations, answered_at
         FROM answers WHERE guild_id = ? AND message_id = ?`,
      ),
    };
  }

  /** See {@link openPinStore}. */
  static open(file: string): SqlitePinStore {
    let db: Database.Database | undefined;
    try {
      if (file !== MEMORY) makeFolder(path.dirname(path.resolve(file)));
      db = new Database(file);
      // First, so that the journal-mode switch and the migrations wait for other processes too.
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      const mode = db.pragma("journal_mode = WAL", { simple: true });
      if (file !== MEMORY && mode !== "wal") {
        throw new PinStoreError(
          "CANNOT_OPEN",
          file,
          `pins: ${file} cannot use SQLite's WAL mode (got "${String(mode)}"; is it on a network file system?); set DATABASE_PATH to a file on a local disk`,
        );
      }
      // WAL with synchronous=NORMAL is safe against corruption; a power cut may lose the last
      // few writes, which for pins is the right trade for not syncing on every question.
      db.pragma("synchronous = NORMAL");
      db.pragma("foreign_keys = ON");
      migrate(db);
      return new SqlitePinStore(db, file);
    } catch (error) {
      db?.close();
      throw asPinStoreError(error, file);
    }
  }

  addPin(pin: NewPin): Pin {
    return this.#db
      .transaction(() => {
        const row = this.#statements.insertPin.get(
          pin.guildId,
          pin.channelId,
          pin.messageId ?? null,
          pin.question,
          JSON.stringify(pin.citations),
          pin.pinnedBy,
          pin.pinnedAt,
        );
        if (row) return toPin(row);
        // The message was already pinned in this guild (the insert did nothing).
        const existing = this.#statements.getPinByMessage.get(pin.guildId, pin.messageId);
        if (!existing) throw new Error("pins: insert did nothing, and no pin has that message");
        return toPin(existing);
      })
      .immediate();
  }

  getPin(guildId: string, id: number): Pin | undefined {
    const row = this.#statements.getPin.get(guildId, id);
    return row && toPin(row);
  }

  getPinByMessage(guildId: string, messageId: string): Pin | undefined {
    const row = this.#statements.getPinByMessage.get(guildId, messageId);
    return row && toPin(row);
  }

  listPins(guildId: string, request: PageRequest): Page<Pin> {
    const { limit, offset } = pageWindow(request);
    return this.#db.transaction(() => {
      const rows = this.#statements.listPins.all(guildId, limit, offset);
      const total = this.#statements.countPins.get(guildId) ?? 0;
      return toPage(rows.map(toPin), total, request);
    })();
  }

  removePin(guildId: string, id: number): Pin | undefined {
    return this.#db
      .transaction(() => {
        const row = this.#statements.deletePin.get(guildId, id);
        return row && toPin(row);
      })
      .immediate();
  }

  findPinnedAnswer(guildId: string, question: string): PinnedAnswer | undefined {
    return this.#db.transaction(() => {
      const candidates = this.#statements.pinQuestions.all(guildId);
      const match = matchPinnedTerms(questionTerms(question), candidates, (c) =>
        this.#pinTerms(c.id, c.question),
      );
      if (!match) return undefined;
      const pin = this.getPin(guildId, match.candidate.id);
      return pin && { pin, similarity: match.similarity };
    })();
  }

  /** The terms of pin `id`'s question, from the cache or computed once. */
  #pinTerms(id: number, question: string): readonly string[] {
    let found = this.#termsByPin.get(id);
    if (found === undefined) {
      // Bounded: a process that sees more pins than this starts the cache over.
      if (this.#termsByPin.size >= PIN_TERMS_CACHED) this.#termsByPin.clear();
      found = questionTerms(question);
      this.#termsByPin.set(id, found);
    }
    return found;
  }

  recordUnanswered(question: UnansweredQuestion): void {
    // People paste whole articles; the answer service reads no more than this either.
    const text = question.question.slice(0, MAX_QUESTION_CHARS);
    this.#db
      .transaction(() => {
        this.#statements.pruneUnanswered.run(
          question.guildId,
          question.at - UNANSWERED_RETENTION_MS,
        );
        this.#statements.insertUnanswered.run(
          question.guildId,
          question.channelId,
          text,
          questionKey(text),
          question.at,
          question.uncertain ? 1 : 0,
        );
      })
      .immediate();
  }

  listUnanswered(guildId: string, request: UnansweredRequest): Page<UnansweredSummary> {
    const { limit, offset } = pageWindow(request);
    const since = request.sinceMs ?? Number.MIN_SAFE_INTEGER;
    return this.#db.transaction(() => {
      const items = this.#statements.listUnanswered.all(guildId, since, limit, offset);
      const total = this.#statements.countUnanswered.get(guildId, since) ?? 0;
      return toPage(items, total, request);
    })();
  }

  recordAnswer(answer: SentAnswer): void {
    const text = answer.question.slice(0, MAX_QUESTION_CHARS);
    this.#db
      .transaction(() => {
        this.#statements.pruneAnswers.run(answer.answeredAt - ANSWER_RETENTION_MS);
        this.#statements.upsertAnswer.run(
          answer.guildId,
          answer.messageId,
          answer.channelId,
          text,
          JSON.stringify(answer.citations),
          answer.answeredAt,
        );
      })
      .immediate();
  }

  getAnswer(guildId: string, messageId: string): SentAnswer | undefined {
    const row = this.#statements.getAnswer.get(guildId, messageId);
    return row && toSentAnswer(row);
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }
}

/**
 * Creates `dir` and its missing parents, one level at a time. Not `mkdirSync(dir, { recursive:
 * true })`: on Node 20 that loops forever where a parent exists but refuses new entries with
 * ENOENT (a path under /proc), and the bot would hang at start-up instead of saying why.
 * @throws the error of the first level that cannot be made (EACCES, ENOTDIR, ENOENT...)
 */
function makeFolder(dir: string): void {
  if (existsSync(dir)) return;
  const parent = path.dirname(dir);
  if (parent !== dir) makeFolder(parent);
  try {
    mkdirSync(dir);
  } catch (error) {
    // Another shard made it in between: what was wanted.
    if ((error as { code?: unknown }).code !== "EEXIST") throw error;
  }
}

/** The SQLite result codes (extended ones included) that mean each problem. */
const CODES: readonly (readonly [RegExp, PinStoreErrorCode])[] = [
  [/^SQLITE_(?:NOTADB|CORRUPT)/, "CORRUPT"],
  [/^SQLITE_READONLY/, "READ_ONLY"],
  [/^SQLITE_(?:BUSY|LOCKED)/, "LOCKED"],
  [/^(?:SQLITE_(?:CANTOPEN|PERM|AUTH|IOERR)|E[A-Z]+$)/, "CANNOT_OPEN"],
];

/** What to tell the operator, per problem: the file is named first, the remedy last. */
function describe(code: PinStoreErrorCode, file: string, cause: string): string {
  switch (code) {
    case "CORRUPT":
      return `pins: ${file} is not a newsdesk database or is damaged (${cause}); move it away to start with an empty one, or set DATABASE_PATH to another file`;
    case "READ_ONLY":
      return `pins: ${file} cannot be written (${cause}); let the user running newsdesk write the file and its folder, or set DATABASE_PATH to a writable place`;
    case "LOCKED":
      return `pins: ${file} stayed locked by another process for ${BUSY_TIMEOUT_MS / 1000} s (${cause}); stop the process holding it, or set DATABASE_PATH to another file`;
    case "NEWER_SCHEMA":
      return `pins: ${file} was written by a newer newsdesk (${cause}); update newsdesk, or set DATABASE_PATH to another file`;
    case "CANNOT_OPEN":
      return `pins: cannot create or open ${file} (${cause}); check that its folder exists or can be created and is writable, or set DATABASE_PATH to another file`;
  }
}

function asPinStoreError(error: unknown, file: string): PinStoreError {
  if (error instanceof PinStoreError) return error;
  if (error instanceof NewerSchemaError) {
    const cause = `schema version ${error.found}; this newsdesk knows up to ${SCHEMA_VERSION}`;
    return new PinStoreError("NEWER_SCHEMA", file, describe("NEWER_SCHEMA", file, cause), {
      cause: error,
    });
  }
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const kind =
    typeof code === "string" ? CODES.find(([pattern]) => pattern.test(code))?.[1] : undefined;
  const cause =
    typeof code === "string" && !message.startsWith(code) ? `${code}: ${message}` : message;
  return new PinStoreError(
    kind ?? "CANNOT_OPEN",
    file,
    describe(kind ?? "CANNOT_OPEN", file, cause),
    {
      cause: error,
    },
  );
}
