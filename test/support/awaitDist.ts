/**
 * Setup file of the "process" test project: waits until the build that buildDist.ts started in
 * the background has ended (it has, almost always: the unit project runs first), and fails the
 * file with the compiler's output if the build failed, so no process test runs an old `dist/`.
 */
import { existsSync, readFileSync } from "node:fs";
import { setTimeout as delay } from "node:timers/promises";
import { inject } from "vitest";
import type { BuildOutcome } from "./buildDist.js";

/** How long a file waits for the build (tsc takes about 8 s on the 2-core machine). */
const BUILD_MS = 120_000;

const outcomeFile = inject("distBuild");
const deadline = Date.now() + BUILD_MS;
while (!existsSync(outcomeFile)) {
  if (Date.now() > deadline) throw new Error(`npm run build did not end within ${BUILD_MS} ms`);
  await delay(50);
}
const outcome = JSON.parse(readFileSync(outcomeFile, "utf8")) as BuildOutcome;
if (!outcome.ok) {
  throw new Error(`npm run build failed, so no process test can run:\n${outcome.output}`);
}
