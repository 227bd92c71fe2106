/**
 * The SQLite engine of the store contract (database.ts): one file on this machine, opened with
 * better-sqlite3, shared by every shard process of `npm run start:sharded`. WAL mode lets
 * readers and one writer work at once, and every write is an immediate transaction (it takes the
 * write lock at its start, so two processes never deadlock upgrading a read to a write).
 *
 * better-sqlite3 is synchronous: while SQLite waits for another process's lock, the whole bot
 * waits. So at run time a statement waits at most {@link RUN_BUSY_TIMEOUT_MS} for a lock; then a
 * `write` is refused as LOCKED (its caller queues and retries), and a `keep` retries, yielding
 * between tries, for up to {@link PIN_WRITE_PATIENCE_MS} before it is refused. Before a kept write
 * resolves, the engine checks that its file is still the one at its path and writable, and syncs
 * it to disk: a pin is kept or refused, never confirmed and lost.
 *
 * The contract's work functions are async, and SQLite has one connection: units of work take
 * turns on it (a promise chain), so that no statement of another unit runs inside a transaction
 * it does not belong to.
 */
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import BetterSqlite3 from "better-sqlite3";
import { callLogged, createLogger, type Logger } from "../../log.js";
import {
  type Database,
  FOLLOWER_HANDLER_FAILED,
  type FollowHandlers,
  type Following,
  type Leadership,
  type LeadHandlers,
  type LeadOptions,
  type Sql,
  type Work,
} from "../database.js";
import { StoreError, type StoreErrorCode } from "../errors.js";
import { startLeadership } from "../leadership.js";
import { applyMigrations, NewerSchemaError, SCHEMA_VERSION } from "../migrations.js";
import { FIRST_RETRY_MS, MAX_RETRY_MS, PIN_WRITE_PATIENCE_MS } from "../patience.js";
import {
  checkDatabaseFile,
  createdMarker,
  errorText,
  type FileIdentity,
  keepMarker,
  makeFolder,
  sayNewDatabase,
} from "./databaseFile.js";
import { LeaseClaim } from "./leaseClaim.js";

/**
 * How long opening (the journal mode, the migrations) and closing (the last queued records)
 * wait for another process's lock. Nothing else is waiting on the bot then.
 */
export const BUSY_TIMEOUT_MS = 5_000;

/**
 * How long one statement waits for another process's lock once the bot runs: the event loop
 * stands still that long, so it is short (a shard's write takes a millisecond or two); a write
 * that does not get the lock in time is retried later instead (`npx tsx src/eval/storeWrites.ts`
 * measures the stall).
 */
export const RUN_BUSY_TIMEOUT_MS = 20;

/** How often {@link SqliteDatabase.follow} looks for other processes' commits. */
export const FOLLOW_EVERY_MS = 2_000;

/** In-memory database (tests, `npm run ask`): no file, nothing shared, gone on close. */
export const MEMORY = ":memory:";

/** Whether `error` is SQLite saying another connection holds the lock. */
export function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^SQLITE_(?:BUSY|LOCKED)/.test(code);
}

/** Options of {@link openSqlite}. */
export interface SqliteOptions {
  /**
   * Where the engine says what it created (default: warnings and errors as JSON lines on
   * stderr).
   */
  readonly log?: Logger;
  /** The schema version to migrate to (default: the latest); tests build old databases. */
  readonly schemaVersion?: number;
}

/**
 * Opens (or creates) the database at `file`: creates its folder, switches to WAL, applies the
 * missing migrations and checks that the file can be written. A new database is said in the
 * log, plainly (an error when its marker shows one was there before: see `createdMarker`).
 *
 * @param file - the database file (`DATABASE_PATH`), or {@link MEMORY}
 * @throws StoreError with a one-line message naming the file and what to do, when the folder
 *   or file cannot be created or opened, the file is not a database or is damaged, it cannot be
 *   written, another process keeps it locked, or it comes from a newer newsdesk
 */
export async function openSqlite(
  file: string,
  options: SqliteOptions = {},
): Promise<SqliteDatabase> {
  const log = options.log ?? createLogger({ level: "warn", destination: process.stderr });
  let db: BetterSqlite3.Database | undefined;
  try {
    const absolute = path.resolve(file);
    // The marker before the file: a sibling shard creating both makes the file first, so a
    // marker seen here with no file seen after it means the file was deleted, not a race.
    const markerExisted = file !== MEMORY && existsSync(createdMarker(absolute));
    const isNew = file !== MEMORY && !existsSync(absolute);
    const folderExisted = file === MEMORY || existsSync(path.dirname(absolute));
    if (file !== MEMORY) makeFolder(path.dirname(absolute));
    db = new BetterSqlite3(file);
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
    // few writes, which for records is the right trade for not syncing on every question (a
    // kept write syncs: see keep).
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    let identity: FileIdentity | undefined;
    if (file !== MEMORY) {
      const { dev, ino } = statSync(absolute);
      identity = { absolute, dev, ino };
    }
    const database = new SqliteDatabase(db, file, identity, log);
    await database.migrate(options.schemaVersion ?? SCHEMA_VERSION);
    if (identity !== undefined) {
      if (isNew) sayNewDatabase(log, file, absolute, { folderExisted, markerExisted });
      keepMarker(log, absolute);
    }
    // Opening may wait for a shard's migration; once running, nothing waits long (see above).
    db.pragma(`busy_timeout = ${RUN_BUSY_TIMEOUT_MS}`);
    return database;
  } catch (error) {
    db?.close();
    throw asStoreError(error, file);
  }
}

export class SqliteDatabase implements Database {
  readonly dialect = "sqlite";
  readonly sharedAcrossHosts = false;
  readonly #db: BetterSqlite3.Database;
  readonly #identity: FileIdentity | undefined;
  readonly #statements = new Map<string, BetterSqlite3.Statement>();
  readonly #sql: Sql;
  /** The end of the last unit of work queued on the connection. */
  #turn: Promise<unknown> = Promise.resolve();
  readonly #followers = new Set<NodeJS.Timeout>();
  readonly #leaderships = new Set<Leadership>();
  readonly #log: Logger;
  #closing: Promise<void> | undefined;

  constructor(
    db: BetterSqlite3.Database,
    /** The database file, as configured. */
    readonly name: string,
    identity: FileIdentity | undefined,
    log: Logger,
  ) {
    this.#db = db;
    this.#identity = identity;
    this.#log = log;
    const statement = (text: string) => {
      let found = this.#statements.get(text);
      if (found === undefined) {
        found = db.prepare(text);
        this.#statements.set(text, found);
      }
      return found;
    };
    this.#sql = {
      dialect: "sqlite",
      all: async <Row>(text: string, params: readonly unknown[] = []) =>
        statement(text).all(...params) as Row[],
      get: async <Row>(text: string, params: readonly unknown[] = []) =>
        statement(text).get(...params) as Row | undefined,
      run: async (text: string, params: readonly unknown[] = []) =>
        statement(text).run(...params).changes,
      exec: async (script: string) => {
        db.exec(script);
      },
      // Only this machine shares the file: the others see the commit (follow polls for it).
      notify: async () => undefined,
    };
  }

  get isOpen(): boolean {
    return this.#db.open && this.#closing === undefined;
  }

  read<T>(work: Work<T>): Promise<T> {
    return this.#exclusive(() => this.#transaction("BEGIN", work), RUN_BUSY_TIMEOUT_MS);
  }

  write<T>(work: Work<T>): Promise<T> {
    return this.#exclusive(() => {
      this.checkWritable();
      return this.#transaction("BEGIN IMMEDIATE", work);
    }, RUN_BUSY_TIMEOUT_MS);
  }

  async keep<T>(work: Work<T>): Promise<T> {
    const deadline = Date.now() + PIN_WRITE_PATIENCE_MS;
    for (let wait = FIRST_RETRY_MS; ; wait = Math.min(2 * wait, MAX_RETRY_MS)) {
      try {
        return await this.#exclusive(async () => {
          this.checkWritable();
          this.#db.pragma("synchronous = FULL");
          try {
            const result = await this.#transaction("BEGIN IMMEDIATE", work);
            // Committed: now it must be in the file the next start will open.
            this.checkWritable();
            return result;
          } finally {
            if (this.#db.open) this.#db.pragma("synchronous = NORMAL");
          }
        }, PIN_WRITE_PATIENCE_MS);
      } catch (error) {
        // Between tries the connection is free for the other units of work.
        if (this.isTransient(error) && Date.now() + wait < deadline && this.#db.open) {
          await delay(wait);
          continue;
        }
        throw error;
      }
    }
  }

  checkWritable(): void {
    if (!this.#db.open || this.#closing !== undefined) {
      throw new StoreError(
        "CANNOT_OPEN",
        this.name,
        `pins: ${this.name} is closed (newsdesk is stopping); try again once it is back`,
      );
    }
    if (this.#identity !== undefined) checkDatabaseFile(this.name, this.#identity);
  }

  isTransient(error: unknown): boolean {
    return (error instanceof StoreError && error.code === "LOCKED") || isBusy(error);
  }

  async ping(): Promise<void> {
    this.checkWritable();
    await this.read((sql) => sql.get("SELECT 1"));
  }

  async follow(
    _channel: string,
    handlers: FollowHandlers,
    intervalMs: number = FOLLOW_EVERY_MS,
  ): Promise<Following> {
    // PRAGMA data_version changes when another connection commits (this one's own writes leave
    // it as it is): one cheap call says whether to look at the tables again.
    const version = () =>
      this.#exclusive(
        async () => this.#db.pragma("data_version", { simple: true }) as number,
        RUN_BUSY_TIMEOUT_MS,
      );
    let last = await version();
    let looking = false;
    // A handler that throws is logged: it is not the database failing, nor a reason to stop.
    const call = (handler: () => void) =>
      callLogged(this.#log, { channel: _channel }, FOLLOWER_HANDLER_FAILED, handler);
    const timer = setInterval(() => {
      if (looking || !this.isOpen) return;
      looking = true;
      version()
        .then((now) => {
          if (now === last) return;
          last = now;
          call(() => handlers.onChange());
        })
        .catch((error: unknown) =>
          call(() => handlers.onError?.(error instanceof Error ? error : new Error(String(error)))),
        )
        .finally(() => {
          looking = false;
        });
    }, intervalMs);
    timer.unref();
    this.#followers.add(timer);
    return {
      stop: async () => {
        clearInterval(timer);
        this.#followers.delete(timer);
      },
    };
  }

  /** A lease row in `leases`, renewed every `intervalMs`: see {@link Database.lead}. */
  async lead(name: string, handlers: LeadHandlers, options: LeadOptions = {}): Promise<Leadership> {
    this.checkWritable();
    // Not `write`: the last release runs while the database closes (see close).
    const write = <T>(work: Work<T>) =>
      this.#exclusive(() => {
        if (!this.#db.open) this.checkWritable();
        if (this.#identity !== undefined) checkDatabaseFile(this.name, this.#identity);
        return this.#transaction("BEGIN IMMEDIATE", work);
      }, RUN_BUSY_TIMEOUT_MS);
    return startLeadership(
      name,
      handlers,
      options,
      this.#log,
      this.#leaderships,
      (_loop, intervalMs) => new LeaseClaim(write, name, intervalMs),
    );
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      for (const timer of this.#followers) clearInterval(timer);
      this.#followers.clear();
      // Their leases released (another process takes over at once), before the connection goes.
      await Promise.all([...this.#leaderships].map((leadership) => leadership.stop()));
      // The units of work already queued finish first.
      await this.#turn.catch(() => undefined);
      this.#db.close();
    })();
    return this.#closing;
  }

  /**
   * Brings the schema to version `target`, in one immediate transaction (it waits for other
   * writers, then no one else writes until it is done). Writes `user_version` even when there
   * is nothing to migrate: that write is what finds a read-only database at start-up rather
   * than at the first pin.
   * @returns the version found before migrating
   */
  migrate(target: number = SCHEMA_VERSION): Promise<number> {
    return this.#exclusive(
      () =>
        this.#transaction("BEGIN IMMEDIATE", async (sql) => {
          const found = this.#db.pragma("user_version", { simple: true }) as number;
          await applyMigrations(sql, found, target);
          this.#db.pragma(`user_version = ${target}`);
          return found;
        }),
      BUSY_TIMEOUT_MS,
    );
  }

  /** Runs `unit` once the units before it are done; SQLite's failures become StoreErrors. */
  #exclusive<T>(unit: () => Promise<T>, lockedMs: number): Promise<T> {
    const run = this.#turn.then(async () => {
      try {
        return await unit();
      } catch (error) {
        throw asStoreError(error, this.name, lockedMs);
      }
    });
    this.#turn = run.catch(() => undefined);
    return run;
  }

  async #transaction<T>(begin: "BEGIN" | "BEGIN IMMEDIATE", work: Work<T>): Promise<T> {
    this.#db.exec(begin);
    try {
      const result = await work(this.#sql);
      this.#db.exec("COMMIT");
      return result;
    } catch (error) {
      if (this.#db.inTransaction) this.#db.exec("ROLLBACK");
      throw error;
    }
  }
}

/** The SQLite result codes (extended ones included) that mean each problem. */
const CODES: readonly (readonly [RegExp, StoreErrorCode])[] = [
  [/^SQLITE_(?:NOTADB|CORRUPT)/, "CORRUPT"],
  [/^SQLITE_READONLY/, "READ_ONLY"],
  [/^SQLITE_(?:BUSY|LOCKED)/, "LOCKED"],
  // The other SQLite codes, and the file system's (EACCES, ENOTDIR...).
  [/^(?:SQLITE_|E[A-Z]+$)/, "CANNOT_OPEN"],
];

/**
 * What to tell the operator, per problem: the file is named first, the remedy last.
 * @param lockedMs - how long a lock was waited for
 */
function describe(code: StoreErrorCode, file: string, cause: string, lockedMs: number): string {
  switch (code) {
    case "CORRUPT":
      return `pins: ${file} is not a newsdesk database or is damaged (${cause}); move it away to start with an empty one, or set DATABASE_PATH to another file`;
    case "READ_ONLY":
      return `pins: ${file} cannot be written (${cause}); let the user running newsdesk write the file and its folder, or set DATABASE_PATH to a writable place`;
    case "LOCKED":
      return lockedMs >= 1000
        ? `pins: ${file} stayed locked by another process for ${lockedMs / 1000} s (${cause}); stop the process holding it, or set DATABASE_PATH to another file`
        : `pins: ${file} is locked by another process (${cause}); try again in a moment, and if it lasts, stop the process holding it`;
    case "GONE":
      return `pins: the database at ${file} is gone (${cause}); restart newsdesk`;
    case "NEWER_SCHEMA":
      return `pins: ${file} was written by a newer newsdesk (${cause}); update newsdesk, or set DATABASE_PATH to another file`;
    case "UNAVAILABLE":
    case "CANNOT_OPEN":
      return `pins: cannot create or open ${file} (${cause}); check that its folder exists or can be created and is writable, or set DATABASE_PATH to another file`;
  }
}

/**
 * `error` as a StoreError whose message names the file and the remedy, when it is SQLite's or
 * the file system's; any other error (a bug, a store's own refusal) is returned as it is.
 * @param lockedMs - how long a lock was waited for, when it is a lock
 */
export function asStoreError(
  error: unknown,
  file: string,
  lockedMs: number = BUSY_TIMEOUT_MS,
): unknown {
  if (error instanceof StoreError) return error;
  if (error instanceof NewerSchemaError) {
    const cause = `schema version ${error.found}; this newsdesk knows up to ${SCHEMA_VERSION}`;
    return new StoreError("NEWER_SCHEMA", file, describe("NEWER_SCHEMA", file, cause, lockedMs), {
      cause: error,
    });
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string" || !(error instanceof Error)) return error;
  const kind = CODES.find(([pattern]) => pattern.test(code))?.[1];
  if (kind === undefined) return error;
  return new StoreError(kind, file, describe(kind, file, errorText(error), lockedMs), {
    cause: error,
  });
}
