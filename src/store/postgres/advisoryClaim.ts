/**
 * PostgreSQL's election (see `Database.lead`): a session-level advisory lock, held on a
 * connection of its own (a pooled one goes back to the pool, and the lock with whoever takes it
 * next). The server frees the lock when that session ends, which is what makes a failover
 * quick: a holder that stops or dies closes its connection, and the next try of another host
 * gets the lock.
 *
 * Two ways a holder may not notice that its session ended are closed here. The connection is
 * checked with `SELECT 1` every interval, under a query timeout, so a silent network loss is an
 * onLose within two intervals. And the session asks the server to end it when it stays idle
 * longer than the checks allow (idle_session_timeout): a holder cut off from the server, or
 * frozen, loses its lock after a bounded time, and only after it has stopped believing it holds
 * it.
 */
import { createHash } from "node:crypto";
import pg from "pg";
import type { Attempt, Claim } from "../leadership.js";

/** The shortest wait for a check's answer: a busy server or event loop is not a lost lock. */
export const MIN_CHECK_TIMEOUT_MS = 1_000;

/**
 * The advisory lock key of `name`: the first 8 bytes of sha256("newsdesk:" + name) as a signed
 * 64-bit integer, in decimal (bigint parameters go as text, exact). Other programs on the same
 * database pick their own keys; a collision of 64-bit hashes is not a worry.
 */
export function leadKey(name: string): string {
  return createHash("sha256").update(`newsdesk:${name}`).digest().readBigInt64BE(0).toString();
}

/**
 * How long the server lets the lock's session stay idle: longer than a holder's silence before
 * it gives up (an interval, then a check's timeout) with as much again to spare, so that the
 * server frees the lock only after the holder has called onLose.
 */
export function idleSessionTimeoutMs(intervalMs: number): number {
  return 2 * (intervalMs + checkTimeoutMs(intervalMs));
}

/** How long a check (or a try) may take before the connection counts as lost. */
export function checkTimeoutMs(intervalMs: number): number {
  return Math.max(intervalMs, MIN_CHECK_TIMEOUT_MS);
}

/** One process's advisory lock on one name. */
export class AdvisoryClaim implements Claim {
  readonly #key: string;
  #client: pg.Client | undefined;
  #holding = false;
  #released = false;
  /** The lock was lost between tries: the next try reports it (onLose) before trying again. */
  #lost: string | undefined;
  /**
   * After a loss, this process lets the others try first (its connection just failed; theirs
   * may be sound): it tries again from this time on.
   */
  #notBefore = 0;

  constructor(
    /** The engine's connection settings (URL, type parsers, keepAlive, connect timeout). */
    private readonly config: pg.ClientConfig,
    private readonly name: string,
    private readonly intervalMs: number,
    /** What failed, in one line, without the password (`57P01 terminating connection ...`). */
    private readonly causeOf: (error: unknown) => string,
    /** Called when the connection breaks between tries: the loop tries again at once. */
    private readonly onBroken: () => void,
  ) {
    this.#key = leadKey(name);
  }

  async attempt(): Promise<Attempt> {
    if (this.#lost !== undefined) {
      const reason = this.#lost;
      this.#lost = undefined;
      return { leading: false, reason };
    }
    if (!this.#holding && Date.now() < this.#notBefore) {
      return { leading: false, reason: `database: "${this.name}" was lost a moment ago` };
    }
    try {
      const client = this.#client ?? (await this.#connect());
      if (this.#holding) {
        await client.query("SELECT 1");
        return { leading: true };
      }
      const result = await client.query<{ held: boolean }>(
        "SELECT pg_try_advisory_lock($1::bigint) AS held",
        [this.#key],
      );
      this.#holding = result.rows[0]?.held === true;
      if (this.#holding) return { leading: true };
      return { leading: false, reason: `database: "${this.name}" is held by another process` };
    } catch (error) {
      const wasHolding = this.#holding;
      this.#drop();
      if (wasHolding) this.#notBefore = Date.now() + 2 * this.intervalMs;
      return { leading: false, reason: this.#lostWith(error) };
    }
  }

  async release(): Promise<void> {
    this.#released = true;
    const client = this.#client;
    this.#client = undefined;
    this.#holding = false;
    // Ending the session frees its lock: no unlock to wait for first.
    await client?.end().catch(() => undefined);
  }

  async #connect(): Promise<pg.Client> {
    const client = new pg.Client({
      ...this.config,
      // Found in pg_stat_activity: which session holds which name.
      application_name: `newsdesk-lead:${this.name}`.slice(0, 63),
      query_timeout: checkTimeoutMs(this.intervalMs),
    });
    const onBroken = (error: unknown) => {
      if (this.#client !== client) return;
      const wasHolding = this.#holding;
      this.#drop();
      if (!wasHolding || this.#released) return;
      this.#lost = this.#lostWith(error);
      this.#notBefore = Date.now() + 2 * this.intervalMs;
      this.onBroken();
    };
    client.on("error", onBroken);
    client.on("end", () => onBroken(new Error("Connection terminated unexpectedly")));
    try {
      await client.connect();
      await client
        .query(`SET idle_session_timeout = ${idleSessionTimeoutMs(this.intervalMs)}`)
        .catch((error: { code?: unknown }) => {
          // Before PostgreSQL 14 there is no such setting: a vanished holder's lock is then
          // freed when the server's TCP keepalive gives up on its connection.
          if (error.code !== "42704") throw error;
        });
    } catch (error) {
      client.end().catch(() => undefined);
      throw error;
    }
    this.#client = client;
    return client;
  }

  #lostWith(error: unknown): string {
    return `database: the lock of "${this.name}" was lost with its connection (${this.causeOf(error)})`;
  }

  /** Forgets a broken connection (its session, and so its lock, is gone or going). */
  #drop(): void {
    const client = this.#client;
    this.#client = undefined;
    this.#holding = false;
    client?.end().catch(() => undefined);
  }
}
