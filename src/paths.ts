/**
 * Where the project's folders are, for the same code run from `src/` (tsx, vitest) or compiled
 * into `dist/src/` (`npm run build`, then plain `node`). Two roots, because they differ once
 * built:
 *
 * - the package root (the folder of `package.json`) holds what an operator owns: `data/`,
 *   `var/`, `.env.example`;
 * - the code root (the folder above the running `src/`: the package root under tsx, `dist/`
 *   when built) holds the code that runs, among it the compiled `commands/`.
 *
 * This module imports nothing heavy, so any entry point may import it first.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The folder of the running `src/` (this module's folder). */
const SRC_DIR = path.dirname(fileURLToPath(import.meta.url));

/**
 * The nearest folder at or above `start` that holds a `package.json`.
 *
 * @param start - an absolute folder
 * @throws Error when no folder up to the file-system root has one
 */
export function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) {
      throw new Error(`paths: no package.json in ${start} or any folder above it`);
    }
  }
}

/** The package root: where `package.json`, `data/` and `var/` are, built or not. */
export const PACKAGE_ROOT = findPackageRoot(SRC_DIR);

/** The root of the running code: the package root under tsx, `dist/` once built. */
export const CODE_ROOT = path.dirname(SRC_DIR);

/** The bundled articles, `data/articles` under the package root: the default of DATA_DIR. */
export const DEFAULT_DATA_DIR = path.join(PACKAGE_ROOT, "data", "articles");

/** `var/newsdesk.sqlite` under the package root (git-ignored): the default of DATABASE_PATH. */
export const DEFAULT_DATABASE_PATH = path.join(PACKAGE_ROOT, "var", "newsdesk.sqlite");

/** The commands of the running code: `commands/` beside the running `src/`. */
export const DEFAULT_COMMANDS_DIR = path.join(CODE_ROOT, "commands");
