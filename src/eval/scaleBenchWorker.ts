/**
 * One size of `npm run bench -- --paragraphs N`, for one engine, in a process of its own (started
 * by src/eval/scaleBench.ts with `node --import tsx --expose-gc`), so that what one size or one
 * engine leaves in memory never counts for the next. It makes the corpus itself (the generator is
 * deterministic: both engines get the same one, and the corpus never crosses a pipe), measures,
 * and sends one {@link WorkerResult} to its parent.
 *
 * Snapshots (issue 13, item 3): the newsdesk worker writes its library's snapshot to
 * `WorkerJob.snapshotFile` once everything else is measured (the write's copies of the index
 * would otherwise count in the peak RSS of the build and the questions), and a second worker,
 * `WorkerJob.loadSnapshot`, makes the same corpus and starts from that file as the bot does: the
 * cold process is the start-up to measure.
 *
 * Argument: the {@link WorkerJob} as JSON.
 */
import path from "node:path";
import type { Article } from "../corpus/article.js";
import { median, percentile } from "./metrics.js";
import { generateScaleCorpus, readScaleBase, type ScaleCorpusStats } from "./scaleCorpus.js";
import { readSquad } from "./squadData.js";

export type Engine = "newsdesk" | "MiniSearch";

export interface WorkerJob {
  readonly engine: Engine;
  readonly paragraphs: number;
  /** The datasets folder. */
  readonly datasets: string;
  /** SQuAD dev questions to time on each path, spread evenly over the set. */
  readonly questions: number;
  /** How many of them this worker times (the first ones): fewer for a slow peer. */
  readonly timed: number;
  /** Other questions asked first, untimed. */
  readonly warmQuestions: number;
  readonly seed: number;
  /** newsdesk: write the library's snapshot here at the end (and time it). */
  readonly snapshotFile?: string;
  /** Instead of the above: start a library from `snapshotFile` (and time it). */
  readonly loadSnapshot?: boolean;
}

/** A snapshot written by the newsdesk worker. */
export interface SnapshotWriteResult {
  readonly bytes: number;
  /**
   * Hashing the articles first: the bot hashes them at start-up (while it reads the snapshot
   * file), so its writes find them cached and only hash articles added since.
   */
  readonly hashMs: number;
  /** Making the bytes, the articles hashed: the event loop held, in all (in slices). */
  readonly encodeMs: number;
  /** The longest slice of the encode (the event loop held at once). */
  readonly longestMs: number;
  /** Writing, flushing and renaming them. */
  readonly writeMs: number;
  /** The process's peak RSS after the write (the write's copies of the index included). */
  readonly peakRss: number;
}

/** A start from the snapshot, in a process of its own. */
export interface SnapshotLoadResult {
  readonly engine: "snapshot load";
  readonly paragraphs: number;
  /**
   * From reading the file to a complete library, as a start does (`assembleLibrary`: the file
   * read while the articles are hashed, checked, matched, the index restored).
   */
  readonly loadMs: number;
  /** The first question asked of it (`AnswerService.ask`), caches cold. */
  readonly firstAskMs: number;
  /** Adding articles of 10 paragraphs to it: the first, and the median of 20. */
  readonly firstAddMs: number;
  readonly addP50Ms: number;
  /** Articles kept from the snapshot, and articles analysed again (must be 0 here). */
  readonly kept: number;
  readonly added: number;
  readonly peakRss: number;
  /** RSS with the corpus made and WordNet loaded, before the load. */
  readonly baselineRss: number;
}

/** Median, 95th and 99th percentile, in ms. */
export interface Latency {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

export interface WorkerResult {
  readonly engine: Engine;
  readonly paragraphs: number;
  readonly articles: number;
  readonly stats: ScaleCorpusStats;
  readonly generateMs: number;
  /** RSS with the corpus made (and, for newsdesk, WordNet loaded), after a GC, before building. */
  readonly baselineRss: number;
  readonly baselineHeap: number;
  readonly buildMs: number;
  /** The process's peak RSS when the build ended, and at the end (before a snapshot write). */
  readonly peakRssAfterBuild: number;
  readonly peakRss: number;
  /** Heap used after the build and a GC: the corpus plus the index. */
  readonly heapAfterBuild: number;
  /** Questions timed on each path (after the warm-up). */
  readonly questions: number;
  /** The whole answer (`AnswerService.ask`); newsdesk only. */
  readonly ask?: Latency;
  /** Question analysis and search (newsdesk), `search` (MiniSearch). */
  readonly search: Latency;
  /** Adding, then removing, one article of `ADDED_ARTICLE_PARAGRAPHS` paragraphs. */
  readonly add: Latency;
  readonly remove: Latency;
  readonly operations: number;
  /** newsdesk with `WorkerJob.snapshotFile`: the snapshot's write. */
  readonly snapshot?: SnapshotWriteResult;
}

/** The article added and removed: a long news story, as in the live-library rows of bench.ts. */
export const ADDED_ARTICLE_PARAGRAPHS = 10;
/** How many articles are added, then removed, one at a time (and how many before, untimed). */
const OPERATIONS = 100;
const WARM_OPERATIONS = 10;

const latency = (times: readonly number[]): Latency => ({
  p50: median(times),
  p95: percentile(times, 95),
  p99: percentile(times, 99),
});

function timeEach<T>(items: readonly T[], f: (item: T) => unknown): number[] {
  return items.map((item) => {
    const t = performance.now();
    f(item);
    return performance.now() - t;
  });
}

async function timeOnce(f: () => unknown): Promise<number> {
  const t = performance.now();
  await f();
  return performance.now() - t;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** A progress line on stderr: a size of a million paragraphs takes minutes a stage. */
function stage(job: WorkerJob, what: string): void {
  process.stderr.write(
    `bench: ${job.paragraphs.toLocaleString("en-US")} paragraphs, ${job.engine}: ${what}\n`,
  );
}

/** Collects garbage when node runs with --expose-gc (the parent starts workers with it). */
function collect(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/**
 * Three sets of SQuAD dev questions, interleaved so each spreads over the whole set: `count` to
 * time the search (the same for both engines), `count` others to time the whole answer, and
 * `warm` more to warm up. A question's words go through the pipeline's caches (its terms, its
 * WordNet relations) the first time it is asked, so a path timed on questions another path has
 * just asked would look faster than a server's new questions make it.
 * @param count - at most a third of the set
 */
function sampleQuestions(datasets: string, count: number, warm: number) {
  const all = readSquad(path.join(datasets, "squad-v1.1-dev/dev-v1.1.json")).questions.map(
    (q) => q.question,
  );
  const step = Math.max(3, Math.floor(all.length / count));
  const every = (offset: number, n: number) =>
    all.filter((_, i) => i % step === offset).slice(0, n);
  return {
    search: every(0, count),
    ask: every(Math.floor((2 * step) / 3), count),
    warmUp: every(Math.floor(step / 3), warm),
  };
}

/** How one engine builds, answers, adds and removes. */
interface Subject {
  build(articles: readonly Article[]): Promise<void> | void;
  /** The question paths to time: the whole answer (newsdesk only) and the search. */
  paths(): { ask?: (q: string) => unknown; search: (q: string) => unknown };
  add(article: Article): void;
  remove(article: Article): void;
  /** Writes the snapshot (newsdesk only). */
  writeSnapshot?(file: string): Promise<Omit<SnapshotWriteResult, "peakRss">>;
}

async function newsdesk(): Promise<Subject> {
  const { AnswerService } = await import("../answer/answerService.js");
  const { Library } = await import("../library/Library.js");
  const { loadWordNet } = await import("../lexicon/wordnet.js");
  const { analyzeQuestion } = await import("../retrieval/question.js");
  const { searchParagraphs } = await import("../retrieval/search.js");
  const { addInParallel } = await import("../retrieval/parallelBuild.js");
  const { writeSnapshotFile } = await import("../indexSnapshotFile.js");
  const { nextTurn } = await import("../nextTurn.js");
  const { articleHash } = await import("../retrieval/indexSnapshot.js");
  // Loaded before the baseline, as the bot loads it before its library.
  const thesaurus = loadWordNet();
  let library: InstanceType<typeof Library> | undefined;
  const live = () => {
    if (!library) throw new Error("bench worker: the library is not built");
    return library;
  };
  return {
    async build(articles) {
      // What the bot does at start-up without a snapshot (`loadServices`, src/services.ts):
      // from PARALLEL_FROM paragraphs, the analysis runs on worker threads.
      library = await Library.build(articles, {}, (index, list) => addInParallel(index, list));
    },
    paths() {
      const service = new AnswerService(live(), { thesaurus });
      return {
        ask: (q) => service.ask(q),
        search: (q) => searchParagraphs(live().index, analyzeQuestion(q, thesaurus), { top: 10 }),
      };
    },
    add: (article) => live().add(article),
    remove: (article) => live().remove(article.id),
    async writeSnapshot(file) {
      const hashMs = await timeOnce(() => {
        for (const article of live().index.articles) articleHash(article);
      });
      // As the bot writes it: a slice of the encode per turn of the event loop.
      const written = await writeSnapshotFile(file, live(), { pause: nextTurn });
      if (!written) throw new Error("bench worker: the library changed during the snapshot write");
      return { hashMs, ...written };
    },
  };
}

async function miniSearch(): Promise<Subject> {
  const { default: MiniSearch } = await import("minisearch");
  // Configured as bench.ts configures it: one text field, default tokenizer and search options.
  const mini = new MiniSearch<{ id: number; text: string }>({ fields: ["text"] });
  let next = 0;
  const ids = new Map<string, number>();
  const addArticle = (article: Article) => {
    ids.set(article.id, next);
    for (const text of article.paragraphs) mini.add({ id: next++, text });
  };
  return {
    build(articles) {
      for (const article of articles) addArticle(article);
    },
    paths: () => ({ search: (q) => mini.search(q) }),
    add: addArticle,
    remove(article) {
      // discard: MiniSearch's removal by id (the index is cleaned up lazily, by its vacuum).
      const first = ids.get(article.id) ?? 0;
      for (let id = first; id < first + article.paragraphs.length; id++) mini.discard(id);
    },
  };
}

async function run(job: WorkerJob): Promise<WorkerResult> {
  const subject = job.engine === "newsdesk" ? await newsdesk() : await miniSearch();
  const questions = sampleQuestions(job.datasets, job.questions, job.warmQuestions);
  const timed = (set: readonly string[]) => set.slice(0, job.timed);
  const started = performance.now();
  const corpus = generateScaleCorpus(readScaleBase(job.datasets), {
    paragraphs: job.paragraphs,
    extraArticles: WARM_OPERATIONS + OPERATIONS,
    extraLength: ADDED_ARTICLE_PARAGRAPHS,
    seed: job.seed,
  });
  const generateMs = performance.now() - started;
  stage(job, `corpus made in ${seconds(generateMs)}, building`);
  collect();
  const baseline = process.memoryUsage();

  const buildMs = await timeOnce(() => subject.build(corpus.articles));
  stage(job, `built in ${seconds(buildMs)}, asking`);
  const peakRssAfterBuild = process.resourceUsage().maxRSS * 1024;
  collect();
  const heapAfterBuild = process.memoryUsage().heapUsed;

  const paths = subject.paths();
  for (const q of questions.warmUp) {
    paths.ask?.(q);
    paths.search(q);
  }
  const search = latency(timeEach(timed(questions.search), paths.search));
  const ask = paths.ask && latency(timeEach(timed(questions.ask), paths.ask));

  const warm = corpus.extra.slice(0, WARM_OPERATIONS);
  const measured = corpus.extra.slice(WARM_OPERATIONS);
  for (const article of warm) subject.add(article);
  for (const article of warm) subject.remove(article);
  stage(job, "adding and removing");
  const adds = timeEach(measured, (article) => subject.add(article));
  const removes = timeEach(measured, (article) => subject.remove(article));

  const peakRss = process.resourceUsage().maxRSS * 1024;
  let snapshot: SnapshotWriteResult | undefined;
  if (job.snapshotFile && subject.writeSnapshot) {
    stage(job, "writing the snapshot");
    collect();
    const written = await subject.writeSnapshot(job.snapshotFile);
    snapshot = { ...written, peakRss: process.resourceUsage().maxRSS * 1024 };
  }

  return {
    engine: job.engine,
    paragraphs: job.paragraphs,
    articles: corpus.articles.length,
    stats: corpus.stats,
    generateMs,
    baselineRss: baseline.rss,
    baselineHeap: baseline.heapUsed,
    buildMs,
    peakRssAfterBuild,
    peakRss,
    heapAfterBuild,
    questions: timed(questions.search).length,
    ...(ask ? { ask } : {}),
    search,
    add: latency(adds),
    remove: latency(removes),
    operations: measured.length,
    ...(snapshot ? { snapshot } : {}),
  };
}

/**
 * Starts a library from the snapshot the newsdesk worker wrote, as the bot does
 * (`assembleLibrary`, what `loadServices` calls), on the same corpus, then asks one question.
 */
async function loadSnapshot(job: WorkerJob): Promise<SnapshotLoadResult> {
  const { AnswerService } = await import("../answer/answerService.js");
  const { loadWordNet } = await import("../lexicon/wordnet.js");
  const { assembleLibrary } = await import("../indexSnapshotFile.js");
  const { addInParallel } = await import("../retrieval/parallelBuild.js");
  const file = job.snapshotFile;
  if (!file) throw new Error("bench worker: loadSnapshot needs snapshotFile");
  const thesaurus = loadWordNet();
  const [question] = sampleQuestions(job.datasets, 1, 0).ask;
  const corpus = generateScaleCorpus(readScaleBase(job.datasets), {
    paragraphs: job.paragraphs,
    extraArticles: WARM_OPERATIONS + OPERATIONS,
    extraLength: ADDED_ARTICLE_PARAGRAPHS,
    seed: job.seed,
  });
  stage(job, "corpus made, loading the snapshot");
  collect();
  const baselineRss = process.memoryUsage().rss;
  let reason: string | undefined;
  const { assembled, snapshot } = await assembleLibrary(
    corpus.articles.map((article) => ({ article, scope: "global" as const })),
    (index, articles) => addInParallel(index, articles),
    { snapshotFile: file, onSnapshotUnused: (why) => (reason = why) },
  );
  if (reason !== undefined || !snapshot || "reason" in snapshot) {
    throw new Error(`bench worker: snapshot not used: ${reason}`);
  }
  const { library } = assembled;
  const firstAskMs = await timeOnce(() =>
    new AnswerService(library, { thesaurus }).ask(question ?? ""),
  );
  // A restored index has room to grow in every list and column (`IncrementalIndex.fromState`),
  // so no add copies a long list; the first pays for code not yet compiled, the median not.
  const adds = timeEach(corpus.extra.slice(0, 20), (article) => library.add(article));
  return {
    engine: "snapshot load",
    paragraphs: job.paragraphs,
    loadMs: snapshot.ms,
    firstAskMs,
    firstAddMs: adds[0] ?? 0,
    addP50Ms: median(adds),
    kept: snapshot.kept,
    added: snapshot.added,
    peakRss: process.resourceUsage().maxRSS * 1024,
    baselineRss,
  };
}

const job = JSON.parse(process.argv[2] ?? "{}") as WorkerJob;
const result = job.loadSnapshot ? await loadSnapshot(job) : await run(job);
// The IPC channel keeps a forked worker alive: let it go once the result is sent.
if (process.send) process.send(result, () => process.disconnect());
else process.stdout.write(`${JSON.stringify(result)}\n`);
