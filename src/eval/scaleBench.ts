/**
 * `npm run bench -- [DIR] --paragraphs 10000,100000,300000,1000000 [--questions 1000]
 * [--seed 1] [--only newsdesk|MiniSearch]`: newsdesk and MiniSearch on corpora of any size
 * (issue 13). DIR is the datasets folder (default ../shared/datasets); the corpora are made from
 * its SQuAD dev, BBC News Summary and CNN/DailyMail paragraphs (src/eval/scaleCorpus.ts).
 *
 * Every size and engine runs in a child process of its own (src/eval/scaleBenchWorker.ts), one
 * after another, so that memory is the child's alone and one size's garbage never slows the
 * next. The children run with a heap limit of {@link HEAP_LIMIT_MB} MB, so that what is measured
 * is what the index takes, not how node copes near its default limit. The table's rows are
 * printed as each child ends (a size that runs out of memory or time still leaves the others).
 *
 * Issue 13, item 3 (snapshots): the newsdesk worker writes its library's snapshot to a temporary
 * file once its other figures are taken, and a worker of its own, started here after it, starts
 * from that file as the bot does (a cold process reading the snapshot is the start-up to
 * measure); their figures are the snapshot columns of the newsdesk row, printed once both ended.
 */
import { fork } from "node:child_process";
import { rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { EXIT } from "../cli/program.js";
import {
  DATA_SETS,
  DATASETS_DIR,
  type DataCommand,
  dataPathProblem,
  usageLine,
} from "./dataPath.js";
import type {
  Engine,
  Latency,
  SnapshotLoadResult,
  WorkerJob,
  WorkerResult,
} from "./scaleBenchWorker.js";

/**
 * The heap limit of the children, MB: above what 1,000,000 paragraphs need today (3.8 GB RSS), and
 * below what would starve the machine's other work (MiniSearch's searches leave garbage that a
 * higher limit lets grow to several GB before it is collected).
 */
export const HEAP_LIMIT_MB = 8192;

/** Each path's questions are its own (see scaleBenchWorker.ts): a third of SQuAD dev at most. */
const MAX_QUESTIONS = 3000;

/** Questions asked before the timed ones: a fifth of their number, at most this many. */
const MAX_WARM_QUESTIONS = 200;

const ENGINES: readonly Engine[] = ["newsdesk", "MiniSearch"];

/** The data `--paragraphs` reads, checked before any child starts. */
export const SCALE_COMMAND = {
  command: "bench",
  takes: "folder",
  options:
    "--paragraphs 10000,100000[,...] [--questions 1000] [--peer-questions N] [--seed 1] [--only newsdesk|MiniSearch]",
  sets: [DATA_SETS.squad, DATA_SETS.bbc, DATA_SETS.cnndm],
} as const satisfies DataCommand;

export interface ScaleOptions {
  readonly datasets: string;
  readonly sizes: readonly number[];
  readonly questions: number;
  /** How many of the same questions MiniSearch is timed on (it takes seconds each at 1M). */
  readonly peerQuestions: number;
  readonly seed: number;
  readonly engines: readonly Engine[];
}

/**
 * The options in `argv` (what follows `npm run bench --`), or the problem with them.
 * @example parseScaleArgs(["--paragraphs", "10000,100000"]).sizes // [10000, 100000]
 */
export function parseScaleArgs(argv: readonly string[]): ScaleOptions | { problem: string } {
  let datasets: string = DATASETS_DIR;
  let sizes: number[] = [];
  let questions = 1000;
  let peerQuestions: number | undefined;
  let seed = 1;
  let engines = ENGINES;
  const count = (value: string | undefined) =>
    value !== undefined && /^[1-9][0-9_]*$/.test(value) ? Number(value.replace(/_/g, "")) : NaN;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const value = argv[i + 1];
    if (arg === "--paragraphs") {
      sizes = (value ?? "").split(",").map(count);
      if (sizes.length === 0 || sizes.some(Number.isNaN)) {
        return { problem: `--paragraphs takes sizes like 10000,100000, not "${value ?? ""}"` };
      }
      i++;
    } else if (arg === "--questions" || arg === "--peer-questions" || arg === "--seed") {
      const n = count(value);
      if (Number.isNaN(n)) return { problem: `${arg} takes a positive whole number` };
      if (arg === "--questions" && n > MAX_QUESTIONS) {
        return { problem: `--questions takes at most ${MAX_QUESTIONS} (a third of SQuAD dev)` };
      }
      if (arg === "--questions") questions = n;
      else if (arg === "--peer-questions") peerQuestions = n;
      else seed = n;
      i++;
    } else if (arg === "--only") {
      const engine = ENGINES.find((e) => e.toLowerCase() === value?.toLowerCase());
      if (!engine) return { problem: `--only takes ${ENGINES.join(" or ")}` };
      engines = [engine];
      i++;
    } else if (arg.startsWith("--")) {
      return { problem: `unknown option ${arg}` };
    } else datasets = arg;
  }
  if (sizes.length === 0) return { problem: "--paragraphs is missing" };
  peerQuestions = Math.min(questions, peerQuestions ?? questions);
  return { datasets, sizes, questions, peerQuestions, seed, engines };
}

/** Runs a worker for `job`: its result, or how it ended without one. */
function runWorker<R = WorkerResult>(job: WorkerJob): Promise<R | string> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = fork(new URL("./scaleBenchWorker.ts", import.meta.url), [JSON.stringify(job)], {
      execArgv: ["--import", "tsx", "--expose-gc", `--max-old-space-size=${HEAP_LIMIT_MB}`],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    let result: R | undefined;
    child.on("message", (message) => {
      result = message as R;
    });
    child.on("error", (error) => resolve(`could not start (${error.message})`));
    child.on("exit", (code, signal) => {
      const after = `after ${((performance.now() - started) / 1000).toFixed(0)} s`;
      if (result) resolve(result);
      else resolve(`failed: ${signal ? `signal ${signal}` : `exit code ${code}`}, ${after}`);
    });
  });
}

const MB = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
const ms = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(1));
const three = (l: Latency | undefined) => (l ? `${ms(l.p50)} / ${ms(l.p95)} / ${ms(l.p99)}` : "–");
const two = (l: Latency) => `${ms(l.p50)} / ${ms(l.p95)}`;
const thousands = (n: number) => n.toLocaleString("en-US");

/** The table's columns (see README, "Corpora of any size", for what each one means). */
export const COLUMNS = [
  "paragraphs",
  "engine",
  "build s",
  "peak RSS MB",
  "RSS before build MB",
  "build RSS MB",
  "heap after build MB (index)",
  "ask p50 / p95 / p99 ms",
  "search p50 / p95 / p99 ms",
  "add p50 / p95 ms",
  "remove p50 / p95 ms",
  "snapshot MB",
  "snapshot write s (encode)",
  "snapshot load s",
] as const;

/** One row of the table, in the order of {@link COLUMNS}; `load` is the snapshot's start-up. */
export function row(r: WorkerResult, load?: SnapshotLoadResult | string): string {
  const snapshot = r.snapshot;
  const loadCell =
    load === undefined ? "–" : typeof load === "string" ? load : (load.loadMs / 1000).toFixed(2);
  const cells = [
    thousands(r.paragraphs),
    r.engine,
    (r.buildMs / 1000).toFixed(1),
    MB(r.peakRss),
    MB(r.baselineRss),
    MB(r.peakRssAfterBuild - r.baselineRss),
    `${MB(r.heapAfterBuild)} (${MB(r.heapAfterBuild - r.baselineHeap)})`,
    three(r.ask),
    three(r.search),
    two(r.add),
    two(r.remove),
    snapshot ? MB(snapshot.bytes) : "–",
    snapshot
      ? `${((snapshot.encodeMs + snapshot.writeMs) / 1000).toFixed(2)} (${(snapshot.encodeMs / 1000).toFixed(2)})`
      : "–",
    loadCell,
  ];
  return `| ${cells.join(" | ")} |`;
}

/**
 * The notes under the table for one size: the corpus, newsdesk against MiniSearch, and the
 * snapshot's start-up against the cold build.
 */
function notes(
  size: number,
  results: readonly WorkerResult[],
  load: SnapshotLoadResult | undefined,
): string {
  const [first] = results;
  if (!first) return `- ${thousands(size)} paragraphs: no result`;
  const s = first.stats;
  const lines = [
    `- ${thousands(size)} paragraphs: ${thousands(first.articles)} articles, ${s.copies} cop${s.copies === 1 ? "y" : "ies"} of the ${thousands(s.baseParagraphs)} base paragraphs (${thousands(s.baseVocabulary)} distinct words), ${thousands(s.words)} words, ${thousands(s.newNames)} new names; made in ${(first.generateMs / 1000).toFixed(1)} s`,
  ];
  const ours = results.find((r) => r.engine === "newsdesk");
  const peer = results.find((r) => r.engine === "MiniSearch");
  if (ours && peer) {
    const times = (a: number, b: number) => `${(a / b).toFixed(1)}×`;
    lines.push(
      `  - MiniSearch / newsdesk: search p50 ${times(peer.search.p50, ours.search.p50)}, p99 ${times(peer.search.p99, ours.search.p99)}; build ${times(peer.buildMs, ours.buildMs)}; peak RSS ${times(peer.peakRss, ours.peakRss)}`,
    );
  }
  if (ours?.snapshot && load) {
    const { loadMs } = load;
    lines.push(
      `  - snapshot: ${MB(ours.snapshot.bytes)} MB, its articles hashed first in ${(ours.snapshot.hashMs / 1000).toFixed(2)} s (as a start does), encode in slices of at most ${ms(ours.snapshot.longestMs)} ms, peak RSS ${MB(ours.snapshot.peakRss)} MB after the write; a cold process started from it in ${(loadMs / 1000).toFixed(2)} s (${thousands(load.kept)} articles kept, ${load.added} analysed again), ${(ours.buildMs / loadMs).toFixed(1)}× faster than the cold build; first question ${ms(load.firstAskMs)} ms; adding an article ${ms(load.firstAddMs)} ms the first time, ${ms(load.addP50Ms)} ms median of 20; its peak RSS ${MB(load.peakRss)} MB (${MB(load.baselineRss)} before the load)`,
    );
  }
  return lines.join("\n");
}

/**
 * Runs the benchmark for `argv` (what follows `npm run bench --`, `--paragraphs` among it),
 * printing the table on stdout and progress on stderr.
 * @returns the exit code: 0, or EXIT.usage for bad options or data, 1 when a child failed
 */
export async function runScaleBench(argv: readonly string[]): Promise<number> {
  const options = parseScaleArgs(argv);
  if ("problem" in options) {
    process.stderr.write(`bench: ${options.problem}; ${usageLine(SCALE_COMMAND)}\n`);
    return EXIT.usage;
  }
  const problem = dataPathProblem(SCALE_COMMAND, options.datasets);
  if (problem) {
    process.stderr.write(`${problem}\n`);
    return EXIT.usage;
  }
  const warmFor = (timed: number) => Math.min(MAX_WARM_QUESTIONS, Math.ceil(timed / 5));
  const peer =
    options.peerQuestions < options.questions
      ? ` (MiniSearch: the first ${options.peerQuestions} of them, after ${warmFor(options.peerQuestions)} others)`
      : "";
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(
    `bench --paragraphs on ${new Date().toISOString().slice(0, 10)}, node ${process.version}: ${options.questions} SQuAD dev questions timed on each path after ${warmFor(options.questions)} others${peer}, seed ${options.seed}, each row a child process (heap limit ${HEAP_LIMIT_MB} MB)`,
  );
  out("");
  out(`| ${COLUMNS.join(" | ")} |`);
  out(`| ${COLUMNS.map(() => "---").join(" | ")} |`);
  const bySize = new Map<number, { results: WorkerResult[]; load?: SnapshotLoadResult }>();
  let failed = false;
  for (const paragraphs of options.sizes) {
    const results: WorkerResult[] = [];
    let loaded: SnapshotLoadResult | undefined;
    for (const engine of options.engines) {
      process.stderr.write(`bench: ${thousands(paragraphs)} paragraphs, ${engine}...\n`);
      const timed = engine === "MiniSearch" ? options.peerQuestions : options.questions;
      const snapshotFile =
        engine === "newsdesk"
          ? path.join(os.tmpdir(), `newsdesk-bench-${process.pid}-${paragraphs}.index`)
          : undefined;
      const job: WorkerJob = {
        engine,
        paragraphs,
        datasets: options.datasets,
        questions: options.questions,
        timed,
        warmQuestions: warmFor(timed),
        seed: options.seed,
        ...(snapshotFile ? { snapshotFile } : {}),
      };
      try {
        const result = await runWorker(job);
        if (typeof result === "string") {
          failed = true;
          out(`| ${thousands(paragraphs)} | ${engine} | ${result} |`);
          continue;
        }
        results.push(result);
        let load: SnapshotLoadResult | string | undefined;
        if (result.snapshot) {
          process.stderr.write(`bench: ${thousands(paragraphs)} paragraphs, snapshot load...\n`);
          load = await runWorker<SnapshotLoadResult>({ ...job, loadSnapshot: true });
          if (typeof load === "string") failed = true;
          else loaded = load;
        }
        out(row(result, load));
      } finally {
        if (snapshotFile) await rm(snapshotFile, { force: true });
      }
    }
    bySize.set(paragraphs, { results, ...(loaded ? { load: loaded } : {}) });
  }
  out("");
  for (const [size, { results, load }] of bySize) out(notes(size, results, load));
  return failed ? 1 : 0;
}
