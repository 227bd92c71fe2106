/**
 * Keeps the library's share of the articles folder equal to the folder: given the folder's
 * articles now, adds the new ones, replaces the changed ones and removes the ones gone, all in
 * one synchronous step (a question sees the library before or after, never between). Articles a
 * server added are never touched; a folder article whose id one of them already has is skipped
 * and reported, as the loader skips a duplicate id. The one exception is an article another
 * host's folder shared (`adoptable`): this folder's file with its id takes its place.
 */
import { type Article, sameArticle } from "../corpus/article.js";
import type { Library } from "./Library.js";

/** What one {@link FolderSync.apply} changed, by article id. */
export interface FolderSyncResult {
  readonly added: readonly string[];
  readonly replaced: readonly string[];
  readonly removed: readonly string[];
  /** Folder articles skipped because a server's article has their id. */
  readonly skipped: readonly { readonly id: string; readonly message: string }[];
}

/** Makes the library's folder articles follow the folder, batch by batch (see the file comment). */
export class FolderSync {
  readonly #library: Library;
  /** Lower-case ids of the library's articles that came from the folder. */
  readonly #owned: Set<string>;

  /**
   * @param library - the library to keep in step
   * @param loaded - the folder's articles already in it (the start-up corpus)
   */
  constructor(library: Library, loaded: readonly Article[]) {
    this.#library = library;
    this.#owned = new Set(loaded.map((a) => a.id.toLowerCase()));
  }

  /** Whether the library's article `id` (any case) is this folder's. */
  owns(id: string): boolean {
    return this.#owned.has(id.toLowerCase());
  }

  /** The ids (lower case) of this folder's articles in the library now. */
  ids(): string[] {
    return [...this.#owned];
  }

  /** This folder's article with `id` (any case), or undefined when the folder has none. */
  article(id: string): Article | undefined {
    const key = id.toLowerCase();
    return this.#owned.has(key) ? this.#library.entry(key)?.article : undefined;
  }

  /** This folder's articles in the library now. */
  articles(): Article[] {
    return [...this.#owned].flatMap((key) => this.#library.entry(key)?.article ?? []);
  }

  /**
   * Makes the library's folder articles equal to `articles`.
   * @param articles - the folder's articles now, ids unique ignoring case (the loader's rule)
   * @param adoptable - whether the library's article `id` (lower case), not this folder's, is
   *   another host's folder article (StoreFollower.sharedFromFolder): this folder's takes its
   *   place, reported as replaced
   */
  apply(
    articles: readonly Article[],
    adoptable: (id: string) => boolean = () => false,
  ): FolderSyncResult {
    const wanted = new Map(articles.map((a) => [a.id.toLowerCase(), a]));
    const removed: string[] = [];
    const added: string[] = [];
    const replaced: string[] = [];
    const skipped: { id: string; message: string }[] = [];
    for (const key of [...this.#owned]) {
      if (wanted.has(key)) continue;
      const id = this.#library.entry(key)?.article.id ?? key;
      this.#library.remove(key);
      this.#owned.delete(key);
      removed.push(id);
    }
    for (const [key, article] of wanted) {
      const entry = this.#library.entry(key);
      if (!entry) {
        this.#library.add(article, "global");
        this.#owned.add(key);
        added.push(article.id);
      } else if (!this.#owned.has(key) && adoptable(key)) {
        this.#library.replace(article, "global");
        this.#owned.add(key);
        replaced.push(article.id);
      } else if (!this.#owned.has(key)) {
        skipped.push({
          id: article.id,
          message: `duplicate id "${article.id}": a server's article already has it; this article is skipped`,
        });
      } else if (!sameArticle(entry.article, article)) {
        this.#library.replace(article, "global");
        replaced.push(article.id);
      }
    }
    return { added, replaced, removed, skipped };
  }
}
