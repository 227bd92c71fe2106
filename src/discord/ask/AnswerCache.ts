/**
 * The answers behind "More sources" buttons: a small in-memory LRU with a time to live, keyed
 * by a short random id that fits in a button's custom_id. In memory on purpose: a button of an
 * answer given before a restart (or an hour ago) says "expired", which is cheaper and clearer
 * than a store that outlives the corpus it quoted.
 */
import { randomBytes } from "node:crypto";
import type { Answer } from "../../answer/types.js";

/** What a "More sources" click needs to format the next citations. */
export interface CachedAnswer {
  readonly answer: Answer;
  readonly articlesSearched: number;
}

export interface AnswerCacheOptions {
  /** Entries kept at most; the least recently used goes first (default 500). */
  readonly maxEntries?: number;
  /** Milliseconds an entry lives after it was stored (default one hour). */
  readonly ttlMs?: number;
  /** The clock, epoch milliseconds (default `Date.now`). */
  readonly now?: () => number;
}

export const DEFAULT_ANSWER_CACHE_OPTIONS = {
  maxEntries: 500,
  ttlMs: 60 * 60 * 1000,
  now: Date.now,
} as const satisfies Required<AnswerCacheOptions>;

interface Entry {
  readonly value: CachedAnswer;
  readonly expiresAt: number;
}

export class AnswerCache {
  readonly #options: Required<AnswerCacheOptions>;
  /** Map iteration order is insertion order: the first key is the least recently used. */
  readonly #entries = new Map<string, Entry>();

  constructor(options: AnswerCacheOptions = {}) {
    this.#options = { ...DEFAULT_ANSWER_CACHE_OPTIONS, ...options };
  }

  /** Stores an answer and returns its key: 8 URL-safe characters (48 random bits). */
  put(value: CachedAnswer): string {
    let key = randomBytes(6).toString("base64url");
    while (this.#entries.has(key)) key = randomBytes(6).toString("base64url");
    this.#entries.set(key, { value, expiresAt: this.#options.now() + this.#options.ttlMs });
    while (this.#entries.size > this.#options.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value);
    }
    return key;
  }

  /** The answer stored under `key`, or undefined when it was never stored, evicted or expired. */
  get(key: string): CachedAnswer | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    if (entry.expiresAt <= this.#options.now()) return undefined;
    this.#entries.set(key, entry);
    return entry.value;
  }

  get size(): number {
    return this.#entries.size;
  }
}
