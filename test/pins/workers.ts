/**
 * Runs test/pins/pinStoreWorker.ts in a child process (`node --import tsx`), so that tests can
 * use the pin store from another process (concurrent writers) or as another user (read-only
 * files: root may write any file, so the read-only cases run as `nobody` when the tests run as
 * root). Waiting is on the child's output lines and exit, each with a timeout; never a sleep.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const WORKER = fileURLToPath(new URL("./pinStoreWorker.ts", import.meta.url));

/** The user `nobody` (uid and gid 65534 on Linux). */
export const NOBODY = { uid: 65534, gid: 65534 } as const;

/** True when the tests run as root, who may write read-only files. */
export const runningAsRoot = process.getuid?.() === 0;

export interface Worker {
  readonly child: ChildProcessWithoutNullStreams;
  /** The next line the child prints; rejects after `timeoutMs` or when the child exits first. */
  nextLine(timeoutMs?: number): Promise<string>;
  /** Resolves when the child exits, with its exit code and everything it wrote to stderr. */
  readonly exited: Promise<{ code: number | null; stderr: string }>;
}

/**
 * Starts the worker with `args` (see pinStoreWorker.ts).
 * @param user - run as this user (only root can)
 */
export function startWorker(
  args: readonly string[],
  user?: { readonly uid: number; readonly gid: number },
): Worker {
  const child = spawn(process.execPath, ["--import", "tsx", WORKER, ...args], {
    cwd: ROOT,
    stdio: "pipe",
    ...user,
  });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const lines: string[] = [];
  const waiting: ((line: string | undefined) => void)[] = [];
  let ended = false;
  createInterface({ input: child.stdout })
    .on("line", (line) => {
      const next = waiting.shift();
      if (next) next(line);
      else lines.push(line);
    })
    .on("close", () => {
      ended = true;
      for (const next of waiting.splice(0)) next(undefined);
    });
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stderr }));
  });
  return {
    child,
    exited,
    nextLine(timeoutMs = 15_000) {
      const queued = lines.shift();
      if (queued !== undefined) return Promise.resolve(queued);
      if (ended) return Promise.reject(new Error(`worker ended without a line; stderr: ${stderr}`));
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.splice(waiting.indexOf(done), 1);
          reject(new Error(`worker printed no line within ${timeoutMs} ms; stderr: ${stderr}`));
        }, timeoutMs);
        const done = (line: string | undefined) => {
          clearTimeout(timer);
          if (line === undefined)
            reject(new Error(`worker ended without a line; stderr: ${stderr}`));
          else resolve(line);
        };
        waiting.push(done);
      });
    },
  };
}

/** What `open FILE` reports: `{ ok: true }`, or the error's name, code and message. */
export type OpenResult =
  | { readonly ok: true }
  | { readonly name: string; readonly code?: string; readonly message: string };

/** Opens the store at `file` in a child process, as `user` if given. */
export async function openInWorker(
  file: string,
  user?: { readonly uid: number; readonly gid: number },
): Promise<OpenResult> {
  const worker = startWorker(["open", file], user);
  const line = await worker.nextLine();
  const { code, stderr } = await worker.exited;
  if (code !== 0) throw new Error(`worker exited with ${code}: ${stderr}`);
  return JSON.parse(line) as OpenResult;
}
