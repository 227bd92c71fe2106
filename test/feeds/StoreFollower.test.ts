/**
 * Two processes on one database, as the shards of `npm run start:sharded` or two hosts are: two
 * connections on a real database of each engine, each process with its own library; what one
 * saves or removes reaches the other's library when its follower hears of it (SQLite: it sees
 * another connection commit and compares everything; PostgreSQL: a notification names the
 * article). The changes that name their article are also driven through `apply(id)`, the method
 * such a notification calls, on SQLite where nothing else calls it.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Article } from "../../src/corpus/article.js";
import { FeedStore } from "../../src/feeds/FeedStore.js";
import { type FollowResult, StoreFollower } from "../../src/feeds/StoreFollower.js";
import { Library } from "../../src/library/Library.js";
import { createLogger } from "../../src/log.js";
import type { Database } from "../../src/store/database.js";
import { GUILD, OTHER_GUILD } from "../pins/fixtures.js";
import { ENGINES, type Engine, sqliteEngine, type TestDatabase } from "../support/engines.js";
import { DEFAULT_TIMEOUT_MS, Waiters } from "../support/Waiters.js";

const T0 = Date.UTC(2026, 0, 1);
/** SQLite's look for other connections' commits, short so that the tests wait little. */
const INTERVAL_MS = 10;
/** No look during a test: the changes come from the test alone. */
const NEVER_MS = 1_000_000;

function article(id: string, text = `The harbour of ${id} reopened after the storm.`): Article {
  return { id, title: `Title of ${id}`, paragraphs: [text] };
}

let fresh: TestDatabase;
let followers: StoreFollower[];

/** A fresh database of `engine` for each test of the block. */
function onFreshDatabase(engine: Engine): void {
  beforeEach(async () => {
    fresh = await engine.fresh();
    followers = [];
  });

  afterEach(async () => {
    for (const follower of followers) await follower.stop();
    await fresh.remove();
  });
}

/** One process: its connection to the shared database, its feed store and its own library. */
async function process(): Promise<{ db: Database; store: FeedStore; library: Library }> {
  const db = await fresh.open();
  return { db, store: new FeedStore(db), library: new Library() };
}

/** A follower of `reader` whose applied changes a test can wait for. */
function follow(
  reader: { db: Database; store: FeedStore; library: Library },
  onOtherWrites: () => void = () => undefined,
  intervalMs = INTERVAL_MS,
) {
  const results: FollowResult[] = [];
  const waiters = new Waiters(() => `applied: ${JSON.stringify(results)}`);
  const follower = new StoreFollower(
    reader.store,
    reader.library,
    createLogger({ level: "error" }),
    {
      intervalMs,
      onOtherWrites,
      onApplied: (result) => {
        results.push(result);
        waiters.notify();
      },
    },
  );
  followers.push(follower);
  return {
    follower,
    /** The first change applied, from now on, that `match` accepts. */
    next(match: (result: FollowResult) => boolean): Promise<FollowResult> {
      const from = results.length;
      return waiters.waitFor(
        () => results.slice(from).find(match),
        DEFAULT_TIMEOUT_MS,
        "such change applied",
      );
    },
  };
}

const linkOf = (a: Article, guildId: string, addedAt: number) => ({
  article: a,
  scope: { guildId },
  origin: { kind: "link" as const },
  addedAt,
});

describe.each(ENGINES)("StoreFollower on $name", (engine) => {
  onFreshDatabase(engine);

  it("applies another process's saved, re-saved and removed articles to this library", async () => {
    const writer = await process();
    const reader = await process();
    await writer.store.saveArticle(linkOf(article("link-one"), GUILD, T0));
    // Start-up: the stored articles are loaded, then followed.
    reader.library.add(article("link-one"), { guildId: GUILD });
    const { follower, next } = follow(reader);
    await follower.start();
    expect(reader.library.size).toBe(1);

    const added = next((result) => result.added.length > 0);
    await writer.store.saveArticle(
      linkOf(article("feed-two", "The ferry to the island runs twice a day."), OTHER_GUILD, T0 + 1),
    );
    expect(await added).toEqual({ added: ["feed-two"], replaced: [], removed: [] });
    // With its scope: the other server's article is not this one's.
    expect(reader.library.get("feed-two", OTHER_GUILD)?.paragraphs[0]).toContain("ferry");
    expect(reader.library.get("feed-two", GUILD)).toBeUndefined();

    const changed = next((result) => result.removed.length > 0);
    await writer.store.saveArticle(
      linkOf(article("link-one", "The harbour stays closed until Friday."), GUILD, T0 + 2),
    );
    await writer.store.removeArticle("feed-two");
    // One look may see both commits, or each alone.
    const seen = await changed;
    expect(seen.removed).toEqual(["feed-two"]);
    expect(reader.library.get("link-one", GUILD)?.paragraphs).toEqual([
      "The harbour stays closed until Friday.",
    ]);
    expect(reader.library.entry("feed-two")).toBeUndefined();
  });

  it("applies at start what was stored after the library was loaded", async () => {
    const writer = await process();
    const reader = await process();
    await writer.store.saveArticle(linkOf(article("link-late"), GUILD, T0));
    const { follower } = follow(reader);
    await follower.start();
    expect(reader.library.get("link-late", GUILD)?.title).toBe("Title of link-late");
  });

  it("leaves alone what this process saved itself, and wakes on another's feed", async () => {
    const one = await process();
    const two = await process();
    let wakes = 0;
    const woken = new Waiters(() => `${wakes} wakes`);
    const { follower, next } = follow(one, () => {
      wakes++;
      woken.notify();
    });
    await follower.start();
    // This process's own write: it adds the article to its library itself, after the save.
    await one.store.saveArticle(linkOf(article("link-own"), GUILD, T0));
    // Another's save after it: once applied, the own one was heard (if at all) before it.
    const other = next((result) => result.added.includes("link-other"));
    await two.store.saveArticle(linkOf(article("link-other"), GUILD, T0 + 1));
    await other;
    expect(one.library.entry("link-own")).toBeUndefined();
    // Another process follows a feed: no article, but the poller must look.
    const before = wakes;
    await two.store.addFeed(
      { scope: { guildId: GUILD }, url: "https://news.test/feed.xml", addedBy: "1", addedAt: T0 },
      20,
    );
    await woken.waitFor(() => wakes > before, DEFAULT_TIMEOUT_MS, "wake after a feed added");
  });
});

describe.each(ENGINES)("StoreFollower after a failed read on $name", (engine) => {
  onFreshDatabase(engine);

  it("compares everything again shortly after a change it could not read, and applies it", async () => {
    const writer = await process();
    const reader = await process();
    let failures = 1;
    const flaky = new Proxy(reader.store, {
      get(target, property) {
        if (property === "getArticle" && failures > 0) {
          return () => {
            failures--;
            return Promise.reject(new Error("database: the pool has no connection free now"));
          };
        }
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const applied: FollowResult[] = [];
    const waiters = new Waiters(() => `applied: ${JSON.stringify(applied)}`);
    const follower = new StoreFollower(flaky, reader.library, createLogger({ level: "error" }), {
      intervalMs: INTERVAL_MS,
      catchUpMs: 20,
      onApplied: (result) => {
        applied.push(result);
        waiters.notify();
      },
    });
    followers.push(follower);
    await follower.start();
    await writer.store.saveArticle(linkOf(article("late-read"), GUILD, T0));
    // Its one change fails to read; nothing else happens on the database after it.
    await waiters.waitFor(
      () => reader.library.get("late-read", GUILD),
      DEFAULT_TIMEOUT_MS,
      "the article applied by the catch-up",
    );
    expect(failures).toBe(0);
    expect(applied.at(-1)).toEqual({ added: ["late-read"], replaced: [], removed: [] });
  });
});

describe("StoreFollower, one article at a time (PostgreSQL's notifications, driven on SQLite)", () => {
  onFreshDatabase(sqliteEngine);

  it("adds, replaces and removes the article named, and leaves this process's own saves", async () => {
    const writer = await process();
    const reader = await process();
    const woken = vi.fn();
    const { follower } = follow(reader, woken, NEVER_MS);
    await follower.start();

    await writer.store.saveArticle(linkOf(article("link-a"), GUILD, T0));
    expect(await follower.apply("LINK-A")).toEqual({
      added: ["link-a"],
      replaced: [],
      removed: [],
    });
    await writer.store.saveArticle(linkOf(article("link-a", "Now closed."), GUILD, T0 + 1));
    expect(await follower.apply("link-a")).toEqual({
      added: [],
      replaced: ["link-a"],
      removed: [],
    });
    expect(reader.library.get("link-a", GUILD)?.paragraphs).toEqual(["Now closed."]);
    // Told twice of the same save: nothing to do.
    expect(await follower.apply("link-a")).toEqual({ added: [], replaced: [], removed: [] });
    await writer.store.removeArticle("link-a");
    expect(await follower.apply("link-a")).toEqual({
      added: [],
      replaced: [],
      removed: ["link-a"],
    });

    expect(woken).toHaveBeenCalledTimes(4);

    // PostgreSQL tells the writer's own listener too: the writer adds its article itself, and
    // its own poller needs no waking.
    await reader.store.saveArticle(linkOf(article("link-own"), GUILD, T0 + 2));
    expect(await follower.apply("link-own")).toEqual({ added: [], replaced: [], removed: [] });
    expect(reader.library.entry("link-own")).toBeUndefined();
    expect(woken).toHaveBeenCalledTimes(4);
    reader.library.add(article("link-own"), { guildId: GUILD });
    // Saved again by another process: that is news.
    await writer.store.saveArticle(
      linkOf(article("link-own", "Changed elsewhere."), GUILD, T0 + 3),
    );
    expect(await follower.apply("link-own")).toEqual({
      added: [],
      replaced: ["link-own"],
      removed: [],
    });
    expect(reader.library.get("link-own", GUILD)?.paragraphs).toEqual(["Changed elsewhere."]);
    expect(woken).toHaveBeenCalledTimes(5);
  });

  it("takes out only what it put in: a removed id it never applied stays in the library", async () => {
    const reader = await process();
    // An article of the articles folder, say, with the id a removed stored article had.
    reader.library.add(article("shared-id"));
    const { follower } = follow(reader, undefined, NEVER_MS);
    await follower.start();
    expect(await follower.apply("shared-id")).toEqual({ added: [], replaced: [], removed: [] });
    expect(reader.library.entry("shared-id")).toBeDefined();
  });

  it("compares everything when the change names no article (a prune, a reconnection)", async () => {
    const writer = await process();
    const reader = await process();
    const { follower } = follow(reader, undefined, NEVER_MS);
    await follower.start();
    await writer.store.saveArticle(linkOf(article("link-b"), GUILD, T0));
    expect(await follower.apply("")).toEqual({ added: ["link-b"], replaced: [], removed: [] });
    await writer.store.removeArticle("link-b");
    expect(await follower.apply()).toEqual({ added: [], replaced: [], removed: ["link-b"] });
  });
});
