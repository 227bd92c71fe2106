/**
 * What every command-line program here shares: their io, exit codes, waiting writes, which
 * articles folder to read, the one place an unexpected error becomes a message and an exit code,
 * and "am I the program being run?".
 */
import { realpathSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadDataDir } from "../config.js";
import { DEFAULT_DATA_DIR } from "../paths.js";
import type { HelpRequest, UsageError } from "./parseOptions.js";

/** The streams, folder and variables a program works with; the process's own when run as one. */
export interface ProgramIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** The user's folder, where relative paths the user typed start (default: `process.cwd()`). */
  readonly cwd?: string;
  /**
   * The variables DATA_DIR is read from (default: the environment over `.env` in the working
   * folder, read by {@link loadDataDir} as the bot reads them).
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The exit codes. */
export const EXIT = {
  ok: 0,
  /** A runtime error (for `ask`: corpus problems under `--strict`, failed batch lines too). */
  failure: 1,
  /** Bad arguments: an unknown option, a missing or bad value, an unknown article or data folder. */
  usage: 2,
} as const;

/** Writes and waits until the stream took the text, so output is never lost or reordered. */
export function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (error) => (error ? reject(error) : resolve()));
  });
}

/** Writes `message` on `stderr`, ending it with a newline if it has none; resolves to `code`. */
export async function failWith(
  stderr: NodeJS.WritableStream,
  message: string,
  code: number,
): Promise<number> {
  await write(stderr, message.endsWith("\n") ? message : `${message}\n`);
  return code;
}

/**
 * What every program does with `--help` (the usage on stdout, exit 0) and with arguments that
 * make no sense (`<name>: <why>`, a blank line and the usage on stderr, exit 2).
 */
export async function helpOrUsageError(
  command: HelpRequest | UsageError,
  name: string,
  usage: string,
  io: ProgramIo,
): Promise<number> {
  if (command.kind === "help") {
    await write(io.stdout, usage);
    return EXIT.ok;
  }
  return failWith(io.stderr, `${name}: ${command.message}\n\n${usage}`, EXIT.usage);
}

/**
 * Runs a program's body and never throws: an unexpected error is reported on `stderr` as
 * `<name>: unexpected error: ...` and gives {@link EXIT.failure}.
 * @param name - the program's name, as it prefixes its messages
 * @param body - the program; resolves to its exit code
 */
export async function guard(
  name: string,
  stderr: NodeJS.WritableStream,
  body: () => Promise<number>,
): Promise<number> {
  try {
    return await body();
  } catch (error) {
    // A closed standard output (`npm run ask -- --batch x | head -1`) is the reader's choice.
    if ((error as NodeJS.ErrnoException).code === "EPIPE") return EXIT.failure;
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    await write(stderr, `${name}: unexpected error: ${detail}\n`).catch(() => undefined);
    return EXIT.failure;
  }
}

/** Whether the module at `moduleUrl` (its `import.meta.url`) is the program node was started with. */
export function isMainModule(moduleUrl: string): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(entry) === fileURLToPath(moduleUrl);
  } catch {
    return false;
  }
}

/** Where the articles folder came from. */
export type DataDirSource = "--data" | "DATA_DIR" | "default";

/** The articles folder a program reads, and where that choice came from. */
export interface DataDirChoice {
  /** Absolute. */
  readonly dir: string;
  readonly source: DataDirSource;
}

/**
 * The articles folder: `--data` resolved against the user's folder; else DATA_DIR as the bot
 * reads it (the environment over `.env`, both in the working folder, which is the project folder
 * under `npm run`; a relative DATA_DIR starts there); else the bundled `data/articles`.
 *
 * @param option - `--data`'s value, if given
 * @param io - `cwd` for `--data`, `env` for DATA_DIR; see {@link ProgramIo}
 */
export function chooseDataDir(
  option: string | undefined,
  io: Pick<ProgramIo, "cwd" | "env">,
): DataDirChoice {
  if (option !== undefined) {
    return { dir: path.resolve(io.cwd ?? process.cwd(), option), source: "--data" };
  }
  const dir = loadDataDir(io.env);
  return { dir, source: dir === DEFAULT_DATA_DIR ? "default" : "DATA_DIR" };
}

const SOURCE_TEXT: Readonly<Record<DataDirSource, string>> = {
  "--data": "from --data",
  DATA_DIR: "from DATA_DIR, in the environment or .env",
  default: "the bundled articles; set DATA_DIR or give --data for others",
};

/** The folder and where it came from, for a message: `/srv/articles (from --data)`. */
export function describeDataDir(choice: DataDirChoice): string {
  return `${choice.dir} (${SOURCE_TEXT[choice.source]})`;
}

/**
 * The line for a loader failure (`corpus: articles folder X does not exist`, ...), prefixed with
 * the program's name. When DATA_DIR chose the folder, the line says so: the user typed no path.
 */
export function dataDirFailure(name: string, message: string, choice: DataDirChoice): string {
  const origin =
    choice.source === "DATA_DIR" ? ` (${SOURCE_TEXT.DATA_DIR}; --data DIR overrides it)` : "";
  return `${name}: ${message}${origin}`;
}

/**
 * Loads from the chosen articles folder; the loader's documented failures (no such folder, not a
 * folder: messages starting `corpus: `) are the user's to fix, so they become the program's one
 * line ({@link dataDirFailure}) instead of an exception.
 * @param load - e.g. `loadCorpus`, or `(dir) => loadServices({ dataDir: dir })`
 */
export async function loadFromDataDir<T>(
  name: string,
  choice: DataDirChoice,
  load: (dir: string) => Promise<T>,
): Promise<{ readonly value: T } | { readonly failure: string }> {
  try {
    return { value: await load(choice.dir) };
  } catch (error) {
    if (error instanceof Error && error.message.startsWith("corpus: ")) {
      return { failure: dataDirFailure(name, error.message, choice) };
    }
    throw error;
  }
}
