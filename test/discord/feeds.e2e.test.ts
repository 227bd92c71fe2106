/**
 * `/feeds add|list|remove` end to end: the real bot on the fake Discord, the real feed store on a
 * fresh in-memory database per test, and the feeds served by a local HTTP server. A member with
 * Manage Server follows a feed (checked over the network, stored, the poller woken), lists the
 * server's feeds and removes one chosen as they type; everyone else is refused; bad addresses,
 * web pages, missing and empty feeds, private addresses, duplicates and the per-server limit get
 * one private line and store nothing; a server never sees another's feeds.
 */

import { rm } from "node:fs/promises";
import path from "node:path";
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ChannelType,
  InteractionContextType,
  InteractionResponseType,
  PermissionFlagsBits,
} from "discord.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createFetcher } from "../../src/ingest/safeFetch.js";
import { fixture, type LocalServer, serve, startLocalServer } from "../ingest/localServer.js";
import { makeTempDir, removeTempDir } from "../pins/fixtures.js";
import type { InteractionHandle, MessageBody, OptionValue } from "../support/fakeDiscord.js";
import {
  answeredPrivately,
  type Harness,
  type HarnessOptions,
  isEphemeral,
  sentBodies,
  startHarness,
} from "./botHarness.js";
import {
  assertChoicesWithinLimits,
  assertMessageWithinLimits,
  assertNoLiveMentions,
} from "./limitsAssert.js";

const START = Date.parse("2025-03-20T12:00:00.000Z");
const NOT_MANAGER =
  "Only members with Manage Server can change this server's news sources; nothing was changed.";
const HOSTILE_TITLE = "@everyone <@123456789012345678> **Breaking** [click](https://evil.example)";
const PAGE_WITH_FEED = `<!DOCTYPE html><html><head><title>Herald</title>
  <link rel="alternate" type="application/rss+xml" href="/rss2.xml"></head>
  <body><p>News.</p></body></html>`;
const rss = (title: string, items: number) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>${title}</title>${Array.from(
    { length: items },
    (_, i) => `<item><title>Item ${i + 1}</title><link>https://news.example/${i + 1}</link></item>`,
  ).join("")}</channel></rss>`;

let server: LocalServer;

beforeAll(async () => {
  server = await startLocalServer({
    "/rss2.xml": serve("application/rss+xml", fixture("rss2.xml")),
    "/atom.xml": serve("application/atom+xml", fixture("atom.xml")),
    "/big.xml": serve("application/rss+xml", rss("Big Desk", 30)),
    "/hostile.xml": serve(
      "application/rss+xml",
      rss(HOSTILE_TITLE.replaceAll("&", "&amp;").replaceAll("<", "&lt;"), 1),
    ),
    "/empty.xml": serve("application/rss+xml", rss("Quiet Desk", 0)),
    "/home": serve("text/html", PAGE_WITH_FEED),
    "/article": serve("text/html", fixture("harbour-article.html")),
    "/slow.xml": () => {
      // Never answers: the fetcher's timeout ends the check.
    },
    "/late.xml": (_request, response) => {
      // Answers after a moment, so that two moderators' adds of it overlap.
      setTimeout(
        () =>
          response
            .writeHead(200, { "content-type": "application/rss+xml" })
            .end(rss("Late Desk", 1)),
        150,
      );
    },
  });
});

afterAll(() => server.close());

let h: Harness;
/** A test's database folder, when it uses a file. */
let tempDir: string | undefined;
let wakes = 0;
let clock = START;

/** Starts the harness of this test: two servers (the first with #general, #news and #locked). */
async function start(options: HarnessOptions = {}): Promise<Harness> {
  wakes = 0;
  clock = START;
  h = await startHarness({
    now: () => clock,
    guilds: [
      {
        name: "Newsroom",
        channels: [
          { name: "general" },
          { name: "news" },
          { name: "locked", botDenied: PermissionFlagsBits.SendMessages.toString() },
        ],
      },
      { name: "Elsewhere", channels: [{ name: "general" }] },
    ],
    ...options,
    sources: { wakePoller: () => wakes++, ...options.sources },
  });
  return h;
}

afterEach(async () => {
  if (!h) return;
  try {
    // Whatever a test did, every message the bot sent fits Discord and pings nobody, and it made
    // no call the fake does not know.
    for (const { body } of sentBodies(h.fake)) {
      assertMessageWithinLimits(body);
      expect(body.allowed_mentions).toEqual({ parse: [] });
    }
    expect(h.fake.unhandledRequests.map((r) => `${r.method} ${r.path}`)).toEqual([]);
  } finally {
    await h.stop();
    if (tempDir !== undefined) await removeTempDir(tempDir);
    tempDir = undefined;
  }
});

const channelNamed = (name: string) => {
  const channel = h.fake.guild.channels.find((c) => c.name === name);
  if (!channel) throw new Error(`test: no channel #${name}`);
  return channel.id;
};
function guildB() {
  const guild = h.fake.guilds[1];
  const channel = guild?.channels[0];
  if (!guild || !channel) throw new Error("test: the harness has no second guild");
  return { guildId: guild.id, channelId: channel.id };
}

/** `/feeds <subcommand>` by a new member with Manage Server (admin) unless told otherwise. */
function feeds(
  subcommand: string,
  options: Record<string, OptionValue> = {},
  who: { role?: "member" | "moderator" | "admin"; channelId?: string } = {},
): InteractionHandle {
  return h.fake.sendSlashCommand({
    name: "feeds",
    subcommand,
    options,
    role: who.role ?? "admin",
    user: h.newUser(),
    ...(who.channelId ? { channelId: who.channelId } : {}),
  });
}

/** The choices `/feeds remove feed:` offers for `typed`. */
async function complete(
  typed: string,
  who: { role?: "member" | "moderator" | "admin"; channelId?: string } = {},
) {
  const body = await h.fake
    .sendAutocomplete({
      name: "feeds",
      subcommand: "remove",
      focused: { name: "feed", value: typed },
      role: who.role ?? "admin",
      ...(who.channelId ? { channelId: who.channelId } : {}),
    })
    .final();
  const choices = (body.choices as { name: string; value: number }[] | undefined) ?? [];
  assertChoicesWithinLimits(choices);
  return choices;
}

const outcomeOf = async (handle: InteractionHandle) => (await h.logs.eventLine(handle.id)).outcome;
const store = () => h.stores.feeds;
const feedsOf = (guildId = h.fake.guild.id) => store().listFeeds({ guildId });
const lines = (body: MessageBody) => (body.embeds?.[0]?.description ?? "").split("\n");
const feedRequests = () => server.requests.length;

/** Adds a feed with /feeds add and resolves once the bot logged the outcome. */
async function addFeed(options: Record<string, OptionValue>, where?: { channelId?: string }) {
  const handle = feeds("add", options, where);
  const reply = await handle.final();
  await h.logs.eventLine(handle.id);
  return { handle, reply };
}

describe("/feeds add", () => {
  it("a Manage Server member follows a feed: checked, stored with its title, the poller woken, told what happens", async () => {
    await start();
    const news = channelNamed("news");
    const url = server.url("/rss2.xml");

    const { handle, reply } = await addFeed({ url: `${url}?utm_source=discord`, channel: news });

    expect(handle.responseType).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(await answeredPrivately(handle)).toBe(true);
    expect(reply.content).toBe(
      `Following **The Coastal Herald** (2 items now). Its articles become answerable here in the next few minutes, and new ones as the feed brings them. New ones will be posted in <#${news}>.`,
    );
    expect(await feedsOf()).toEqual([
      expect.objectContaining({
        id: 1,
        scope: { guildId: h.fake.guild.id },
        url,
        channelId: news,
        noticeChannelId: h.fake.channel.id,
        title: "The Coastal Herald",
        addedBy: expect.stringMatching(/^\d+$/),
        addedAt: START,
        nextPollAt: START,
        state: { failures: 0 },
      }),
    ]);
    expect(wakes).toBe(1);
    expect(await outcomeOf(handle)).toBe("ok");
    expect(h.logs.lines).toContainEqual(
      expect.objectContaining({ msg: "feed added", feedId: 1, feed: url, items: 2 }),
    );
  });

  it("without a channel, says that nothing is posted and how to change it; a big feed says how many are taken", async () => {
    await start({ feeds: { itemsPerPoll: 20 } });

    const { reply } = await addFeed({ url: server.url("/big.xml") });

    expect(reply.content).toBe(
      "Following **Big Desk** (30 items now). Its newest 20 articles become answerable here in the next few minutes, and new ones as the feed brings them. They are not posted in any channel: to have them posted, `/feeds remove` it and `/feeds add` it again with `channel:`.",
    );
    expect((await feedsOf())[0]?.channelId).toBeUndefined();
    expect(wakes).toBe(1);
  });

  it("a feed's title is shown as text: no mention, markdown or link forms", async () => {
    await start();

    const { reply } = await addFeed({ url: server.url("/hostile.xml") });

    expect(reply.content).toMatch(/^Following \*\*@\u200beveryone <\u200b@123456789012345678> /);
    expect(reply.content).toContain("\\*\\*Breaking\\*\\* \\[click\\]\\(https://evil.example\\)");
    assertNoLiveMentions([reply.content ?? ""]);
    expect((await feedsOf())[0]?.title).toBe(HOSTILE_TITLE);
  });

  it("a member without Manage Server is refused before anything is fetched or stored", async () => {
    await start();
    const before = feedRequests();

    for (const role of ["member", "moderator"] as const) {
      const handle = feeds("add", { url: server.url("/rss2.xml") }, { role });
      const reply = await handle.final();
      expect(reply.content).toBe(NOT_MANAGER);
      expect(isEphemeral(reply)).toBe(true);
      expect(await outcomeOf(handle)).toBe("forbidden");
    }
    const list = feeds("list", {}, { role: "moderator" });
    expect((await list.final()).content).toBe(NOT_MANAGER);

    expect(await feedsOf()).toEqual([]);
    expect(feedRequests()).toBe(before);
    expect(wakes).toBe(0);
  });

  it("refuses what is not a feed with one private line saying why and what to do; nothing stored", async () => {
    await start();
    const refusedWith = async (url: string) => {
      const { handle, reply } = await addFeed({ url });
      expect(await answeredPrivately(handle)).toBe(true);
      expect(await outcomeOf(handle)).toBe("invalid");
      expect(reply.content).not.toContain("\n");
      return reply.content;
    };

    expect(await refusedWith("herald.example/feed")).toBe(
      "Nothing was added: `herald.example/feed` — is not a web address \\(expected http:// or https://...\\). Give the feed's full address, starting with `https://`.",
    );
    expect(await refusedWith(server.url("/home"))).toBe(
      `Nothing was added: \`${server.url("/home")}\` — is a web page, not a feed. This page names its feed: run \`/feeds add\` with \`url:\` \`${server.url("/rss2.xml")}\``,
    );
    expect(await refusedWith(server.url("/article"))).toBe(
      `Nothing was added: \`${server.url("/article")}\` — is a web page, not a feed. Give the address of the feed itself (RSS, Atom or JSON Feed), often linked as RSS on the site.`,
    );
    expect(await refusedWith(server.url("/missing.xml"))).toBe(
      `Nothing was added: \`${server.url("/missing.xml")}\` — the site answered 404 Not Found. Check the address: give the feed's own (often ending in \`/feed\`, \`/rss\` or \`.xml\`, linked as RSS on the site).`,
    );
    expect(await refusedWith(server.url("/empty.xml"))).toBe(
      `Nothing was added: \`${server.url("/empty.xml")}\` — the feed lists no items, so there is nothing to take from it yet. Add it again once it lists articles.`,
    );

    expect(await feedsOf()).toEqual([]);
    expect(wakes).toBe(0);
    expect(h.logs.lines).toContainEqual(
      expect.objectContaining({
        msg: "feeds: feed refused",
        code: "httpStatus",
        reason: `feeds: ${server.url("/missing.xml")}: the site answered 404 Not Found`,
      }),
    );
  });

  it("refuses a private address when the fetcher does (ALLOW_PRIVATE_FETCH off)", async () => {
    await start({ sources: { fetch: createFetcher({ allowPrivate: false }) } });
    const before = feedRequests();

    const { handle, reply } = await addFeed({ url: server.url("/rss2.xml") });

    expect(reply.content).toBe(
      `Nothing was added: \`${server.url("/rss2.xml")}\` — is a loopback address \\(127.0.0.1\\). newsdesk reads public sites only; give a feed on the public web.`,
    );
    expect(await outcomeOf(handle)).toBe("invalid");
    expect(await feedsOf()).toEqual([]);
    expect(feedRequests()).toBe(before);
  });

  it("a site too slow to answer is refused once the fetcher gives up, and the bot serves others meanwhile", async () => {
    await start({ sources: { fetch: createFetcher({ allowPrivate: true, timeoutMs: 300 }) } });

    const slow = feeds("add", { url: server.url("/slow.xml") });
    // Another moderator's list is answered while the slow check waits.
    const list = await feeds("list").final();
    expect(list.embeds?.[0]?.title).toBe("Feeds this server follows");
    expect(slow.finalAt).toBeUndefined();
    const reply = await slow.final();

    expect(reply.content).toBe(
      `Nothing was added: \`${server.url("/slow.xml")}\` — timed out after 0.3 s. The site is too slow right now; try again later.`,
    );
    expect(await outcomeOf(slow)).toBe("invalid");
    expect(await feedsOf()).toEqual([]);
  });

  it("two moderators adding the same feed at once: one follows it, the other is told it is followed", async () => {
    await start();
    const url = server.url("/late.xml");

    const [first, second] = [feeds("add", { url }), feeds("add", { url })];
    const contents = [(await first.final()).content, (await second.final()).content].sort();

    expect(contents).toEqual([
      "Following **Late Desk** (1 item now). Its articles become answerable here in the next few minutes, and new ones as the feed brings them. They are not posted in any channel: to have them posted, `/feeds remove` it and `/feeds add` it again with `channel:`.",
      `This server follows \`${url}\` already; \`/feeds list\` shows it. Nothing was added.`,
    ]);
    // Both were checked (the feed read twice): the store, not the early check, refused one.
    expect(server.requests.filter((r) => r.path === "/late.xml")).toHaveLength(2);
    expect(await feedsOf()).toHaveLength(1);
    expect(wakes).toBe(1);
  });

  it("a database that cannot keep the feed: refused with the reason, nothing confirmed", async () => {
    tempDir = await makeTempDir();
    const file = path.join(tempDir, "var", "newsdesk.sqlite");
    await start({ databasePath: file });
    await rm(path.dirname(file), { recursive: true });

    const { handle, reply } = await addFeed({ url: server.url("/rss2.xml") });

    expect(reply.content).toMatch(
      /^Nothing was added: the database cannot keep it\. Tell whoever runs newsdesk: .*is not writable: it is gone/,
    );
    expect(await answeredPrivately(handle)).toBe(true);
    expect(await outcomeOf(handle)).toBe("invalid");
    expect(wakes).toBe(0);
    const confirmed = sentBodies(h.fake).filter(({ body }) =>
      (body.content ?? "").startsWith("Following"),
    );
    expect(confirmed).toEqual([]);
  });

  it("refuses a feed the server follows already, however it is written, without fetching it again", async () => {
    await start();
    await addFeed({ url: server.url("/rss2.xml") });
    const before = feedRequests();

    const { handle, reply } = await addFeed({ url: `${server.url("/rss2.xml")}#latest` });

    expect(reply.content).toBe(
      `This server follows \`${server.url("/rss2.xml")}\` already; \`/feeds list\` shows it. Nothing was added.`,
    );
    expect(await outcomeOf(handle)).toBe("invalid");
    expect(feedRequests()).toBe(before);
    expect(await feedsOf()).toHaveLength(1);
    expect(wakes).toBe(1);
  });

  it("refuses a feed past the server's limit (FEEDS_PER_SERVER); another server has its own", async () => {
    await start({ feeds: { perServer: 2 } });
    await addFeed({ url: server.url("/rss2.xml") });
    await addFeed({ url: server.url("/atom.xml") });
    const before = feedRequests();

    const { handle, reply } = await addFeed({ url: server.url("/big.xml") });

    expect(reply.content).toBe(
      "This server follows 2 feeds, the most allowed (FEEDS_PER_SERVER). Remove one with `/feeds remove` first; nothing was added.",
    );
    expect(await outcomeOf(handle)).toBe("invalid");
    expect(feedRequests()).toBe(before);
    expect((await feedsOf()).map((feed) => feed.title)).toEqual([
      "The Coastal Herald",
      "Science Desk",
    ]);

    const elsewhere = await addFeed(
      { url: server.url("/big.xml") },
      { channelId: guildB().channelId },
    );
    expect(elsewhere.reply.content).toMatch(/^Following \*\*Big Desk\*\*/);
  });

  it("refuses a channel the bot cannot post in, before fetching", async () => {
    await start();
    const locked = channelNamed("locked");
    const before = feedRequests();

    const { handle, reply } = await addFeed({ url: server.url("/rss2.xml"), channel: locked });

    expect(reply.content).toBe(
      `I cannot post articles in <#${locked}>: I lack Send Messages there. Give newsdesk's role that permission in that channel, or pick another; nothing was added.`,
    );
    expect(await outcomeOf(handle)).toBe("invalid");
    expect(await feedsOf()).toEqual([]);
    expect(feedRequests()).toBe(before);
  });
});

describe("/feeds list", () => {
  it("says how to add a feed when there is none", async () => {
    await start();

    const handle = feeds("list");
    const reply = await handle.final();

    expect(await answeredPrivately(handle)).toBe(true);
    expect(reply.embeds?.[0]?.description).toContain("This server follows no feed yet.");
    expect(reply.embeds?.[0]?.description).toContain("`/feeds add url:`");
    expect(reply.embeds?.[0]?.footer?.text).toBe("Page 1 of 1 · 0 of 20 feeds allowed");
    expect(reply.components ?? []).toEqual([]);
  });

  it("shows each feed linked, its channel and how it is doing", async () => {
    await start();
    const news = channelNamed("news");
    await addFeed({ url: server.url("/rss2.xml"), channel: news });
    await addFeed({ url: server.url("/atom.xml") });
    await addFeed({ url: server.url("/big.xml") });
    const [herald, science] = await feedsOf();
    if (!herald || !science) throw new Error("test: feeds not added");
    await store().recordPoll(herald.id, {
      nextPollAt: START + 600_000,
      state: { failures: 0 },
      succeededAt: START - 120_000,
    });
    await store().recordPoll(science.id, {
      nextPollAt: START + 600_000,
      state: {
        failures: 5,
        failingSince: START - 3_600_000,
        lastError: `fetch: ${server.url("/atom.xml")}: timed out after 15 s`,
      },
    });

    const reply = await feeds("list").final();

    const seconds = (ms: number) => Math.floor(ms / 1000);
    expect(reply.embeds?.[0]?.title).toBe("Feeds this server follows");
    expect(lines(reply)).toEqual([
      `**#1** [The Coastal Herald](${server.url("/rss2.xml")}) · posted in <#${news}> · ✅ read <t:${seconds(START - 120_000)}:R>`,
      `**#2** [Science Desk](${server.url("/atom.xml")}) · not posted · ⚠️ failing since <t:${seconds(START - 3_600_000)}:R>: fetch: ${server.url("/atom.xml")}: timed out after 15 s`,
      `**#3** [Big Desk](${server.url("/big.xml")}) · not posted · ⏳ not read yet`,
    ]);
    expect(reply.embeds?.[0]?.footer?.text).toBe("Page 1 of 1 · 3 of 20 feeds allowed");
  });

  it("pages ten feeds at a time", async () => {
    await start();
    for (let i = 1; i <= 12; i++) {
      await store().addFeed(
        {
          scope: { guildId: h.fake.guild.id },
          url: `https://news.example/feed/${i}`,
          title: `Desk ${i}`,
          addedBy: "111111111111111111",
          addedAt: START,
        },
        20,
      );
    }

    const handle = feeds("list");
    const first = await handle.final();
    expect(lines(first)).toHaveLength(10);
    expect(first.embeds?.[0]?.footer?.text).toBe("Page 1 of 2 · 12 of 20 feeds allowed");
    const list = handle.message();
    if (!list) throw new Error("test: /feeds list left no message");

    const next = h.fake.sendButton({ customId: "feeds:list:2", message: list.id, role: "admin" });
    const second = await next.final();
    expect(lines(second).map((line) => /^\*\*#(\d+)\*\*/.exec(line)?.[1])).toEqual(["11", "12"]);
    expect(await outcomeOf(next)).toBe("ok");

    const refused = h.fake.sendButton({
      customId: "feeds:list:1",
      message: list.id,
      role: "moderator",
    });
    expect((await refused.final()).content).toBe(NOT_MANAGER);
    expect(await outcomeOf(refused)).toBe("forbidden");
  });
});

describe("/feeds remove", () => {
  it("completes the feed as typed, then removes it; its articles stay until retention", async () => {
    await start();
    await addFeed({ url: server.url("/rss2.xml") });
    await addFeed({ url: server.url("/atom.xml") });

    expect(await complete("")).toEqual([
      { name: `#1 · The Coastal Herald · ${server.url("/rss2.xml")}`, value: 1 },
      { name: `#2 · Science Desk · ${server.url("/atom.xml")}`, value: 2 },
    ]);
    expect((await complete("science")).map((c) => c.value)).toEqual([2]);
    expect((await complete("RSS2")).map((c) => c.value)).toEqual([1]);
    expect((await complete("#2")).map((c) => c.value)).toEqual([2]);
    expect(await complete("nothing like it")).toEqual([]);
    // Someone who cannot manage feeds is shown none.
    expect(await complete("", { role: "moderator" })).toEqual([]);

    const handle = feeds("remove", { feed: 2 });
    const reply = await handle.final();

    expect(await answeredPrivately(handle)).toBe(true);
    expect(reply.content).toBe(
      "Stopped following **Science Desk** (#2): it is no longer read or posted. The articles already taken from it stay answerable for up to 365 days (FEED_RETENTION_DAYS), or until removed with `/articles remove`.",
    );
    expect((await feedsOf()).map((feed) => feed.id)).toEqual([1]);
    expect(await outcomeOf(handle)).toBe("ok");
    expect(h.logs.lines).toContainEqual(
      expect.objectContaining({ msg: "feed removed", feedId: 2 }),
    );

    const again = feeds("remove", { feed: 2 });
    expect((await again.final()).content).toBe(
      "This server follows no feed #2; `/feeds list` shows them.",
    );
    expect(await outcomeOf(again)).toBe("invalid");
  });

  it("cuts the choices to 25, each name within 100 characters", async () => {
    await start({ feeds: { perServer: 30 } });
    for (let i = 1; i <= 27; i++) {
      await store().addFeed(
        {
          scope: { guildId: h.fake.guild.id },
          url: `https://news.example/${"long-path/".repeat(12)}${i}`,
          title: `A very long feed title that goes on and on, number ${i}`,
          addedBy: "111111111111111111",
          addedAt: START,
        },
        30,
      );
    }

    const choices = await complete("");

    expect(choices).toHaveLength(25);
    expect(choices[0]?.name).toMatch(/^#1 · A very long feed title/);
    expect(choices[0]?.name.endsWith("…")).toBe(true);
  });

  it("offers no choices, in time, while the database does not answer", async () => {
    await start();
    await addFeed({ url: server.url("/rss2.xml") });
    // A unit of work that holds the database until the test lets go: a stalled server.
    let release = () => {};
    const held = h.stores.database.read(() => new Promise<void>((resolve) => (release = resolve)));
    try {
      expect(await complete("")).toEqual([]);
      expect(h.logs.lines).toContainEqual(
        expect.objectContaining({ msg: "feed choices unavailable" }),
      );
    } finally {
      release();
      await held;
    }
    expect(await complete("")).toHaveLength(1);
  });

  it("a member without Manage Server cannot remove a feed", async () => {
    await start();
    await addFeed({ url: server.url("/rss2.xml") });

    const handle = feeds("remove", { feed: 1 }, { role: "moderator" });
    expect((await handle.final()).content).toBe(NOT_MANAGER);
    expect(await outcomeOf(handle)).toBe("forbidden");
    expect(await feedsOf()).toHaveLength(1);
  });
});

describe("one server's feeds are its own", () => {
  it("another server does not see them in its list, its choices or a removal", async () => {
    await start();
    await addFeed({ url: server.url("/rss2.xml") });
    const other = guildB();

    const list = await feeds("list", {}, { channelId: other.channelId }).final();
    expect(list.embeds?.[0]?.description).toContain("This server follows no feed yet.");
    expect(await complete("", { channelId: other.channelId })).toEqual([]);

    const handle = feeds("remove", { feed: 1 }, { channelId: other.channelId });
    expect((await handle.final()).content).toBe(
      "This server follows no feed #1; `/feeds list` shows them.",
    );
    expect(await outcomeOf(handle)).toBe("invalid");
    expect((await feedsOf()).map((feed) => feed.id)).toEqual([1]);

    // It may follow the same feed itself, and each server then sees its own.
    await addFeed({ url: server.url("/rss2.xml") }, { channelId: other.channelId });
    expect((await feedsOf(other.guildId)).map((feed) => feed.id)).toEqual([2]);
    expect((await complete("", { channelId: other.channelId })).map((c) => c.value)).toEqual([2]);
    expect((await complete("")).map((c) => c.value)).toEqual([1]);
  });
});

describe("registration", () => {
  it("registers /feeds with add, list and remove, for Manage Server by default, in servers only", async () => {
    await start();
    const command = h.fake.registeredCommands(h.fake.guild.id).find((c) => c.name === "feeds");

    expect(command).toMatchObject({
      type: ApplicationCommandType.ChatInput,
      default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
      contexts: [InteractionContextType.Guild],
    });
    expect(command?.options).toEqual([
      expect.objectContaining({
        type: ApplicationCommandOptionType.Subcommand,
        name: "add",
        options: [
          expect.objectContaining({
            name: "url",
            type: ApplicationCommandOptionType.String,
            required: true,
            max_length: 512,
          }),
          expect.objectContaining({
            name: "channel",
            type: ApplicationCommandOptionType.Channel,
            required: false,
            channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement],
          }),
        ],
      }),
      expect.objectContaining({
        type: ApplicationCommandOptionType.Subcommand,
        name: "list",
      }),
      expect.objectContaining({
        type: ApplicationCommandOptionType.Subcommand,
        name: "remove",
        options: [
          expect.objectContaining({
            name: "feed",
            type: ApplicationCommandOptionType.Integer,
            required: true,
            min_value: 1,
            autocomplete: true,
          }),
        ],
      }),
    ]);
  });
});
