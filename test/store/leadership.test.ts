/**
 * `Database.lead` on both engines: two Database objects on one database are two processes (or
 * hosts) contending for once-only work. A short interval keeps the handovers quick; every wait
 * is on an onLead or onLose event, with a timeout.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { afterEach, describe, expect, inject, it } from "vitest";
import { createLogger } from "../../src/log.js";
import type { Database, Leadership } from "../../src/store/database.js";
import { LeadTimeout, withLeadership } from "../../src/store/leadership.js";
import type { DatabaseSettings } from "../../src/store/openDatabase.js";
import { openDatabase } from "../../src/store/openDatabase.js";
import { leadKey } from "../../src/store/postgres/advisoryClaim.js";
import { openPostgres } from "../../src/store/postgres/PostgresDatabase.js";
import { withinTime } from "../../src/withinTime.js";
import { ENGINES, sqliteEngine, type TestDatabase } from "../support/engines.js";
import { dropDatabase, freshDatabaseUrl } from "../support/postgres.js";
import { Waiters } from "../support/Waiters.js";

const INTERVAL_MS = 100;
const WAIT_MS = 5_000;
const NAME = "feed-poll";

type Event = { readonly kind: "lead" } | { readonly kind: "lose"; readonly reason: string };

interface Contender {
  readonly events: Event[];
  readonly leadership: Leadership;
  /** Resolves once `count` events of `kind` happened in all. */
  until(kind: Event["kind"], count?: number): Promise<void>;
}

/** `db` contending for `name`, with its events recorded. */
async function contend(db: Database, name = NAME): Promise<Contender> {
  const events: Event[] = [];
  const waiters = new Waiters(() => `events: ${JSON.stringify(events)}`);
  const leadership = await db.lead(
    name,
    {
      onLead: () => {
        events.push({ kind: "lead" });
        waiters.notify();
      },
      onLose: (reason) => {
        events.push({ kind: "lose", reason });
        waiters.notify();
      },
    },
    { intervalMs: INTERVAL_MS },
  );
  return {
    events,
    leadership,
    until: async (kind, count = 1) => {
      await waiters.waitFor(
        () => events.filter((event) => event.kind === kind).length >= count,
        WAIT_MS,
        `${count} ${kind} event(s)`,
      );
    },
  };
}

const kinds = (contender: Contender) => contender.events.map((event) => event.kind);

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const HOLDER = fileURLToPath(new URL("./leadHolder.ts", import.meta.url));
/** How long a child may take to start (tsx compiles it) and lead. */
const CHILD_MS = 20_000;

let cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

describe.each(ENGINES)("Database.lead on $name", (engine) => {
  let fresh: TestDatabase;
  /** Two processes on one fresh database. */
  async function twoProcesses(): Promise<[Database, Database]> {
    fresh = await engine.fresh();
    cleanups.push(() => fresh.remove());
    return [await fresh.open(), await fresh.open()];
  }

  it("lets one of two lead, and hands over when the leader stops", async () => {
    const [first, second] = await twoProcesses();
    const a = await contend(first);
    const b = await contend(second);
    expect(a.leadership.leading).toBe(true);
    expect(kinds(a)).toEqual(["lead"]);
    expect(b.leadership.leading).toBe(false);

    await a.leadership.stop();
    expect(a.leadership.leading).toBe(false);
    await b.until("lead");
    expect(b.leadership.leading).toBe(true);
    // Stopping is the caller's own doing: no onLose for it.
    expect(kinds(a)).toEqual(["lead"]);
    expect(kinds(b)).toEqual(["lead"]);
    await b.leadership.stop();
  });

  it("holds different names apart", async () => {
    const [first, second] = await twoProcesses();
    const a = await contend(first, "feed-poll");
    const b = await contend(second, "deploy-commands");
    expect([a.leadership.leading, b.leadership.leading]).toEqual([true, true]);
  });

  it("releases the lead when its database closes", async () => {
    const [first, second] = await twoProcesses();
    await contend(first);
    const b = await contend(second);
    expect(b.leadership.leading).toBe(false);
    await first.close();
    await b.until("lead");
  });

  it("withLeadership: a second run waits for the first, says so, then runs", async () => {
    const [first, second] = await twoProcesses();
    const order: string[] = [];
    let finishFirst!: () => void;
    const firstMayFinish = new Promise<void>((resolve) => {
      finishFirst = resolve;
    });
    let firstStarted!: () => void;
    const started = new Promise<void>((resolve) => {
      firstStarted = resolve;
    });
    const one = withLeadership(first, "deploy-commands", async () => {
      order.push("first started");
      firstStarted();
      await firstMayFinish;
      order.push("first done");
    });
    await started;
    let saidWaiting!: () => void;
    const waiting = new Promise<void>((resolve) => {
      saidWaiting = resolve;
    });
    const two = withLeadership(
      second,
      "deploy-commands",
      async () => {
        order.push("second started");
      },
      { intervalMs: INTERVAL_MS, waitingAfterMs: 50, onWaiting: () => saidWaiting() },
    );
    await waiting;
    expect(order).toEqual(["first started"]);
    finishFirst();
    await Promise.all([one, two]);
    expect(order).toEqual(["first started", "first done", "second started"]);
  });

  it("withLeadership gives up with a LeadTimeout while another process holds the name", async () => {
    const [first, second] = await twoProcesses();
    const holder = await contend(first, "deploy-commands");
    expect(holder.leadership.leading).toBe(true);
    const ran: string[] = [];
    const error = await withLeadership(second, "deploy-commands", async () => ran.push("ran"), {
      intervalMs: INTERVAL_MS,
      waitMs: 300,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LeadTimeout);
    expect((error as Error).message).toBe(
      'database: "deploy-commands" is still held by another process after 0.3 s; try again once it is done',
    );
    expect(ran).toEqual([]);
    // It gave up its own try too: the holder's release goes to no one.
    expect(holder.leadership.leading).toBe(true);
  });
});

/**
 * A holder in a child process (leadHolder.ts) on `settings`, once it leads; killed (SIGKILL) at
 * the end of the test if still there.
 */
async function holderProcess(settings: DatabaseSettings) {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", HOLDER, JSON.stringify(settings), NAME, String(INTERVAL_MS)],
    { cwd: ROOT, stdio: "pipe" },
  );
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const exited = once(child, "exit");
  // SIGKILL ends a stopped (SIGSTOP) process too.
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await exited;
  });
  const lines = createInterface({ input: child.stdout });
  const leading = new Promise<void>((resolve) =>
    lines.on("line", (line) => line === "leading" && resolve()),
  );
  await withinTime(leading, CHILD_MS).catch((error: unknown) => {
    throw new Error(`the holder did not lead: ${String(error)}; stderr: ${stderr}`);
  });
  return child;
}

describe.each(ENGINES.map((engine) => [engine.name, engine] as const))(
  "Database.lead on %s, a holder process",
  (_name, engine) => {
    it.each([
      ["that is killed (releasing nothing) is replaced by another process", "SIGKILL"],
      // PostgreSQL: the frozen holder's connection stays open, and the server ends its session
      // once idle for longer than the checks allow (idle_session_timeout); SQLite: its lease
      // expires.
      ["that freezes (SIGSTOP: its connection open and silent) is replaced", "SIGSTOP"],
    ] as const)("%s", async (_title, signal) => {
      // A fresh database of the engine, by its settings, for a child process to open too.
      const fresh = await engine.fresh();
      cleanups.push(() => fresh.remove());
      const { settings } = fresh;
      const child = await holderProcess(settings);
      const db = await openDatabase(settings, createLogger({ level: "error" }));
      cleanups.push(() => db.close());
      const b = await contend(db);
      expect(b.leadership.leading).toBe(false);
      child.kill(signal);
      await b.until("lead");
      expect(b.leadership.leading).toBe(true);
    });
  },
);

describe("Database.lead on sqlite: the lease", () => {
  async function fileDatabase(): Promise<Database> {
    const fresh = await sqliteEngine.fresh();
    cleanups.push(() => fresh.remove());
    return fresh.open();
  }
  /** Another connection to the file, as another process would have. */
  function rawConnection(db: Database): BetterSqlite3.Database {
    const raw = new BetterSqlite3(db.name);
    cleanups.push(async () => raw.close());
    return raw;
  }

  it("is taken over once a holder that stopped renewing (a crash) lets it expire", async () => {
    const db = await fileDatabase();
    // What a crashed process leaves: its row, expiring soon, never renewed again.
    await db.write((sql) =>
      sql.run("INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)", [
        NAME,
        "crashed-host:4242:0",
        Date.now() + 3 * INTERVAL_MS,
      ]),
    );
    const b = await contend(db);
    expect(b.leadership.leading).toBe(false);
    await b.until("lead");
    const rows = await db.read((sql) => sql.all<{ holder: string }>("SELECT holder FROM leases"));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.holder).not.toBe("crashed-host:4242:0");
    await b.leadership.stop();
    // Released: the row is gone, the next process need not wait for an expiry.
    expect(await db.read((sql) => sql.all("SELECT * FROM leases"))).toEqual([]);
  });

  it("is lost when it cannot be renewed before it expires (the file locked), then taken again", async () => {
    const db = await fileDatabase();
    const a = await contend(db);
    expect(a.leadership.leading).toBe(true);
    const raw = rawConnection(db);
    raw.exec("BEGIN IMMEDIATE");
    await a.until("lose");
    expect(a.events[1]).toEqual({
      kind: "lose",
      reason: expect.stringMatching(
        /^database: the lease of "feed-poll" expired without a renewal \(pins: .* is locked by another process/,
      ) as string,
    });
    raw.exec("COMMIT");
    await a.until("lead", 2);
    expect(kinds(a)).toEqual(["lead", "lose", "lead"]);
  });

  it("is lost at the next renewal when another process holds the row", async () => {
    const db = await fileDatabase();
    const a = await contend(db);
    const raw = rawConnection(db);
    raw
      .prepare("UPDATE leases SET holder = 'other-host:1:0', expires_at = ? WHERE name = ?")
      .run(Date.now() + 60_000, NAME);
    await a.until("lose");
    expect(a.events[1]).toEqual({
      kind: "lose",
      reason: 'database: the lease of "feed-poll" is held by another process',
    });
    expect(a.leadership.leading).toBe(false);
  });
});

describe("Database.lead on postgres: the advisory lock", () => {
  const quiet = createLogger({ level: "error" });

  it("derives a stable signed 64-bit key from the name", () => {
    expect(leadKey(NAME)).toBe(leadKey(NAME));
    expect(leadKey(NAME)).not.toBe(leadKey("deploy-commands"));
    const key = BigInt(leadKey(NAME));
    expect(key >= -(2n ** 63n) && key < 2n ** 63n).toBe(true);
  });

  it("is lost by a holder whose session the server ends, and taken by the other", async () => {
    const url = await freshDatabaseUrl(inject("postgresUrl"));
    cleanups.push(() => dropDatabase(url));
    const first = await openPostgres(url, { log: quiet, poolSize: 2 });
    cleanups.push(() => first.close());
    const second = await openPostgres(url, { log: quiet, poolSize: 2 });
    cleanups.push(() => second.close());
    const a = await contend(first);
    const b = await contend(second);
    expect([a.leadership.leading, b.leadership.leading]).toEqual([true, false]);

    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    cleanups.push(() => admin.end());
    // The session that holds the lock: named by its application_name, holding an advisory lock.
    const { rows } = await admin.query<{ ended: boolean }>(
      `SELECT pg_terminate_backend(activity.pid) AS ended
         FROM pg_stat_activity activity JOIN pg_locks locks ON locks.pid = activity.pid
        WHERE activity.datname = current_database() AND activity.application_name = $1
          AND locks.locktype = 'advisory' AND locks.granted`,
      [`newsdesk-lead:${NAME}`],
    );
    expect(rows).toEqual([{ ended: true }]);

    await a.until("lose");
    expect(a.events[1]).toEqual({
      kind: "lose",
      reason: expect.stringMatching(
        /^database: the lock of "feed-poll" was lost with its connection \(57P01 terminating connection/,
      ) as string,
    });
    // The loser lets the others try first, so the other should take it; either way, only one.
    await Promise.race([b.until("lead"), a.until("lead", 2)]);
    expect([a.leadership.leading, b.leadership.leading].filter(Boolean)).toHaveLength(1);
    expect(b.leadership.leading).toBe(true);
  });
});
