/**
 * Shares one host's articles folder with the other hosts on the database they share
 * (PostgreSQL, `Database.sharedAcrossHosts`): the folder's articles are written to the article
 * store (origin "folder", scope global), where every host's StoreFollower hears of them and
 * indexes them, as it does a feed's. Each host still serves its own folder from the folder
 * (FolderSync); the store carries it to the others.
 *
 * The shared library's folder articles are the union of the hosts' folders:
 * - at start-up a host shares its folder (writing only what the store lacks or holds in another
 *   version) and withdraws what it shared before that its folder no longer has (removed while
 *   it was down);
 * - while running, a file added or changed is shared, a file removed is withdrawn (whichever
 *   host shared it), and a host whose folder still has a withdrawn article shares it again when
 *   it hears (StoreFollower's `folder.onWithdrawn`).
 *
 * Writes go one batch at a time, in the order the changes came, the latest change of an article
 * winning over an earlier one not yet written. A write the database refuses (unreachable,
 * locked past the patience of `keep`) stays pending and is tried again after `retryMs`, doubling
 * up to a minute: nothing is lost while the process runs, and a restart shares the whole folder
 * again.
 */
import os from "node:os";
import type { Article } from "../corpus/article.js";
import type { Logger } from "../log.js";
import type { FeedStore } from "./FeedStore.js";

/** What {@link FolderShare} needs of the host's folder (FolderSync). */
export interface SharedFolder {
  /** The folder's article with `id` (any case) in the library, or undefined when it has none. */
  article(id: string): Article | undefined;
  /** The folder's articles in the library now. */
  articles(): readonly Article[];
}

export interface FolderShareOptions {
  /** Names this host and folder in the store ({@link folderHost} of its `DATA_DIR`). */
  readonly host: string;
  /** First pause before a refused write is tried again (default 5 s; doubles up to a minute). */
  readonly retryMs?: number;
  /** The save time of what is written (default `Date.now`). */
  readonly now?: () => number;
  /** A batch was written (what it shared and withdrew), for the tests and the log. */
  readonly onWritten?: (written: FolderShareBatch) => void;
}

/** What one written batch did. */
export interface FolderShareBatch {
  readonly shared: readonly string[];
  readonly unchanged: number;
  readonly withdrawn: readonly string[];
  /** Left out: a feed's or a link's article in the store has the id. */
  readonly taken: readonly string[];
}

/** The first pause before a refused write is tried again. */
const FIRST_RETRY_MS = 5_000;
/** The longest pause between tries of a refused write. */
const MAX_RETRY_MS = 60_000;

/**
 * The name a host's folder shares under: the machine's name and the folder's path, stable across
 * restarts so that a host finds what it shared before (and withdraws what its folder lost).
 */
export function folderHost(dataDir: string): string {
  return `${os.hostname()}:${dataDir}`;
}

/** The folder's sharing; see the file comment. */
export class FolderShare {
  readonly #store: FeedStore;
  readonly #folder: SharedFolder;
  readonly #log: Logger;
  readonly #options: FolderShareOptions;
  /** Article id (lower case) → to share (true) or to withdraw (false), not yet written. */
  #pending = new Map<string, boolean>();
  /** A start-up sweep not yet written: withdraw what this host shared that its folder lacks. */
  #sweep = false;
  #running: Promise<void> | undefined;
  #retry: NodeJS.Timeout | undefined;
  #retryMs: number;

  get #firstRetryMs(): number {
    return this.#options.retryMs ?? FIRST_RETRY_MS;
  }
  #stopped = false;

  constructor(store: FeedStore, folder: SharedFolder, log: Logger, options: FolderShareOptions) {
    this.#store = store;
    this.#folder = folder;
    this.#log = log;
    this.#options = options;
    this.#retryMs = this.#firstRetryMs;
  }

  /** Shares the whole folder and withdraws what this host shared that it no longer has. */
  start(): void {
    this.#sweep = true;
    for (const article of this.#folder.articles())
      this.#pending.set(article.id.toLowerCase(), true);
    this.#schedule();
  }

  /** Articles of the folder added or changed (`shared`) and removed (`withdrawn`). */
  changed(shared: readonly string[], withdrawn: readonly string[]): void {
    for (const id of shared) this.#pending.set(id.toLowerCase(), true);
    for (const id of withdrawn) this.#pending.set(id.toLowerCase(), false);
    this.#schedule();
  }

  /** Resolves once what is pending now is written (or was refused and waits for its retry). */
  async settled(): Promise<void> {
    while (this.#running) await this.#running;
  }

  /** How many articles wait to be written (and 1 for a start-up sweep not yet written). */
  get pending(): number {
    return this.#pending.size + (this.#sweep ? 1 : 0);
  }

  /** Stops: the batch being written finishes; what is pending is left (a restart shares all). */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#retry);
    await this.settled();
  }

  #schedule(): void {
    if (this.#stopped || this.#running || this.#retry) return;
    this.#running = this.#drain().finally(() => {
      this.#running = undefined;
    });
  }

  async #drain(): Promise<void> {
    while (!this.#stopped && (this.#pending.size > 0 || this.#sweep)) {
      const batch = this.#pending;
      const sweep = this.#sweep;
      this.#pending = new Map();
      this.#sweep = false;
      try {
        this.#report(await this.#write(batch, sweep), sweep);
        this.#retryMs = this.#firstRetryMs;
      } catch (error) {
        // Put back what no later change replaced, and try again later.
        for (const [id, share] of batch) if (!this.#pending.has(id)) this.#pending.set(id, share);
        this.#sweep ||= sweep;
        this.#log.warn(
          { err: error, pending: this.#pending.size, retryInMs: this.#retryMs },
          "articles folder: not shared with the other hosts now; trying again",
        );
        this.#retry = setTimeout(() => {
          this.#retry = undefined;
          this.#schedule();
        }, this.#retryMs);
        this.#retry.unref();
        this.#retryMs = Math.min(this.#retryMs * 2, MAX_RETRY_MS);
        return;
      }
    }
  }

  async #write(batch: Map<string, boolean>, sweep: boolean): Promise<FolderShareBatch> {
    const toShare: Article[] = [];
    const toWithdraw: string[] = [];
    for (const [id, share] of batch) {
      // The folder now decides: a change since (another file event) may have undone this one.
      const article = this.#folder.article(id);
      if (share && article) toShare.push(article);
      else if (!share && !article) toWithdraw.push(id);
    }
    const now = (this.#options.now ?? Date.now)();
    const { saved, unchanged, taken } = await this.#store.shareFolderArticles(
      this.#options.host,
      toShare,
      now,
    );
    if (sweep) {
      const before = await this.#store.folderArticlesOf(this.#options.host);
      for (const id of before) if (!this.#folder.article(id)) toWithdraw.push(id);
    }
    const withdrawn = await this.#store.withdrawFolderArticles(toWithdraw);
    return { shared: saved, unchanged, withdrawn, taken };
  }

  /** Logs a batch: every start-up's (even one that wrote nothing), and any that wrote. */
  #report(batch: FolderShareBatch, startUp: boolean): void {
    for (const id of batch.taken) {
      this.#log.warn(
        { article: id },
        "articles folder: article not shared with the other hosts, a feed's or a link's article in the database has its id",
      );
    }
    if (startUp || batch.shared.length + batch.withdrawn.length > 0) {
      this.#log.info(
        {
          shared: batch.shared.length,
          unchanged: batch.unchanged,
          withdrawn: batch.withdrawn.length,
        },
        "articles folder: shared with the other hosts",
      );
    }
    this.#options.onWritten?.(batch);
  }
}
