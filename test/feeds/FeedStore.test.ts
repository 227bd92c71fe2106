/**
 * The feed store's contract, on every engine (SQLite in a temp folder, PostgreSQL on the test
 * server): each test on a fresh database, which the pin store shares (a pin citing an article
 * keeps it).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Article } from "../../src/corpus/article.js";
import { FeedStoreError } from "../../src/feeds/errors.js";
import {
  ARTICLES_CHANNEL,
  FEEDS_CHANNEL,
  FeedStore,
  type StoredArticle,
} from "../../src/feeds/FeedStore.js";
import { createLogger } from "../../src/log.js";
import { SqlPinStore } from "../../src/pins/SqlPinStore.js";
import type { Database, Sql, Work } from "../../src/store/database.js";
import { CITATION, GUILD, MODERATOR, newPin, OTHER_GUILD } from "../pins/fixtures.js";
import { ENGINES, type TestDatabase } from "../support/engines.js";

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);

let fresh: TestDatabase;
let db: Database;
let pins: SqlPinStore;
let store: FeedStore;

async function open(): Promise<void> {
  db = await fresh.open();
  pins = new SqlPinStore(db, createLogger({ level: "error" }));
  store = new FeedStore(db);
}

/** A new connection to the same database: what was kept is there, nothing is cached. */
async function reopen(): Promise<void> {
  await pins.close();
  await db.close();
  await open();
}

const feedOf = (url: string, guildId: string = GUILD) => ({
  scope: { guildId },
  url,
  channelId: "300000000000000003",
  addedBy: MODERATOR,
  addedAt: T0,
});

function article(id: string, overrides: Partial<Article> = {}): Article {
  return {
    id,
    title: `Title of ${id}`,
    url: `https://news.test/${id}`,
    source: "news.test",
    published: "2026-01-01",
    paragraphs: [`First paragraph of ${id}.`, "Second paragraph."],
    ...overrides,
  };
}

function stored(id: string, feedId: number, addedAt: number): StoredArticle {
  return {
    article: article(id),
    scope: { guildId: GUILD },
    origin: { kind: "feed", feedId },
    addedAt,
  };
}

/**
 * `db` with the notifications its units of work send recorded, as `channel:payload` (SQLite
 * delivers none: its followers poll; PostgreSQL's NOTIFY is what other hosts hear).
 */
function recordingNotifications(inner: Database): { db: Database; sent: string[] } {
  const sent: string[] = [];
  const recording = (sql: Sql): Sql => ({
    dialect: sql.dialect,
    all: (text, params) => sql.all(text, params),
    get: (text, params) => sql.get(text, params),
    run: (text, params) => sql.run(text, params),
    exec: (script) => sql.exec(script),
    notify: async (channel, payload) => {
      sent.push(`${channel}:${payload}`);
      await sql.notify(channel, payload);
    },
  });
  const wrapped = new Proxy(inner, {
    get(target, property) {
      if (property === "read" || property === "write" || property === "keep") {
        return <T>(work: Work<T>) => target[property]((sql) => work(recording(sql)));
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { db: wrapped, sent };
}

describe.each(ENGINES)("the feed store on $name", (engine) => {
  beforeEach(async () => {
    fresh = await engine.fresh();
    await open();
  });

  afterEach(async () => {
    await pins.close();
    await fresh.remove();
  });

  describe("feeds", () => {
    it("adds, lists and removes feeds per server", async () => {
      const a = await store.addFeed(feedOf("https://news.test/a.xml"), 20);
      const b = await store.addFeed(feedOf("https://news.test/b.xml", OTHER_GUILD), 20);
      expect((await store.listFeeds({ guildId: GUILD })).map((f) => f.url)).toEqual([
        "https://news.test/a.xml",
      ]);
      expect((await store.listFeeds({ guildId: OTHER_GUILD })).map((f) => f.id)).toEqual([b.id]);
      expect(a).toMatchObject({
        scope: { guildId: GUILD },
        nextPollAt: T0,
        state: { failures: 0 },
      });
      // Another server cannot remove it.
      expect(await store.removeFeed({ guildId: OTHER_GUILD }, a.id)).toBeUndefined();
      expect((await store.removeFeed({ guildId: GUILD }, a.id))?.url).toBe(
        "https://news.test/a.xml",
      );
      expect(await store.listFeeds({ guildId: GUILD })).toEqual([]);
    });

    it("refuses a feed beyond the server's limit, and a feed followed twice", async () => {
      await store.addFeed(feedOf("https://news.test/1.xml"), 2);
      await store.addFeed(feedOf("https://news.test/2.xml"), 2);
      const refused = store.addFeed(feedOf("https://news.test/3.xml"), 2);
      await expect(refused).rejects.toBeInstanceOf(FeedStoreError);
      await expect(refused).rejects.toMatchObject({ code: "TOO_MANY_FEEDS" });
      await expect(refused).rejects.toThrow(/FEEDS_PER_SERVER/);
      // The other server has its own count.
      await store.addFeed(feedOf("https://news.test/3.xml", OTHER_GUILD), 2);
      await expect(store.addFeed(feedOf("https://news.test/1.xml"), 5)).rejects.toMatchObject({
        code: "DUPLICATE_FEED",
      });
      expect(await store.listFeeds({ guildId: GUILD })).toHaveLength(2);
    });

    it("keeps the limit and refuses the duplicate when two processes add at once", async () => {
      // Two connections, as two hosts: their checks and inserts must not interleave.
      const other = new FeedStore(await fresh.open());
      const same = await Promise.allSettled([
        store.addFeed(feedOf("https://news.test/same.xml"), 20),
        other.addFeed(feedOf("https://news.test/same.xml"), 20),
      ]);
      expect(same.map((result) => result.status).sort()).toEqual(["fulfilled", "rejected"]);
      expect(same.find((result) => result.status === "rejected")).toMatchObject({
        reason: { code: "DUPLICATE_FEED" },
      });
      const limited = await Promise.allSettled([
        store.addFeed(feedOf("https://news.test/one.xml", OTHER_GUILD), 1),
        other.addFeed(feedOf("https://news.test/two.xml", OTHER_GUILD), 1),
      ]);
      expect(limited.map((result) => result.status).sort()).toEqual(["fulfilled", "rejected"]);
      expect(limited.find((result) => result.status === "rejected")).toMatchObject({
        reason: { code: "TOO_MANY_FEEDS" },
      });
      expect(await store.listFeeds({ guildId: OTHER_GUILD })).toHaveLength(1);
    });

    it("lists the due feeds, longest overdue first, and saves a poll's state across a reopen", async () => {
      const a = await store.addFeed(feedOf("https://news.test/a.xml"), 20);
      const b = await store.addFeed(
        { ...feedOf("https://news.test/b.xml"), addedAt: T0 - 1000 },
        20,
      );
      expect((await store.dueFeeds(T0)).map((f) => f.id)).toEqual([b.id, a.id]);
      await store.recordPoll(a.id, {
        etag: '"v1"',
        lastModified: "Thu, 01 Jan 2026 00:00:00 GMT",
        nextPollAt: T0 + 600_000,
        state: { failures: 0 },
        succeededAt: T0,
      });
      await store.recordPoll(b.id, {
        nextPollAt: T0 + 1_200_000,
        state: {
          failures: 5,
          failingSince: T0,
          lastError: "fetch: https://news.test/b.xml: HTTP 500",
        },
      });
      // Jitter gives fractions of a millisecond; the columns are integers.
      const c = await store.addFeed(feedOf("https://news.test/c.xml"), 20);
      await store.recordPoll(c.id, { nextPollAt: T0 + 900_000.4, state: { failures: 0 } });
      await reopen();
      expect((await store.getFeed(c.id))?.nextPollAt).toBe(T0 + 900_000);
      expect(await store.dueFeeds(T0)).toEqual([]);
      expect(await store.nextPollAt()).toBe(T0 + 600_000);
      expect((await store.dueFeeds(T0 + 600_000)).map((f) => f.id)).toEqual([a.id]);
      expect(await store.getFeed(a.id)).toMatchObject({
        etag: '"v1"',
        lastModified: "Thu, 01 Jan 2026 00:00:00 GMT",
        lastSuccessAt: T0,
      });
      expect(await store.getFeed(b.id)).toMatchObject({
        state: {
          failures: 5,
          failingSince: T0,
          lastError: "fetch: https://news.test/b.xml: HTTP 500",
        },
      });
      expect((await store.getFeed(b.id))?.lastSuccessAt).toBeUndefined();
    });

    it("syncs the operator's feeds with the file: added, kept with their state, removed", async () => {
      expect(await store.syncOperatorFeeds(["https://a.test/f", "https://b.test/f"], T0)).toEqual({
        added: ["https://a.test/f", "https://b.test/f"],
        removed: [],
      });
      const [a] = await store.listFeeds("global");
      if (a === undefined) throw new Error("no operator feed");
      await store.recordPoll(a.id, { etag: "x", nextPollAt: T0 + 5, state: { failures: 0 } });
      expect(await store.syncOperatorFeeds(["https://a.test/f", "https://c.test/f"], T0)).toEqual({
        added: ["https://c.test/f"],
        removed: ["https://b.test/f"],
      });
      const global = await store.listFeeds("global");
      expect(global.map((f) => f.url)).toEqual(["https://a.test/f", "https://c.test/f"]);
      expect(global[0]).toMatchObject({
        id: a.id,
        etag: "x",
        scope: "global",
        addedBy: "operator",
      });
      // Operator feeds do not count against a server's limit, nor show in its list.
      expect(await store.listFeeds({ guildId: GUILD })).toEqual([]);
    });
  });

  describe("seen items", () => {
    it("dedups by any key, per feed, across a reopen", async () => {
      const feed = await store.addFeed(feedOf("https://news.test/a.xml"), 20);
      const other = await store.addFeed(feedOf("https://news.test/b.xml"), 20);
      await store.saveItem(
        feed.id,
        ["guid:1", "link:https://news.test/1"],
        T0,
        stored("one", feed.id, T0),
      );
      await store.saveItem(feed.id, ["hash:abc"], T0);
      await reopen();
      expect(await store.hasSeen(feed.id, ["guid:1"])).toBe(true);
      // The same link under a new guid is the same item.
      expect(await store.hasSeen(feed.id, ["guid:2", "link:https://news.test/1"])).toBe(true);
      expect(await store.hasSeen(feed.id, ["hash:abc"])).toBe(true);
      expect(await store.hasSeen(feed.id, ["guid:2"])).toBe(false);
      expect(await store.hasSeen(other.id, ["guid:1"])).toBe(false);
      expect((await store.getArticle("ONE"))?.article.title).toBe("Title of one");
    });

    it("forgets a removed feed's items but keeps its articles", async () => {
      const feed = await store.addFeed(feedOf("https://news.test/a.xml"), 20);
      await store.saveItem(feed.id, ["guid:1"], T0, stored("one", feed.id, T0));
      await store.removeFeed({ guildId: GUILD }, feed.id);
      expect(await store.hasSeen(feed.id, ["guid:1"])).toBe(false);
      expect((await store.getArticle("one"))?.origin).toEqual({ kind: "link" });
    });
  });

  describe("articles", () => {
    it("trims a server's feed articles to its limit, oldest first, keeping pinned ones and links", async () => {
      const feed = await store.addFeed(feedOf("https://news.test/a.xml"), 20);
      for (const [i, id] of ["a1", "a2", "a3", "a4"].entries()) {
        await store.saveArticle(stored(id, feed.id, T0 + i));
      }
      await store.saveArticle({ ...stored("link", feed.id, T0 - 1), origin: { kind: "link" } });
      await store.saveArticle({
        ...stored("elsewhere", feed.id, T0 - 1),
        scope: { guildId: OTHER_GUILD },
      });
      await pins.addPin(newPin("q?", { citations: [{ ...CITATION, articleId: "A1" }] }));
      // 5 in the server, limit 3: the two oldest unpinned feed articles go.
      expect((await store.trimArticles(GUILD, 3)).sort()).toEqual(["a2", "a3"]);
      expect(await store.countArticles({ guildId: GUILD })).toBe(3);
      expect(await store.trimArticles(GUILD, 3)).toEqual([]);
      expect(await store.getArticle("elsewhere")).toBeDefined();
    });

    it("saves, lists, replaces and removes articles, and loads them back after a reopen", async () => {
      const feed = await store.addFeed(feedOf("https://news.test/a.xml"), 20);
      await store.saveArticle(stored("one", feed.id, T0));
      await store.saveArticle({
        article: article("two", { url: undefined, source: undefined, published: undefined }),
        scope: "global",
        origin: { kind: "link" },
        addedAt: T0 + 1,
      });
      await reopen();
      const all = await store.listArticles();
      expect(all.map((a) => a.article.id)).toEqual(["one", "two"]);
      expect(all[0]).toEqual(stored("one", feed.id, T0));
      expect(all[1]?.article).toEqual({
        id: "two",
        title: "Title of two",
        paragraphs: article("two").paragraphs,
      });
      expect(all[1]?.scope).toBe("global");
      expect(await store.countArticles({ guildId: GUILD })).toBe(1);
      expect(await store.countArticles("global")).toBe(1);
      await store.saveArticle({
        ...stored("one", feed.id, T0),
        article: article("one", { title: "New" }),
      });
      expect((await store.getArticle("one"))?.article.title).toBe("New");
      expect(await store.removeArticle("one")).toBe(true);
      expect(await store.removeArticle("one")).toBe(false);
      expect((await store.listArticles()).map((a) => a.article.id)).toEqual(["two"]);
    });

    it("adds a link's article up to the server's limit, and updates one given again past it", async () => {
      const link = (id: string, title = `Title of ${id}`): StoredArticle => ({
        article: article(id, { title }),
        scope: { guildId: GUILD },
        origin: { kind: "link" },
        addedAt: T0,
      });
      const feed = await store.addFeed(feedOf("https://news.test/a.xml"), 20);
      await store.saveArticle(stored("from-feed", feed.id, T0));
      await store.saveArticle({ ...stored("other", feed.id, T0), scope: { guildId: OTHER_GUILD } });
      expect(await store.addLinkArticle(link("l1"), 2)).toBe("added");
      // The server has 2 (a feed article and l1); the other server's does not count.
      const refused = await store.addLinkArticle(link("l2"), 2).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(FeedStoreError);
      expect((refused as FeedStoreError).code).toBe("TOO_MANY_ARTICLES");
      expect((refused as FeedStoreError).message).toContain("ARTICLES_PER_SERVER");
      expect(await store.getArticle("l2")).toBeUndefined();
      // The same link again replaces its text, at the limit too, and nothing is trimmed.
      expect(await store.addLinkArticle(link("L1", "Fresh"), 2)).toBe("updated");
      await reopen();
      expect(await store.getArticle("l1")).toMatchObject({
        article: { title: "Fresh" },
        origin: { kind: "link" },
      });
      expect(await store.countArticles({ guildId: GUILD })).toBe(2);
    });

    it("removes an article unless a pin cites it, and says which", async () => {
      const feed = await store.addFeed(feedOf("https://news.test/a.xml"), 20);
      await store.saveArticle(stored("free", feed.id, T0));
      await store.saveArticle(stored("cited", feed.id, T0));
      await pins.addPin(newPin("q?", { citations: [{ ...CITATION, articleId: "CITED" }] }));
      expect(await store.removeUnpinnedArticle("cited")).toBe("pinned");
      expect(await store.removeUnpinnedArticle("Free")).toBe("removed");
      expect(await store.removeUnpinnedArticle("free")).toBe("absent");
      expect((await store.listArticles()).map((a) => a.article.id)).toEqual(["cited"]);
    });

    it("prunes feed articles past retention, keeping those a pin cites and those from links", async () => {
      const feed = await store.addFeed(feedOf("https://news.test/a.xml"), 20);
      await store.saveArticle(stored("old", feed.id, T0));
      await store.saveArticle(stored("old-pinned", feed.id, T0));
      await store.saveArticle(stored("recent", feed.id, T0 + 300 * DAY));
      await store.saveArticle({ ...stored("old-link", feed.id, T0), origin: { kind: "link" } });
      await pins.addPin(
        newPin("what happened?", { citations: [{ ...CITATION, articleId: "old-pinned" }] }),
      );
      expect(await store.pruneArticles(T0 + 1)).toEqual(["old"]);
      expect((await store.listArticles()).map((a) => a.article.id).sort()).toEqual([
        "old-link",
        "old-pinned",
        "recent",
      ]);
    });

    it("forgets the items seen before the retention when it prunes, and keeps the newer ones", async () => {
      const feed = await store.addFeed(feedOf("https://news.test/seen.xml"), 20);
      await store.saveItem(feed.id, ["guid:old"], T0);
      await store.saveItem(feed.id, ["guid:new"], T0 + 300 * DAY);
      await store.pruneArticles(T0 + 1);
      expect(await store.hasSeen(feed.id, ["guid:old"])).toBe(false);
      expect(await store.hasSeen(feed.id, ["guid:new"])).toBe(true);
    });
  });

  describe("folder articles shared by hosts", () => {
    const HOST_A = "host-a:/srv/newsdesk/data";
    const HOST_B = "host-b:/srv/newsdesk/data";

    it("shares what the store lacks or holds in another version, and leaves a feed's or a link's id alone", async () => {
      const feed = await store.addFeed(feedOf("https://news.test/a.xml"), 20);
      await store.saveArticle(stored("taken", feed.id, T0));
      const { db: recorded, sent } = recordingNotifications(db);
      const sharing = new FeedStore(recorded);
      expect(
        await sharing.shareFolderArticles(HOST_A, [article("one"), article("Taken")], T0 + 1),
      ).toEqual({ saved: ["one"], unchanged: 0, taken: ["Taken"] });
      expect(sent).toEqual([`${ARTICLES_CHANNEL}:one`]);
      sent.length = 0;
      // Host B's folder has "one" as it is, and a changed "two"... after A shared "two".
      await sharing.shareFolderArticles(HOST_A, [article("two")], T0 + 2);
      sent.length = 0;
      const changed = article("two", { paragraphs: ["The bridge reopens on Monday."] });
      expect(await sharing.shareFolderArticles(HOST_B, [article("ONE"), changed], T0 + 3)).toEqual({
        saved: ["ONE", "two"],
        unchanged: 0,
        taken: [],
      });
      // "ONE" differs from "one" by its id's case: written again, as B has it.
      expect(await sharing.shareFolderArticles(HOST_B, [article("ONE"), changed], T0 + 4)).toEqual({
        saved: [],
        unchanged: 2,
        taken: [],
      });
      expect(sent).toEqual([`${ARTICLES_CHANNEL}:ONE`, `${ARTICLES_CHANNEL}:two`]);
      await reopen();
      expect(await store.getArticle("two")).toEqual({
        article: changed,
        scope: "global",
        origin: { kind: "folder", host: HOST_B },
        addedAt: T0 + 3,
      });
      // The feed's article kept its text and origin.
      expect(await store.getArticle("taken")).toMatchObject({
        article: article("taken"),
        origin: { kind: "feed", feedId: feed.id },
      });
      const versions = await store.articleVersions();
      expect(versions.get("taken")).toEqual({ savedAt: T0, folder: false });
      expect(versions.get("two")).toEqual({ savedAt: T0 + 3, folder: true });
      expect(await store.folderArticlesOf(HOST_B)).toEqual(["ONE", "two"]);
      expect(await store.folderArticlesOf(HOST_A)).toEqual([]);
    });

    it("withdraws folder articles whichever host shared them, never a feed's or a link's", async () => {
      await store.shareFolderArticles(HOST_A, [article("one"), article("two")], T0);
      await store.shareFolderArticles(HOST_B, [article("three")], T0);
      await store.saveArticle({ ...stored("link", 0, T0), origin: { kind: "link" } });
      const { db: recorded, sent } = recordingNotifications(db);
      const withdrawing = new FeedStore(recorded);
      expect(
        (await withdrawing.withdrawFolderArticles(["ONE", "three", "link", "absent"])).sort(),
      ).toEqual(["one", "three"]);
      expect(sent.sort()).toEqual([`${ARTICLES_CHANNEL}:one`, `${ARTICLES_CHANNEL}:three`]);
      expect((await store.listArticles()).map((a) => a.article.id).sort()).toEqual(["link", "two"]);
      expect(await store.withdrawFolderArticles([])).toEqual([]);
    });

    it("shares and withdraws a folder of thousands in batches", async () => {
      const many = Array.from({ length: 450 }, (_, i) => article(`bulk-${i}`));
      const shared = await store.shareFolderArticles(HOST_A, many, T0);
      expect(shared.saved).toHaveLength(450);
      expect(await store.folderArticlesOf(HOST_A)).toHaveLength(450);
      expect(await store.withdrawFolderArticles(many.map((a) => a.id))).toHaveLength(450);
      expect(await store.listArticles()).toEqual([]);
    });

    it("keeps pruning and trimming to feed articles", async () => {
      await store.shareFolderArticles(HOST_A, [article("folder-old")], T0 - 10 * DAY);
      expect(await store.pruneArticles(T0)).toEqual([]);
      expect(await store.getArticle("folder-old")).toBeDefined();
    });
  });

  describe("notifications", () => {
    it("tells the other processes of each feed added, each article saved or removed, and of a prune once", async () => {
      const { db: recorded, sent } = recordingNotifications(db);
      const notifying = new FeedStore(recorded);
      const feed = await notifying.addFeed(feedOf("https://news.test/a.xml"), 20);
      await notifying.saveItem(feed.id, ["guid:0"], T0);
      // A feed added wakes the pollers; a seen item changes nothing anyone holds.
      expect(sent).toEqual([`${FEEDS_CHANNEL}:${feed.id}`]);
      sent.length = 0;
      await notifying.saveItem(feed.id, ["guid:1"], T0, stored("one", feed.id, T0));
      await notifying.saveArticle(stored("two", feed.id, T0 + 1));
      await notifying.saveArticle(stored("three", feed.id, T0 + 2));
      await pins.addPin(newPin("q?", { citations: [{ ...CITATION, articleId: "two" }] }));
      expect(await notifying.removeUnpinnedArticle("two")).toBe("pinned");
      expect(await notifying.removeUnpinnedArticle("one")).toBe("removed");
      expect(await notifying.removeArticle("absent")).toBe(false);
      expect(
        await notifying.addLinkArticle(
          { ...stored("four", feed.id, T0), origin: { kind: "link" } },
          9,
        ),
      ).toBe("added");
      expect(await notifying.trimArticles(GUILD, 2)).toEqual(["three"]);
      expect(sent).toEqual(
        ["one", "two", "three", "one", "four", "three"].map((id) => `${ARTICLES_CHANNEL}:${id}`),
      );
      sent.length = 0;
      expect(await notifying.pruneArticles(T0 + DAY)).toEqual([]);
      expect(sent).toEqual([]);
      await notifying.saveArticle(stored("five", feed.id, T0));
      await notifying.saveArticle(stored("six", feed.id, T0));
      sent.length = 0;
      expect((await notifying.pruneArticles(T0 + DAY)).sort()).toEqual(["five", "six"]);
      expect(sent).toEqual([`${ARTICLES_CHANNEL}:`]);
    });
  });
});
