/**
 * Helpers for the command line's tests: fake streams for `runAsk` in-process, a child-process
 * runner for the real program, and a small articles folder with one good and one broken file.
 */
import path from "node:path";
import { Readable, Writable } from "node:stream";
import type { AskIo } from "../../src/cli/ask.js";
import { makeTempDir, writeFiles } from "../corpus/tempDir.js";
import { distEntry, PROJECT_ROOT } from "../support/dist.js";
import { type NodeRun, runNode } from "../support/runNode.js";

export { PROJECT_ROOT };

/** What a run printed and returned. */
export type CliResult = NodeRun;

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

/** Options of {@link runInProcess}. */
export interface InProcessOptions {
  /** What standard input holds (default: nothing). */
  readonly input?: string;
  /** The user's folder, where relative `--data` and `--batch` paths start (default: the project). */
  readonly cwd?: string;
  /**
   * The variables DATA_DIR is read from (default: none, so neither this process's environment
   * nor a developer's `.env` decides which articles the tests read).
   */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Runs a command-line program in-process with fake io.
 * @param program - `runAsk` or `runSummary`
 */
export async function runInProcess(
  program: (argv: readonly string[], io: AskIo) => Promise<number>,
  argv: readonly string[],
  { input = "", cwd = PROJECT_ROOT, env = {} }: InProcessOptions = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = collector();
  const stderr = collector();
  const code = await program(argv, {
    stdout: stdout.stream,
    stderr: stderr.stream,
    stdin: Readable.from([Buffer.from(input, "utf8")]),
    cwd,
    env,
  });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/** The JSON lines of a program's standard output. */
export const jsonLines = (stdout: string): unknown[] =>
  stdout
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line) as unknown);

/** Options of {@link runCli}. */
export interface CliOptions {
  /** The child's working folder (default: the project folder, as under `npm run`). */
  readonly cwd?: string;
  /**
   * Variables set over this process's environment, from which INIT_CWD and DATA_DIR are removed.
   * Default: `DATA_DIR=""`, which wins over a DATA_DIR in the working folder's `.env` (the
   * environment wins over `.env`), so the child reads the bundled articles. Give `{}` to let
   * `.env` speak.
   */
  readonly env?: Readonly<Record<string, string>>;
  /** Which command line (default `ask`). */
  readonly program?: "ask" | "summary";
}

/**
 * Runs the built command line, `node dist/src/cli/ask.js ...args` (or summary.js; compiled by
 * the process project's global setup), writing `input` to its standard input, and resolves when
 * it has exited and its streams are closed.
 */
export function runCli(
  args: readonly string[],
  input = "",
  { cwd = PROJECT_ROOT, env = { DATA_DIR: "" }, program = "ask" }: CliOptions = {},
): Promise<CliResult> {
  const { INIT_CWD: _initCwd, DATA_DIR: _dataDir, ...inherited } = process.env;
  const script = distEntry(`src/cli/${program}.ts`);
  return runNode(["--enable-source-maps", script, ...args], {
    cwd,
    env: { ...inherited, ...env },
    input,
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
