/**
 * Keeps one process's library in step with the fetched articles that other processes write to
 * the shared database. Under `npm run start:sharded` every shard is a process with its own
 * library: the first shard polls the feeds, any shard may take a link (`/articles add`) or
 * remove an article, and retention prunes on the first. Each process applies its own changes to
 * its library at once; this follower applies the others'.
 *
 * Every `intervalMs` it asks SQLite whether another connection committed since the last look
 * (`PRAGMA data_version`, one cheap call); only then does it compare the stored article ids and
 * save times with what it last applied, and reads the text of the new or changed ones.
 */
import { LibraryError } from "../library/errors.js";
import type { Library } from "../library/Library.js";
import type { Logger } from "../log.js";
import type { FeedStore } from "./FeedStore.js";

/** How often a process looks for the others' writes: articles reach every shard within this. */
export const FOLLOW_EVERY_MS = 2_000;

/** What one look changed in the library. */
export interface FollowResult {
  readonly added: readonly string[];
  readonly replaced: readonly string[];
  readonly removed: readonly string[];
}

export interface StoreFollowerOptions {
  /** Default {@link FOLLOW_EVERY_MS}. */
  readonly intervalMs?: number;
  /**
   * Another process wrote to the database (whatever it wrote): the feed poller looks at the due
   * feeds again, as a feed added on another shard is due at once.
   */
  readonly onOtherWrites?: () => void;
}

export class StoreFollower {
  readonly #store: FeedStore;
  readonly #library: Library;
  readonly #log: Logger;
  readonly #options: StoreFollowerOptions;
  /** Stored article id (lower case) → save time, as last applied to the library. */
  #applied: Map<string, number>;
  #dataVersion: number;
  #timer: NodeJS.Timeout | undefined;

  /**
   * Call once the library holds the stored articles (after `loadStoredArticles`): what is in the
   * store now counts as applied.
   */
  constructor(store: FeedStore, library: Library, log: Logger, options: StoreFollowerOptions = {}) {
    this.#store = store;
    this.#library = library;
    this.#log = log;
    this.#options = options;
    this.#dataVersion = store.dataVersion();
    this.#applied = lowerKeys(store.articleVersions());
  }

  /** Looks every `intervalMs` until {@link stop}; the timer does not keep the process alive. */
  start(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => {
      try {
        this.follow();
      } catch (error) {
        // A database that cannot be read now is read at the next look; nothing is lost.
        this.#log.error({ err: error }, "feeds: could not read other processes' articles");
      }
    }, this.#options.intervalMs ?? FOLLOW_EVERY_MS);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /**
   * One look: when another process committed since the last, applies the stored articles' changes
   * to the library and tells `onOtherWrites`.
   * @returns what changed, or undefined when nobody else wrote
   * @throws what the store throws when the database cannot be read
   */
  follow(): FollowResult | undefined {
    const version = this.#store.dataVersion();
    if (version === this.#dataVersion) return undefined;
    this.#dataVersion = version;
    const result = this.#apply(lowerKeys(this.#store.articleVersions()));
    this.#options.onOtherWrites?.();
    const changed = result.added.length + result.replaced.length + result.removed.length;
    if (changed > 0) {
      this.#log.info(
        {
          added: result.added.length,
          replaced: result.replaced.length,
          removed: result.removed.length,
        },
        "feeds: articles changed by another process applied",
      );
    }
    return result;
  }

  #apply(current: Map<string, number>): FollowResult {
    const added: string[] = [];
    const replaced: string[] = [];
    const removed: string[] = [];
    for (const [id, savedAt] of current) {
      const before = this.#applied.get(id);
      if (before === savedAt) continue;
      const inLibrary = this.#library.entry(id) !== undefined;
      // New to this follower but already in the library: this process saved it itself.
      if (before === undefined && inLibrary) continue;
      const stored = this.#store.getArticle(id);
      if (stored === undefined) continue; // removed between the two reads: the next look sees it
      try {
        if (inLibrary) {
          this.#library.replace(stored.article, stored.scope);
          replaced.push(stored.article.id);
        } else {
          this.#library.add(stored.article, stored.scope);
          added.push(stored.article.id);
        }
      } catch (error) {
        if (!(error instanceof LibraryError)) throw error;
        this.#log.warn({ article: id, err: error }, "feeds: stored article not loaded");
      }
    }
    for (const id of this.#applied.keys()) {
      if (current.has(id)) continue;
      if (this.#library.remove(id)) removed.push(id);
    }
    this.#applied = current;
    return { added, replaced, removed };
  }
}

function lowerKeys(versions: Map<string, number>): Map<string, number> {
  return new Map([...versions].map(([id, savedAt]) => [id.toLowerCase(), savedAt] as const));
}
