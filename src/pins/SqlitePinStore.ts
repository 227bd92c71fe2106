/**
 * The pin store on one SQLite file (better-sqlite3), shared by every shard process of
 * `npm run start:sharded`: WAL mode lets readers and one writer work at once, and every write
 * is an immediate transaction (it takes the write lock at its start, so two processes never
 * deadlock upgrading a read to a write).
 *
 * better-sqlite3 is synchronous: while SQLite waits for another process's lock, the whole bot
 * waits. So at run time a call waits at most {@link RUN_BUSY_TIMEOUT_MS} for a lock; then the
 * records that follow an answer are queued and retried in the background (never an error for
 * the asker), and a pin or its removal is retried, yielding between tries, for up to
 * {@link PIN_WRITE_PATIENCE_MS} before it is refused. Before a pin is confirmed, the store checks
 * that its file is still the one at its path and writable: a pin is kept or refused, never
 * confirmed and lost.
 */
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import Database from "better-sqlite3";
import type { Citation } from "../answer/types.js";
import { MAX_QUESTION_CHARS } from "../constants.js";
import { createLogger, type Logger } from "../log.js";
import { MAX_PAGE_SIZE, type Page, type PageRequest } from "../page.js";
import {
  createdMarker,
  type FileIdentity,
  keepMarker,
  makeFolder,
  sayNewDatabase,
} from "./databaseFile.js";
import { StoreError } from "../store/errors.js";
import { migrate } from "./migrations.js";
import { matchPinnedTerms, questionKey, questionTerms } from "./questionMatch.js";
import {
  asStoreError,
  BUSY_TIMEOUT_MS,
  FIRST_RETRY_MS,
  isBusy,
  MAX_RETRY_MS,
  RUN_BUSY_TIMEOUT_MS,
  StoreConnection,
} from "./storeConnection.js";
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

export {
  BUSY_TIMEOUT_MS,
  PIN_WRITE_PATIENCE_MS,
  RUN_BUSY_TIMEOUT_MS,
} from "./storeConnection.js";

/** Records (answers sent, unanswered questions) queued at most; the oldest go first beyond it. */
export const MAX_QUEUED_RECORDS = 10_000;

/** Queued records written in one transaction. */
const RECORDS_PER_WRITE = 500;

/** How long {@link SqlitePinStore.flush} waits by default. */
const FLUSH_TIMEOUT_MS = 10_000;

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

/** A record that follows an answer, written now or queued while the database is locked. */
type QueuedRecord =
  | { readonly kind: "answer"; readonly answer: SentAnswer }
  | { readonly kind: "unanswered"; readonly question: UnansweredQuestion };

/** Options of {@link openPinStore}. */
export interface PinStoreOptions {
  /**
   * Where the store says what it created, queued, retried or dropped (default: warnings and
   * errors as JSON lines on stderr).
   */
  readonly log?: Logger;
}

/**
 * Opens (or creates) the pin database at `file`: creates its folder, switches to WAL, applies the
 * missing migrations and checks that the file can be written. A new database is said in the
 * log, plainly (an error when its marker shows one was there before: see `createdMarker` in databaseFile.ts).
 *
 * @param file - the database file (`DATABASE_PATH`), or {@link MEMORY}
 * @throws StoreError with a one-line message naming the file and what to do, when the folder
 *   or file cannot be created or opened, the file is not a database or is damaged, it cannot be
 *   written, another process keeps it locked, or it comes from a newer newsdesk
 */
export function openPinStore(file: string, options: PinStoreOptions = {}): SqlitePinStore {
  return SqlitePinStore.open(file, options);
}

export class SqlitePinStore implements PinStore {
  readonly #db: Database.Database;
  readonly #connection: StoreConnection;
  readonly #statements;
  /**
   * The matcher's terms of each pinned question, by pin id: a pin's question never changes and
   * its id is never reused, so an entry never goes stale, and a pin added by another shard is
   * simply computed on first sight. Without it every question ran every pinned question of its
   * guild through the text pipeline again (7 ms a question with 1,000 pins).
   */
  readonly #termsByPin = new Map<number, readonly string[]>();
  readonly #log: Logger;
  /** Records waiting for the lock, oldest first. */
  readonly #queue: QueuedRecord[] = [];
  /** The background loop writing {@link #queue}, while it runs. */
  #draining: Promise<void> | undefined;
  /** Records dropped because the queue was full, since it last emptied. */
  #overflow = 0;

  private constructor(
    db: Database.Database,
    /** The database file, as given to {@link openPinStore}. */
    readonly file: string,
    log: Logger,
    identity: FileIdentity | undefined,
  ) {
    this.#db = db;
    this.#log = log;
    this.#connection = new StoreConnection(db, file, identity);
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
  static open(file: string, options: PinStoreOptions = {}): SqlitePinStore {
    const log = options.log ?? createLogger({ level: "warn", destination: process.stderr });
    let db: Database.Database | undefined;
    try {
      const absolute = path.resolve(file);
      // The marker before the file: a sibling shard creating both makes the file first, so a
      // marker seen here with no file seen after it means the file was deleted, not a race.
      const markerExisted = file !== MEMORY && existsSync(createdMarker(absolute));
      const isNew = file !== MEMORY && !existsSync(absolute);
      const folderExisted = file === MEMORY || existsSync(path.dirname(absolute));
      if (file !== MEMORY) makeFolder(path.dirname(absolute));
      db = new Database(file);
      // First, so that the journal-mode switch and the migrations wait for other processes too.
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      const mode = db.pragma("journal_mode = WAL", { simple: true });
      if (file !== MEMORY && mode !== "wal") {
        throw new StoreError(
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
      let identity: FileIdentity | undefined;
      if (file !== MEMORY) {
        const { dev, ino } = statSync(absolute);
        identity = { absolute, dev, ino };
        if (isNew) sayNewDatabase(log, file, absolute, { folderExisted, markerExisted });
        keepMarker(log, absolute);
      }
      // Opening may wait for a shard's migration; once running, nothing waits long (see above).
      db.pragma(`busy_timeout = ${RUN_BUSY_TIMEOUT_MS}`);
      return new SqlitePinStore(db, file, log, identity);
    } catch (error) {
      db?.close();
      throw asStoreError(error, file);
    }
  }

  addPin(pin: NewPin): Promise<Pin> {
    return this.#keep(() =>
      this.#db
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
        .immediate(),
    );
  }

  getPin(guildId: string, id: number): Pin | undefined {
    return this.#read(() => {
      const row = this.#statements.getPin.get(guildId, id);
      return row && toPin(row);
    });
  }

  getPinByMessage(guildId: string, messageId: string): Pin | undefined {
    return this.#read(() => {
      const row = this.#statements.getPinByMessage.get(guildId, messageId);
      return row && toPin(row);
    });
  }

  /**
   * The connection and write guard, for the other stores of this database (see
   * storeConnection.ts): they share this one connection and close with this store.
   */
  get connection(): StoreConnection {
    return this.#connection;
  }

  #read<T>(read: () => T): T {
    return this.#connection.read(read);
  }

  listPins(guildId: string, request: PageRequest): Page<Pin> {
    const { limit, offset } = pageWindow(request);
    return this.#read(() =>
      this.#db.transaction(() => {
        const rows = this.#statements.listPins.all(guildId, limit, offset);
        const total = this.#statements.countPins.get(guildId) ?? 0;
        return toPage(rows.map(toPin), total, request);
      })(),
    );
  }

  removePin(guildId: string, id: number): Promise<Pin | undefined> {
    return this.#keep(() =>
      this.#db
        .transaction(() => {
          const row = this.#statements.deletePin.get(guildId, id);
          return row && toPin(row);
        })
        .immediate(),
    );
  }

  checkWritable(): void {
    this.#checkFile();
  }

  #keep<T>(write: () => T): Promise<T> {
    return this.#connection.keep(write);
  }

  #checkFile(): void {
    this.#connection.checkFile();
  }

  findPinnedAnswer(guildId: string, question: string): PinnedAnswer | undefined {
    return this.#read(() => this.#findPinnedAnswer(guildId, question));
  }

  #findPinnedAnswer(guildId: string, question: string): PinnedAnswer | undefined {
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
    this.#record({ kind: "unanswered", question });
  }

  /** Writes one record (in a transaction of the caller). */
  #writeRecord(record: QueuedRecord): void {
    if (record.kind === "unanswered") {
      const { question } = record;
      // People paste whole articles; the answer service reads no more than this either.
      const text = question.question.slice(0, MAX_QUESTION_CHARS);
      this.#statements.pruneUnanswered.run(question.guildId, question.at - UNANSWERED_RETENTION_MS);
      this.#statements.insertUnanswered.run(
        question.guildId,
        question.channelId,
        text,
        questionKey(text),
        question.at,
        question.uncertain ? 1 : 0,
      );
      return;
    }
    const { answer } = record;
    const text = answer.question.slice(0, MAX_QUESTION_CHARS);
    this.#statements.pruneAnswers.run(answer.answeredAt - ANSWER_RETENTION_MS);
    this.#statements.upsertAnswer.run(
      answer.guildId,
      answer.messageId,
      answer.channelId,
      text,
      JSON.stringify(answer.citations),
      answer.answeredAt,
    );
  }

  /** Writes `records` in one immediate transaction, after checking the file. */
  #writeRecords(records: readonly QueuedRecord[]): void {
    this.#checkFile();
    this.#db
      .transaction(() => {
        for (const record of records) this.#writeRecord(record);
      })
      .immediate();
  }

  /**
   * Writes `record` now when nothing is queued and the lock is free within
   * {@link RUN_BUSY_TIMEOUT_MS}; else queues it for {@link #drain}. Never throws: a record that
   * cannot be written (the file gone or read-only) is dropped with a log line.
   */
  #record(record: QueuedRecord): void {
    if (!this.#db.open) {
      this.#drop([record], new Error("the store is closed"));
      return;
    }
    if (this.#queue.length === 0) {
      try {
        this.#writeRecords([record]);
        return;
      } catch (error) {
        if (!isBusy(error)) {
          this.#drop([record], error);
          return;
        }
        this.#log.warn(
          { database: this.file, err: error },
          "pins: database locked by another process; records are queued and retried",
        );
      }
    }
    if (this.#queue.length >= MAX_QUEUED_RECORDS) {
      this.#queue.shift();
      this.#overflow++;
      // One line when the queue fills, then one a thousand records: not a line a question.
      if (this.#overflow % 1000 === 1) {
        this.#log.error(
          { database: this.file, droppedSoFar: this.#overflow, queued: MAX_QUEUED_RECORDS },
          "pins: record queue full (the database stayed locked); the oldest records are dropped",
        );
      }
    }
    this.#queue.push(record);
    this.#draining ??= this.#drain().finally(() => {
      this.#draining = undefined;
    });
  }

  /** Writes the queue, oldest first, retrying a locked database with a growing pause. */
  async #drain(): Promise<void> {
    let wait = FIRST_RETRY_MS;
    let tries = 0;
    while (this.#queue.length > 0 && this.#db.open) {
      // A timer that keeps the process alive: queued records are not given up by an exit on
      // an empty event loop (close() ends the loop, writing or dropping what is left).
      await delay(wait);
      if (!this.#db.open) return;
      const batch = this.#queue.slice(0, RECORDS_PER_WRITE);
      tries++;
      try {
        this.#writeRecords(batch);
        this.#queue.splice(0, batch.length);
        if (this.#queue.length === 0) this.#overflow = 0;
        this.#log.info(
          { database: this.file, written: batch.length, queued: this.#queue.length, tries },
          "pins: queued records written",
        );
        wait = FIRST_RETRY_MS;
        tries = 0;
      } catch (error) {
        if (isBusy(error)) {
          wait = Math.min(2 * wait, MAX_RETRY_MS);
          continue;
        }
        this.#drop(this.#queue.splice(0, batch.length), error);
      }
    }
  }

  /** Says in the log which records are lost, and why. */
  #drop(records: readonly QueuedRecord[], why: unknown): void {
    const counts = { answers: 0, unanswered: 0 };
    for (const record of records) counts[record.kind === "answer" ? "answers" : "unanswered"]++;
    this.#log.error(
      { database: this.file, dropped: counts, err: why },
      "pins: records dropped, the database cannot take them",
    );
  }

  async flush(timeoutMs: number = FLUSH_TIMEOUT_MS): Promise<void> {
    const draining = this.#draining;
    if (draining === undefined) return;
    const timedOut = Symbol("timeout");
    const timer = new AbortController();
    const ended = await Promise.race([
      draining,
      delay(timeoutMs, timedOut, { signal: timer.signal }).catch(() => undefined),
    ]);
    timer.abort();
    if (ended === timedOut) {
      this.#log.warn(
        { database: this.file, queued: this.#queue.length, timeoutMs },
        "pins: flush timed out, records still queued (close() tries them once more)",
      );
    }
  }

  listUnanswered(guildId: string, request: UnansweredRequest): Page<UnansweredSummary> {
    const { limit, offset } = pageWindow(request);
    const since = request.sinceMs ?? Number.MIN_SAFE_INTEGER;
    return this.#read(() =>
      this.#db.transaction(() => {
        const items = this.#statements.listUnanswered.all(guildId, since, limit, offset);
        const total = this.#statements.countUnanswered.get(guildId, since) ?? 0;
        return toPage(items, total, request);
      })(),
    );
  }

  recordAnswer(answer: SentAnswer): void {
    this.#record({ kind: "answer", answer });
  }

  getAnswer(guildId: string, messageId: string): SentAnswer | undefined {
    // A queued answer is the newest: a moderator may pin it before the lock is free.
    for (let i = this.#queue.length - 1; i >= 0; i--) {
      const record = this.#queue[i];
      if (record?.kind !== "answer") continue;
      const { answer } = record;
      if (answer.guildId === guildId && answer.messageId === messageId) {
        return { ...answer, question: answer.question.slice(0, MAX_QUESTION_CHARS) };
      }
    }
    return this.#read(() => {
      const row = this.#statements.getAnswer.get(guildId, messageId);
      return row && toSentAnswer(row);
    });
  }

  close(): void {
    if (!this.#db.open) return;
    const left = this.#queue.splice(0);
    if (left.length > 0) {
      try {
        // Shutting down: nothing else waits on the bot now, so this one may wait its turn.
        this.#db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
        this.#writeRecords(left);
        this.#log.info(
          { database: this.file, written: left.length },
          "pins: queued records written at close",
        );
      } catch (error) {
        this.#drop(left, asStoreError(error, this.file, BUSY_TIMEOUT_MS));
      }
    }
    this.#db.close();
  }
}
