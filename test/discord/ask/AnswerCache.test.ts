import { describe, expect, it } from "vitest";
import type { Answer } from "../../../src/answer/types.js";
import { AnswerCache, type CachedAnswer } from "../../../src/discord/ask/AnswerCache.js";

const entry = (question: string): CachedAnswer => ({
  answer: { question, answered: false, confidence: "none", citations: [] } satisfies Answer,
  articlesSearched: 1,
});

describe("AnswerCache", () => {
  it("returns what was stored under a short key fit for a custom_id", () => {
    const cache = new AnswerCache();

    const key = cache.put(entry("a"));

    expect(key).toMatch(/^[\w-]{8}$/);
    expect(cache.get(key)?.answer.question).toBe("a");
    expect(cache.get("nope")).toBeUndefined();
  });

  it("forgets an entry after its time to live", () => {
    let now = 0;
    const cache = new AnswerCache({ ttlMs: 1000, now: () => now });
    const key = cache.put(entry("a"));

    now = 999;
    expect(cache.get(key)).toBeDefined();
    now = 1000;
    expect(cache.get(key)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("evicts the least recently used entry when full", () => {
    const cache = new AnswerCache({ maxEntries: 2 });
    const a = cache.put(entry("a"));
    const b = cache.put(entry("b"));
    cache.get(a); // a is now more recent than b

    const c = cache.put(entry("c"));

    expect([cache.get(a), cache.get(b), cache.get(c)].map((e) => e?.answer.question)).toEqual([
      "a",
      undefined,
      "c",
    ]);
  });
});
