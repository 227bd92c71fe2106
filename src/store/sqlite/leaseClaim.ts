/**
 * SQLite's election (see `Database.lead`): the shards of one machine share the file, so the
 * holder of a name is the process whose row in `leases` (migration 9) names it and has not
 * expired. The row is taken and renewed by one statement, so two processes trying at once cannot
 * both win: SQLite runs one write transaction at a time. All of them read one clock (one machine),
 * so the expiry times compare.
 */
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { setTimeout as delay } from "node:timers/promises";
import { reasonOf } from "../../log.js";
import type { Work } from "../database.js";
import { StoreError } from "../errors.js";
import type { Attempt, Claim } from "../leadership.js";

/** How many intervals a lease lasts without a renewal. */
export const LEASE_INTERVALS = 3;

/**
 * Takes the lease when it is free, expired or already ours, and renews it when ours; returns
 * the row only when it is ours after the statement.
 */
const TAKE = `
  INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
  ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
    WHERE leases.holder = excluded.holder OR leases.expires_at <= ?
  RETURNING holder`;

/** One process's lease on one name. */
export class LeaseClaim implements Claim {
  /** Unique per claim: two Database objects in one process are two contenders. */
  readonly holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  /** Until when the lease is ours by the last successful take or renewal (0: not ours). */
  #ownUntil = 0;

  constructor(
    /** A write on the database's connection, even while it closes (the last release). */
    private readonly write: <T>(work: Work<T>) => Promise<T>,
    private readonly name: string,
    private readonly intervalMs: number,
  ) {}

  async attempt(): Promise<Attempt> {
    // The expiry counts from before the statement: this process never believes it holds the
    // lease later than the row says.
    const now = Date.now();
    const expiresAt = now + LEASE_INTERVALS * this.intervalMs;
    try {
      const row = await this.write((sql) =>
        sql.get<{ holder: string }>(TAKE, [this.name, this.holder, expiresAt, now]),
      );
      if (row !== undefined) {
        this.#ownUntil = expiresAt;
        return { leading: true };
      }
      this.#ownUntil = 0;
      return {
        leading: false,
        reason: `database: the lease of "${this.name}" is held by another process`,
      };
    } catch (error) {
      // Locked by another shard's write, most likely: the next tick tries again, and the lease
      // stays ours until it expires.
      if (Date.now() < this.#ownUntil) return { leading: true };
      this.#ownUntil = 0;
      return {
        leading: false,
        reason: `database: the lease of "${this.name}" expired without a renewal (${reasonOf(error)})`,
      };
    }
  }

  async release(): Promise<void> {
    if (this.#ownUntil === 0) return;
    this.#ownUntil = 0;
    // A locked file is retried for as long as the lease would have lasted: after that it frees
    // itself. Any other failure (the file gone) leaves it to expire.
    const deadline = Date.now() + LEASE_INTERVALS * this.intervalMs;
    for (;;) {
      try {
        await this.write((sql) =>
          sql.run("DELETE FROM leases WHERE name = ? AND holder = ?", [this.name, this.holder]),
        );
        return;
      } catch (error) {
        const locked = error instanceof StoreError && error.code === "LOCKED";
        if (!locked || Date.now() >= deadline) return;
        await delay(Math.min(this.intervalMs, 100));
      }
    }
  }
}
