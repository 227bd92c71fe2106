/**
 * The log lines of the articles folder: its problems (at start-up and while watched), what each
 * watched change did to the library, and the watch's own failures. Shared by the bot's entry
 * point and the end-to-end tests, so both write the same lines.
 */
import type { CorpusProblem } from "./corpus/problem.js";
import type { Logger } from "./log.js";
import type { Services, WatchArticlesHandlers } from "./services.js";

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
