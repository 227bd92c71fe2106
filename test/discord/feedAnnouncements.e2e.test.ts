/**
 * The whole way from a feed to a channel: a local HTTP server serves an RSS feed and its pages,
 * the real poller reads it into the feed store (on the bot's database) and the library, and its
 * `onArticle` and `onNotice` go to the announcer, which posts through the bot's REST client to
 * the fake Discord. Time is a clock the test moves; polls are awaited, never slept for.
 */
import type http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Announcer, createAnnouncer } from "../../src/discord/feeds/announcement.js";
import { FeedPoller, type PollerClock } from "../../src/feeds/FeedPoller.js";
import type { FeedStore, StoredFeed } from "../../src/feeds/FeedStore.js";
import { createFetcher } from "../../src/ingest/safeFetch.js";
import { createLogger } from "../../src/log.js";
import { loadServices, type Services } from "../../src/services.js";
import { makeTempDir, removeTempDir, writeFiles } from "../corpus/tempDir.js";
import { type LocalServer, startLocalServer } from "../ingest/localServer.js";
import type { MessageBody, RecordedRequest } from "../support/fakeDiscord.js";
import { customIds, type Harness, LogCapture, startHarness } from "./botHarness.js";

const HOUR = 3_600_000;

function page(title: string, sentences: readonly string[]): string {
  return `<!DOCTYPE html><html><head><title>${title}</title>
    <meta property="og:site_name" content="Valley Post"></head>
    <body><article><h1>${title}</h1>${sentences.map((s) => `<p>${s}</p>`).join("\n")}</article></body></html>`;
}

const PAGES: Record<string, { title: string; sentences: readonly string[] }> = {
  "/lighthouse.html": {
    title: "Lighthouse restored",
    sentences: [
      "The old lighthouse on the northern cape was restored by volunteers over three summers.",
      "Its lamp, dark since 1987, was lit again on Saturday evening before a crowd of about four hundred people from the villages nearby.",
      "The volunteers raised the money for the new lens from a bake sale and a long sponsored swim.",
    ],
  },
  "/orchard.html": {
    title: "Orchard harvest doubles",
    sentences: [
      "Apple growers in the valley picked twice last year's harvest after a mild spring without frost.",
      "The cooperative said the cider press would run day and night through October to keep up with the fruit arriving by tractor.",
      "Prices at the farm gate fell by a third, to the delight of the market traders in town.",
    ],
  },
};

function rss(paths: readonly string[]): string {
  const items = paths
    .map(
      (path) => `<item><guid>${path}</guid><title>${PAGES[path]?.title}</title>
        <link>${server.url(path)}</link><description>Teaser.</description>
        <pubDate>Sun, 01 Mar 2026 08:00:00 GMT</pubDate></item>`,
    )
    .join("\n");
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Valley Post</title>
    <link>http://127.0.0.1/</link><description>d</description>${items}</channel></rss>`;
}

let h: Harness;
let dir: string;
let services: Services;
let server: LocalServer;
let store: FeedStore;
let poller: FeedPoller;
let announcer: Announcer;
let feed: StoredFeed;
let news: string;
let general: string;
/** What the feed serves now. */
let served: string[] = ["/lighthouse.html"];
let feedStatus = 200;
let time = Date.UTC(2026, 2, 1);
/** The announcer's posts under way, awaited after each poll. */
const posting: Promise<void>[] = [];

const clock: PollerClock = {
  now: () => time,
  // The test polls by hand (pollDue): no timers.
  setTimer: () => undefined,
  clear: () => undefined,
};

beforeAll(async () => {
  dir = await makeTempDir();
  await writeFiles(dir, { "note.txt": "A note\n\nNothing to do with the valley." });
  services = await loadServices({ dataDir: dir });
  h = await startHarness({ services });
  [general, news] = h.fake.guild.channels.map((c) => c.id) as [string, string];
  const routes: Record<string, (q: http.IncomingMessage, r: http.ServerResponse) => void> = {
    "/feed.xml": (_q, r) => {
      if (feedStatus !== 200) r.writeHead(feedStatus, { "content-type": "text/plain" }).end("down");
      else r.writeHead(200, { "content-type": "application/rss+xml" }).end(rss(served));
    },
  };
  for (const [path, { title, sentences }] of Object.entries(PAGES)) {
    routes[path] = (_q, r) =>
      r.writeHead(200, { "content-type": "text/html" }).end(page(title, sentences));
  }
  server = await startLocalServer(routes);
  const logs = new LogCapture();
  const log = createLogger({ level: "debug", destination: logs.stream });
  store = h.stores.feeds;
  announcer = createAnnouncer({ rest: h.bot.client.rest, summaries: services.summaries, log });
  poller = new FeedPoller(
    {
      store,
      library: services.library,
      fetch: createFetcher({ allowPrivate: true }),
      log,
      onArticle: (article, from) => posting.push(announcer.onArticle(article, from)),
      onNotice: (from, notice) => posting.push(announcer.onNotice(from, notice)),
    },
    { clock, random: () => 0.5, poll: { failingAfter: 2 } },
  );
  feed = await store.addFeed(
    {
      scope: { guildId: h.fake.guild.id },
      url: server.url("/feed.xml"),
      channelId: news,
      noticeChannelId: general,
      addedBy: h.fake.user.id,
      addedAt: time,
    },
    20,
  );
});

afterAll(async () => {
  await poller?.stop();
  await h?.stop();
  await server?.close();
  if (dir) await removeTempDir(dir);
});

/** Moves the clock past any backoff, polls, and waits for the posts the poll made. */
async function pollLater(): Promise<RecordedRequest[]> {
  const mark = h.fake.requests.length;
  time += 7 * HOUR;
  await poller.pollDue();
  await Promise.all(posting.splice(0));
  return h.fake.requests
    .slice(mark)
    .filter((r) => r.method === "POST" && /^\/channels\/\d+\/messages$/.test(r.path));
}

/** The content of a post (empty when there is none). */
function contentOf(post: RecordedRequest | undefined): string {
  return (post?.body as MessageBody | undefined)?.content ?? "";
}

describe("a feed's articles and notices, from the poller to the channel", () => {
  it("takes the first poll's items silently, then announces each new article in the feed's channel", async () => {
    expect(await pollLater()).toEqual([]);
    expect(services.library.list(h.fake.guild.id).map((a) => a.title)).toContain(
      "Lighthouse restored",
    );

    served = ["/orchard.html", "/lighthouse.html"];
    const posts = await pollLater();

    expect(posts.map((r) => r.path)).toEqual([`/channels/${news}/messages`]);
    const body = posts[0]?.body as MessageBody;
    const embed = body.embeds?.[0];
    expect(embed?.title).toBe("Orchard harvest doubles");
    expect(embed?.url).toBe(server.url("/orchard.html"));
    expect(embed?.description).toMatch(/^\*Valley Post · 1 Mar 2026\*\n\n/);
    expect(customIds(body)).toEqual([expect.stringMatching(/^ask:about:feed-[0-9a-f]{16}$/)]);
  });

  it("tells the feed's channel once when it becomes failing, and once when it works again", async () => {
    feedStatus = 500;
    expect(await pollLater()).toEqual([]);
    const failing = await pollLater();
    const later = await pollLater();

    expect(failing.map((r) => r.path)).toEqual([`/channels/${news}/messages`]);
    expect(contentOf(failing[0])).toMatch(
      /^⚠️ The feed \*\*Valley Post\*\* .* stopped working after 2 failed tries: .*500/,
    );
    expect(later).toEqual([]);
    expect((await store.getFeed(feed.id))?.state.failingSince).toBeDefined();

    feedStatus = 200;
    const recovered = await pollLater();
    expect(recovered.map((r) => r.path)).toEqual([`/channels/${news}/messages`]);
    expect(contentOf(recovered[0])).toMatch(/^✅ The feed .* works again/);
  });
});
