/**
 * The load scripts' bot: the built program (`dist/src/index.js`, as `npm start` runs it) in a
 * child process, logged in to a fake Discord in the script's own process, so the two share the
 * machine's cores as a bot and Discord would not, but neither steals the other's event loop.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { PROJECT_ROOT } from "../support/dist.js";
import type { FakeDiscord } from "../support/fakeDiscord.js";

export const LOAD_TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.Gabcde.fake-token-for-load-scripts_0123";

export type LogRecord = Record<string, unknown> & { level?: string; msg?: string };

export interface BotProcess {
  readonly child: ChildProcess;
  /** Log records by message ("interaction", "rate limited", ...), counted. */
  readonly counts: Map<string, number>;
  /** Warn and error records, the first 20 kept whole. */
  readonly problems: LogRecord[];
  /** Resolves with the first record, past or future, that matches. */
  waitFor(match: (record: LogRecord) => boolean, timeoutMs: number): Promise<LogRecord>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts the built bot against `fake`.
 * @param dist - the build folder (default `dist/`; e.g. an older build to compare with)
 * @param env - settings over the defaults (a temp database, a cooldown that never refuses)
 */
export async function startBotProcess(
  fake: FakeDiscord,
  dist = path.join(PROJECT_ROOT, "dist"),
  env: Record<string, string> = {},
): Promise<BotProcess> {
  const dir = mkdtempSync(path.join(tmpdir(), "newsdesk-load-"));
  const child = spawn(
    process.execPath,
    ["--enable-source-maps", path.join(dist, "src", "index.js")],
    {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? "",
        DISCORD_TOKEN: LOAD_TOKEN,
        DISCORD_APPLICATION_ID: fake.applicationId,
        DISCORD_API_URL: fake.apiUrl,
        DATABASE_PATH: path.join(dir, "pins.sqlite"),
        DATA_DIR: path.join(PROJECT_ROOT, "data", "articles"),
        COOLDOWN_QUESTIONS: "100000",
        ...env,
      },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const counts = new Map<string, number>();
  const problems: LogRecord[] = [];
  const records: LogRecord[] = [];
  const listeners = new Set<(record: LogRecord) => void>();
  const stdout = child.stdout;
  if (!stdout) throw new Error("load: the bot has no stdout");
  createInterface({ input: stdout }).on("line", (line) => {
    if (!line.startsWith("{")) return;
    let record: LogRecord;
    try {
      record = JSON.parse(line) as LogRecord;
    } catch {
      return;
    }
    const key = String(record.msg);
    counts.set(key, (counts.get(key) ?? 0) + 1);
    if ((record.level === "warn" || record.level === "error") && problems.length < 20) {
      problems.push(record);
    }
    // Only the lines someone may wait for are kept: a burst logs thousands.
    if (record.msg !== "interaction" && record.msg !== "message") records.push(record);
    for (const listener of listeners) listener(record);
  });
  const exited = once(child, "exit").then(() => child.exitCode);
  exited.finally(() => rmSync(dir, { recursive: true, force: true }));

  const waitFor = (match: (record: LogRecord) => boolean, timeoutMs: number) =>
    new Promise<LogRecord>((resolve, reject) => {
      const found = records.find(match);
      if (found) return resolve(found);
      const timer = setTimeout(() => {
        listeners.delete(listener);
        reject(new Error(`load: no matching bot log line within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (record: LogRecord) => {
        if (!match(record)) return;
        clearTimeout(timer);
        listeners.delete(listener);
        resolve(record);
      };
      listeners.add(listener);
      void exited.then(() => {
        clearTimeout(timer);
        listeners.delete(listener);
        reject(new Error(`load: the bot exited (${child.exitCode})`));
      });
    });

  await waitFor((record) => record.msg === "ready", 60_000);
  return {
    child,
    counts,
    problems,
    waitFor,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}

/** The `p`th percentile (0-100) of `values`, nearest rank; 0 for none. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] ?? 0;
}

/** The value after `--name` in `argv`, as a number, or `fallback`. */
export function numberArg(argv: readonly string[], name: string, fallback: number): number {
  const at = argv.indexOf(`--${name}`);
  if (at === -1) return fallback;
  const value = Number(argv[at + 1]);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`load: --${name} needs a positive number, got ${argv[at + 1]}`);
  }
  return value;
}

/** The value after `--name` in `argv`, or undefined. */
export function stringArg(argv: readonly string[], name: string): string | undefined {
  const at = argv.indexOf(`--${name}`);
  return at === -1 ? undefined : argv[at + 1];
}
