/**
 * The articles folder, watched: while the bot runs, a file added, changed, renamed or deleted
 * there is read again (with the loader's parser and rules) and the folder's new corpus handed to
 * `onChange`, so the library can follow without a restart.
 *
 * - `fs.watch` on the folder (not recursive, like the loader). Its events only say "look again":
 *   after `debounceMs` without a new event, one batch lists the folder, re-reads every file an
 *   event named or that is new, forgets the files that are gone, and rebuilds the corpus from
 *   the per-file results it keeps (the others are not read again). A name-less event, as some
 *   platforms send, reads everything again. An editor's atomic save (write a temp file, rename
 *   it over the article) ends as one batch that sees the new file whole.
 * - The duplicate-id rule is the loader's (`mergeFiles`): first in file-name order wins.
 * - Problems reported per batch: those of the files it re-read (so a bad file is named again
 *   each time it is saved, once) and any duplicate newly caused in a file it did not re-read.
 * - A file that turns bad drops out of the corpus (and so of the library), as it would at a
 *   restart: what is served is always what a fresh start would serve.
 * - Errors of the watch itself, or a folder that cannot be listed (removed, unmounted), go to
 *   `onError` and never stop the bot: the last corpus stays served, and the watch is set up
 *   again every `retryMs` until the folder is back.
 * Batches never overlap; `stop` waits for the one running.
 */
import fs, { type FSWatcher } from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import {
  byCodeUnits,
  type Corpus,
  DEFAULT_LOAD_CORPUS_OPTIONS,
  isArticleFileName,
  type LoadedFile,
  loadArticleFile,
  mergeFiles,
} from "./loadCorpus.js";
import { type CorpusProblem, formatProblem } from "./problem.js";

/** One batch of changes. */
export interface CorpusUpdate {
  /** The folder's corpus now (every file, the loader's rules applied). */
  readonly corpus: Corpus;
  /** Paths of the files read again or gone in this batch. */
  readonly changed: readonly string[];
  /** What to report now (see the file comment). */
  readonly problems: readonly CorpusProblem[];
}

/** Options of {@link CorpusWatcher.start}. */
export interface CorpusWatcherOptions {
  /** Called after each batch, synchronously with the batch's end. */
  readonly onChange: (update: CorpusUpdate) => void;
  /** Called with what went wrong with the watch or the folder; each message once in a row. */
  readonly onError: (error: Error) => void;
  /** Quiet time after the last event before a batch runs (default 300 ms). */
  readonly debounceMs?: number;
  /** Time between attempts to watch the folder again after an error (default 5 s). */
  readonly retryMs?: number;
  /** As `loadCorpus`'s. */
  readonly maxFileBytes?: number;
}

/** Defaults of {@link CorpusWatcherOptions}. */
export const DEFAULT_CORPUS_WATCHER_OPTIONS = {
  debounceMs: 300,
  retryMs: 5000,
  maxFileBytes: DEFAULT_LOAD_CORPUS_OPTIONS.maxFileBytes,
} as const satisfies Required<Omit<CorpusWatcherOptions, "onChange" | "onError">>;

/** A running watch of one articles folder; made by {@link CorpusWatcher.start}. */
export class CorpusWatcher {
  readonly #dir: string;
  readonly #options: Required<CorpusWatcherOptions>;
  /** File name -> what it yielded when last read. */
  readonly #files = new Map<string, LoadedFile>();
  /** Names events named since the last batch. */
  readonly #pending = new Set<string>();
  #readAll = false;
  #watcher: FSWatcher | undefined;
  #timer: NodeJS.Timeout | undefined;
  #retry: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = false;
  #lastError: string | undefined;
  #reported = new Set<string>();

  private constructor(dir: string, options: CorpusWatcherOptions) {
    this.#dir = dir;
    this.#options = { ...DEFAULT_CORPUS_WATCHER_OPTIONS, ...options };
  }

  /**
   * Starts watching `dir`, then reads the folder once to know where it stands and hands that
   * corpus to `onChange` (with no problems: the start-up load reported them), so a file changed
   * between the start-up load and the watch is not missed.
   * @param dir - the articles folder, as the loader was given it
   */
  static async start(dir: string, options: CorpusWatcherOptions): Promise<CorpusWatcher> {
    const watcher = new CorpusWatcher(dir, options);
    watcher.#watch();
    watcher.#readAll = true;
    await watcher.#batch(true);
    return watcher;
  }

  /** Stops watching; waits for a batch under way. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    clearTimeout(this.#retry);
    this.#watcher?.close();
    this.#watcher = undefined;
    await this.#running;
  }

  #watch(): void {
    try {
      const watcher = fs.watch(this.#dir, { persistent: false });
      watcher.on("change", (_event, name) => this.#onEvent(name));
      watcher.on("error", (error) => this.#fail(error));
      this.#watcher = watcher;
    } catch (error) {
      this.#fail(error);
    }
  }

  #onEvent(name: string | Buffer | null): void {
    if (name === null) this.#readAll = true;
    else {
      const text = name.toString();
      if (!isArticleFileName(text)) return;
      this.#pending.add(text);
    }
    this.#schedule();
  }

  #schedule(): void {
    if (this.#stopped) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#batch(false);
    }, this.#options.debounceMs);
  }

  #fail(error: unknown): void {
    const err = error instanceof Error ? error : new Error(String(error));
    if (err.message !== this.#lastError) this.#options.onError(err);
    this.#lastError = err.message;
    this.#watcher?.close();
    this.#watcher = undefined;
    if (this.#stopped) return;
    clearTimeout(this.#retry);
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      if (this.#stopped) return;
      this.#watch();
      if (this.#watcher) {
        this.#readAll = true;
        this.#schedule();
      }
    }, this.#options.retryMs);
  }

  async #batch(first: boolean): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = this.#read(first).finally(() => {
      this.#running = undefined;
      if (this.#again && !this.#stopped) {
        this.#again = false;
        void this.#batch(false);
      }
    });
    return this.#running;
  }

  async #read(first: boolean): Promise<void> {
    const pending = new Set(this.#pending);
    this.#pending.clear();
    const readAll = this.#readAll;
    this.#readAll = false;
    let names: string[];
    try {
      names = (await fsp.readdir(this.#dir)).filter(isArticleFileName).sort(byCodeUnits);
    } catch (error) {
      // Keep serving what was there; the names are read again once the folder is back.
      for (const name of pending) this.#pending.add(name);
      this.#readAll ||= readAll;
      this.#fail(new Error(`corpus: cannot list ${this.#dir}: ${(error as Error).message}`));
      return;
    }
    if (this.#stopped) return;
    const present = new Set(names);
    const changed: string[] = [];
    for (const name of names) {
      if (!readAll && !pending.has(name) && this.#files.has(name)) continue;
      const file = path.join(this.#dir, name);
      this.#files.set(name, await loadArticleFile(file, this.#options.maxFileBytes));
      changed.push(file);
    }
    for (const name of [...this.#files.keys()]) {
      if (present.has(name)) continue;
      this.#files.delete(name);
      changed.push(path.join(this.#dir, name));
    }
    if (this.#stopped) return;
    if (!first && changed.length === 0) return;
    const corpus = mergeFiles(
      names.map((name) => path.join(this.#dir, name)),
      names.map((name) => this.#files.get(name) as LoadedFile),
    );
    const reread = new Set(changed);
    const lines = new Set(corpus.problems.map((p) => formatProblem(p)));
    const problems = first
      ? []
      : corpus.problems.filter((p) => reread.has(p.file) || !this.#reported.has(formatProblem(p)));
    this.#reported = lines;
    this.#lastError = undefined;
    try {
      this.#options.onChange({ corpus, changed, problems });
    } catch (error) {
      // A bug downstream must not become an unhandled rejection that stops the bot.
      this.#options.onError(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
