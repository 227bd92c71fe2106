/**
 * The library: the articles newsdesk answers from, each with who may see it, and the index over
 * them, kept in step. It lives between the corpus (which reads files) and the services (which
 * answer and summarize), so both services, the bot and the command line share one live set of
 * articles instead of an array fixed at start-up. Pure: no fs, no Discord, no clock.
 *
 * Scope: an article is visible everywhere (`"global"`: the articles folder) or to one Discord
 * server only (`{ guildId }`: added in that server). A reader is a server id, or `undefined` for
 * a place with no server (direct messages, the command line), which sees the global articles
 * only. Ids are unique in the whole library ignoring letter case, whatever their scope, so an id
 * names one article everywhere.
 *
 * Every method but `compact` is synchronous, as are the index's updates and searches: on Node's
 * one thread a question sees the library before or after a change, never half of it.
 *
 * Removed articles leave their document ids taken (the index never reuses them), and every
 * search pays a little for each id; `compact` rebuilds the index over the live articles a few at
 * a time, between other work, and swaps it in at once.
 */
import type { Article } from "../corpus/article.js";
import { IncrementalIndex } from "../retrieval/IncrementalIndex.js";
import {
  articleHash,
  encodeIndexSnapshot,
  encodeSteps,
  hashMatches,
  type IndexSnapshot,
} from "../retrieval/indexSnapshot.js";
import type { IndexOptions, ParagraphIndex } from "../retrieval/paragraphIndex.js";
import { LibraryError } from "./errors.js";

/** Who may see an article: everyone, or one Discord server. */
export type Scope = "global" | { readonly guildId: string };

/** The server a reader asks from, or undefined outside any server (DMs, the command line). */
export type Reader = string | undefined;

/** An article in the library. */
export interface LibraryEntry {
  readonly article: Article;
  readonly scope: Scope;
  /** Its position in `index.articles` (a replaced article gets a new one). */
  readonly position: number;
}

/** An article and who may see it, as {@link Library.addMany} and {@link Library.assemble} take them. */
export interface LibraryItem {
  readonly article: Article;
  readonly scope: Scope;
}

/** Adds articles to an index, as `IncrementalIndex.add` does (e.g. `addInParallel`). */
export type AddToIndex = (
  index: IncrementalIndex,
  articles: readonly Article[],
) => Promise<readonly number[]>;

/** What {@link Library.assemble} made. */
export interface AssembledLibrary {
  readonly library: Library;
  /** Items left out because an earlier item had their id (ignoring case). */
  readonly duplicates: readonly Article[];
  /**
   * With a snapshot: the articles whose saved analysis was kept, the saved ones removed (gone
   * from the items, or changed), and the items analysed now (new or changed).
   */
  readonly restored?: { readonly kept: number; readonly removed: number; readonly added: number };
}

/** Whether `reader` may see an article of `scope`. */
export function canSee(scope: Scope, reader: Reader): boolean {
  return scope === "global" || (reader !== undefined && scope.guildId === reader);
}

/** Epoch milliseconds of a `published` value, or NaN when absent or not a date. */
function publishedTime(article: Article): number {
  return article.published === undefined ? Number.NaN : Date.parse(article.published);
}

/**
 * `items` split into those that may join: the first of each id (ignoring case) that `isTaken`
 * does not already hold, in order; and the rest, the duplicates.
 */
function firstOfEachId(
  items: readonly LibraryItem[],
  isTaken: (key: string) => boolean,
): { fresh: LibraryItem[]; duplicates: Article[] } {
  const keys = new Set<string>();
  const fresh: LibraryItem[] = [];
  const duplicates: Article[] = [];
  for (const item of items) {
    const key = item.article.id.toLowerCase();
    if (isTaken(key) || keys.has(key)) duplicates.push(item.article);
    else {
      keys.add(key);
      fresh.push(item);
    }
  }
  return { fresh, duplicates };
}

/**
 * The live library: add, replace, remove, get and list articles by scope, with `index` always
 * over exactly the articles it holds. Built by `loadServices`; see the file comment.
 */
export class Library {
  readonly #indexOptions: IndexOptions;
  #index: IncrementalIndex;
  /** Moves on every change, and when `compact` swaps the index in. */
  #version = 0;
  #compacting: Promise<void> | undefined;
  /** Lower-case id -> entry. */
  readonly #entries = new Map<string, LibraryEntry>();
  /** Per index position, its entry while live. */
  readonly #byPosition: (LibraryEntry | undefined)[] = [];
  /** Per reader, its allowed-article bitmap and article list, valid for `#cacheVersion` only. */
  #allowed = new Map<Reader, Uint8Array>();
  #lists = new Map<Reader, readonly Article[]>();
  #cacheVersion = -1;

  constructor(options: IndexOptions = {}) {
    this.#indexOptions = options;
    this.#index = new IncrementalIndex(options);
  }

  /**
   * A library of articles everyone sees, indexed in one batch (as fast as a fresh build).
   * @param articles - ids unique ignoring case (the corpus loader guarantees it)
   * @throws LibraryError DUPLICATE_ID when two share an id
   */
  static of(articles: readonly Article[], options: IndexOptions = {}): Library {
    const library = new Library(options);
    library.#addAll(articles, "global");
    return library;
  }

  /**
   * A library of articles everyone sees, indexed by `add` in one batch: e.g. `addInParallel`
   * (retrieval/parallelBuild.ts), which spreads a large build over worker threads. The library
   * exists only once the index is complete, so nothing reads a half-built one.
   * @param articles - ids unique ignoring case (the corpus loader guarantees it)
   * @param add - adds the articles to the empty index, as `IncrementalIndex.add` does
   * @throws LibraryError DUPLICATE_ID when two share an id
   */
  static async build(
    articles: readonly Article[],
    options: IndexOptions,
    add: (index: IncrementalIndex, articles: readonly Article[]) => Promise<readonly number[]>,
  ): Promise<Library> {
    const library = new Library(options);
    library.#checkIds(articles);
    const positions = await add(library.#index, articles);
    library.#register(articles, "global", positions);
    return library;
  }

  /**
   * The library of `items` (each with its scope), indexed in one batch by `add`, or, given a
   * snapshot (`retrieval/indexSnapshot.ts`), from it: the saved analysis of every item whose id
   * and content hash match a saved article is kept, saved articles that are gone or changed are
   * removed, and the other items (new or changed) are added by `add` in one batch after the
   * kept ones. It ranks as a library built fresh from the kept articles (in their saved order)
   * then the added ones would, score for score; removed positions stay taken until `compact`.
   * The library exists only once its index is complete, so nothing reads a half-built one.
   * @param items - in the order they join (the articles folder's first: on a clash of ids the
   *   earlier item stays and the later is returned in `duplicates`)
   * @param snapshot - a decoded snapshot for `options`; its arrays are used in place
   * @throws SnapshotError CORRUPT when the snapshot's index does not fit together (the caller
   *   builds without it)
   */
  static async assemble(
    items: readonly LibraryItem[],
    options: IndexOptions,
    add: AddToIndex,
    snapshot?: IndexSnapshot,
  ): Promise<AssembledLibrary> {
    const library = new Library(options);
    const { fresh, duplicates } = firstOfEachId(items, () => false);
    // Items indexed by `add` in one batch, then registered at the positions it gave them.
    const addItems = async (list: readonly LibraryItem[]) => {
      const articles = list.map((item) => item.article);
      const positions = await add(library.#index, articles);
      library.#register(
        articles,
        list.map((item) => item.scope),
        positions,
      );
    };
    if (!snapshot) {
      await addItems(fresh);
      return { library, duplicates };
    }
    const byId = new Map(fresh.map((item) => [item.article.id, item]));
    const given: (Article | undefined)[] = new Array(snapshot.ids.length);
    const kept: LibraryItem[] = [];
    const keptAt: number[] = [];
    let removed = 0;
    snapshot.ids.forEach((id, position) => {
      if (id === "") return;
      const item = byId.get(id);
      if (item && hashMatches(snapshot.hashes, position, articleHash(item.article))) {
        given[position] = item.article;
        byId.delete(id);
        kept.push(item);
        keptAt.push(position);
      } else removed++;
    });
    library.#index = IncrementalIndex.fromState(snapshot.state, given);
    library.#register(
      kept.map((item) => item.article),
      kept.map((item) => item.scope),
      keptAt,
    );
    // What is left of `byId`, in the items' order: new articles and new versions of saved ones.
    const rest = fresh.filter((item) => byId.get(item.article.id) === item);
    if (rest.length > 0) await addItems(rest);
    return { library, duplicates, restored: { kept: kept.length, removed, added: rest.length } };
  }

  /**
   * The index as the bytes of a snapshot (`retrieval/indexSnapshot.ts`), to be written one
   * piece after another: copies, so the library may change while they are written.
   */
  snapshot(): Uint8Array[] {
    return encodeIndexSnapshot(this.#index);
  }

  /**
   * {@link snapshot} a slice at a time (`retrieval/indexSnapshot.ts` `encodeSteps`): the caller
   * lets the event loop run between slices and stops once `version` has moved since the first.
   */
  snapshotSteps(): Generator<void, Uint8Array[], void> {
    return encodeSteps(this.#index);
  }

  /** Moves on every change of the library (and when `compact` swaps its index in). */
  get version(): number {
    return this.#version;
  }

  /** The index over the live articles; it changes in place with the library. */
  get index(): ParagraphIndex {
    return this.#index;
  }

  /** How many articles the library holds, of every scope. */
  get size(): number {
    return this.#entries.size;
  }

  /** Document ids the index holds for removed paragraphs (what `compact` reclaims). */
  get removedParagraphs(): number {
    return this.#index.articleOf.length - this.#index.documentCount;
  }

  /**
   * Rebuilds the index over the live articles, `batch` articles at a time, awaiting `pause()`
   * between batches so questions and changes go on meanwhile (on the old index). Changes made
   * meanwhile are then applied to the new index, and it replaces the old one in one synchronous
   * step: it ranks as the old one did (the live articles, in the same order), with no removed
   * ids. A second call while one runs gets the running one.
   * @param pause - e.g. `() => new Promise((resolve) => setImmediate(resolve))`
   */
  compact(pause: () => Promise<void>, batch = 20): Promise<void> {
    this.#compacting ??= this.#compact(pause, batch).finally(() => {
      this.#compacting = undefined;
    });
    return this.#compacting;
  }

  async #compact(pause: () => Promise<void>, batch: number): Promise<void> {
    const next = new IncrementalIndex(this.#indexOptions);
    const snapshot = this.#byPosition.filter((e): e is LibraryEntry => e !== undefined);
    const newPosition = new Map<LibraryEntry, number>();
    for (let from = 0; from < snapshot.length; from += batch) {
      const chunk = snapshot.slice(from, from + batch);
      const positions = next.add(chunk.map((e) => e.article));
      for (const [i, entry] of chunk.entries()) newPosition.set(entry, positions[i] as number);
      await pause();
    }
    // From here on synchronous: what changed while building is applied, then the swap.
    const current = this.#byPosition.filter((e): e is LibraryEntry => e !== undefined);
    const stillLive = new Set(current);
    for (const [entry, position] of newPosition) if (!stillLive.has(entry)) next.remove(position);
    const byPosition: (LibraryEntry | undefined)[] = [];
    const keep = (entry: LibraryEntry, position: number) => {
      const moved = { ...entry, position };
      this.#entries.set(entry.article.id.toLowerCase(), moved);
      byPosition[position] = moved;
    };
    for (const entry of current) {
      const kept = newPosition.get(entry);
      if (kept !== undefined) keep(entry, kept);
      else keep(entry, next.add([entry.article])[0] as number);
    }
    this.#byPosition.length = 0;
    this.#byPosition.push(...byPosition);
    this.#index = next;
    this.#version++;
  }

  /**
   * Adds an article.
   * @throws LibraryError DUPLICATE_ID when an article already has its id (ignoring case)
   */
  add(article: Article, scope: Scope = "global"): LibraryEntry {
    const [entry] = this.#addAll([article], scope);
    return entry as LibraryEntry;
  }

  /**
   * Adds many articles, each with its scope, in one batch of the index (as fast as a fresh
   * build, where one `add` per article pays each time for the index's views): what start-up does
   * with the articles stored from feeds and links. An article whose id is taken (by an article
   * already here, or one earlier in `items`) is left out and returned.
   * @returns the entries added, and the articles left out
   */
  addMany(items: readonly LibraryItem[]): {
    added: LibraryEntry[];
    duplicates: Article[];
  } {
    const { fresh, duplicates } = firstOfEachId(items, (key) => this.#entries.has(key));
    if (fresh.length === 0) return { added: [], duplicates };
    const articles = fresh.map((item) => item.article);
    const scopes = fresh.map((item) => item.scope);
    return { added: this.#register(articles, scopes, this.#index.add(articles)), duplicates };
  }

  /**
   * Puts a new version of an article in place of the one with its id (removed, then added: it
   * gets a new position), keeping that one's scope unless `scope` is given.
   * @throws LibraryError UNKNOWN_ARTICLE when no article has its id
   */
  replace(article: Article, scope?: Scope): LibraryEntry {
    const old = this.#entries.get(article.id.toLowerCase());
    if (!old)
      throw new LibraryError("UNKNOWN_ARTICLE", `library: no article has the id "${article.id}"`);
    this.#drop(old);
    const [entry] = this.#addAll([article], scope ?? old.scope);
    return entry as LibraryEntry;
  }

  /** Removes the article with this id (case ignored); false when there is none. */
  remove(id: string): boolean {
    const entry = this.#entries.get(id.trim().toLowerCase());
    if (!entry) return false;
    this.#drop(entry);
    return true;
  }

  /** The entry with this id (case ignored), whoever may see it: for the library's owners. */
  entry(id: string): LibraryEntry | undefined {
    return this.#entries.get(id.trim().toLowerCase());
  }

  /** The article with this id (case ignored) if `reader` may see it, else undefined. */
  get(id: string, reader: Reader): Article | undefined {
    const entry = this.entry(id);
    return entry && canSee(entry.scope, reader) ? entry.article : undefined;
  }

  /** The entry at an index position if it is live and `reader` may see it. */
  at(position: number, reader: Reader): LibraryEntry | undefined {
    const entry = this.#byPosition[position];
    return entry && canSee(entry.scope, reader) ? entry : undefined;
  }

  /**
   * The articles `reader` may see, newest first by `published` (dated before undated), then in
   * the order they joined the library (the articles folder's is file-name order). Cached per
   * reader until the library next changes (autocomplete asks on every keystroke).
   */
  list(reader: Reader): readonly Article[] {
    this.#checkCaches();
    const cached = this.#lists.get(reader);
    if (cached) return cached;
    const visible: { article: Article; time: number; position: number }[] = [];
    for (const entry of this.#byPosition) {
      if (!entry || !canSee(entry.scope, reader)) continue;
      visible.push({
        article: entry.article,
        time: publishedTime(entry.article),
        position: entry.position,
      });
    }
    visible.sort((x, y) => {
      const dated = Number(Number.isNaN(x.time)) - Number(Number.isNaN(y.time));
      if (dated !== 0) return dated;
      if (!Number.isNaN(x.time) && x.time !== y.time) return y.time - x.time;
      return x.position - y.position;
    });
    const list = visible.map((v) => v.article);
    this.#lists.set(reader, list);
    return list;
  }

  /** How many articles `reader` may see. */
  count(reader: Reader): number {
    let count = 0;
    for (const entry of this.#entries.values()) if (canSee(entry.scope, reader)) count++;
    return count;
  }

  /**
   * Per index position, 1 where `reader` may see the article: the filter search applies while
   * ranking. Cached per reader until the library next changes.
   */
  allowed(reader: Reader): Uint8Array {
    this.#checkCaches();
    let bitmap = this.#allowed.get(reader);
    if (!bitmap) {
      const fresh = new Uint8Array(this.#index.articles.length);
      this.#byPosition.forEach((entry, position) => {
        if (entry && canSee(entry.scope, reader)) fresh[position] = 1;
      });
      this.#allowed.set(reader, fresh);
      bitmap = fresh;
    }
    return bitmap;
  }

  /** Drops the per-reader caches once the index has changed since they were made. */
  #checkCaches(): void {
    if (this.#cacheVersion === this.#version) return;
    this.#allowed = new Map();
    this.#lists = new Map();
    this.#cacheVersion = this.#version;
  }

  #addAll(articles: readonly Article[], scope: Scope): LibraryEntry[] {
    this.#checkIds(articles);
    return this.#register(articles, scope, this.#index.add(articles));
  }

  /** @throws LibraryError DUPLICATE_ID when an article's id is taken, or given twice */
  #checkIds(articles: readonly Article[]): void {
    const keys = new Set<string>();
    for (const article of articles) {
      const key = article.id.toLowerCase();
      if (this.#entries.has(key) || keys.has(key)) {
        throw new LibraryError(
          "DUPLICATE_ID",
          `library: an article already has the id "${article.id}"; replace or remove it first`,
        );
      }
      keys.add(key);
    }
  }

  /**
   * Records articles the index has just added at `positions`, with one scope for all or one
   * each.
   */
  #register(
    articles: readonly Article[],
    scope: Scope | readonly Scope[],
    positions: readonly number[],
  ): LibraryEntry[] {
    this.#version++;
    const entries = articles.map((article, i): LibraryEntry => {
      const own = Array.isArray(scope) ? (scope[i] as Scope) : (scope as Scope);
      const entry = { article, scope: own, position: positions[i] as number };
      this.#entries.set(article.id.toLowerCase(), entry);
      this.#byPosition[entry.position] = entry;
      return entry;
    });
    return entries;
  }

  #drop(entry: LibraryEntry): void {
    this.#index.remove(entry.position);
    this.#version++;
    this.#entries.delete(entry.article.id.toLowerCase());
    this.#byPosition[entry.position] = undefined;
  }
}
