/**
 * The log lines of the articles folder: its problems (at start-up and while watched), how far the
 * start-up index build has gone, what each watched change did to the library, and the watch's
 * own failures. Shared by the bot's entry
 * point and the end-to-end tests, so both write the same lines.
 */
import type { CorpusProblem } from "./corpus/problem.js";
import type { Logger } from "./log.js";
import type { BuildProgress } from "./retrieval/IncrementalIndex.js";
import type { LibraryStartup, Services, WatchArticlesHandlers } from "./services.js";

/** One warning naming the file (and line) and what is wrong with it. */
export function logCorpusProblem(log: Logger, problem: CorpusProblem): void {
  log.warn(
    { file: problem.file, ...(problem.line === undefined ? {} : { line: problem.line }) },
    `corpus problem: ${problem.message}`,
  );
}

/**
 * Handlers for `watchArticles` that log: each problem as at start-up, "library updated" with
 * the ids added, replaced and removed when a batch changed something, an article skipped for a
 * server's id as a problem, a compaction of the index with the ids it reclaimed, and a failing
 * watch as a warning (the bot goes on serving).
 */
export function loggedWatchHandlers(
  log: Logger,
  services: Services,
  debounceMs?: number,
): WatchArticlesHandlers {
  return {
    onProblem: (problem) => logCorpusProblem(log, problem),
    onUpdate: ({ added, replaced, removed, skipped }) => {
      for (const { id, message } of skipped) log.warn({ id }, `corpus problem: ${message}`);
      if (added.length + replaced.length + removed.length === 0) return;
      log.info({ added, replaced, removed, articles: services.library.size }, "library updated");
    },
    onCompacted: (reclaimed) =>
      log.info({ reclaimed, articles: services.library.size }, "library index compacted"),
    onError: (error) =>
      log.warn(
        { dataDir: services.dataDir, error: error.message },
        "articles folder watch failed; serving the articles as they were, retrying",
      ),
    ...(debounceMs === undefined ? {} : { debounceMs }),
  };
}

/** Options of {@link indexingProgressLog}. */
export interface IndexingProgressLogOptions {
  /** The clock in milliseconds (default: `performance.now`). */
  readonly now?: () => number;
  /** How long a build runs before its first line (default 2,000 ms): quick builds log nothing. */
  readonly delayMs?: number;
  /** A line at least this often while a build runs (default 5,000 ms), besides every tenth. */
  readonly everyMs?: number;
}

/**
 * A progress callback for the start-up index build that logs "library: indexing" with `done`,
 * `total` (paragraphs) and `elapsedMs` once the build has run `delayMs`, then at every further
 * tenth of it or every `everyMs`, whichever comes first, and "library: indexed" at the end of a
 * build that logged any: a bot with years of news takes a while to start, and its log says why.
 */
export function indexingProgressLog(
  log: Logger,
  options: IndexingProgressLogOptions = {},
): (progress: BuildProgress) => void {
  const now = options.now ?? (() => performance.now());
  const delayMs = options.delayMs ?? 2000;
  const everyMs = options.everyMs ?? 5000;
  let start: number | undefined;
  /** When the last line was written, and the tenth it reached; undefined before the first. */
  let last: { time: number; tenth: number } | undefined;
  return ({ done, total }) => {
    const time = now();
    start ??= time;
    const elapsedMs = Math.round(time - start);
    if (done >= total) {
      if (last !== undefined) log.info({ paragraphs: total, elapsedMs }, "library: indexed");
      start = undefined;
      last = undefined;
      return;
    }
    const tenth = Math.floor((10 * done) / total);
    const due =
      last === undefined ? elapsedMs >= delayMs : tenth > last.tenth || time - last.time >= everyMs;
    if (!due) return;
    last = { time, tenth };
    log.info({ done, total, elapsedMs }, "library: indexing");
  };
}

/**
 * The line of a start-up that began from the index snapshot: "library: snapshot loaded" with the
 * articles kept from it, the saved ones removed (gone or changed) and the ones analysed now, and
 * how long from reading the file to a complete index. (A snapshot not used is said before the
 * build, by {@link logSnapshotUnused}.)
 */
export function logSnapshotLoaded(log: Logger, file: string, startup: LibraryStartup): void {
  const used = startup.snapshot;
  if (!used || "reason" in used) return;
  log.info({ file, ...used, ms: Math.round(used.ms) }, "library: snapshot loaded");
}

/**
 * The one line of a snapshot not used, before the build from scratch: "missing" (a first start,
 * or INDEX_SNAPSHOT_PATH moved) is info; anything else (corrupt, truncated, another version or
 * pipeline) is a warning, though nothing is lost: the snapshot is rebuilt and written again.
 */
export function logSnapshotUnused(log: Logger, file: string, reason: string): void {
  if (reason === "missing")
    log.info({ file }, "library: no index snapshot yet, building the index");
  else log.warn({ file, reason }, "library: index snapshot not used, building the index");
}
