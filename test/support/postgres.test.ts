import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { describe, expect, inject, onTestFinished, test } from "vitest";
import { dropDatabase, findBinaries, freshDatabaseUrl, removeAbandoned } from "./postgres.js";

describe("the test PostgreSQL server", () => {
  test("without PostgreSQL installed, says in one line to install Debian's package", () => {
    const empty = mkdtempSync(path.join(tmpdir(), "newsdesk-nopg-"));
    onTestFinished(() => rmSync(empty, { recursive: true, force: true }));
    expect(() => findBinaries(path.join(empty, "postgresql"), empty)).toThrow(
      /^test postgres: no PostgreSQL server found \(initdb is neither in \/usr\/lib\/postgresql\/\*\/bin nor on PATH\); install Debian's postgresql and postgresql-contrib packages/,
    );
  });

  test("takes the newest of Debian's versions", () => {
    const root = mkdtempSync(path.join(tmpdir(), "newsdesk-pgbin-"));
    onTestFinished(() => rmSync(root, { recursive: true, force: true }));
    for (const version of ["9", "15", "13"]) {
      mkdirSync(path.join(root, version, "bin"), { recursive: true });
      writeFileSync(path.join(root, version, "bin", "initdb"), "");
    }
    expect(findBinaries(root, "")).toBe(path.join(root, "15", "bin"));
  });

  test("removes the folders of servers that are gone, not of those running or being made", () => {
    const parent = mkdtempSync(path.join(tmpdir(), "newsdesk-abandoned-"));
    onTestFinished(() => rmSync(parent, { recursive: true, force: true }));
    const folder = (name: string, pid?: number, ageMs = 0) => {
      const data = path.join(parent, name, "data");
      mkdirSync(data, { recursive: true });
      if (pid !== undefined) writeFileSync(path.join(data, "postmaster.pid"), `${pid}\n/x\n`);
      const at = (Date.now() - ageMs) / 1000;
      utimesSync(path.join(parent, name), at, at);
      return path.join(parent, name);
    };
    const hour = 3_600_000;
    // Beyond any Linux pid_max: no such process.
    const dead = folder("newsdesk-pg-dead", 2 ** 30);
    const running = folder("newsdesk-pg-running", process.pid, hour);
    const making = folder("newsdesk-pg-making");
    // initdb's bootstrap backend runs single-user, whose lock file names its pid negated.
    const bootstrapping = folder("newsdesk-pg-bootstrapping", -process.pid, hour);
    const old = folder("newsdesk-pg-old", undefined, hour);
    const other = folder("something-else", 2 ** 30, hour);
    removeAbandoned(parent);
    expect(
      [dead, running, making, bootstrapping, old, other].map((dir) => existsSync(dir)),
    ).toEqual([false, true, true, true, false, true]);
  });

  test("freshDatabaseUrl makes a new database each time; dropDatabase removes it", async () => {
    const url = inject("postgresUrl");
    const [a, b] = [await freshDatabaseUrl(url), await freshDatabaseUrl(url)];
    expect(a).not.toBe(b);
    expect(new URL(a).host).toBe(new URL(url).host);
    const name = new URL(a).pathname.slice(1);
    expect(name).toMatch(/^newsdesk_\w+$/);
    const databases = async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const result = await client.query("SELECT datname FROM pg_database");
        return result.rows.map((row: { datname: string }) => row.datname);
      } finally {
        await client.end();
      }
    };
    expect(await databases()).toContain(name);
    // Even with a connection still on it.
    const left = new pg.Client({ connectionString: a });
    left.on("error", () => undefined);
    await left.connect();
    await dropDatabase(a);
    expect(await databases()).not.toContain(name);
  });
});
