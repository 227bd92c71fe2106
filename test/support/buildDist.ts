/**
 * Global setup of the "process" test project: compiles the program into `dist/` with
 * `npm run build`'s own command (`tsc -p tsconfig.build.json`), so the process tests run what
 * `npm start` runs in production: plain `node` on built JavaScript.
 */
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { PROJECT_ROOT } from "./dist.js";

export default function buildDist(): void {
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  try {
    execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], {
      cwd: PROJECT_ROOT,
      stdio: "pipe",
    });
  } catch (error) {
    const output = error instanceof Error && "stdout" in error ? String(error.stdout) : "";
    throw new Error(`npm run build failed, so no process test can run:\n${output}`);
  }
}
