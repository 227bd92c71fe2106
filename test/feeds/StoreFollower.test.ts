/**
 * Two processes on one database, as the shards of `npm run start:sharded` are: two connections on
 * a real SQLite file, each with its own library; what one saves or removes reaches the other's
 * library at its next look, and nothing is read when nobody else wrote.
 */
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Article } from "../../src/corpus/article.js";
import { FeedStore } from "../../src/feeds/FeedStore.js";
import { StoreFollower } from "../../src/feeds/StoreFollower.js";
import { Library } from "../../src/library/Library.js";
import { createLogger } from "../../src/log.js";
import { SqlitePinStore } from "../../src/pins/SqlitePinStore.js";
import { LogCapture } from "../discord/botHarness.js";
import { GUILD, makeTempDir, OTHER_GUILD, removeTempDir } from "../pins/fixtures.js";

const T0 = Date.UTC(2026, 0, 1);

function article(id: string, text = `The harbour of ${id} reopened after the storm.`): Article {
  return { id, title: `Title of ${id}`, paragraphs: [text] };
}

let dir: string;
let connections: SqlitePinStore[];

beforeEach(async () => {
  dir = await makeTempDir();
  connections = [];
});

afterEach(async () => {
  for (const connection of connections) connection.close();
  await removeTempDir(dir);
});

/** One process: its connection to the shared file and its own library. */
function process(): { store: FeedStore; library: Library } {
  const pins = SqlitePinStore.open(path.join(dir, "newsdesk.sqlite"));
  connections.push(pins);
  return { store: new FeedStore(pins.connection), library: new Library() };
}

describe("StoreFollower", () => {
  it("applies another process's saved, re-saved and removed articles to this library", async () => {
    const writer = process();
    const reader = process();
    await writer.store.saveArticle({
      article: article("link-one"),
      scope: { guildId: GUILD },
      origin: { kind: "link" },
      addedAt: T0,
    });
    // Start-up: the stored articles are loaded, then followed.
    reader.library.add(article("link-one"), { guildId: GUILD });
    const logs = new LogCapture();
    const woken = vi.fn();
    const follower = new StoreFollower(
      reader.store,
      reader.library,
      createLogger({ level: "debug", destination: logs.stream }),
      { onOtherWrites: woken },
    );
    expect(follower.follow()).toBeUndefined();

    await writer.store.saveArticle({
      article: article("feed-two", "The ferry to the island runs twice a day in winter."),
      scope: { guildId: OTHER_GUILD },
      origin: { kind: "link" },
      addedAt: T0 + 1,
    });
    expect(follower.follow()).toEqual({ added: ["feed-two"], replaced: [], removed: [] });
    expect(woken).toHaveBeenCalledTimes(1);
    // With its scope: the other server's article is not this one's.
    expect(reader.library.get("feed-two", OTHER_GUILD)?.paragraphs[0]).toContain("ferry");
    expect(reader.library.get("feed-two", GUILD)).toBeUndefined();
    expect(follower.follow()).toBeUndefined();

    await writer.store.saveArticle({
      article: article("link-one", "The harbour stays closed until Friday."),
      scope: { guildId: GUILD },
      origin: { kind: "link" },
      addedAt: T0 + 2,
    });
    await writer.store.removeArticle("feed-two");
    expect(follower.follow()).toEqual({ added: [], replaced: ["link-one"], removed: ["feed-two"] });
    expect(reader.library.get("link-one", GUILD)?.paragraphs).toEqual([
      "The harbour stays closed until Friday.",
    ]);
    expect(reader.library.entry("feed-two")).toBeUndefined();
  });

  it("leaves alone what this process saved itself, and wakes on any other write", async () => {
    const one = process();
    const two = process();
    const follower = new StoreFollower(one.store, one.library, createLogger({ level: "error" }), {
      onOtherWrites: vi.fn(),
    });
    // This process's own write: it added the article to its library itself.
    await one.store.saveArticle({
      article: article("link-own"),
      scope: "global",
      origin: { kind: "link" },
      addedAt: T0,
    });
    one.library.add(article("link-own"));
    expect(follower.follow()).toBeUndefined();
    // Another process follows a feed: no article, but the poller must look.
    await two.store.addFeed(
      { scope: { guildId: GUILD }, url: "https://news.test/feed.xml", addedBy: "1", addedAt: T0 },
      20,
    );
    expect(follower.follow()).toEqual({ added: [], replaced: [], removed: [] });
    expect(one.library.size).toBe(1);
  });
});
