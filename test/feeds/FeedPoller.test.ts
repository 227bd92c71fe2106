/**
 * The poller end to end without Discord: a local HTTP server serves an RSS feed and its pages,
 * the store is a real SQLite file, time is a clock the test moves. Polls are awaited (pollDue,
 * stop), never slept for.
 */
import { writeFileSync } from "node:fs";
import type http from "node:http";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AnswerService } from "../../src/answer/answerService.js";
import type { Article } from "../../src/corpus/article.js";
import {
  FeedPoller,
  type FeedPollerDependencies,
  type FeedPollerOptions,
  type PollFailure,
} from "../../src/feeds/FeedPoller.js";
import { FeedStore, type StoredFeed } from "../../src/feeds/FeedStore.js";
import type { FeedNotice } from "../../src/feeds/pollSchedule.js";
import { loadStoredArticles, parseFeedsFile, syncFeedsFile } from "../../src/feeds/startFeeds.js";
import { createFetcher } from "../../src/ingest/safeFetch.js";
import { Library } from "../../src/library/Library.js";
import type { Logger } from "../../src/log.js";
import type { Database } from "../../src/store/database.js";
import { openSqlite } from "../../src/store/sqlite/SqliteDatabase.js";
import { type LocalServer, startLocalServer } from "../ingest/localServer.js";
import { GUILD, MODERATOR, makeTempDir, OTHER_GUILD, removeTempDir } from "../pins/fixtures.js";
import { ManualClock } from "../support/manualClock.js";

/** A logger that keeps the messages, for the assertions on what was said. */
function memoryLogger(lines: { level: string; msg: string; fields: object }[]): Logger {
  const at =
    (level: string) =>
    (fields: object, msg = "") =>
      lines.push({ level, msg, fields });
  const logger: Logger = {
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    child: () => logger,
    isLevelEnabled: () => true,
  };
  return logger;
}

function page(title: string, sentences: string[]): string {
  const paragraphs = sentences.map((s) => `<p>${s}</p>`).join("\n");
  return `<!DOCTYPE html><html><head><title>${title}</title>
    <meta property="og:site_name" content="Local News"></head>
    <body><article><h1>${title}</h1>${paragraphs}</article></body></html>`;
}

const PAGES: Record<string, string> = {
  "/lighthouse.html": page("Lighthouse restored", [
    "The old lighthouse on the northern cape was restored by volunteers over three summers.",
    "Its lamp, dark since 1987, was lit again on Saturday evening before a crowd of about four hundred people from the villages nearby.",
    "The volunteers raised the money for the new lens from a bake sale and a long sponsored swim.",
  ]),
  "/orchard.html": page("Orchard harvest doubles", [
    "Apple growers in the valley picked twice last year's harvest after a mild spring without frost.",
    "The cooperative said the cider press would run day and night through October to keep up with the fruit arriving by tractor.",
    "Prices at the farm gate fell by a third, to the delight of the market traders in town.",
  ]),
};

interface Item {
  guid: string;
  title: string;
  link: string;
  description: string;
}

function rss(items: readonly Item[]): string {
  const body = items
    .map(
      (i) => `<item><guid>${i.guid}</guid><title>${i.title}</title><link>${i.link}</link>
        <description>${i.description}</description><pubDate>Sun, 01 Mar 2026 08:00:00 GMT</pubDate></item>`,
    )
    .join("\n");
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Local News feed</title>
    <link>http://127.0.0.1/</link><description>d</description>${body}</channel></rss>`;
}

let dir: string;
let file: string;
let server: LocalServer;
let db: Database;
let store: FeedStore;
let library: Library;
let clock: ManualClock;
let poller: FeedPoller;
let logs: { level: string; msg: string; fields: object }[];
let added: { article: Article; feed: StoredFeed }[];
let notices: FeedNotice[];
/** What the feed serves now. */
let feedItems: Item[];
let feedVersion: number;
let feedStatus: number;
const addedWaiters: (() => void)[] = [];
/** Resolves once `count` articles have been added. */
async function articlesAdded(count: number): Promise<void> {
  while (added.length < count) await new Promise<void>((resolve) => addedWaiters.push(resolve));
}
/** A new version of the feed with the orchard item (its page is served) ahead of the others. */
function publishOrchard(description: string): void {
  feedVersion = 2;
  feedItems = [
    {
      guid: "orchard",
      title: "Orchard harvest doubles",
      link: server.url("/orchard.html"),
      description,
    },
    ...feedItems,
  ];
}
const heldResponses: http.ServerResponse[] = [];
const heldWaiters: (() => void)[] = [];
/** Resolves once the held page has been asked for. */
const pageHeld = () =>
  new Promise<void>((resolve) => {
    if (heldResponses.length > 0) resolve();
    else heldWaiters.push(resolve);
  });

function makePoller(options: FeedPollerOptions = {}, signal?: AbortSignal): FeedPoller {
  return new FeedPoller(
    {
      store,
      library,
      fetch: createFetcher({
        allowPrivate: true,
        now: clock.now,
        ...(signal === undefined ? {} : { signal }),
      }),
      log: memoryLogger(logs),
      onArticle: (article, feed) => {
        added.push({ article, feed });
        for (const waiter of addedWaiters.splice(0)) waiter();
      },
      onNotice: (_feed, notice) => notices.push(notice),
    },
    // Not 0.5: jitter then makes fractional times, as in production.
    { clock, random: () => 0.37, itemsPerPoll: 10, ...options },
  );
}

async function open(): Promise<void> {
  db = await openSqlite(file);
  store = new FeedStore(db);
  library = new Library();
  await loadStoredArticles(store, library, memoryLogger(logs));
  poller = makePoller();
}

beforeEach(async () => {
  dir = await makeTempDir();
  file = path.join(dir, "newsdesk.sqlite");
  logs = [];
  added = [];
  notices = [];
  feedVersion = 1;
  feedStatus = 200;
  const feedHandler = (request: http.IncomingMessage, response: http.ServerResponse) => {
    if (feedStatus !== 200) {
      response.writeHead(feedStatus, { "content-type": "text/plain" }).end("down");
      return;
    }
    const etag = `"v${feedVersion}"`;
    if (request.headers["if-none-match"] === etag) {
      response.writeHead(304, { etag }).end();
      return;
    }
    response.writeHead(200, { "content-type": "application/rss+xml", etag }).end(rss(feedItems));
  };
  const routes: Record<string, (q: http.IncomingMessage, r: http.ServerResponse) => void> = {
    "/feed.xml": feedHandler,
  };
  // Answered only when the test says: a request in flight while the poller stops.
  routes["/held.html"] = (_q, r) => {
    heldResponses.push(r);
    for (const waiter of heldWaiters.splice(0)) waiter();
  };
  for (const [route, html] of Object.entries(PAGES)) {
    routes[route] = (_q, r) => r.writeHead(200, { "content-type": "text/html" }).end(html);
  }
  server = await startLocalServer(routes);
  feedItems = [
    {
      guid: "lighthouse",
      title: "Lighthouse restored",
      link: server.url("/lighthouse.html"),
      description: "Short teaser.",
    },
    {
      guid: "ferry",
      title: "Ferry timetable changes",
      // No such page: the item's own text is the article.
      link: server.url("/ferry.html"),
      description:
        "The winter ferry timetable starts on Monday with two crossings a day instead of five.",
    },
  ];
  clock = new ManualClock();
  await open();
});

afterEach(async () => {
  for (const response of heldResponses.splice(0)) response.end();
  await poller.stop();
  await db.close();
  await server.close();
  await removeTempDir(dir);
});

const requestsTo = (route: string) => server.requests.filter((r) => r.path === route).length;

async function addFeed(guildId = GUILD): Promise<StoredFeed> {
  return store.addFeed(
    { scope: { guildId }, url: server.url("/feed.xml"), addedBy: MODERATOR, addedAt: clock.time },
    20,
  );
}

/** Resolves with the wait of the next timer the poller sets on the clock. */
function nextTimer(): Promise<number> {
  return new Promise<number>((resolve) => {
    const setTimer = clock.setTimer.bind(clock);
    clock.setTimer = (run, ms) => {
      clock.setTimer = setTimer;
      resolve(ms);
      return setTimer(run, ms);
    };
  });
}

/** Moves the clock to the feed's next poll and polls. */
async function nextPoll(feedId: number): Promise<StoredFeed> {
  const feed = await store.getFeed(feedId);
  if (feed === undefined) throw new Error("feed gone");
  clock.time = Math.max(clock.time, feed.nextPollAt);
  await poller.pollDue();
  const after = await store.getFeed(feedId);
  if (after === undefined) throw new Error("feed gone");
  return after;
}

describe("FeedPoller", () => {
  it("takes new items, then asks conditionally, then takes only what is new", async () => {
    const feed = await addFeed();
    await poller.pollDue();

    const titles = added.map((a) => a.article.title).sort();
    expect(titles).toEqual(["Ferry timetable changes", "Lighthouse restored"]);
    const lighthouse = added.find((a) => a.article.title === "Lighthouse restored")?.article;
    // From the page, not the teaser.
    expect(lighthouse?.paragraphs.join(" ")).toContain("bake sale");
    expect(lighthouse?.source).toBe("Local News");
    const ferry = added.find((a) => a.article.title === "Ferry timetable changes")?.article;
    expect(ferry?.paragraphs).toEqual([feedItems[1]?.description]);
    expect(logs.some((l) => l.msg.includes("item content instead"))).toBe(true);
    expect(library.list(GUILD)).toHaveLength(2);
    expect(await store.getFeed(feed.id)).toMatchObject({ etag: '"v1"', state: { failures: 0 } });

    // Nothing changed: 304, no page fetched again.
    const pageRequests = requestsTo("/lighthouse.html");
    await nextPoll(feed.id);
    expect(server.requests.at(-1)?.headers["if-none-match"]).toBe('"v1"');
    expect(requestsTo("/lighthouse.html")).toBe(pageRequests);
    expect(added).toHaveLength(2);

    // A new item: only it is fetched and added.
    publishOrchard("Teaser.");
    await nextPoll(feed.id);
    expect(added.map((a) => a.article.title).at(-1)).toBe("Orchard harvest doubles");
    expect(added).toHaveLength(3);
    expect(requestsTo("/lighthouse.html")).toBe(pageRequests);
    expect(requestsTo("/orchard.html")).toBe(1);
  });

  it("after a restart loads the stored articles and neither refetches nor duplicates", async () => {
    const feed = await addFeed();
    await poller.pollDue();
    const ids = library
      .list(GUILD)
      .map((a) => a.id)
      .sort();
    await poller.stop();
    await db.close();

    await open();
    expect(
      library
        .list(GUILD)
        .map((a) => a.id)
        .sort(),
    ).toEqual(ids);
    // Not due yet: the stored schedule holds.
    const feedRequests = requestsTo("/feed.xml");
    await poller.pollDue();
    expect(requestsTo("/feed.xml")).toBe(feedRequests);
    // The feed changed meanwhile (new ETag): the same items are not taken again.
    feedVersion = 3;
    const pages = requestsTo("/lighthouse.html");
    await nextPoll(feed.id);
    expect(requestsTo("/feed.xml")).toBe(feedRequests + 1);
    expect(requestsTo("/lighthouse.html")).toBe(pages);
    expect(library.list(GUILD)).toHaveLength(2);
    expect(await store.listArticles()).toHaveLength(2);
  });

  it("tells once that a feed fails, backs off, and tells when it recovers", async () => {
    const feed = await addFeed();
    feedStatus = 500;
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) {
      const polledAt = Math.max(clock.time, (await store.getFeed(feed.id))?.nextPollAt ?? 0);
      const after = await nextPoll(feed.id);
      waits.push(after.nextPollAt - polledAt);
    }
    expect(notices).toEqual([
      { kind: "failing", failures: 5, reason: expect.stringContaining("500") as string },
    ]);
    expect((await store.getFeed(feed.id))?.state).toMatchObject({
      failures: 7,
      lastError: expect.stringContaining("500") as string,
    });
    // Each wait longer than the one before.
    for (let i = 1; i < waits.length; i++) expect(waits[i]).toBeGreaterThan(waits[i - 1] ?? 0);

    feedStatus = 200;
    await nextPoll(feed.id);
    expect(notices.map((n) => n.kind)).toEqual(["failing", "recovered"]);
    expect((await store.getFeed(feed.id))?.state).toEqual({ failures: 0 });
    expect(added).toHaveLength(2);
  });

  it("reports each failed poll with what failed: the fetch, the parse, or something unexpected", async () => {
    const failures: { url: string; kind: PollFailure }[] = [];
    const reporting = (fetch: FeedPollerDependencies["fetch"]) =>
      new FeedPoller(
        {
          store,
          library,
          fetch,
          log: memoryLogger(logs),
          onArticle: () => undefined,
          onNotice: () => undefined,
          onPollFailed: (feed, kind) => failures.push({ url: feed.url, kind }),
        },
        { clock, random: () => 0.37 },
      );
    const fetch = createFetcher({ allowPrivate: true, now: clock.now });
    const feed = await addFeed();
    const notAFeed = await store.addFeed(
      {
        scope: { guildId: GUILD },
        url: server.url("/lighthouse.html"),
        addedBy: MODERATOR,
        addedAt: clock.time,
      },
      20,
    );
    feedStatus = 500;
    await reporting(fetch).pollDue();
    expect(failures).toEqual([
      { url: feed.url, kind: "fetch" },
      { url: notAFeed.url, kind: "parse" },
    ]);

    failures.length = 0;
    feedStatus = 200;
    clock.time += 86_400_000;
    await reporting(fetch).pollDue();
    // The feed works again; the page is still no feed.
    expect(failures).toEqual([{ url: notAFeed.url, kind: "parse" }]);

    failures.length = 0;
    clock.time += 86_400_000;
    await reporting(() => Promise.reject(new Error("a bug in the fetcher (test)"))).pollDue();
    expect(failures.map((f) => f.kind)).toEqual(["unexpected", "unexpected"]);
  });

  it("answers from a feed's article in its server only", async () => {
    await addFeed(GUILD);
    await poller.pollDue();
    const answers = new AnswerService(library);
    const question = "Who paid for the new lens of the lighthouse?";
    const here = answers.ask(question, { guildId: GUILD });
    expect(here.answered).toBe(true);
    expect(here.citations[0]?.excerpt).toContain("bake sale");
    const elsewhere = answers.ask(question, { guildId: OTHER_GUILD });
    expect(elsewhere.citations.some((c) => c.excerpt.includes("bake sale"))).toBe(false);
    expect(answers.ask(question).citations).toEqual([]);
  });

  it("polls on its timer once started, and stop ends the timer", async () => {
    await addFeed();
    poller.start();
    expect(clock.timers.size).toBe(1);
    clock.fireDue();
    await articlesAdded(2);
    await poller.stop();
    expect(added).toHaveLength(2);
    expect(clock.timers.size).toBe(0);
  });

  it("looks again at once when woken during a look, which may have read the due feeds before", async () => {
    await addFeed();
    poller.start();
    let scheduled = nextTimer();
    clock.fireDue();
    // Not woken: the next look waits for the feed's next poll.
    expect(await scheduled).toBeGreaterThan(0);
    clock.time += 3_600_000;
    scheduled = nextTimer();
    clock.fireDue();
    poller.wake();
    expect(await scheduled).toBe(0);
  });

  it("takes at most the items per poll, the rest at the next poll even if the feed is unchanged", async () => {
    poller = makePoller({ itemsPerPoll: 1 });
    const feed = await addFeed();
    await poller.pollDue();
    expect(added.map((a) => a.article.title)).toEqual(["Lighthouse restored"]);
    // The feed did not change: its ETag was not kept while items were left, so no 304 hides them.
    await nextPoll(feed.id);
    expect(added.map((a) => a.article.title)).toEqual([
      "Lighthouse restored",
      "Ferry timetable changes",
    ]);
  });
});

describe("FeedPoller items and retention", () => {
  it("skips an item with neither a page article nor content, with a log line, and only once", async () => {
    feedItems = [{ guid: "empty", title: "", link: server.url("/gone.html"), description: "" }];
    const feed = await addFeed();
    await poller.pollDue();
    expect(added).toEqual([]);
    expect(logs.filter((l) => l.msg.startsWith("feeds: item skipped"))).toHaveLength(1);
    feedVersion = 2;
    await nextPoll(feed.id);
    expect(requestsTo("/gone.html")).toBe(1);
  });

  it("removes feed articles past FEED_RETENTION_DAYS from the library and the store", async () => {
    poller = makePoller({ retentionDays: 30 });
    await addFeed();
    await poller.pollDue();
    expect(library.list(GUILD)).toHaveLength(2);
    clock.time += 31 * 86_400_000;
    poller = makePoller({ retentionDays: 30 });
    await poller.pollDue();
    expect(library.list(GUILD)).toEqual([]);
    expect(await store.listArticles()).toEqual([]);
    expect(logs.some((l) => l.msg === "feeds: old feed articles removed")).toBe(true);
  });
});

describe("FeedPoller.stop", () => {
  it("lets the request in flight finish and saved, and fetches nothing still waiting", async () => {
    poller = makePoller({ hostLimits: { perHost: 1, total: 1 } });
    feedItems = [
      {
        guid: "held",
        title: "Held page",
        link: server.url("/held.html"),
        description: "Held item text.",
      },
      ...feedItems,
    ];
    const feed = await addFeed();
    const polling = poller.pollDue();
    await pageHeld();
    const stopping = poller.stop();
    heldResponses[0]
      ?.writeHead(200, { "content-type": "text/html" })
      .end(
        page("Held page", [
          "The held page was answered after the stop began, and its article is kept.",
        ]),
      );
    await stopping;
    await polling;
    // The page in flight gave its item (its page too short: the item's text); the others waited
    // for the host and were not fetched, nor marked seen.
    expect(added.map((a) => a.article.title)).toEqual(["Held page"]);
    expect(requestsTo("/lighthouse.html")).toBe(0);
    expect(await store.hasSeen(feed.id, ["guid:lighthouse"])).toBe(false);
    expect((await store.getFeed(feed.id))?.lastSuccessAt).toBe(clock.time);

    // The next start takes them.
    poller = makePoller();
    await nextPoll(feed.id);
    expect(added.map((a) => a.article.title).sort()).toEqual([
      "Ferry timetable changes",
      "Held page",
      "Lighthouse restored",
    ]);
  });
});

describe("FeedPoller.pause", () => {
  it("stops the timer like stop, and start polls again afterwards", async () => {
    const feed = await addFeed();
    poller.start();
    clock.fireDue();
    await articlesAdded(2);
    await poller.pause();
    expect(clock.timers.size).toBe(0);

    publishOrchard("Teaser.");
    clock.time = Math.max(clock.time, (await store.getFeed(feed.id))?.nextPollAt ?? 0);
    poller.start();
    expect(clock.timers.size).toBe(1);
    clock.fireDue();
    await articlesAdded(3);
    expect(added.map((a) => a.article.title).at(-1)).toBe("Orchard harvest doubles");
  });

  it("waits for the poll in flight; a start meanwhile begins once the pause is done", async () => {
    poller = makePoller({ hostLimits: { perHost: 1, total: 1 } });
    feedItems = [
      { guid: "held", title: "Held page", link: server.url("/held.html"), description: "Held." },
      ...feedItems,
    ];
    const feed = await addFeed();
    poller.start();
    clock.fireDue();
    await pageHeld();
    const pausing = poller.pause();
    poller.start();
    // Not beside the look still under way.
    expect(clock.timers.size).toBe(0);
    heldResponses[0]
      ?.writeHead(200, { "content-type": "text/html" })
      .end(page("Held page", ["The held page was answered during the pause and is kept."]));
    await pausing;
    expect(added.map((a) => a.article.title)).toEqual(["Held page"]);
    expect(clock.timers.size).toBe(1);
    // The items left waiting for the host at the pause are taken at the feed's next poll.
    clock.time = Math.max(clock.time, (await store.getFeed(feed.id))?.nextPollAt ?? 0);
    clock.fireDue();
    await articlesAdded(3);
    expect(added.map((a) => a.article.title).sort()).toEqual([
      "Ferry timetable changes",
      "Held page",
      "Lighthouse restored",
    ]);
  });

  it("does nothing for a start after stop", async () => {
    await addFeed();
    await poller.pause();
    await poller.stop();
    poller.start();
    expect(clock.timers.size).toBe(0);
  });
});

describe("FeedPoller when the bot's stop aborts its fetches", () => {
  it("takes nothing from a page cut short and records no failure for a feed cut short", async () => {
    const stop = new AbortController();
    poller = makePoller({ hostLimits: { perHost: 1, total: 1 } }, stop.signal);
    feedItems = [
      { guid: "held", title: "Held page", link: server.url("/held.html"), description: "Held." },
      ...feedItems,
    ];
    const feed = await addFeed();
    const polling = poller.pollDue();
    await pageHeld();
    stop.abort();
    await polling;
    // The page under way was abandoned: its item is not seen, nor any after it.
    expect(added).toEqual([]);
    expect(await store.hasSeen(feed.id, ["guid:held"])).toBe(false);
    expect(await store.hasSeen(feed.id, ["guid:lighthouse"])).toBe(false);

    // A feed whose own fetch is aborted stays due, as it was, without a failure.
    const before = await store.getFeed(feed.id);
    clock.time = Math.max(clock.time, before?.nextPollAt ?? 0);
    await poller.pollDue();
    const after = await store.getFeed(feed.id);
    expect(after?.state.failures).toBe(0);
    expect(after?.nextPollAt).toBe(before?.nextPollAt);
    expect(notices).toEqual([]);
  });
});

describe("FeedPoller limits", () => {
  it("keeps a server to its articles limit, dropping its oldest feed article for a new one", async () => {
    poller = makePoller({ articlesPerServer: 2 });
    const feed = await addFeed();
    await poller.pollDue();
    const first = library.list(GUILD).map((a) => a.id);
    expect(first).toHaveLength(2);
    publishOrchard("t");
    await nextPoll(feed.id);
    const titles = library.list(GUILD).map((a) => a.title);
    expect(titles).toHaveLength(2);
    expect(titles).toContain("Orchard harvest doubles");
    expect(await store.countArticles({ guildId: GUILD })).toBe(2);
    expect(logs.some((l) => l.msg.includes("ARTICLES_PER_SERVER"))).toBe(true);
  });
});

describe("FeedPoller on a database that refuses its poll state", () => {
  it("logs it and leaves the feed alone until its next time instead of polling it at every look", async () => {
    class RefusingStore extends FeedStore {
      override recordPoll(): Promise<void> {
        return Promise.reject(new Error("pins: database refused the write (test)"));
      }
    }
    store = new RefusingStore(db);
    poller = makePoller();
    await addFeed();
    await poller.pollDue();
    const feedRequests = requestsTo("/feed.xml");
    expect(logs.some((l) => l.level === "error" && l.msg.includes("poll state not saved"))).toBe(
      true,
    );
    // Still due in the database, but held back: no new request at the next look.
    expect(await store.dueFeeds(clock.time)).toHaveLength(1);
    await poller.pollDue();
    expect(requestsTo("/feed.xml")).toBe(feedRequests);
    // Its time comes: asked again.
    clock.time += 3_600_000;
    await poller.pollDue();
    expect(requestsTo("/feed.xml")).toBe(feedRequests + 1);
  });
});

describe("FeedPoller on a database that cannot be read", () => {
  it("logs and keeps its timer going, throwing nothing", async () => {
    class UnreadableStore extends FeedStore {
      override dueFeeds(): Promise<never> {
        return Promise.reject(new Error("pins: database unreadable (test)"));
      }
      override nextPollAt(): Promise<never> {
        return Promise.reject(new Error("pins: database unreadable (test)"));
      }
    }
    store = new UnreadableStore(db);
    poller = makePoller();
    poller.start();
    const scheduled = nextTimer();
    clock.fireDue();
    // The next look is scheduled, after the longest wait.
    expect(await scheduled).toBe(60_000);
    expect(clock.timers.size).toBe(1);
    expect(logs.some((l) => l.msg.startsWith("feeds: could not read the due feeds"))).toBe(true);
    expect(logs.some((l) => l.msg === "feeds: could not read the next poll time")).toBe(true);
  });
});

describe("parseFeedsFile", () => {
  it("reads one URL a line, skipping comments and blanks, and names bad lines", () => {
    const text =
      "# news\nhttps://a.test/feed\n\n  https://b.test/rss  \nftp://c.test/x\nnot a url\nhttps://a.test/feed\n";
    expect(parseFeedsFile(text)).toEqual({
      urls: ["https://a.test/feed", "https://b.test/rss"],
      problems: [
        "line 5: only http and https feeds are read, got ftp:",
        "line 6: not a URL: not a url",
      ],
    });
  });

  it("syncs a readable file into the store, and names an unreadable one with what to do", async () => {
    const listed = path.join(dir, "feeds.txt");
    writeFileSync(listed, "https://a.test/feed\nnot a url\n");
    expect(await syncFeedsFile(store, listed, clock.time, memoryLogger(logs))).toEqual({
      added: ["https://a.test/feed"],
      removed: [],
    });
    expect(logs.some((l) => l.msg === "feeds: line skipped in FEEDS_FILE")).toBe(true);
    await expect(
      syncFeedsFile(store, path.join(dir, "missing.txt"), clock.time, memoryLogger(logs)),
    ).rejects.toThrow(/^feeds: .*missing\.txt cannot be read \(ENOENT\); fix FEEDS_FILE/);
  });
});
