import { afterAll, beforeAll, describe, expect, inject, onTestFinished, test } from "vitest";
import type { FollowHandlers } from "../../src/store/database.js";
import { StoreError } from "../../src/store/errors.js";
import { SCHEMA_VERSION } from "../../src/store/migrations.js";
import {
  numberPlaceholders,
  openPostgres,
  type PostgresDatabase,
  type PostgresOptions,
  WRITE_LOCK_WAIT_MS,
} from "../../src/store/postgres/PostgresDatabase.js";
import { captureLog } from "../support/logCapture.js";
import { freshDatabaseUrl, startPostgres, type TestPostgres } from "../support/postgres.js";
import { silentServer } from "../support/tcp.js";
import { Waiters } from "../support/Waiters.js";

const WAIT_MS = 10_000;

/** `host:port/database` of a URL, as the engine names it. */
function nameOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port}${parsed.pathname}`;
}

/** A database of its own on the run's server, opened (migrated) and closed after the test. */
async function open(options: PostgresOptions = {}): Promise<{ db: PostgresDatabase; url: string }> {
  const url = await freshDatabaseUrl(inject("postgresUrl"));
  const db = await openPostgres(url, options);
  onTestFinished(() => db.close());
  return { db, url };
}

/** The StoreError that `promise` rejects with (any other outcome fails the test). */
async function storeError(promise: Promise<unknown>): Promise<StoreError> {
  const error = await promise.then(
    () => new Error("resolved instead of rejecting"),
    (error: unknown) => error,
  );
  if (!(error instanceof StoreError)) throw error;
  return error;
}

/** What a follower was told, in order, and a way to wait for the next of it. */
function recordFollow() {
  const seen: { change?: string | undefined; error?: Error }[] = [];
  const waiters = new Waiters(() => JSON.stringify(seen));
  const handlers: FollowHandlers = {
    onChange: (payload) => {
      seen.push({ change: payload });
      waiters.notify();
    },
    onError: (error) => {
      seen.push({ error });
      waiters.notify();
    },
  };
  const until = (count: number, what: string) =>
    waiters.waitFor(() => seen.length >= count && seen, WAIT_MS, what);
  return { seen, handlers, until };
}

describe("numberPlaceholders", () => {
  test("numbers each ? in order, outside literals, quoted identifiers and comments", () => {
    expect(numberPlaceholders("SELECT ? AS a, '?' AS q, \"x?\" FROM t WHERE b = ? AND c = ?")).toBe(
      "SELECT $1 AS a, '?' AS q, \"x?\" FROM t WHERE b = $2 AND c = $3",
    );
    expect(numberPlaceholders("SELECT 'it''s ?', ? -- what?\n, ? /* ? */ , ?::bigint")).toBe(
      "SELECT 'it''s ?', $1 -- what?\n, $2 /* ? */ , $3::bigint",
    );
  });
});

describe("a database on the run's server", () => {
  test("opens migrated to the latest schema, named host:port/database", async () => {
    const { db, url } = await open();
    expect(db.name).toBe(nameOf(url));
    expect(db.dialect).toBe("postgres");
    const version = await db.read((sql) =>
      sql.get<{ version: number }>("SELECT version FROM newsdesk_schema"),
    );
    expect(version).toEqual({ version: SCHEMA_VERSION });
    // The last migration's table is there, and citext (migration 5) compares without case.
    expect(await db.read((sql) => sql.all("SELECT * FROM vote_secrets"))).toEqual([]);
    const same = await db.read((sql) => sql.get("SELECT 'Ab'::citext = 'aB' AS same"));
    expect(same).toEqual({ same: true });
  });

  test("numbers its parameters and gives integers, bytea and JSON back as SQLite does", async () => {
    const { db } = await open();
    await db.write((sql) =>
      sql.exec("CREATE TABLE sample (big bigint, small integer, blob bytea, doc jsonb, note text)"),
    );
    const blob = Buffer.from([0, 1, 2, 255]);
    const changed = await db.write(async (sql) => {
      let rows = await sql.run("INSERT INTO sample VALUES (?, ?, ?, ?, ?)", [
        2 ** 53 - 1,
        7,
        blob,
        '{"b": [1, 2], "a": "x"}',
        "what?",
      ]);
      rows += await sql.run("INSERT INTO sample (big, small) VALUES (?, ?)", [10, 5]);
      return rows;
    });
    expect(changed).toBe(2);
    const row = await db.read((sql) =>
      sql.get<Record<string, unknown>>(
        "SELECT big, small, blob, doc, note, '?' AS mark FROM sample WHERE note = ?",
        ["what?"],
      ),
    );
    expect(row).toEqual({
      big: 2 ** 53 - 1,
      small: 7,
      blob,
      doc: expect.any(String),
      note: "what?",
      mark: "?",
    });
    expect(JSON.parse(row?.doc as string)).toEqual({ a: "x", b: [1, 2] });
    const totals = await db.read((sql) =>
      sql.get(
        'SELECT count(*) AS rows, sum(small) AS small, sum(big) - ? AS "bigSum" FROM sample',
        [2 ** 53 - 1],
      ),
    );
    expect(totals).toEqual({ rows: 2, small: 12, bigSum: 10 });
  });

  test("a read sees one state and cannot write; a failed write is rolled back", async () => {
    const { db } = await open();
    await db.write((sql) => sql.exec("CREATE TABLE n (v integer)"));
    const count = "SELECT count(*) AS n FROM n";
    const [before, after] = await db.read(async (sql) => {
      const first = await sql.get<{ n: number }>(count);
      // Another connection commits in the middle: this read does not see it.
      await db.write((other) => other.run("INSERT INTO n VALUES (1)"));
      return [first, await sql.get<{ n: number }>(count)];
    });
    expect([before, after]).toEqual([{ n: 0 }, { n: 0 }]);

    const readOnly = await storeError(db.read((sql) => sql.run("INSERT INTO n VALUES (2)")));
    expect(readOnly.code).toBe("READ_ONLY");

    const boom = new Error("boom");
    await expect(
      db.write(async (sql) => {
        await sql.run("INSERT INTO n VALUES (3)");
        throw boom;
      }),
    ).rejects.toBe(boom);
    const kept = await db.keep(async (sql) => sql.run("INSERT INTO n VALUES (4)"));
    expect(kept).toBe(1);
    const values = await db.read((sql) => sql.all("SELECT v FROM n ORDER BY v"));
    expect(values).toEqual([{ v: 1 }, { v: 4 }]);
  });

  test("a lock held by another transaction past lock_timeout is a transient LOCKED", async () => {
    const { db, url } = await open();
    await db.write((sql) => sql.exec("CREATE TABLE locked (v integer)"));
    const error = await db.write(async (sql) => {
      await sql.exec("LOCK TABLE locked IN ACCESS EXCLUSIVE MODE");
      // A read, which waits for the table lock alone (a write would wait for this one's write
      // lock first: see the next test).
      return storeError(
        db.read(async (other) => {
          await other.exec("SET LOCAL lock_timeout = '20ms'");
          return other.all("SELECT * FROM locked");
        }),
      );
    });
    expect(error.code).toBe("LOCKED");
    expect(db.isTransient(error)).toBe(true);
    expect(error.message).toMatch(
      new RegExp(`^database: ${nameOf(url)} stayed locked by another transaction \\(55P03 `),
    );
  });

  test("one write at a time across connections: a second waits for the first's end, then fails as a transient LOCKED", async () => {
    const { db, url } = await open({ patienceMs: 0 });
    await db.write((sql) => sql.exec("CREATE TABLE turns (n integer)"));
    const started = performance.now();
    const error = await db.write(async () =>
      storeError(db.write((other) => other.run("INSERT INTO turns VALUES (1)"))),
    );
    expect(performance.now() - started).toBeGreaterThanOrEqual(WRITE_LOCK_WAIT_MS - 50);
    expect(error.code).toBe("LOCKED");
    expect(db.isTransient(error)).toBe(true);
    expect(error.message).toMatch(
      new RegExp(`^database: ${nameOf(url)} stayed locked by another transaction \\(55P03 `),
    );
    // Once the first ended, a write goes through; reads never waited.
    await db.write((sql) => sql.run("INSERT INTO turns VALUES (2)"));
    expect(await db.read((sql) => sql.all("SELECT n FROM turns"))).toEqual([{ n: 2 }]);
  });

  test("a connection lost at COMMIT is not retried: the write may have been kept", async () => {
    const { db, url } = await open();
    let tries = 0;
    const error = await storeError(
      db.keep(async (sql) => {
        tries++;
        const own = await sql.get<{ pid: number }>("SELECT pg_backend_pid() AS pid");
        // From a read: a write would wait for this one's write lock.
        await db.read((other) => other.get("SELECT pg_terminate_backend(?)", [own?.pid]));
      }),
    );
    expect(tries).toBe(1);
    expect(error.code).toBe("UNAVAILABLE");
    expect(db.isTransient(error)).toBe(false);
    expect(error.message).toMatch(
      new RegExp(
        `^database: ${nameOf(url)} went away while committing \\(.+\\); it may or may not have been kept: check, then try again$`,
      ),
    );
    // The pool gave up that connection: the next unit works.
    await db.ping();
  });

  test("opening again migrates nothing; two opens at once migrate once", async () => {
    const { db, url } = await open();
    expect(await db.migrate()).toBe(SCHEMA_VERSION);
    const rows = await db.read((sql) => sql.all("SELECT version FROM newsdesk_schema"));
    expect(rows).toEqual([{ version: SCHEMA_VERSION }]);

    const empty = await freshDatabaseUrl(url);
    const [a, b] = [
      await openPostgres(empty, { schemaVersion: 0 }),
      await openPostgres(empty, { schemaVersion: 0 }),
    ];
    onTestFinished(() => Promise.all([a.close(), b.close()]).then(() => undefined));
    // Without the advisory lock, the second would create the same tables and fail.
    const found = await Promise.all([a.migrate(), b.migrate()]);
    expect(found.sort()).toEqual([0, SCHEMA_VERSION]);
  });

  test("a database of a newer newsdesk is refused as NEWER_SCHEMA", async () => {
    const { db, url } = await open();
    await db.write((sql) =>
      sql.run("UPDATE newsdesk_schema SET version = ?", [SCHEMA_VERSION + 1]),
    );
    const error = await storeError(openPostgres(url));
    expect(error.code).toBe("NEWER_SCHEMA");
    expect(error.message).toBe(
      `database: ${nameOf(url)} was written by a newer newsdesk (schema version ${SCHEMA_VERSION + 1}; this newsdesk knows up to ${SCHEMA_VERSION}); update newsdesk, or point DATABASE_URL at another database`,
    );
  });

  test("a wrong password, a missing database and a bad URL are one line of CANNOT_OPEN", async () => {
    const { db, url } = await open();
    const role = `login_${Date.now().toString(36)}`;
    await db.write((sql) => sql.exec(`CREATE ROLE ${role} LOGIN PASSWORD 'right-password'`));
    const wrong = new URL(url);
    wrong.username = role;
    wrong.password = "wrong-password-in-url";
    const login = await storeError(openPostgres(wrong.toString()));
    expect(login.code).toBe("CANNOT_OPEN");
    expect(login.message).toMatch(
      new RegExp(
        `^database: ${nameOf(url)} refused the login \\(28P01 .*\\); check the user and password in DATABASE_URL`,
      ),
    );
    expect(login.message).not.toContain("wrong-password-in-url");

    const missing = new URL(url);
    missing.pathname = "/no_such_database";
    const absent = await storeError(openPostgres(missing.toString()));
    expect(absent.code).toBe("CANNOT_OPEN");
    expect(absent.message).toMatch(
      /^database: 127\.0\.0\.1:\d+\/no_such_database does not exist \(3D000 /,
    );

    const scheme = await storeError(openPostgres("mysql://user:secret@host/db"));
    expect(scheme.message).toBe(
      "database: DATABASE_URL is not a PostgreSQL URL (its scheme is mysql: instead of postgres:); write it as postgres://user:password@host:5432/database, or leave it unset to use SQLite",
    );
    for (const error of [login, absent, scheme]) expect(error.message).not.toContain("\n");
  });

  test("a server that takes the connection and never answers is given up after the connect timeout, in one line", async () => {
    // A black hole: TCP accepted, not a byte back (a hung server, a proxy to nowhere).
    const silent = await silentServer(onTestFinished);
    const { port } = silent;
    const started = performance.now();
    const error = await storeError(
      openPostgres(`postgres://newsdesk:secret-password@127.0.0.1:${port}/newsdesk`, {
        connectTimeoutMs: 300,
      }),
    );
    const tookMs = performance.now() - started;
    expect(silent.accepted).toBeGreaterThan(0);
    expect(error.code).toBe("UNAVAILABLE");
    // At opening nothing reconnects by itself: the line does not promise it.
    expect(error.message).toBe(
      `database: 127.0.0.1:${port}/newsdesk is not reachable (Connection terminated due to connection timeout); check that PostgreSQL is running and DATABASE_URL points at it`,
    );
    expect(error.message).not.toContain("\n");
    expect(error.message).not.toContain("secret-password");
    // Not hung: given up at the timeout (a bound, generous for a loaded machine).
    expect(tookMs).toBeLessThan(WAIT_MS);
  });

  test("a follower hears what is committed, not what is rolled back", async () => {
    const { db } = await open();
    const follow = recordFollow();
    const following = await db.follow("pins", follow.handlers);
    onTestFinished(() => following.stop());
    // Connected: one catch-up without payload.
    await follow.until(1, "catch-up");
    await expect(
      db.write(async (sql) => {
        await sql.notify("pins", "rolled back");
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    await db.write((sql) => sql.notify("other channel", "not ours"));
    await db.write((sql) => sql.notify("pins", "kept"));
    await follow.until(2, "the kept notification");
    expect(follow.seen).toEqual([{ change: undefined }, { change: "kept" }]);
  });

  test("close is idempotent and refuses what comes after it", async () => {
    const { db } = await open();
    await db.ping(1_000);
    await Promise.all([db.close(), db.close()]);
    expect(db.isOpen).toBe(false);
    expect(() => db.checkWritable()).toThrow(StoreError);
    const closed = await storeError(db.write((sql) => sql.run("SELECT 1")));
    expect(closed.message).toMatch(/^database: \S+ is closed \(newsdesk is stopping\)/);
  });
});

describe("a server that stops and comes back", () => {
  let server: TestPostgres;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(() => server?.close());

  test("keep is refused as UNAVAILABLE while it is down, and the same database works again after", async () => {
    const { log, records } = captureLog();
    const db = await openPostgres(server.url, { log, patienceMs: 300 });
    onTestFinished(() => db.close());
    await db.write((sql) => sql.exec("CREATE TABLE kept (v integer)"));
    const follow = recordFollow();
    const following = await db.follow("kept", follow.handlers);
    onTestFinished(() => following.stop());
    await follow.until(1, "catch-up");

    await server.stop();
    await follow.until(2, "the follower's error");
    expect(follow.seen[1]?.error).toBeInstanceOf(StoreError);

    const refused = await storeError(db.keep((sql) => sql.run("INSERT INTO kept VALUES (1)")));
    expect(refused.code).toBe("UNAVAILABLE");
    expect(db.isTransient(refused)).toBe(true);
    expect(refused.message).toBe(
      `database: ${nameOf(server.url)} is not reachable (ECONNREFUSED); check that PostgreSQL is running and DATABASE_URL points at it; newsdesk reconnects by itself`,
    );
    expect((await storeError(db.ping(1_000))).code).toBe("UNAVAILABLE");
    const opening = await storeError(openPostgres(server.url));
    expect(opening.code).toBe("UNAVAILABLE");
    // The pool's idle connections were cut by the shutdown: logged, not thrown.
    expect(await records()).toContainEqual(
      expect.objectContaining({
        level: "warn",
        msg: "database: an idle connection was lost; the pool opens a new one when needed",
      }),
    );

    await server.start();
    // Listening again: one catch-up for what was missed, and it hears new notifications.
    await follow.until(3, "catch-up after the restart");
    expect(follow.seen[2]).toEqual({ change: undefined });
    await db.keep(async (sql) => {
      await sql.run("INSERT INTO kept VALUES (2)");
      await sql.notify("kept", "2");
    });
    await follow.until(4, "the notification after the restart");
    expect(
      follow.seen.slice(1).map((event) => ("error" in event ? "error" : event.change)),
    ).toEqual(["error", undefined, "2"]);
    expect(await db.read((sql) => sql.all("SELECT v FROM kept"))).toEqual([{ v: 2 }]);
  });

  test("a kept write waits through a crash and a restart within its patience", async () => {
    const { log } = captureLog();
    const db = await openPostgres(server.url, { log, patienceMs: 10_000 });
    onTestFinished(() => db.close());
    // Kept, so committed durably: the test server runs with synchronous_commit off, and a
    // plain write just before a crash may be lost.
    await db.keep((sql) => sql.exec("CREATE TABLE waited (v integer)"));
    await server.kill();
    const kept = db.keep((sql) => sql.run("INSERT INTO waited VALUES (1)"));
    await server.start();
    expect(await kept).toBe(1);
    await server.restart();
    expect(await db.keep((sql) => sql.run("INSERT INTO waited VALUES (2)"))).toBe(1);
    const rows = await db.read((sql) => sql.all("SELECT v FROM waited ORDER BY v"));
    expect(rows).toEqual([{ v: 1 }, { v: 2 }]);
  });
});
