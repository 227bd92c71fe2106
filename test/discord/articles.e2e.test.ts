/**
 * `/articles add|remove|list` end to end: the real bot on the fake Discord with two servers, a
 * pin database on a file (so a restart keeps what was stored), and a local HTTP server serving
 * news pages with their furniture (navigation, scripts, cookie banner, related links). A manager
 * adds a link, the server's members can ask about it at once, the other server never sees it,
 * and it is removed again; every refusal is one line, to the manager only, and in the log.
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { InteractionResponseType } from "discord.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { fetchedArticleId } from "../../src/feeds/itemArticle.js";
import { loadStoredArticles } from "../../src/feeds/startFeeds.js";
import { createFetcher } from "../../src/ingest/safeFetch.js";
import { loadWordNet } from "../../src/lexicon/wordnet.js";
import { Library } from "../../src/library/Library.js";
import { createLogger } from "../../src/log.js";
import type { Thesaurus } from "../../src/retrieval/thesaurus.js";
import { loadServices, type Services } from "../../src/services.js";
import { makeTempDir, removeTempDir, writeFiles } from "../corpus/tempDir.js";
import {
  fixture,
  type LocalServer,
  redirectTo,
  serve,
  startLocalServer,
} from "../ingest/localServer.js";
import type { FakeRole, OptionValue } from "../support/fakeDiscord.js";
import {
  answeredPrivately,
  embedText,
  type Harness,
  isEphemeral,
  sentBodies,
  startHarness,
} from "./botHarness.js";
import { assertMessageWithinLimits } from "./limitsAssert.js";

const HARBOUR_URL = "https://herald.example/news/2026/harbour-bridge-reopens";
const HARBOUR_TITLE = "Harbour Bridge Reopens After Two-Year Repair";
const COUNCIL_TITLE = "Council votes to keep the old library open";
const VEHICLES = "How many vehicles are expected to cross the Harbour Bridge every day?";
const NOT_MANAGER =
  "Only members with Manage Server can change this server's news sources; nothing was changed.";

let site: LocalServer;
let thesaurus: Thesaurus;

beforeAll(async () => {
  thesaurus = loadWordNet();
  site = await startLocalServer({
    "/news/harbour-bridge": serve("text/html; charset=utf-8", fixture("harbour-article.html")),
    "/amp/harbour-bridge": serve("text/html; charset=utf-8", fixture("harbour-article.html")),
    "/local/council": serve("text/html; charset=utf-8", fixture("council-vote.html")),
    "/ferry": serve("text/html; charset=utf-8", fixture("tag-soup.html")),
    "/news": serve("text/html; charset=utf-8", fixture("section-index.html")),
    "/feed.xml": serve("application/rss+xml", fixture("rss2.xml")),
    "/empty": serve("text/html", ""),
    "/loop": redirectTo("/loop"),
    "/slow": () => {
      // Never answers: the fetcher's timeout ends the wait.
    },
    "/huge": serve("text/html", `<html><body><p>${"word ".repeat(20_000)}</p></body></html>`),
  });
});

afterAll(async () => {
  await site?.close();
});

/** A harness of its own (services on a temp folder, a pin database file), two servers. */
async function startOwn(options: Parameters<typeof startHarness>[0] = {}) {
  const dir = await makeTempDir();
  const data = path.join(dir, "articles");
  await mkdir(data);
  await writeFiles(data, {
    // A folder article with the ferry page's address: the page is here already.
    "ferry.json": JSON.stringify({
      id: "ferry-strike",
      title: "Ferry strike over",
      url: site.url("/ferry"),
      source: "Island News",
      published: "2026-03-01",
      paragraphs: ["The ferry crews went back to work after a strike of three days."],
    }),
  });
  const services = await loadServices({ dataDir: data, thesaurus });
  const h = await startHarness({
    services,
    databasePath: path.join(dir, "newsdesk.sqlite"),
    guilds: [
      { name: "Home", channels: [{ name: "general" }] },
      { name: "Away", channels: [{ name: "general" }] },
    ],
    ...options,
  });
  return { h, dir, services };
}

/** Every message the bot sent fits Discord and pings nobody; no call the fake does not know. */
function checkSent(h: Harness): void {
  for (const { body } of sentBodies(h.fake)) {
    assertMessageWithinLimits(body);
    expect(body.allowed_mentions).toEqual({ parse: [] });
  }
  expect(h.fake.unhandledRequests.map((r) => `${r.method} ${r.path}`)).toEqual([]);
}

function guildOf(h: Harness, index: number) {
  const guild = h.fake.guilds[index];
  const channel = guild?.channels[0];
  if (!guild || !channel) throw new Error("test: no such guild");
  return { guildId: guild.id, channelId: channel.id };
}

/** A command as a new user of server `index` (0 Home, 1 Away), a manager unless told. */
function run(
  h: Harness,
  name: string,
  options: Record<string, OptionValue>,
  {
    index = 0,
    subcommand,
    role = "admin",
  }: { index?: number; subcommand?: string; role?: FakeRole },
) {
  return h.fake.sendSlashCommand({
    name,
    ...(subcommand === undefined ? {} : { subcommand }),
    options,
    role,
    user: h.newUser(),
    ...guildOf(h, index),
  });
}

const articles = (
  h: Harness,
  subcommand: string,
  options: Record<string, OptionValue> = {},
  who: { index?: number; role?: FakeRole } = {},
) => run(h, "articles", options, { ...who, subcommand });

async function choices(
  h: Harness,
  name: string,
  focused: { name: string; value: string },
  index: number,
  subcommand?: string,
) {
  const reply = await h.fake
    .sendAutocomplete({
      name,
      ...(subcommand === undefined ? {} : { subcommand }),
      focused,
      user: h.newUser(),
      ...guildOf(h, index),
    })
    .final();
  return (reply.choices ?? []).map((c) => c.value);
}

/** `/articles add` by a manager of Home: its final reply, once the bot has logged it. */
async function addLink(h: Harness, url: string, role: FakeRole = "admin") {
  const handle = articles(h, "add", { url }, { role });
  const reply = await handle.final();
  const line = await h.logs.eventLine(handle.id);
  return { handle, reply, outcome: line.outcome };
}

const storeOf = (h: Harness) => h.stores.feeds;

describe("/articles add, list and remove on the fake Discord", () => {
  let h: Harness;
  let dir: string;
  let services: Services;
  let home: string;
  let away: string;
  const harbourId = () => fetchedArticleId({ guildId: home }, HARBOUR_URL, "link");

  beforeAll(async () => {
    ({ h, dir, services } = await startOwn());
    home = guildOf(h, 0).guildId;
    away = guildOf(h, 1).guildId;
  });

  afterAll(async () => {
    try {
      checkSent(h);
    } finally {
      await h?.stop();
      if (dir) await removeTempDir(dir);
    }
  });

  it("refuses a member without Manage Server, before fetching anything", async () => {
    const fetched = site.requests.length;
    const { handle, reply, outcome } = await addLink(
      h,
      site.url("/news/harbour-bridge"),
      "moderator",
    );
    expect(reply.content).toBe(NOT_MANAGER);
    expect(await answeredPrivately(handle)).toBe(true);
    expect(outcome).toBe("forbidden");
    expect(site.requests.length).toBe(fetched);
    expect(await storeOf(h).listArticles()).toEqual([]);
  });

  it("adds a news page: stored, answered privately with title, source, date, paragraphs and id", async () => {
    const { handle, reply, outcome } = await addLink(h, site.url("/news/harbour-bridge"));
    // Deferred privately first: the page is fetched after the acknowledgement.
    expect(handle.responseType).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(await answeredPrivately(handle)).toBe(true);
    expect(outcome).toBe("ok");
    const [embed] = reply.embeds ?? [];
    expect(embed?.title).toBe(HARBOUR_TITLE);
    expect(embed?.url).toBe(HARBOUR_URL);
    expect(embed?.description).toContain("The Coastal Herald · 14 Mar 2026 · 9 paragraphs");
    expect(embed?.description).toContain(`\`${harbourId()}\``);
    expect(embed?.description).toContain(`/ask article: ${harbourId()}`);
    expect(embed?.footer?.text).toMatch(/^Added/);
    const stored = await storeOf(h).getArticle(harbourId());
    expect(stored).toMatchObject({
      scope: { guildId: home },
      origin: { kind: "link" },
      article: { title: HARBOUR_TITLE, url: HARBOUR_URL, source: "The Coastal Herald" },
    });
    expect(stored?.article.paragraphs.join("\n")).not.toMatch(/cookies|Advertisement|Related/);
  });

  it("answers from it in that server, citing its source and date", async () => {
    const reply = await run(h, "ask", { question: VEHICLES }, { role: "member" }).final();
    const text = embedText(reply.embeds);
    expect(text).toContain(HARBOUR_TITLE);
    expect(text).toContain("About 40,000");
    expect(text).toContain("The Coastal Herald · 14 Mar 2026");
    const list = await articles(h, "list", {}, { role: "member" }).final();
    expect(embedText(list.embeds)).toContain(
      `**${HARBOUR_TITLE}** — The Coastal Herald · 14 Mar 2026 · 9 paragraphs · \`${harbourId()}\``,
    );
    expect(embedText(list.embeds)).toContain("Ferry strike over");
  });

  it("shows the other server nothing of it: answers, list, summaries, autocomplete", async () => {
    const id = harbourId();
    const answer = await run(h, "ask", { question: VEHICLES }, { index: 1 }).final();
    expect(embedText(answer.embeds)).not.toContain(HARBOUR_TITLE);
    expect(embedText(answer.embeds)).not.toContain("40,000");
    const pinned = await run(h, "ask", { question: VEHICLES, article: id }, { index: 1 }).final();
    expect(embedText(pinned.embeds)).not.toContain("40,000");
    const list = await articles(h, "list", {}, { index: 1 }).final();
    expect(embedText(list.embeds)).not.toContain("Harbour");
    expect(embedText(list.embeds)).toContain("Ferry strike over");
    const summary = await run(h, "summary", { article: id }, { index: 1 }).final();
    expect(isEphemeral(summary)).toBe(true);
    expect(embedText(summary.embeds)).not.toContain("Harbour");
    const topic = await run(h, "summary", { topic: "harbour bridge repair" }, { index: 1 }).final();
    expect(embedText(topic.embeds)).not.toContain("Harbour Bridge Reopens");
    expect(await choices(h, "ask", { name: "article", value: "harbour" }, 1)).toEqual([]);
    expect(await choices(h, "articles", { name: "article", value: "" }, 1, "remove")).toEqual([]);
    // Removing it from there: unknown, as if it did not exist.
    const removed = await articles(h, "remove", { article: id }, { index: 1 }).final();
    expect(removed.content).toContain("This server has no article with the id");
    expect(await storeOf(h).getArticle(id)).toBeDefined();
  });

  it("offers only the server's own fetched articles for removal, filtered by what is typed", async () => {
    expect(await choices(h, "articles", { name: "article", value: "" }, 0, "remove")).toEqual([
      harbourId(),
    ]);
    expect(await choices(h, "articles", { name: "article", value: "bridge" }, 0, "remove")).toEqual(
      [harbourId()],
    );
    expect(await choices(h, "articles", { name: "article", value: "ferry" }, 0, "remove")).toEqual(
      [],
    );
  });

  it("updates the same page given again (another address, same canonical URL), adding nothing", async () => {
    const { reply, outcome } = await addLink(h, site.url("/amp/harbour-bridge"));
    expect(outcome).toBe("ok");
    expect(reply.embeds?.[0]?.footer?.text).toMatch(/^Updated/);
    expect(await storeOf(h).countArticles({ guildId: home })).toBe(1);
    expect(services.library.count(home)).toBe(2);
  });

  it("refuses, in one line each and in the log: a page here already, not an article, a feed, 404, an empty page, a redirect loop", async () => {
    const cases: [string, RegExp][] = [
      [
        "/ferry",
        /^Nothing was added: this page is here already as "Ferry strike over" \(`ferry-strike`\)/,
      ],
      ["/news", /^Nothing was added: extract: .*\/news: .*index page/],
      ["/feed.xml", /^Nothing was added: extract: .*is a feed or data .*application\/rss\+xml/],
      ["/gone", /^Nothing was added: fetch: .*\/gone: .*404/],
      ["/empty", /^Nothing was added: extract: .*\/empty: /],
      ["/loop", /^Nothing was added: fetch: .*\/loop: .*redirect/],
    ];
    for (const [where, expected] of cases) {
      const { handle, reply, outcome } = await addLink(h, site.url(where));
      expect(reply.content).toMatch(expected);
      expect(reply.content?.split("\n")).toHaveLength(1);
      expect(await answeredPrivately(handle)).toBe(true);
      expect(outcome).toBe("invalid");
      await h.logs.waitFor(
        (line) => line.msg === "articles: link not added" && line.url === site.url(where),
      );
    }
    expect(await storeOf(h).countArticles({ guildId: home })).toBe(1);
    expect(services.library.count(home)).toBe(2);
  });

  it("refuses to remove an article a pin cites, naming the pin, then removes it once unpinned", async () => {
    const id = harbourId();
    const pin = await run(
      h,
      "pins",
      { question: "How many cars cross the bridge?", article: id, paragraph: 2 },
      { subcommand: "add" },
    ).final();
    expect(embedText(pin.embeds)).toContain("40,000");
    const pinId = (await h.pins.listPins(home, { page: 1, pageSize: 10 })).items[0]?.id;
    expect(pinId).toBeDefined();

    const refused = await articles(h, "remove", { article: id }).final();
    expect(refused.content).toBe(
      `"${HARBOUR_TITLE}" is cited by pin #${pinId}: remove it with \`/pins remove\` first, then the article.`,
    );
    expect(await storeOf(h).getArticle(id)).toBeDefined();

    await run(h, "pins", { id: pinId as number }, { subcommand: "remove" }).final();
    const removeHandle = articles(h, "remove", { article: id });
    const removed = await removeHandle.final();
    expect(await answeredPrivately(removeHandle)).toBe(true);
    expect(removed.content).toBe(
      `Removed "${HARBOUR_TITLE}": it is no longer answerable in this server.`,
    );
    expect(await storeOf(h).getArticle(id)).toBeUndefined();
    const answer = await run(h, "ask", { question: VEHICLES }, { role: "member" }).final();
    expect(embedText(answer.embeds)).not.toContain(HARBOUR_TITLE);
  });

  it("refuses removing a folder article, and a non-manager's removal", async () => {
    const folder = await articles(h, "remove", { article: "ferry-strike" }).final();
    expect(folder.content).toBe(
      '"Ferry strike over" is from the articles folder, which whoever runs newsdesk looks after; it cannot be removed here.',
    );
    const member = await articles(
      h,
      "remove",
      { article: "ferry-strike" },
      { role: "member" },
    ).final();
    expect(member.content).toBe(NOT_MANAGER);
    expect(services.library.get("ferry-strike", home)).toBeDefined();
  });

  it("keeps what was added and forgets what was removed across a restart", async () => {
    const { outcome } = await addLink(h, site.url("/local/council"));
    expect(outcome).toBe("ok");
    await h.restartBot();
    const store = storeOf(h);
    expect((await store.listArticles()).map((a) => a.article.title)).toEqual([COUNCIL_TITLE]);
    // What start-up does: the stored articles into a fresh library, each with its scope.
    const library = new Library();
    const quiet = createLogger({ level: "error", destination: process.stderr });
    expect(await loadStoredArticles(store, library, quiet)).toBe(1);
    const councilId = fetchedArticleId(
      { guildId: home },
      "https://valley.example/local/council-library-vote",
      "link",
    );
    expect(library.get(councilId, home)?.title).toBe(COUNCIL_TITLE);
    expect(library.get(councilId, away)).toBeUndefined();
    expect(library.get(harbourId(), home)).toBeUndefined();
    // The restarted bot still offers it for removal, and the list shows it.
    expect(await choices(h, "articles", { name: "article", value: "" }, 0, "remove")).toEqual([
      councilId,
    ]);
    const list = await articles(h, "list", {}, { role: "member" }).final();
    expect(embedText(list.embeds)).toContain(COUNCIL_TITLE);
  });
});

describe("/articles add within limits and address rules", () => {
  const running: { h: Harness; dir: string }[] = [];

  afterEach(async () => {
    for (const { h, dir } of running.splice(0)) {
      try {
        checkSent(h);
      } finally {
        await h.stop();
        await removeTempDir(dir);
      }
    }
  });

  it("refuses a link past ARTICLES_PER_SERVER, and counts each server apart", async () => {
    const own = await startOwn({ feeds: { articlesPerServer: 1 } });
    running.push(own);
    const { h } = own;
    expect((await addLink(h, site.url("/news/harbour-bridge"))).outcome).toBe("ok");
    const { reply, outcome } = await addLink(h, site.url("/local/council"));
    expect(reply.content).toBe(
      "Nothing was added: this server has 1 article from feeds and links, the most allowed. Remove one with `/articles remove` first.",
    );
    expect(outcome).toBe("invalid");
    await h.logs.waitFor(
      (line) => line.msg === "articles: link not added" && line.code === "limit",
    );
    expect(own.services.library.list(guildOf(h, 0).guildId).map((a) => a.title)).not.toContain(
      COUNCIL_TITLE,
    );
    // The other server has its own allowance.
    const away = await articles(
      h,
      "add",
      { url: site.url("/local/council") },
      { index: 1 },
    ).final();
    expect(away.embeds?.[0]?.title).toBe(COUNCIL_TITLE);
  });

  it("refuses a private address with the fetcher the bot runs with", async () => {
    const own = await startOwn({ sources: { fetch: createFetcher({ allowPrivate: false }) } });
    running.push(own);
    const { h } = own;
    const fetched = site.requests.length;
    const { reply, outcome } = await addLink(h, site.url("/news/harbour-bridge"));
    expect(reply.content).toMatch(
      /^Nothing was added: fetch: http:\/\/127\.0\.0\.1:\d+\/news\/harbour-bridge: /,
    );
    expect(reply.content?.split("\n")).toHaveLength(1);
    expect(outcome).toBe("invalid");
    expect(site.requests.length).toBe(fetched);
    expect(await storeOf(h).listArticles()).toEqual([]);
  });

  it("refuses a page too slow or too big for the fetcher, in one line", async () => {
    const fetch = createFetcher({ allowPrivate: true, timeoutMs: 300, maxBytes: 50_000 });
    const own = await startOwn({ sources: { fetch } });
    running.push(own);
    const { h } = own;
    const slow = await addLink(h, site.url("/slow"));
    expect(slow.reply.content).toBe(
      `Nothing was added: fetch: ${site.url("/slow")}: timed out after 0.3 s`,
    );
    const huge = await addLink(h, site.url("/huge"));
    expect(huge.reply.content).toMatch(
      /^Nothing was added: fetch: .*\/huge: the page is more than/,
    );
    expect([slow.outcome, huge.outcome]).toEqual(["invalid", "invalid"]);
    expect(await storeOf(h).listArticles()).toEqual([]);
  });
});
