/**
 * The issue's story end to end, composed as `npm start` composes it (the harness's feedPoller:
 * stored articles loaded before the bot, the poller's articles and notices announced): a
 * manager follows a feed with `/feeds add`, the feed publishes an item, the next poll announces
 * it in the chosen channel, a reader's question is answered from it with its citation in that
 * server and not in another, "Ask about this" answers from that article only, and after a
 * restart (a new process: fresh services, the database reopened) the article is still answered
 * and nothing is fetched again. A local HTTP server is the news site; the clock is the test's.
 */
import { mkdir } from "node:fs/promises";
import type http from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadServices } from "../../src/services.js";
import { makeTempDir, removeTempDir, writeFiles } from "../corpus/tempDir.js";
import { type LocalServer, startLocalServer } from "../ingest/localServer.js";
import type { MessageBody } from "../support/fakeDiscord.js";
import { ManualClock } from "../support/manualClock.js";
import { customIds, embedText, type Harness, sentBodies, startHarness } from "./botHarness.js";
import { assertMessageWithinLimits } from "./limitsAssert.js";

const HOUR = 3_600_000;

const PAGES: Record<string, { title: string; date: string; paragraphs: readonly string[] }> = {
  "/2026/03/ferry-timetable.html": {
    title: "Winter ferry timetable announced",
    date: "2026-03-01T07:00:00Z",
    paragraphs: [
      "The island ferry company published its winter timetable on Sunday, with two crossings a day instead of five from November.",
      "The company blamed the cut on the cost of fuel and on a crew shortage that has lasted since the spring.",
      "Islanders said the change would make it hard to reach the hospital on the mainland for early appointments.",
    ],
  },
  "/2026/03/bridge-reopens.html": {
    title: "Harbour bridge reopens after repairs",
    date: "2026-03-02T09:30:00Z",
    paragraphs: [
      "The harbour bridge reopened to traffic on Monday after eighteen months of repairs to its rusted steel cables.",
      "Engineers replaced all forty-two cables and repainted the towers in the original green, at a cost of 31 million euros.",
      "Cyclists get a lane of their own on the eastern side, separated from cars by a low concrete wall.",
    ],
  },
};

/** A news page as sites write them: menus, a cookie banner, the article, related links. */
function page(route: string): string {
  const article = PAGES[route];
  if (!article) throw new Error(`test: no page ${route}`);
  return `<!DOCTYPE html><html><head><title>${article.title} | Island Times</title>
    <meta property="og:site_name" content="Island Times">
    <meta property="article:published_time" content="${article.date}"></head>
    <body><nav><a href="/">Home</a> <a href="/sport">Sport</a> <a href="/weather">Weather</a></nav>
    <div class="cookie-banner">We use cookies to improve your experience. <button>Accept</button></div>
    <article><h1>${article.title}</h1>
    ${article.paragraphs.map((text) => `<p>${text}</p>`).join("\n")}
    </article>
    <aside><h2>Related</h2><ul><li><a href="/a">Storm warning for the weekend</a></li>
    <li><a href="/b">Fishing quotas cut again</a></li></ul></aside>
    <footer>© Island Times</footer></body></html>`;
}

let server: LocalServer;
let dir: string;
let h: Harness;
const clock = new ManualClock();
/** The feed's items, newest first, as routes of PAGES. */
let served = ["/2026/03/ferry-timetable.html"];

function rss(): string {
  const items = served
    .map(
      (route) => `<item><guid>${route}</guid><title>${PAGES[route]?.title}</title>
        <link>${server.url(route)}</link><description>Teaser only.</description></item>`,
    )
    .join("\n");
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Island Times</title>
    <link>${server.url("/")}</link><description>News from the island</description>
    ${items}</channel></rss>`;
}

/** An answer's text without the bold marks on the matched words. */
const plain = (body: MessageBody) => embedText(body.embeds).replaceAll("**", "");

const requestsTo = (route: string) => server.requests.filter((r) => r.path === route).length;

beforeAll(async () => {
  const routes: Record<string, (q: http.IncomingMessage, r: http.ServerResponse) => void> = {
    "/feed.xml": (_q, r) => r.writeHead(200, { "content-type": "application/rss+xml" }).end(rss()),
  };
  for (const route of Object.keys(PAGES)) {
    routes[route] = (_q, r) => r.writeHead(200, { "content-type": "text/html" }).end(page(route));
  }
  server = await startLocalServer(routes);
  dir = await makeTempDir();
  await mkdir(path.join(dir, "articles"));
  await writeFiles(path.join(dir, "articles"), {
    "weather.txt":
      "Storm warning\n\nA storm with gusts of up to 120 km/h is expected to reach the coast on Saturday night.",
  });
  h = await startHarness({
    services: await loadServices({ dataDir: path.join(dir, "articles") }),
    databasePath: path.join(dir, "newsdesk.sqlite"),
    guilds: [
      { name: "Islanders", channels: [{ name: "general" }, { name: "news" }] },
      { name: "Elsewhere", channels: [{ name: "lobby" }] },
    ],
    feedPoller: { clock },
  });
}, 60_000);

afterAll(async () => {
  await h?.stop();
  await server?.close();
  if (dir) await removeTempDir(dir);
});

const islanders = () => h.fake.guilds[0];
const elsewhere = () => h.fake.guilds[1];
const channel = (guild: number, name: string): string => {
  const found = h.fake.guilds[guild]?.channels.find((c) => c.name === name);
  if (!found) throw new Error(`test: no channel #${name}`);
  return found.id;
};

/** Moves the clock to the next poll, polls, and waits for what it posts. */
async function nextPoll(): Promise<void> {
  const [feed] = await feedsOf(islanders()?.id);
  if (!feed) throw new Error("test: no feed");
  clock.time = Math.max(clock.time, feed.nextPollAt) + 1;
  await h.poller.pollDue();
  await h.settleAnnouncements();
}

async function feedsOf(guildId: string | undefined) {
  if (!guildId) throw new Error("test: no guild");
  return h.stores.feeds.listFeeds({ guildId });
}

async function ask(question: string, guild = 0): Promise<MessageBody> {
  const body = await h.fake
    .sendSlashCommand({
      name: "ask",
      options: { question },
      channelId: channel(guild, guild === 0 ? "general" : "lobby"),
      user: h.newUser(),
    })
    .final();
  assertMessageWithinLimits(body);
  return body;
}

describe("live news, from a feed to an answer", () => {
  it("a manager follows a feed: its current items are taken silently, answerable at once", async () => {
    const reply = await h.fake
      .sendSlashCommand({
        name: "feeds",
        subcommand: "add",
        options: { url: server.url("/feed.xml"), channel: channel(0, "news") },
        channelId: channel(0, "general"),
        role: "admin",
        user: h.newUser(),
      })
      .final();
    expect(reply.content).toContain("Following **Island Times** (1 item now).");
    expect(reply.content).toContain(`New ones will be posted in <#${channel(0, "news")}>.`);

    await nextPoll();
    // The back catalogue is answerable but not announced.
    expect(h.fake.messagesIn(channel(0, "news"))).toEqual([]);
    const answer = await ask("How many ferry crossings a day will there be in winter?");
    expect(plain(answer)).toContain("two crossings a day instead of five");
    expect(plain(answer)).toContain("Island Times · 1 Mar 2026");
  });

  it("the feed publishes an item: the next poll announces it in the channel, with Ask about this", async () => {
    served = ["/2026/03/bridge-reopens.html", "/2026/03/ferry-timetable.html"];
    clock.time += 2 * HOUR;
    await nextPoll();

    // What the bot posted, as it sent it.
    const posts = sentBodies(h.fake).filter(
      ({ request }) => request.path === `/channels/${channel(0, "news")}/messages`,
    );
    expect(posts).toHaveLength(1);
    const post = posts[0]?.body as MessageBody;
    assertMessageWithinLimits(post);
    expect(post.allowed_mentions).toEqual({ parse: [] });
    const embed = post.embeds?.[0];
    expect(embed?.title).toBe("Harbour bridge reopens after repairs");
    expect(embed?.url).toBe(server.url("/2026/03/bridge-reopens.html"));
    expect(embed?.description).toContain("Island Times · 2 Mar 2026");
    expect(embed?.description).not.toContain("cookies");
    expect(customIds(post)).toEqual([expect.stringMatching(/^ask:about:feed-[0-9a-f]{16}$/)]);
  });

  it("a reader's question is answered from it, cited, in that server only", async () => {
    const question = "What did the bridge repairs cost?";
    const here = await ask(question);
    expect(plain(here)).toContain("31 million euros");
    expect(plain(here)).toContain("Harbour bridge reopens after repairs ¶2");
    expect(plain(here)).toContain("Island Times · 2 Mar 2026");

    const there = await ask(question, 1);
    expect(plain(there)).not.toContain("31 million euros");
    expect(plain(there)).not.toContain("Harbour bridge");
  });

  it("Ask about this answers from that article only", async () => {
    const post = h.fake.messagesIn(channel(0, "news"))[0];
    if (!post) throw new Error("test: no announcement");
    const [customId] = customIds(post as unknown as MessageBody);
    const user = h.newUser();
    const modal = await h.fake
      .sendButton({ customId: customId as string, message: post.id, user })
      .modal();
    // Discord's 45 characters, cut at a word.
    expect(modal.title).toBe("Ask about Harbour bridge reopens after…");
    // Answered from the bridge article: the modal's text is shown above the answer.
    const answer = await h.fake
      .sendModalSubmit({
        customId: modal.custom_id,
        values: { question: "Who gets a lane of their own?" },
        message: post.id,
        user,
      })
      .final();
    assertMessageWithinLimits(answer);
    expect(answer.content).toContain("Who gets a lane of their own?");
    expect(plain(answer)).toContain("Cyclists get a lane of their own");
    expect(plain(answer)).not.toContain("ferry");
  });

  it("after a restart the articles are served from the database, and nothing is fetched again", async () => {
    const before = {
      feed: requestsTo("/feed.xml"),
      bridge: requestsTo("/2026/03/bridge-reopens.html"),
      ferry: requestsTo("/2026/03/ferry-timetable.html"),
    };
    const posted = () =>
      sentBodies(h.fake).filter(
        ({ request }) => request.path === `/channels/${channel(0, "news")}/messages`,
      ).length;
    const postedBefore = posted();
    await h.restartBot({ services: await loadServices({ dataDir: path.join(dir, "articles") }) });
    // A new process: its library has the folder's article and, from the database, the feed's.
    expect(
      h.services.library
        .list(islanders()?.id)
        .map((a) => a.title)
        .sort(),
    ).toEqual([
      "Harbour bridge reopens after repairs",
      "Storm warning",
      "Winter ferry timetable announced",
    ]);
    expect(h.services.library.list(elsewhere()?.id).map((a) => a.title)).toEqual(["Storm warning"]);
    const answer = await ask("What did the bridge repairs cost?");
    expect(plain(answer)).toContain("31 million euros");

    // The next poll finds nothing new: the pages are not fetched again, nothing is announced.
    await nextPoll();
    expect(requestsTo("/feed.xml")).toBe(before.feed + 1);
    expect(requestsTo("/2026/03/bridge-reopens.html")).toBe(before.bridge);
    expect(requestsTo("/2026/03/ferry-timetable.html")).toBe(before.ferry);
    expect(posted()).toBe(postedBefore);
  });
});
