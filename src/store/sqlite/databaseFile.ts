/**
 * The pin database as a file on disk: its folder made at start-up, the marker that remembers a
 * database was created there, and the check that what is written now is in the file the next
 * start opens (the same file at its path, still writable).
 */
import { accessSync, constants, existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Logger } from "../../log.js";
import { StoreError } from "../errors.js";

/** Where the file is and what it was when opened: its identity, to notice a replacement. */
export interface FileIdentity {
  readonly absolute: string;
  readonly dev: number;
  readonly ino: number;
}

/**
 * The sidecar that says a database was created at a path: `<file>-created` (git-ignored with
 * `*.sqlite-*`). Found without its database at start-up, it means the database was deleted.
 */
export function createdMarker(file: string): string {
  return `${file}-created`;
}

/**
 * Throws when what is written now would not be in the file the next start opens: the file is
 * gone (or its folder), another file took its path, or it (or its WAL) cannot be written.
 * Only stat and access: opening the file would drop SQLite's POSIX locks when closed.
 * @param file - the database path as configured, for the message
 * @param identity - what the file was when opened
 * @throws StoreError GONE or READ_ONLY, saying what to do
 */
export function checkDatabaseFile(file: string, identity: FileIdentity): void {
  const { absolute } = identity;
  let now: { dev: number; ino: number };
  try {
    now = statSync(absolute);
  } catch (error) {
    throw new StoreError(
      "GONE",
      file,
      `pins: the database at ${file} is not writable: it is gone (${errorText(error)}; was it or its folder deleted?), so nothing written now would be kept; restore it from a backup and restart newsdesk, or restart newsdesk to start a new empty database there`,
      { cause: error },
    );
  }
  if (now.dev !== identity.dev || now.ino !== identity.ino) {
    throw new StoreError(
      "GONE",
      file,
      `pins: the database at ${file} is not writable: another file replaced the one newsdesk opened, so nothing written now would be kept; restart newsdesk to use the new file`,
    );
  }
  for (const part of [absolute, `${absolute}-wal`]) {
    try {
      accessSync(part, constants.W_OK);
    } catch (error) {
      if (part !== absolute && (error as { code?: unknown }).code === "ENOENT") continue;
      throw new StoreError(
        "READ_ONLY",
        file,
        `pins: the database at ${file} is not writable: ${errorText(error)}; let the user running newsdesk write ${path.basename(part)} and its folder, then try again`,
        { cause: error },
      );
    }
  }
}

/** Says in the log that a new empty database was created, and whether one was there before. */
export function sayNewDatabase(
  log: Logger,
  file: string,
  absolute: string,
  /** Whether the folder, and the marker of an earlier database, were there before opening. */
  before: { readonly folderExisted: boolean; readonly markerExisted: boolean },
) {
  const marker = createdMarker(absolute);
  const { folderExisted } = before;
  if (before.markerExisted) {
    log.error(
      { database: file, marker },
      `pins: the database at ${file} is missing though newsdesk created one there before (${path.basename(marker)} is still there): a new empty database is created at ${absolute}; the pins it held are lost unless you restore the file from a backup`,
    );
  } else {
    // Info, not a warning: a first start is the usual reason, and it must start clean.
    log.info(
      { database: file, folderCreated: !folderExisted },
      `pins: no database at ${file}${folderExisted ? "" : " (nor its folder)"}: a new empty database is created at ${absolute}; expected on a first start, else the old database was deleted or DATABASE_PATH changed`,
    );
  }
}

/** Writes the database's marker ({@link createdMarker}) if it is not there yet. */
export function keepMarker(log: Logger, absolute: string): void {
  const marker = createdMarker(absolute);
  if (existsSync(marker)) return;
  try {
    const body = { database: absolute, since: new Date().toISOString() };
    // "wx": of two shards creating the database together, the first marker stays.
    writeFileSync(marker, `${JSON.stringify(body)}\n`, { flag: "wx" });
  } catch (error) {
    if ((error as { code?: unknown }).code === "EEXIST") return;
    // Only the start-up message after a deletion depends on it: say so, and go on.
    log.warn({ marker, err: error }, "pins: could not write the database's marker");
  }
}

export function errorText(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === "string" && !message.startsWith(code) ? `${code}: ${message}` : message;
}

/**
 * Creates `dir` and its missing parents, one level at a time. Not `mkdirSync(dir, { recursive:
 * true })`: on Node 20 that loops forever where a parent exists but refuses new entries with
 * ENOENT (a path under /proc), and the bot would hang at start-up instead of saying why.
 * @throws the error of the first level that cannot be made (EACCES, ENOTDIR, ENOENT...)
 */
export function makeFolder(dir: string): void {
  if (existsSync(dir)) return;
  const parent = path.dirname(dir);
  if (parent !== dir) makeFolder(parent);
  try {
    mkdirSync(dir);
  } catch (error) {
    // Another shard made it in between: what was wanted.
    if ((error as { code?: unknown }).code !== "EEXIST") throw error;
  }
}
