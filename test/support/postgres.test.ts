import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, inject, onTestFinished, test } from "vitest";
import { findBinaries, freshDatabaseUrl } from "./postgres.js";

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

  test("freshDatabaseUrl makes a new database on the run's server each time", async () => {
    const url = inject("postgresUrl");
    const [a, b] = [await freshDatabaseUrl(url), await freshDatabaseUrl(url)];
    expect(a).not.toBe(b);
    expect(new URL(a).host).toBe(new URL(url).host);
    expect(new URL(a).pathname).toMatch(/^\/newsdesk_\w+$/);
  });
});
