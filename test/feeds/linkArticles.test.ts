/**
 * A server's articles from links, below the Discord command: a real SQLite store in a temporary
 * folder, a real library, and pages from a local HTTP server.
 */
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FeedStore } from "../../src/feeds/FeedStore.js";
import { fetchedArticleId } from "../../src/feeds/itemArticle.js";
import {
  addLink,
  type LinkArticlesDeps,
  removeServerArticle,
} from "../../src/feeds/linkArticles.js";
import { createFetcher } from "../../src/ingest/safeFetch.js";
import { Library } from "../../src/library/Library.js";
import { createLogger } from "../../src/log.js";
import { SqlPinStore } from "../../src/pins/SqlPinStore.js";
import type { Database } from "../../src/store/database.js";
import { openSqlite } from "../../src/store/sqlite/SqliteDatabase.js";
import { type LocalServer, startLocalServer } from "../ingest/localServer.js";
import { CITATION, GUILD, makeTempDir, OTHER_GUILD, removeTempDir } from "../pins/fixtures.js";

/** The story's text; a test changes it to see a link given again take the fresh text. */
let story = "The night train to the coast runs again from Friday, after a year of track repairs.";

function page(): string {
  const body = `${story} `.repeat(4);
  return `<html><head><title>Night train returns - Rail Weekly</title>
    <meta property="og:site_name" content="Rail Weekly">
    <meta property="article:published_time" content="2026-05-02T09:00:00Z"></head>
    <body><nav><a href="/">Home</a></nav><article><h1>Night train returns</h1>
    <p>${body}</p><p>Tickets go on sale on Monday at the stations and online.</p></article></body></html>`;
}

let site: LocalServer;
let dir: string;
let db: Database;
let pins: SqlPinStore;
let store: FeedStore;
let library: Library;
let deps: LinkArticlesDeps;

beforeAll(async () => {
  site = await startLocalServer({
    "/night-train": (_request, response) =>
      response.writeHead(200, { "content-type": "text/html" }).end(page()),
  });
});

afterAll(async () => {
  await site?.close();
});

beforeEach(async () => {
  dir = await makeTempDir();
  db = await openSqlite(path.join(dir, "newsdesk.sqlite"));
  pins = new SqlPinStore(db, createLogger({ level: "error" }));
  store = new FeedStore(db);
  library = new Library();
  deps = {
    fetch: createFetcher({ allowPrivate: true }),
    store,
    library,
    articlesPerServer: 10,
    now: () => Date.UTC(2026, 4, 2),
  };
});

afterEach(async () => {
  await db.close();
  await removeTempDir(dir);
});

describe("addLink", () => {
  it("stores the page's article for the server, then serves it there only; given again, its fresh text", async () => {
    const url = site.url("/night-train");
    const added = await addLink(deps, GUILD, url);
    expect(added).toMatchObject({ ok: true, status: "added" });
    if (!added.ok) return;
    expect(added.article).toMatchObject({
      id: fetchedArticleId({ guildId: GUILD }, url, "link"),
      // Without the site name its <title> adds.
      title: "Night train returns",
      url,
      source: "Rail Weekly",
      published: "2026-05-02T09:00:00Z",
    });
    expect(added.article.id).toMatch(/^link-[0-9a-f]{16}$/);
    expect((await store.getArticle(added.article.id))?.scope).toEqual({ guildId: GUILD });
    expect(library.get(added.article.id, GUILD)).toBeDefined();
    expect(library.get(added.article.id, OTHER_GUILD)).toBeUndefined();

    story = "The night train to the coast is delayed until June, the operator said on Tuesday.";
    const again = await addLink(deps, GUILD, url);
    expect(again).toMatchObject({ ok: true, status: "updated", article: { id: added.article.id } });
    expect(library.get(added.article.id, GUILD)?.paragraphs[0]).toContain("delayed until June");
    expect((await store.getArticle(added.article.id))?.article.paragraphs[0]).toContain("June");
    expect(library.size).toBe(1);

    // Another server may add the same page: its own copy, its own id.
    const elsewhere = await addLink(deps, OTHER_GUILD, url);
    expect(elsewhere.ok && elsewhere.article.id).not.toBe(added.article.id);
  });

  it("refuses a page the server has from a feed already, naming that article", async () => {
    const url = site.url("/night-train");
    library.add(
      { id: "feed-0123456789abcdef", title: "Night train (feed)", url, paragraphs: ["Text."] },
      { guildId: GUILD },
    );
    const refused = await addLink(deps, GUILD, url);
    expect(refused).toMatchObject({
      ok: false,
      code: "duplicate",
      existing: { id: "feed-0123456789abcdef" },
    });
    expect(await store.listArticles()).toEqual([]);
  });

  it("returns the fetcher's one line for a page it cannot read, storing nothing", async () => {
    const refused = await addLink(deps, GUILD, "not a url");
    expect(refused).toMatchObject({ ok: false, code: "unreadable" });
    if (!refused.ok) expect(refused.reason).toMatch(/^fetch: not a url: /);
    expect(await store.listArticles()).toEqual([]);
  });
});

describe("removeServerArticle", () => {
  it("removes the server's own, and says unknown for another server's and folder for the folder's", async () => {
    const added = await addLink(deps, GUILD, site.url("/night-train"));
    if (!added.ok) throw new Error("test: the page was not added");
    library.add({ id: "folder-one", title: "Folder one", paragraphs: ["Text."] });

    expect(await removeServerArticle(deps, pins, OTHER_GUILD, added.article.id)).toEqual({
      ok: false,
      code: "unknown",
    });
    expect(await removeServerArticle(deps, pins, GUILD, "folder-one")).toMatchObject({
      ok: false,
      code: "folder",
    });
    expect(await removeServerArticle(deps, pins, GUILD, "no-such")).toEqual({
      ok: false,
      code: "unknown",
    });
    expect(
      await removeServerArticle(deps, pins, GUILD, added.article.id.toUpperCase()),
    ).toMatchObject({
      ok: true,
      article: { id: added.article.id },
    });
    expect(await store.getArticle(added.article.id)).toBeUndefined();
    expect(library.entry(added.article.id)).toBeUndefined();
    expect(library.get("folder-one", GUILD)).toBeDefined();
  });

  it("keeps an article a pin cites, naming the server's pins that cite it", async () => {
    const added = await addLink(deps, GUILD, site.url("/night-train"));
    if (!added.ok) throw new Error("test: the page was not added");
    const citation = { ...CITATION, articleId: added.article.id, title: added.article.title };
    const pin = (question: string, cited: boolean) =>
      pins.addPin({
        guildId: GUILD,
        channelId: "300000000000000003",
        question,
        citations: cited ? [citation] : [{ ...citation, articleId: "other" }],
        pinnedBy: "400000000000000004",
        pinnedAt: 0,
      });
    const first = await pin("When does the night train run?", true);
    await pin("Something else?", false);
    const third = await pin("Where are the tickets sold?", true);
    expect(await removeServerArticle(deps, pins, GUILD, added.article.id)).toMatchObject({
      ok: false,
      code: "pinned",
      pins: [first.id, third.id],
    });
    expect(await store.getArticle(added.article.id)).toBeDefined();
    expect(library.entry(added.article.id)).toBeDefined();
  });
});
