/**
 * A large index build across cores: worker threads analyse chunks of articles (sentences, terms,
 * mentions: about nine tenths of a build, see paragraphAnalysis.ts) while this thread merges
 * them in order into the index (`IncrementalIndex.addInParallel`), so the index is the one a
 * single-thread `add` makes, id for id. Each thread loads compromise (about a second), so builds
 * under {@link PARALLEL_FROM} paragraphs, and every later add of an article or two, stay on this
 * thread. What crosses threads: each chunk's titles and paragraphs (structured clone, about 3 µs
 * a paragraph on the sending side in a profile) and, back, its analysis as typed arrays
 * (transferred, not copied) with the terms new to its thread.
 */
import { createRequire } from "node:module";
import os from "node:os";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { Article } from "../corpus/article.js";
import {
  type AddOptions,
  type AnalysedChunk,
  type AnalysisPool,
  type IncrementalIndex,
  PROGRESS_STEP,
} from "./IncrementalIndex.js";
import type { AnalysedBatch } from "./paragraphAnalysis.js";

/** Options of {@link addInParallel}. */
export interface ParallelAddOptions extends AddOptions {
  /** Worker threads (default: the cores Node may use; under 2, the build stays on this thread). */
  readonly threads?: number;
  /** Fewer paragraphs than this are indexed on this thread (default {@link PARALLEL_FROM}). */
  readonly parallelFrom?: number;
  /** Paragraphs a thread is given at a time, at least (default `PROGRESS_STEP`). */
  readonly chunkParagraphs?: number;
}

/**
 * Paragraphs from which the build goes to threads. Each thread costs about a second of CPU to
 * start (compromise, the lemma table, cold code), and on this 2-core machine two busy threads
 * each run slower than one alone: measured while other benchmarks ran (load 4 to 6), 100,000
 * paragraphs took 12.3 s of CPU across threads against 8.9 s on one, and no less time. So only
 * a build of a few years of news goes to threads, where a second or two of start-up is small;
 * re-measure on a quiet machine (`npm run bench`) before lowering it.
 */
export const PARALLEL_FROM = 200_000;

/**
 * Chunks out per thread: chunks are merged in order, so a thread that runs ahead (the other one
 * slowed by a busy machine) needs several queued not to idle (a profile with 2 showed one thread
 * idle 30% of a build).
 */
const CHUNKS_PER_THREAD = 4;

type Pending = { resolve: (batch: AnalysedBatch) => void; reject: (error: Error) => void };

/**
 * How to start a worker: the compiled `analysisWorker.js` beside this file, or, run from source
 * (tsx in development, vitest in tests), a two-line bootstrap that loads `analysisWorker.ts`
 * through tsx's API (a worker does not inherit the loader its parent runs under).
 */
function workerSource(): { source: string | URL; eval: boolean } {
  if (!import.meta.url.endsWith(".ts")) {
    return { source: new URL("./analysisWorker.js", import.meta.url), eval: false };
  }
  // tsx's ESM API: the file `require` resolves is its CommonJS twin, which an import cannot use.
  const tsx = createRequire(import.meta.url)
    .resolve("tsx/esm/api")
    .replace(/\.cjs$/, ".mjs");
  const file = new URL("./analysisWorker.ts", import.meta.url).href;
  const source = `import(${JSON.stringify(pathToFileURL(tsx).href)}).then(({ tsImport }) => tsImport(${JSON.stringify(file)}, ${JSON.stringify(import.meta.url)}));`;
  return { source, eval: true };
}

/** Worker threads analysing chunks, each chunk's analysis resolved in the order sent. */
class WorkerPool implements AnalysisPool {
  readonly capacity: number;
  readonly chunkParagraphs: number;
  readonly #workers: Worker[] = [];
  readonly #queues: Pending[][] = [];
  #closed: Promise<void> | undefined;

  constructor(threads: number, acronyms: boolean, chunkParagraphs: number) {
    this.capacity = threads * CHUNKS_PER_THREAD;
    this.chunkParagraphs = chunkParagraphs;
    const { source, eval: isCode } = workerSource();
    for (let w = 0; w < threads; w++) {
      const worker = new Worker(source, { eval: isCode, workerData: { acronyms } });
      const queue: Pending[] = [];
      worker.on("message", (batch: AnalysedBatch) => queue.shift()?.resolve(batch));
      const fail = (error: Error) => {
        for (const pending of queue.splice(0)) pending.reject(error);
      };
      worker.on("error", fail);
      worker.on("exit", (code) => fail(new Error(`parallelBuild: a worker exited (code ${code})`)));
      this.#workers.push(worker);
      this.#queues.push(queue);
    }
  }

  analyse(articles: readonly Article[]): Promise<AnalysedChunk> {
    // To the thread with the fewest chunks queued; chunks go out in order, so each thread gets
    // its own in order, as its analyser's numbering needs.
    let w = 0;
    for (let i = 1; i < this.#queues.length; i++) {
      if ((this.#queues[i] as Pending[]).length < (this.#queues[w] as Pending[]).length) w = i;
    }
    // Only what the analysis reads crosses the thread boundary.
    const message = articles.map((a) => ({ title: a.title, paragraphs: a.paragraphs }));
    return new Promise((resolve, reject) => {
      (this.#queues[w] as Pending[]).push({
        resolve: (batch) => resolve({ analyser: w, batch }),
        reject,
      });
      (this.#workers[w] as Worker).postMessage(message);
    });
  }

  /** Ends the threads once the build has every chunk back (see `AnalysisPool.finished`). */
  finished(): void {
    void this.close();
  }

  /** Ends the threads (once, however often it is called) and waits for them to end. */
  close(): Promise<void> {
    if (!this.#closed) {
      for (const queue of this.#queues) queue.length = 0;
      this.#closed = Promise.all(this.#workers.map((worker) => worker.terminate())).then(
        () => undefined,
      );
    }
    return this.#closed;
  }
}

/**
 * Adds articles to `index` as `index.add` does, across worker threads when the batch is large
 * (see {@link PARALLEL_FROM}); the index is the same either way.
 * @param options - see {@link ParallelAddOptions}
 * @returns each article's position
 */
export async function addInParallel(
  index: IncrementalIndex,
  articles: readonly Article[],
  options: ParallelAddOptions = {},
): Promise<number[]> {
  const threads = options.threads ?? os.availableParallelism();
  let paragraphs = 0;
  for (const article of articles) paragraphs += article.paragraphs.length;
  const add: AddOptions = options.onProgress ? { onProgress: options.onProgress } : {};
  if (threads < 2 || paragraphs < (options.parallelFrom ?? PARALLEL_FROM)) {
    return index.add(articles, add);
  }
  const pool = new WorkerPool(threads, index.acronyms, options.chunkParagraphs ?? PROGRESS_STEP);
  try {
    return await index.addInParallel(articles, pool, add);
  } finally {
    await pool.close();
  }
}
