/** Where the built program is, for the process tests (built by buildDist.ts). */
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The project folder. */
export const PROJECT_ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** The built file of a source entry point: `src/index.ts` -> `<root>/dist/src/index.js`. */
export function distEntry(source: string): string {
  return path.join(PROJECT_ROOT, "dist", source.replace(/\.ts$/, ".js"));
}
