/**
 * Two hosts on one PostgreSQL database, as the README's "Two hosts" runs them: `npm start` (the
 * build) twice, with SHARD_LIST 0 and 1 of SHARD_TOTAL 2 and the same DATABASE_URL, against one
 * fake Discord whose two servers sit on those two shards, and a local news site. Feed polling is
 * elected: the first host polls; killed in the middle of a poll, the other host takes polling
 * over and fetches what the first did not, each item once. A pin made through the first host
 * leads the answer given by the host that takes its shard over. The first host has an articles
 * folder of its own: a file written there is answered by the second host, and stays answerable
 * after the first is gone.
 */
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { type Handler, type LocalServer, startLocalServer } from "./ingest/localServer.js";
import { type FakeGuild, startTwoShardFake } from "./support/fakeDiscord.js";
import { startPostgres } from "./support/postgres.js";
import { botEnv, harness, type Run, STEP_MS, TOKEN } from "./support/processHarness.js";

const SEED_ID = "kremlin-putin-message-trump-ceasefire";
const CEASEFIRE = "How long would the ceasefire last?";

/** The local site's articles, by route. */
const PAGES: Record<string, { title: string; paragraphs: readonly string[] }> = {
  "/lifeboat.html": {
    title: "Lifeboat station gets a new boat",
    paragraphs: [
      "The lifeboat station at Kilmory took delivery of a new all-weather boat on Tuesday, after a crossing of two days from the builder's yard on the mainland.",
      "The boat is named Spirit of Arran and cost 2.4 million pounds, raised over six years by the islanders with concerts, raffles and a sponsored swim around the harbour.",
      "Its crew of eight volunteers will train on it for a month before it replaces the old boat, which served the station for twenty-five years and saved more than three hundred lives.",
    ],
  },
  "/bridge.html": {
    title: "Harbour bridge reopens after repairs",
    paragraphs: [
      "The harbour bridge reopened to traffic on Monday after eighteen months of repairs to its rusted steel cables, which had forced lorries onto a long detour.",
      "Engineers replaced all forty-two cables and repainted the towers in the original green, at a cost of 31 million euros shared by the region and the state.",
      "Cyclists get a lane of their own on the eastern side, separated from cars by a low concrete wall, and the speed limit on the bridge falls to forty kilometres an hour.",
    ],
  },
  "/ferry.html": {
    title: "Winter ferry timetable announced",
    paragraphs: [
      "The island ferry company published its winter timetable on Sunday, with two crossings a day instead of five from the first of November.",
      "The company blamed the cut on the cost of fuel and on a crew shortage that has lasted since the spring, and said it hoped to add a crossing in March.",
      "Islanders said the change would make it hard to reach the hospital on the mainland for early appointments, and the council asked for a morning boat on weekdays.",
    ],
  },
};

function page(route: string): string {
  const article = PAGES[route];
  if (!article) throw new Error(`test: no page ${route}`);
  return `<!DOCTYPE html><html><head><title>${article.title} | Island Times</title>
    <meta property="og:site_name" content="Island Times"></head>
    <body><nav><a href="/">Home</a> <a href="/sport">Sport</a></nav>
    <article><h1>${article.title}</h1>
    ${article.paragraphs.map((text) => `<p>${text}</p>`).join("\n")}
    </article><footer>© Island Times</footer></body></html>`;
}

/** Serves `body` as `type`. */
const serve =
  (type: string, body: (server: LocalServer) => string): Handler =>
  (_request, response, server) =>
    response.writeHead(200, { "content-type": type }).end(body(server));

function rss(server: LocalServer, routes: readonly string[]): string {
  const items = routes
    .map(
      (route) => `<item><guid>${route}</guid><title>${PAGES[route]?.title}</title>
        <link>${server.url(route)}</link><description>Teaser.</description></item>`,
    )
    .join("");
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Island Times</title>
    <link>${server.url("/")}</link><description>d</description>${items}</channel></rss>`;
}

const isLeader = (r: Record<string, unknown>) => /^feeds: this process polls/.test(String(r.msg));

describe("two hosts on one PostgreSQL database", () => {
  it("elect one feed poller, move polling to the other when it dies (each item fetched once), and share pins", async ({
    onTestFinished,
  }) => {
    const postgres = await startPostgres();
    onTestFinished(() => postgres.close());
    // The second feed is checked when it is added (its first request); the poll that follows
    // (its second) is held until the host polling it has been killed.
    let slowRequests = 0;
    let releaseSlow: () => void = () => undefined;
    const slowHeld = new Promise<void>((resolve) => {
      releaseSlow = resolve;
    });
    let slowAsked: () => void = () => undefined;
    const slowPolled = new Promise<void>((resolve) => {
      slowAsked = resolve;
    });
    const slowFeed = serve("application/rss+xml", (site) =>
      rss(site, ["/bridge.html", "/ferry.html"]),
    );
    const server = await startLocalServer({
      "/feed.xml": serve("application/rss+xml", (site) => rss(site, ["/lifeboat.html"])),
      "/slow.xml": (request, response, site) => {
        slowRequests++;
        if (slowRequests !== 2) return slowFeed(request, response, site);
        slowAsked();
        const send = () => slowFeed(request, response, site);
        void slowHeld.then(send, send);
      },
      ...Object.fromEntries(
        Object.keys(PAGES).map((route) => [route, serve("text/html", () => page(route))]),
      ),
    });
    onTestFinished(() => {
      releaseSlow();
      return server.close();
    });
    const { run, tempDir } = harness(onTestFinished);
    const { fake, zero, one } = await startTwoShardFake({ token: TOKEN });
    onTestFinished(() => fake.stop());
    const feedsFile = path.join(
      tempDir({ "feeds.txt": `${server.url("/feed.xml")}\n` }),
      "feeds.txt",
    );
    const host = (shards: string, env: Record<string, string> = {}): Run => {
      const dir = tempDir();
      return run(
        "src/index.ts",
        botEnv(fake, dir, {
          DATABASE_URL: postgres.url,
          SHARD_TOTAL: "2",
          SHARD_LIST: shards,
          FEEDS_FILE: feedsFile,
          ALLOW_PRIVATE_FETCH: "true",
          INDEX_SNAPSHOT_PATH: "off",
          ...env,
        }),
        dir,
      );
    };
    // Host A's own articles folder: the bundled article (the others have it from data/).
    const folderA = path.join(tempDir(), "articles");
    mkdirSync(folderA);
    copyFileSync(
      path.join("data", "articles", `${SEED_ID}.txt`),
      path.join(folderA, `${SEED_ID}.txt`),
    );
    const ask = (guild: FakeGuild, question: string) =>
      fake
        .sendSlashCommand({
          name: "ask",
          options: { question },
          guildId: guild.id,
          channelId: guild.channels[0]?.id,
          user: fake.resolveUser({ username: `reader-${Math.random().toString(36).slice(2)}` }),
        })
        .final(STEP_MS);

    // Host A starts first and is elected; it polls the operator's feed.
    const a = host("0", { DATA_DIR: folderA });
    await a.waitForRecord((r) => r.msg === "ready");
    await a.waitForRecord(isLeader);
    await a.waitForRecord((r) => r.msg === "feeds: article added");
    const b = host("1");
    await b.waitForRecord((r) => r.msg === "ready");
    expect(b.records().some(isLeader)).toBe(false);
    // B's folder (data/) holds the article A's folder shared already: nothing written again.
    expect(
      await b.waitForRecord((r) => r.msg === "articles folder: shared with the other hosts"),
    ).toMatchObject({ shared: 0, unchanged: 1, withdrawn: 0 });
    // B has the article A fetched, from the shared store: answered in B's server.
    expect(JSON.stringify((await ask(one, "What is the new lifeboat named?")).embeds)).toContain(
      "Spirit of Arran",
    );

    // A file written to A's folder: shared through the database, answered in B's server.
    const writtenAt = Date.now();
    const since = (r: Record<string, unknown>) => Date.parse(String(r.time)) >= writtenAt;
    writeFileSync(
      path.join(folderA, "school.txt"),
      "Island school gets a new roof\n\nThe primary school on the island reopened on Monday under a new slate roof, paid for by a village raffle that raised 80,000 pounds.",
    );
    const shared = await a.waitForRecord(
      (r) => since(r) && r.msg === "articles folder: shared with the other hosts",
    );
    expect(shared).toMatchObject({ shared: 1, withdrawn: 0 });
    const heard = await b.waitForRecord(
      (r) => since(r) && r.msg === "feeds: articles changed by another process applied",
    );
    expect(heard).toMatchObject({ added: 1, replaced: 0, removed: 0 });
    // From A's commit to B's index, and from the file's write (A's watch waits 300 ms of quiet).
    const propagationMs = Date.parse(String(heard.time)) - Date.parse(String(shared.time));
    const fileToAnswerableMs = Date.parse(String(heard.time)) - writtenAt;
    expect(
      JSON.stringify((await ask(one, "How was the school's new roof paid for?")).embeds),
    ).toContain("village raffle");

    // A pin made through host A, in A's server.
    const pinned = await fake
      .sendSlashCommand({
        name: "pins",
        subcommand: "add",
        options: { question: CEASEFIRE, article: SEED_ID, paragraph: 4 },
        guildId: zero.id,
        channelId: zero.channels[0]?.id,
        role: "moderator",
      })
      .final(STEP_MS);
    expect(JSON.stringify(pinned)).toContain("Pinned");

    // A feed added in B's server (checked by B) is due at once: host A, the poller, starts on
    // it and is killed with the request in flight.
    const followed = await fake
      .sendSlashCommand({
        name: "feeds",
        subcommand: "add",
        options: { url: server.url("/slow.xml") },
        guildId: one.id,
        channelId: one.channels[0]?.id,
        role: "admin",
      })
      .final(STEP_MS);
    expect(JSON.stringify(followed)).toContain("Following **Island Times**");
    await slowPolled;
    const killedAt = Date.now();
    a.child.kill("SIGKILL");
    await a.exited(STEP_MS);
    releaseSlow();

    // Host B is elected within its lock interval, polls the feed A left unrecorded, and takes
    // each item once.
    const elected = await b.waitForRecord(isLeader);
    const failoverMs = Date.parse(String(elected.time)) - killedAt;
    expect(failoverMs).toBeLessThan(10_000);
    await b.waitForRecord(
      (r) => r.msg === "feeds: article added" && r.title === PAGES["/ferry.html"]?.title,
    );
    for (const route of ["/lifeboat.html", "/bridge.html", "/ferry.html"]) {
      expect(server.requests.filter((q) => q.path === route)).toHaveLength(1);
    }
    expect(
      JSON.stringify((await ask(one, "How many crossings a day in winter?")).embeds),
    ).toContain("instead of five");

    // Host C takes over A's shard: the pin made through A leads its answer.
    const c = host("0");
    await c.waitForRecord((r) => r.msg === "ready");
    const led = await ask(zero, CEASEFIRE);
    expect(JSON.stringify(led.embeds)).toContain("📌");
    // A's folder article outlives A: the database holds it for every host.
    expect(JSON.stringify((await ask(zero, "Who paid for the school roof?")).embeds)).toContain(
      "village raffle",
    );
    expect(c.records().some(isLeader)).toBe(false);

    // B stops and lets go of the lock: C is elected.
    b.child.kill("SIGTERM");
    expect(await b.exited(20_000)).toBe(0);
    const stoppedAt = Date.now();
    const handedOver = await c.waitForRecord(isLeader);
    const handoverMs = Date.parse(String(handedOver.time)) - stoppedAt;
    c.child.kill("SIGTERM");
    expect(await c.exited(20_000)).toBe(0);
    for (const bot of [b, c]) expect(bot.stderr()).toBe("");
    // Within the bounds the README states (killed: the lock interval, 2 s, and a margin for a
    // loaded machine; stopped: the same); `npx tsx src/eval/leadFailover.ts` measures them.
    expect(handoverMs).toBeLessThan(10_000);
    // What the closing note quotes; hostsBench measures the same on a quiet pair of pools.
    console.log(
      JSON.stringify({
        folderPropagationMs: propagationMs,
        fileToAnswerableMs,
        failoverMs,
        handoverMs,
      }),
    );
  }, 180_000);
});
