/**
 * What every command-line program here shares: exit codes, waiting writes, the one place an
 * unexpected error becomes a message and an exit code, and "am I the program being run?".
 */
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";

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
