/**
 * Helpers for the command line's tests: fake streams for `runAsk` in-process, a child-process
 * runner for the real program, and a small articles folder with one good and one broken file.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { Readable, Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import type { AskIo } from "../../src/cli/ask.js";
import { makeTempDir, writeFiles } from "../corpus/tempDir.js";

/** The project folder, found from this file so the tests run from any working directory. */
export const PROJECT_ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** What a run printed and returned. */
export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A writable stream that keeps what is written. */
function collector(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(Buffer.from(chunk));
      callback();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString("utf8") };
}

/** Fake io for `runAsk`: `stdin` holds `input`; read the output with `stdout()` / `stderr()`. */
function fakeIo(input = "", cwd = PROJECT_ROOT) {
  const stdout = collector();
  const stderr = collector();
  const io: AskIo = {
    stdout: stdout.stream,
    stderr: stderr.stream,
    stdin: Readable.from([Buffer.from(input, "utf8")]),
    cwd,
  };
  return { io, stdout: stdout.text, stderr: stderr.text };
}

/**
 * Runs a command-line program in-process with fake io.
 * @param program - `runAsk` or `runSummary`
 */
export async function runInProcess(
  program: (argv: readonly string[], io: AskIo) => Promise<number>,
  argv: readonly string[],
  input = "",
  cwd?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const run = fakeIo(input, cwd);
  const code = await program(argv, run.io);
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

/** The JSON lines of a program's standard output. */
export const jsonLines = (stdout: string): unknown[] =>
  stdout
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line) as unknown);

/**
 * Runs `node --import tsx src/cli/ask.ts ...args` in the project folder, writing `input` to its
 * standard input, and resolves when it has exited and its streams are closed.
 */
export function runCli(args: readonly string[], input = ""): Promise<CliResult> {
  const { INIT_CWD: _ignored, ...env } = process.env;
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/ask.ts", ...args], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ["pipe", "pipe", "pipe"],
  });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
  child.stdin.end(input);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      resolve({
        code,
        stdout: Buffer.concat(stdout).toString("utf8"),
        stderr: Buffer.concat(stderr).toString("utf8"),
      });
    });
  });
}

/** The good article of {@link makeMixedCorpus}: id `lighthouse`, the answer in paragraph 1. */
export const LIGHTHOUSE = {
  id: "lighthouse",
  title: "Lighthouse Reopens After Storm",
  question: "When did the lighthouse reopen?",
} as const;

/** A temp articles folder with `lighthouse.txt` (good) and `broken.json` (bad JSON). */
export async function makeMixedCorpus(): Promise<string> {
  const dir = await makeTempDir();
  await writeFiles(dir, {
    "lighthouse.txt": [
      LIGHTHOUSE.title,
      "",
      "The old lighthouse on the northern cape reopened on Tuesday after three months of repairs.",
      "",
      "Visitors can climb its 120 steps every afternoon except Mondays.",
      "",
    ].join("\n"),
    "broken.json": '{"title": "Half an article",\n',
  });
  return dir;
}

/** The path of `name` in `dir`, for assertions on messages. */
export const inDir = (dir: string, name: string): string => path.join(dir, name);
