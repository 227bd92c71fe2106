/**
 * `npm start`'s check of the build (`check-build` in package.json, run before `start`,
 * `start:sharded` and `deploy-commands`): no build, or a build older than the code after a
 * `git pull`, stops with one line saying to build; a build newer than every source file runs.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "./support/dist.js";

let dir: string;

/** A project folder with the real package.json's scripts and the given files, dated `at` (s). */
function write(file: string, at: number): void {
  const full = path.join(dir, file);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, "export {};\n");
  utimesSync(full, at, at);
}

function checkBuild(): { status: number | null; stderr: string } {
  const run = spawnSync("npm", ["run", "-s", "check-build"], { cwd: dir, encoding: "utf8" });
  return { status: run.status, stderr: run.stderr };
}

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "newsdesk-check-build-"));
  const { name, version, scripts } = JSON.parse(
    readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8"),
  ) as { name: string; version: string; scripts: Record<string, string> };
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name, version, scripts }));
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("check-build", () => {
  it("says to build when there is no build", () => {
    write("src/index.ts", 1_000);
    const { status, stderr } = checkBuild();
    expect(status).toBe(1);
    expect(stderr.trim()).toBe(
      "newsdesk: there is no build in dist/: run npm run build first (and again after every update)",
    );
  });

  it("says to build when a source file is newer than the build (after a pull)", () => {
    write("dist/src/index.js", 2_000);
    write("src/index.ts", 1_000);
    write("commands/ask.ts", 3_000);
    const { status, stderr } = checkBuild();
    expect(status).toBe(1);
    expect(stderr.trim()).toBe(
      `newsdesk: the build in dist/ is older than ${path.join("commands", "ask.ts")}: run npm run build (after every update)`,
    );
  });

  it("passes a build newer than the code, and ignores the evaluations (not built)", () => {
    write("dist/src/index.js", 2_000);
    write("src/retrieval/search.ts", 1_000);
    write("commands/ask.ts", 1_500);
    write("src/eval/squad.ts", 3_000);
    expect(checkBuild()).toEqual({ status: 0, stderr: "" });
  });

  it("passes a production install, which has the build and no sources", () => {
    write("dist/src/index.js", 2_000);
    expect(checkBuild()).toEqual({ status: 0, stderr: "" });
  });
});
