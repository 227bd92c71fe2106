/**
 * Runs the built entry points (`dist/`) as child processes for the process tests, the way the
 * npm scripts run them: what reaches stdout and stderr, the JSON log records, exit codes. Every
 * resource (temp folders, processes, fake Discord servers) ends with the test that made it.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "vitest";
import { distEntry, PROJECT_ROOT } from "./dist.js";
import { FakeDiscord } from "./fakeDiscord.js";

export const TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.Gabcde.fake-token-for-startup-tests_0123";
export const APP_ID = "123456789012345678";
export const MISSING_TOKEN_LINE =
  'config: DISCORD_TOKEN is not set. Copy .env.example to .env and fill it in (see README), or try newsdesk offline with: npm run ask -- "How long would the ceasefire last?"';
/** Each child loads discord.js, compromise and WordNet: a few seconds, more on a busy machine. */
export const STEP_MS = 45_000;
export const TEST_MS = 120_000;

/** A source entry point (run from its build in dist/), or the absolute path of a built file. */
export type Entry = "src/index.ts" | "src/deploy.ts" | "src/shard.ts" | (string & {});

export interface Run {
  readonly child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** The JSON log lines on stdout so far (other lines skipped). */
  records(): Record<string, unknown>[];
  /** Resolves with the first log record that matches, rejects if the process exits first. */
  waitForRecord(
    match: (record: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  /** Resolves with the exit code once the process has exited and its streams are closed. */
  exited(timeoutMs?: number): Promise<number | null>;
}

export type Cleanup = () => Promise<void> | void;

/**
 * Per-test helpers whose resources (temp folders, processes, fakes) end with the test, even
 * when tests run concurrently.
 */
export function harness(onTestFinished: (cleanup: Cleanup) => void) {
  const cleanups: Cleanup[] = [];
  onTestFinished(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const tempDir = (files: Record<string, string> = {}) => makeTempDir(files, cleanups);
  return {
    tempDir,
    run: (entry: Entry, env: Record<string, string>, cwd = tempDir()) =>
      run(entry, env, cwd, cleanups),
    runWithFaults: (entry: Entry, env: Record<string, string>) =>
      run(entry, env, tempDir(), cleanups, [FAULTS]),
    /** `npm <args>` in the project folder (e.g. `["start"]`), with exactly `env` (plus PATH). */
    runNpm: (args: readonly string[], env: Record<string, string>) =>
      start(NPM, [...args], env, PROJECT_ROOT, cleanups, tempDir()),
    async startFake(options: { token?: string } = {}): Promise<FakeDiscord> {
      const fake = await FakeDiscord.start(options);
      cleanups.push(() => fake.stop());
      return fake;
    },
  };
}

function makeTempDir(files: Record<string, string>, cleanups: Cleanup[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), "newsdesk-startup-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function parseRecords(text: string): Record<string, unknown>[] {
  return text.split("\n").flatMap((line) => {
    if (!line.startsWith("{")) return [];
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * A preload for the bot's process, with the token in each message: on SIGUSR2 it rejects a
 * promise, on SIGHUP it throws from a callback.
 */
export const FAULTS = `data:text/javascript,${encodeURIComponent(`
const token = process.env.DISCORD_TOKEN;
process.on("SIGUSR2", () => { Promise.reject(new Error("rejected with " + token)); });
process.on("SIGHUP", () => { setImmediate(() => { throw new Error("thrown with " + token); }); });`)}`;

/**
 * Starts `node <built entry>` with exactly `env` (plus PATH and DATABASE_PATH) in `cwd`, as
 * `npm start` does (its script is `node --enable-source-maps dist/src/index.js`).
 */
function run(
  entry: Entry,
  env: Record<string, string>,
  cwd: string,
  cleanups: Cleanup[],
  preload: readonly string[] = [],
): Run {
  const imports = preload.flatMap((url) => ["--import", url]);
  const file = path.isAbsolute(entry) ? entry : distEntry(entry);
  return start(
    process.execPath,
    ["--enable-source-maps", ...imports, file],
    env,
    cwd,
    cleanups,
    cwd,
  );
}

/** npm, from PATH, as a user runs it. */
const NPM = "npm";

/**
 * Starts `command args` in `cwd` with exactly `env` (plus PATH, HOME and a DATABASE_PATH in
 * `home` unless `env` names one), in its own process group.
 */
function start(
  command: string,
  args: readonly string[],
  env: Record<string, string>,
  cwd: string,
  cleanups: Cleanup[],
  home: string,
): Run {
  const child = spawn(command, [...args], {
    cwd,
    // A pin database in the temp folder unless the test names one: never the project's var/.
    env: {
      PATH: process.env.PATH ?? "",
      HOME: home,
      DATABASE_PATH: path.join(home, "pins.sqlite"),
      ...env,
    },
    stdio: ["pipe", "pipe", "pipe"],
    // Its own process group, so that cleanup also kills what it spawned (the shards of
    // start:sharded), which would otherwise keep the pipes open after a failed test.
    detached: true,
  });
  let stdout = "";
  let stderr = "";
  const changed = new Set<() => void>();
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
    for (const notify of changed) notify();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const closed = once(child, "close").then(() => child.exitCode);
  cleanups.push(async () => {
    // The whole group, even when the child itself has exited: a shard may outlive its manager.
    try {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    } catch {
      // ESRCH: nothing of the group is left.
    }
    await closed;
  });
  const describe = () => `\nstdout:\n${stdout}\nstderr:\n${stderr}`;
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    records: () => parseRecords(stdout),
    waitForRecord(match, timeoutMs = STEP_MS) {
      let notify = () => {};
      const found = new Promise<Record<string, unknown>>((resolve, reject) => {
        notify = () => {
          const record = parseRecords(stdout).find(match);
          if (record) resolve(record);
        };
        changed.add(notify);
        notify();
        void closed.then(() => {
          notify();
          reject(new Error(`process exited (${child.exitCode}) first${describe()}`));
        });
      });
      return withTimeout(found, timeoutMs, `matching log line${describe()}`).finally(() =>
        changed.delete(notify),
      );
    },
    exited: (timeoutMs = STEP_MS) => withTimeout(closed, timeoutMs, `exit${describe()}`),
  };
}

/** No Node stack trace ("    at fn (file:1:2)") in `text`. */
export function expectNoStack(text: string): void {
  expect(text).not.toMatch(/^\s+at /m);
}

/** The bot's environment for `fake`, its pin database in `dir` (never the project's var/). */
export function botEnv(fake: FakeDiscord, dir: string, extra: Record<string, string> = {}) {
  return {
    DISCORD_TOKEN: TOKEN,
    DISCORD_APPLICATION_ID: fake.applicationId,
    DISCORD_API_URL: fake.apiUrl,
    DATABASE_PATH: path.join(dir, "pins.sqlite"),
    ...extra,
  };
}
