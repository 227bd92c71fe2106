/**
 * The one SQLite connection a newsdesk process keeps, and the write guard every store on it
 * shares. The pin store opens the connection (file checks, WAL, migrations: see
 * `SqlitePinStore.open`) and hands this object to the other stores of the same database (the
 * feed store of `src/feeds/`), so that they neither open a second connection (two connections in
 * one process would wait on each other's locks) nor copy the rules of a write that must be kept
 * or refused: `keep` checks that the file is still the one at its path, syncs that transaction to
 * disk and retries a lock for a while, and `read` turns SQLite's failures into StoreErrors.
 */
import { setTimeout as delay } from "node:timers/promises";
import type Database from "better-sqlite3";
import { checkDatabaseFile, type FileIdentity } from "./databaseFile.js";
import { StoreError, type StoreErrorCode } from "../store/errors.js";
import { NewerSchemaError, SCHEMA_VERSION } from "./migrations.js";

/**
 * How long opening (the journal mode, the migrations) and closing (the last queued records)
 * wait for another process's lock. Nothing else is waiting on the bot then.
 */
export const BUSY_TIMEOUT_MS = 5_000;

/**
 * How long one call waits for another process's lock once the bot runs: the event loop stands
 * still that long, so it is short (a shard's write takes a millisecond or two); a write that
 * does not get the lock in time is retried later instead (`npx tsx src/eval/storeWrites.ts`
 * measures the stall).
 */
export const RUN_BUSY_TIMEOUT_MS = 20;

/** How long a pin or a pin's removal keeps retrying a locked database before it is refused. */
export const PIN_WRITE_PATIENCE_MS = 10_000;

/** The first pause before a retry on a locked database; it doubles up to {@link MAX_RETRY_MS}. */
export const FIRST_RETRY_MS = 25;
/** The longest pause between retries on a locked database. */
export const MAX_RETRY_MS = 1_000;

/** Whether `error` is SQLite saying another connection holds the lock. */
export function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^SQLITE_(?:BUSY|LOCKED)/.test(code);
}

/** The open connection, its file, and the guarded ways to read and write it. */
export class StoreConnection {
  constructor(
    /** The open database (busy timeout {@link RUN_BUSY_TIMEOUT_MS} once the bot runs). */
    readonly db: Database.Database,
    /** The database file, as given to `openPinStore`. */
    readonly file: string,
    /** The file's identity when opened; undefined in memory. */
    readonly identity: FileIdentity | undefined,
  ) {}

  /**
   * Runs a read: in WAL mode a reader does not wait for another process's writer, so this
   * throws (a LOCKED StoreError, after {@link RUN_BUSY_TIMEOUT_MS}) only when the file is
   * locked in a way WAL does not share (a recovery, an exclusive locking mode).
   */
  read<T>(read: () => T): T {
    try {
      return read();
    } catch (error) {
      throw asStoreError(error, this.file, RUN_BUSY_TIMEOUT_MS);
    }
  }

  /**
   * Runs a moderator's write (a pin, a removal) so that it is kept or refused: the file is
   * checked before and after, the transaction is synced to disk (synchronous = FULL, for this
   * write only), and a locked database is retried, yielding to the event loop between tries, for
   * up to {@link PIN_WRITE_PATIENCE_MS}.
   * @throws StoreError saying why it was not kept (GONE, READ_ONLY, LOCKED...)
   */
  async keep<T>(write: () => T): Promise<T> {
    const deadline = Date.now() + PIN_WRITE_PATIENCE_MS;
    for (let wait = FIRST_RETRY_MS; ; wait = Math.min(2 * wait, MAX_RETRY_MS)) {
      try {
        this.checkFile();
        this.db.pragma("synchronous = FULL");
        let result: T;
        try {
          result = write();
        } finally {
          this.db.pragma("synchronous = NORMAL");
        }
        // Committed: now it must be in the file the next start will open.
        this.checkFile();
        return result;
      } catch (error) {
        if (isBusy(error) && Date.now() + wait < deadline) {
          await delay(wait);
          continue;
        }
        throw asStoreError(error, this.file, PIN_WRITE_PATIENCE_MS);
      }
    }
  }

  /** Throws when what is written now would not be kept (see {@link checkDatabaseFile}). */
  checkFile(): void {
    if (!this.db.open) {
      throw new StoreError(
        "CANNOT_OPEN",
        this.file,
        `pins: ${this.file} is closed (newsdesk is stopping); try again once it is back`,
      );
    }
    if (this.identity !== undefined) checkDatabaseFile(this.file, this.identity);
  }
}

/** The SQLite result codes (extended ones included) that mean each problem. */
const CODES: readonly (readonly [RegExp, StoreErrorCode])[] = [
  [/^SQLITE_(?:NOTADB|CORRUPT)/, "CORRUPT"],
  [/^SQLITE_READONLY/, "READ_ONLY"],
  [/^SQLITE_(?:BUSY|LOCKED)/, "LOCKED"],
  [/^(?:SQLITE_(?:CANTOPEN|PERM|AUTH|IOERR)|E[A-Z]+$)/, "CANNOT_OPEN"],
];

/**
 * What to tell the operator, per problem: the file is named first, the remedy last.
 * @param lockedMs - how long a lock was waited for
 */
function describe(
  code: StoreErrorCode,
  file: string,
  cause: string,
  lockedMs: number = BUSY_TIMEOUT_MS,
): string {
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
      return `pins: ${file} is not available (${cause}); try again in a moment`;
    case "CANNOT_OPEN":
      return `pins: cannot create or open ${file} (${cause}); check that its folder exists or can be created and is writable, or set DATABASE_PATH to another file`;
  }
}

/**
 * `error` as a StoreError whose message names the file and the remedy.
 * @param lockedMs - how long a lock was waited for, when it is a lock
 */
export function asStoreError(
  error: unknown,
  file: string,
  lockedMs: number = BUSY_TIMEOUT_MS,
): StoreError {
  if (error instanceof StoreError) return error;
  if (error instanceof NewerSchemaError) {
    const cause = `schema version ${error.found}; this newsdesk knows up to ${SCHEMA_VERSION}`;
    return new StoreError("NEWER_SCHEMA", file, describe("NEWER_SCHEMA", file, cause), {
      cause: error,
    });
  }
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const kind =
    typeof code === "string" ? CODES.find(([pattern]) => pattern.test(code))?.[1] : undefined;
  const cause =
    typeof code === "string" && !message.startsWith(code) ? `${code}: ${message}` : message;
  return new StoreError(
    kind ?? "CANNOT_OPEN",
    file,
    describe(kind ?? "CANNOT_OPEN", file, cause, lockedMs),
    {
      cause: error,
    },
  );
}
