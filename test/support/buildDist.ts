/**
 * Global setup of the "process" test project: compiles the program into `dist/` with
 * `npm run build`'s own command (`tsc -p tsconfig.build.json`), so the process tests run what
 * `npm start` runs in production: plain `node` on built JavaScript.
 *
 * The compiler runs in the background while the unit project runs (no unit test reads `dist/`),
 * instead of holding up the whole run for its seconds: this setup only starts it and says where
 * its outcome will be written. Every process test file waits for that outcome first
 * (awaitDist.ts, the project's setup file), and none runs on a failed build.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { PROJECT_ROOT } from "./dist.js";

/** What awaitDist.ts reads once the build has ended. */
export interface BuildOutcome {
  readonly ok: boolean;
  /** The compiler's output (its errors, when it failed). */
  readonly output: string;
}

export default function buildDist(project: TestProject): () => Promise<void> {
  const folder = mkdtempSync(path.join(tmpdir(), "newsdesk-build-"));
  const outcomeFile = path.join(folder, "outcome.json");
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  const child: ChildProcess = spawn(process.execPath, [tsc, "-p", "tsconfig.build.json"], {
    cwd: PROJECT_ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  const ended = new Promise<void>((resolve) => {
    const end = (outcome: BuildOutcome) => {
      // The first word is the outcome (a failed spawn is followed by "close"); it is written
      // whole, then renamed, so that a reader never sees half of it.
      if (existsSync(outcomeFile)) return;
      writeFileSync(`${outcomeFile}.part`, JSON.stringify(outcome));
      renameSync(`${outcomeFile}.part`, outcomeFile);
      resolve();
    };
    child.on("error", (error) => end({ ok: false, output: String(error) }));
    child.on("close", (code) => end({ ok: code === 0, output }));
  });
  project.provide("distBuild", outcomeFile);
  // A run that ends before the build (a filter, a failure) still waits for it: dist/ is never
  // left half written.
  return async () => {
    await ended;
    rmSync(folder, { recursive: true, force: true });
  };
}
