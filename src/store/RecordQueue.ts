/**
 * The records that follow an answer (the answer sent, a question left unanswered, a question
 * logged for /insights): fire-and-forget for the asker, so a locked SQLite file or a PostgreSQL
 * server that is restarting must neither fail the reply nor lose them. Each record is written at
 * once when the database takes it; while it cannot (a transient error: a lock, a lost
 * connection), records wait here, in order, and are retried with a growing pause. A record the
 * database refuses for good (the file gone, read-only) is dropped with a log line saying what
 * was lost. One queue per kind of record and store, on the store's database.
 */
import { setTimeout as delay } from "node:timers/promises";
import type { Logger } from "../log.js";
import type { Database, Sql } from "./database.js";
import { FIRST_RETRY_MS, MAX_RETRY_MS } from "./patience.js";

/** Records queued at most; the oldest go first beyond it. */
export const MAX_QUEUED_RECORDS = 10_000;

/** Queued records written in one transaction. */
const RECORDS_PER_WRITE = 500;

/** How long {@link RecordQueue.flush} waits by default. */
const FLUSH_TIMEOUT_MS = 10_000;

export interface RecordQueueOptions<R> {
  /** Writes `records`, in order, on the transaction given. */
  readonly write: (sql: Sql, records: readonly R[]) => Promise<void>;
  readonly log: Logger;
  /** What the log lines start with (`pins`, `votes`). */
  readonly module: string;
  /** What a batch of dropped records was, for the log line (counts by kind). */
  readonly describe: (records: readonly R[]) => Record<string, number>;
}

export class RecordQueue<R> {
  readonly #db: Database;
  readonly #options: RecordQueueOptions<R>;
  /** Records not yet written (the batch being written included), oldest first. */
  readonly #queue: R[] = [];
  /** The loop writing {@link #queue}, while it runs. */
  #draining: Promise<void> | undefined;
  /** Records dropped because the queue was full, since it last emptied. */
  #overflow = 0;
  /** Ends the drain loop's pause at close. */
  readonly #closing = new AbortController();

  constructor(db: Database, options: RecordQueueOptions<R>) {
    this.#db = db;
    this.#options = options;
  }

  /** Queues `record` and starts writing; never throws. */
  add(record: R): void {
    if (!this.#db.isOpen || this.#closing.signal.aborted) {
      this.#drop([record], new Error("the database is closed"));
      return;
    }
    if (this.#queue.length >= MAX_QUEUED_RECORDS) {
      this.#queue.shift();
      this.#overflow++;
      // One line when the queue fills, then one a thousand records: not a line a question.
      if (this.#overflow % 1000 === 1) {
        this.#options.log.error(
          { database: this.#db.name, droppedSoFar: this.#overflow, queued: MAX_QUEUED_RECORDS },
          `${this.#options.module}: record queue full (the database stayed unavailable); the oldest records are dropped`,
        );
      }
    }
    this.#queue.push(record);
    this.#draining ??= this.#drain().finally(() => {
      this.#draining = undefined;
    });
  }

  /** The records not written yet, oldest first (a reader may look among them). */
  get pending(): readonly R[] {
    return this.#queue;
  }

  /** Writes the queue, oldest first, retrying a transient failure with a growing pause. */
  async #drain(): Promise<void> {
    let wait = FIRST_RETRY_MS;
    let tries = 0;
    while (this.#queue.length > 0 && this.#db.isOpen && !this.#closing.signal.aborted) {
      const batch = this.#queue.slice(0, RECORDS_PER_WRITE);
      tries++;
      try {
        await this.#db.write((sql) => this.#options.write(sql, batch));
        this.#queue.splice(0, batch.length);
        if (this.#queue.length === 0) this.#overflow = 0;
        if (tries > 1) {
          this.#options.log.info(
            { database: this.#db.name, written: batch.length, queued: this.#queue.length, tries },
            `${this.#options.module}: queued records written`,
          );
        }
        wait = FIRST_RETRY_MS;
        tries = 0;
      } catch (error) {
        if (!this.#db.isTransient(error)) {
          this.#drop(this.#queue.splice(0, batch.length), error);
          continue;
        }
        if (tries === 1) {
          this.#options.log.warn(
            { database: this.#db.name, err: error },
            `${this.#options.module}: database unavailable; records are queued and retried`,
          );
        }
        // A timer that keeps the process alive: queued records are not given up by an exit on
        // an empty event loop (close() ends the loop, writing or dropping what is left).
        await delay(wait, undefined, { signal: this.#closing.signal }).catch(() => undefined);
        wait = Math.min(2 * wait, MAX_RETRY_MS);
      }
    }
  }

  /** Says in the log which records are lost, and why. */
  #drop(records: readonly R[], why: unknown): void {
    if (records.length === 0) return;
    this.#options.log.error(
      { database: this.#db.name, dropped: this.#options.describe(records), err: why },
      `${this.#options.module}: records dropped, the database cannot take them`,
    );
  }

  /**
   * Resolves once the queued records are written (or dropped with a log line), or after
   * `timeoutMs`, logging how many are still queued. Never rejects.
   */
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
      this.#options.log.warn(
        { database: this.#db.name, queued: this.#queue.length, timeoutMs },
        `${this.#options.module}: flush timed out, records still queued (close tries them once more)`,
      );
    }
  }

  /**
   * The last chance before the database closes: what is still queued is written with a kept
   * write (which waits its turn: the bot is stopping), or dropped with a log line.
   */
  async close(): Promise<void> {
    // The batch being written ends first, so that no record is written twice.
    this.#closing.abort();
    await this.#draining;
    const left = this.#queue.splice(0);
    if (left.length === 0 || !this.#db.isOpen) {
      this.#drop(left, new Error("the database is closed"));
      return;
    }
    try {
      await this.#db.keep((sql) => this.#options.write(sql, left));
      this.#options.log.info(
        { database: this.#db.name, written: left.length },
        `${this.#options.module}: queued records written at close`,
      );
    } catch (error) {
      this.#drop(left, error);
    }
  }
}
