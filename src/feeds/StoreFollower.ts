/**
 * Keeps one process's library in step with the fetched articles that other processes write to
 * the shared database: the shards of `npm run start:sharded` on one SQLite file, or the hosts
 * on one PostgreSQL. One of them polls the feeds, any may take a link (`/articles add`) or
 * remove an article, and retention prunes on the poller's. Each process applies its own changes
 * to its library at once; this follower applies the others'.
 *
 * It listens through `db.follow` on the articles channel (FeedStore's notifications), and on the
 * feeds channel to wake the poller when a feed is added elsewhere. A change
 * that names its article (PostgreSQL's NOTIFY with the id) is applied alone: that article is
 * read again, or taken out when it is gone. A change without a name (SQLite saw another
 * connection commit; PostgreSQL reconnected and may have missed some; a prune) compares the
 * stored article ids and save times with what was last applied, and reads the text of the new
 * or changed ones. Changes are applied one at a time, in the order they came. This process's
 * own saves are left to it (`FeedStore.savedHere`): PostgreSQL tells the writer's listener too.
 *
 * On a database the hosts share, each host's articles folder is in the store too (origin
 * "folder", FolderShare.ts). This process's own folder wins over the store: an article its
 * folder has (`folder.owns`) is never replaced or removed here, and when another host withdraws
 * it (its file was removed there), `folder.onWithdrawn` lets this host share it again.
 */
import { LibraryError } from "../library/errors.js";
import type { Library } from "../library/Library.js";
import type { Logger } from "../log.js";
import type { Database, Following } from "../store/database.js";
import { ARTICLES_CHANNEL, FEEDS_CHANNEL, type FeedStore } from "./FeedStore.js";

/** What one change did to the library. */
export interface FollowResult {
  readonly added: readonly string[];
  readonly replaced: readonly string[];
  readonly removed: readonly string[];
}

export interface StoreFollowerOptions {
  /**
   * How often SQLite is asked whether another process committed (default: the engine's, 2 s):
   * articles reach every shard within this. PostgreSQL's notifications come at once, whatever
   * it is.
   */
  readonly intervalMs?: number;
  /**
   * Another process added a feed or changed the articles (on SQLite: wrote anything): the feed
   * poller looks at the due feeds again, as a feed added on another shard or host is due at once.
   */
  readonly onOtherWrites?: () => void;
  /** A change was applied to the library (what it changed may be nothing). */
  readonly onApplied?: (result: FollowResult) => void;
  /**
   * After a change that could not be read (the database unreachable, the pool exhausted), how
   * long until everything is compared again (default {@link CATCH_UP_MS}).
   */
  readonly catchUpMs?: number;
  /** This process's articles folder, whose articles the store never overrides (see above). */
  readonly folder?: {
    /** Whether the library's article `id` (lower case) is the folder's. */
    owns(id: string): boolean;
    /** The folder's article ids in the library (lower case). */
    ids(): Iterable<string>;
    /** The folder's article `id` (lower case) is no longer in the store. */
    onWithdrawn?(id: string): void;
  };
}

/** After a failed read, everything is compared again this much later (and again, while it fails). */
export const CATCH_UP_MS = 5_000;

/** A change that changed nothing. */
const NOTHING: FollowResult = { added: [], replaced: [], removed: [] };

/** What {@link StoreFollower} heard was this process's own save. */
const OWN_SAVE = Symbol("own save");

export class StoreFollower {
  readonly #db: Database;
  readonly #store: FeedStore;
  readonly #library: Library;
  readonly #log: Logger;
  readonly #options: StoreFollowerOptions;
  /** Stored article id (lower case) → save time, as last applied to the library. */
  #applied = new Map<string, number>();
  /** Of those, the ids of other hosts' folder articles (lower case). */
  #fromFolder = new Set<string>();
  #following: Following[] = [];
  /** The end of the last change queued: changes are applied one after the other. */
  #queue: Promise<void> = Promise.resolve();
  /** The comparison due after a failed read, while one is. */
  #catchUp: NodeJS.Timeout | undefined;

  /**
   * @param store - on the database whose changes are followed
   * @param library - holding the stored articles already (after `loadStoredArticles`)
   */
  constructor(store: FeedStore, library: Library, log: Logger, options: StoreFollowerOptions = {}) {
    this.#db = store.database;
    this.#store = store;
    this.#library = library;
    this.#log = log;
    this.#options = options;
  }

  /**
   * Follows the database until {@link stop}, after one full comparison: what was stored since
   * the library was loaded is applied (what the library has already counts as applied).
   * @throws StoreError when the database cannot be read or followed now
   */
  async start(): Promise<void> {
    if (this.#following.length > 0) return;
    const { intervalMs } = this.#options;
    const onError = (error: Error) => {
      this.#log.warn({ err: error }, "feeds: cannot follow other processes' changes now");
    };
    try {
      // Following first: a commit made during the comparison is then seen as a change after it.
      this.#following.push(
        await this.#db.follow(
          ARTICLES_CHANNEL,
          { onChange: (payload) => this.#enqueue(payload), onError },
          intervalMs,
        ),
      );
      this.#following.push(
        await this.#db.follow(
          FEEDS_CHANNEL,
          { onChange: () => this.#options.onOtherWrites?.(), onError },
          intervalMs,
        ),
      );
      // In the queue, so that a change heard meanwhile is applied after it.
      const first = this.#queue.then(() => this.#compareAll());
      this.#queue = first.then(
        () => undefined,
        () => undefined,
      );
      await first;
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /**
   * Whether the library's article `id` came from another host's articles folder through the
   * store: a file of this folder with its id may take its place (FolderSync's `adoptable`).
   */
  sharedFromFolder(id: string): boolean {
    return this.#fromFolder.has(id.toLowerCase());
  }

  /** Stops following, once the change being applied is done. */
  async stop(): Promise<void> {
    const following = this.#following;
    this.#following = [];
    clearTimeout(this.#catchUp);
    this.#catchUp = undefined;
    await Promise.all(following.map((one) => one.stop()));
    await this.#queue;
  }

  /**
   * Applies one change: article `id` saved or removed, or, without an id (or an empty one), any
   * change (everything is compared), and tells `onOtherWrites`; this process's own save, heard
   * back, is neither applied nor told.
   * @returns what changed in the library
   * @throws what the store throws when the database cannot be read
   */
  async apply(id?: string): Promise<FollowResult> {
    const one = id === undefined || id === "" ? undefined : await this.#applyOne(id);
    if (one === OWN_SAVE) return NOTHING;
    const result = one ?? (await this.#compareAll());
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

  #enqueue(id: string | undefined): void {
    this.#queue = this.#queue.then(async () => {
      try {
        const result = await this.apply(id);
        this.#options.onApplied?.(result);
      } catch (error) {
        // The change is not lost: a comparison of everything, a moment later (or sooner, at a
        // change without a name), applies what it was.
        const catchUpMs = this.#options.catchUpMs ?? CATCH_UP_MS;
        this.#log.error(
          { err: error, catchUpMs },
          "feeds: could not read other processes' articles; comparing all again shortly",
        );
        this.#scheduleCatchUp(catchUpMs);
      }
    });
  }

  #scheduleCatchUp(ms: number): void {
    if (this.#catchUp !== undefined || this.#following.length === 0) return;
    this.#catchUp = setTimeout(() => {
      this.#catchUp = undefined;
      if (this.#following.length > 0) this.#enqueue(undefined);
    }, ms);
    this.#catchUp.unref();
  }

  /** Reads article `id` again: added, replaced, or taken out when it is no longer stored. */
  async #applyOne(id: string): Promise<FollowResult | typeof OWN_SAVE> {
    const key = id.toLowerCase();
    const stored = await this.#store.getArticle(id);
    const { folder } = this.#options;
    if (folder?.owns(key)) {
      // This process's folder has it: the folder's version is served here, whatever is stored.
      this.#fromFolder.delete(key);
      if (stored === undefined) folder.onWithdrawn?.(key);
      return NOTHING;
    }
    if (stored === undefined) {
      // Taken out only when this follower put it in: an article of the library that was never
      // applied here (the articles folder's, or this process's own) stays.
      this.#fromFolder.delete(key);
      if (!this.#applied.delete(key)) return NOTHING;
      return { added: [], replaced: [], removed: this.#library.remove(id) ? [id] : [] };
    }
    // This process's own save, heard back (PostgreSQL): nothing to apply, no one to wake.
    if (this.#store.savedHere(key, stored.addedAt)) {
      this.#applied.set(key, stored.addedAt);
      return OWN_SAVE;
    }
    if (stored.origin.kind === "folder") this.#fromFolder.add(key);
    else this.#fromFolder.delete(key);
    return this.#applyVersions(new Map([[key, stored.addedAt]]), new Map([[key, stored]]), [key]);
  }

  /** Compares every stored article with what was applied. */
  async #compareAll(): Promise<FollowResult> {
    const versions = await this.#store.articleVersions();
    const current = new Map<string, number>();
    const fromFolder = new Set<string>();
    for (const [id, { savedAt, folder }] of versions) {
      const key = id.toLowerCase();
      current.set(key, savedAt);
      if (folder) fromFolder.add(key);
    }
    const { folder } = this.#options;
    const result = await this.#applyVersions(current, new Map(), current.keys());
    const removed = [...result.removed];
    for (const id of this.#applied.keys()) {
      if (current.has(id) || folder?.owns(id)) continue;
      if (this.#library.remove(id)) removed.push(id);
    }
    this.#applied = current;
    this.#fromFolder = fromFolder;
    // This folder's articles the store lacks (withdrawn while this process was not listening):
    // shared again.
    if (folder?.onWithdrawn) {
      for (const id of folder.ids()) if (!current.has(id)) folder.onWithdrawn(id);
    }
    return { ...result, removed };
  }

  /**
   * Applies the articles `ids` whose save time in `versions` differs from the one applied,
   * reading those not in `read`; `versions` becomes what is applied for them.
   */
  async #applyVersions(
    versions: Map<string, number>,
    read: Map<string, Awaited<ReturnType<FeedStore["getArticle"]>>>,
    ids: Iterable<string>,
  ): Promise<FollowResult> {
    const added: string[] = [];
    const replaced: string[] = [];
    for (const id of ids) {
      const savedAt = versions.get(id);
      const before = this.#applied.get(id);
      if (savedAt === undefined || before === savedAt) continue;
      this.#applied.set(id, savedAt);
      // This process's folder has it: the folder's version is served here.
      if (this.#options.folder?.owns(id)) continue;
      // This process's own save: it puts the article in its library itself.
      if (this.#store.savedHere(id, savedAt)) continue;
      const inLibrary = this.#library.entry(id) !== undefined;
      // New to this follower but already in the library: loaded at start-up, or saved by this
      // process longer ago than the store remembers.
      if (before === undefined && inLibrary) continue;
      let stored: Awaited<ReturnType<FeedStore["getArticle"]>>;
      try {
        stored = read.has(id) ? read.get(id) : await this.#store.getArticle(id);
      } catch (error) {
        // Not applied: the next comparison must read it again, not find it done.
        if (before === undefined) this.#applied.delete(id);
        else this.#applied.set(id, before);
        throw error;
      }
      if (stored === undefined) {
        // Removed between the two reads: its own change comes (or the next comparison sees it).
        this.#applied.delete(id);
        continue;
      }
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
    return { added, replaced, removed: [] };
  }
}
