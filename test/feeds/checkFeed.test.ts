import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkFeed, discoverFeedLink, MAX_FEED_URL_CHARS } from "../../src/feeds/checkFeed.js";
import { createFetcher } from "../../src/ingest/safeFetch.js";
import {
  fixture,
  type LocalServer,
  redirectTo,
  serve,
  startLocalServer,
} from "../ingest/localServer.js";

const EMPTY_RSS = `<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet Desk</title></channel></rss>`;
const UNTITLED_RSS = `<?xml version="1.0"?><rss version="2.0"><channel>
  <item><title>One</title><link>https://quiet.example/1</link></item></channel></rss>`;
const PAGE_WITH_FEED = `<!DOCTYPE html><html><head><title>Herald</title>
  <link rel="alternate" type="application/rss+xml" href="/feed.xml" title="RSS"></head>
  <body><p>News.</p></body></html>`;

let server: LocalServer;
const fetch = createFetcher({ allowPrivate: true, timeoutMs: 300 });

beforeAll(async () => {
  server = await startLocalServer({
    "/feed.xml": serve("application/rss+xml", fixture("rss2.xml")),
    "/atom.xml": serve("application/atom+xml", fixture("atom.xml")),
    "/feed.json": serve("application/feed+json", fixture("feed.json")),
    "/moved": redirectTo("/atom.xml", 301),
    "/section": serve("text/html", fixture("section-index.html")),
    "/home": serve("text/html", PAGE_WITH_FEED),
    "/empty.xml": serve("application/rss+xml", EMPTY_RSS),
    "/untitled.xml": serve("application/rss+xml", UNTITLED_RSS),
    "/malformed.xml": serve("application/xml", fixture("malformed.xml")),
    "/slow": () => {
      // Never answers: the fetcher's timeout ends the check.
    },
    "/loop": redirectTo("/loop"),
  });
});

afterAll(() => server.close());

async function refused(url: string, fetcher = fetch) {
  const result = await checkFeed(url, fetcher);
  if (result.ok) throw new Error(`expected ${url} to be refused`);
  return result.error;
}

describe("checkFeed", () => {
  it("accepts an RSS feed: its title, its item count, the address normalized", async () => {
    const result = await checkFeed(`  ${server.url("/feed.xml?utm_source=x#top")} `, fetch);
    expect(result).toEqual({
      ok: true,
      value: {
        url: server.url("/feed.xml"),
        finalUrl: server.url("/feed.xml"),
        format: "rss2",
        title: "The Coastal Herald",
        items: 2,
      },
    });
  });

  it("accepts Atom and JSON Feed, and keeps the address given when the feed redirects", async () => {
    const atom = await checkFeed(server.url("/moved"), fetch);
    expect(atom).toMatchObject({
      ok: true,
      value: {
        url: server.url("/moved"),
        finalUrl: server.url("/atom.xml"),
        format: "atom",
        title: "Science Desk",
        items: 2,
      },
    });
    const json = await checkFeed(server.url("/feed.json"), fetch);
    expect(json).toMatchObject({ ok: true, value: { format: "jsonfeed" } });
  });

  it("a feed without a title is accepted without one", async () => {
    const result = await checkFeed(server.url("/untitled.xml"), fetch);
    expect(result.ok && result.value).toEqual({
      url: server.url("/untitled.xml"),
      finalUrl: server.url("/untitled.xml"),
      format: "rss2",
      items: 1,
    });
  });

  it("refuses what is not a web address, without fetching", async () => {
    const before = server.requests.length;
    expect((await refused("herald.example/feed")).code).toBe("badUrl");
    expect((await refused("ftp://herald.example/feed")).code).toBe("badUrl");
    const long = await refused(`https://herald.example/${"a".repeat(MAX_FEED_URL_CHARS)}`);
    expect(long.code).toBe("badUrl");
    expect(long.reason).toContain(`at most ${MAX_FEED_URL_CHARS}`);
    expect(server.requests.length).toBe(before);
  });

  it("refuses a web page, naming the feed the page links to when it does", async () => {
    const page = await refused(server.url("/home"));
    expect(page).toMatchObject({
      code: "notAFeed",
      reason: "is a web page, not a feed",
      feedLink: server.url("/feed.xml"),
    });
    expect(page.message).toBe(`feeds: ${server.url("/home")}: is a web page, not a feed`);
    const section = await refused(server.url("/section"));
    expect(section.code).toBe("notAFeed");
    expect(section.feedLink).toBeUndefined();
  });

  it("refuses a 404, a broken feed, an empty feed, a redirect loop and a slow site", async () => {
    const missing = await refused(server.url("/nowhere.xml"));
    expect(missing).toMatchObject({
      code: "httpStatus",
      reason: "the site answered 404 Not Found",
    });
    expect((await refused(server.url("/malformed.xml"))).code).toBe("malformed");
    const empty = await refused(server.url("/empty.xml"));
    expect(empty.code).toBe("empty");
    expect(empty.reason).toContain("no items");
    expect((await refused(server.url("/loop"))).code).toBe("redirectLoop");
    const slow = await refused(server.url("/slow"));
    expect(slow).toMatchObject({ code: "timeout", reason: "timed out after 0.3 s" });
  });

  it("refuses a private address when the fetcher does", async () => {
    const strict = createFetcher({ allowPrivate: false });
    const before = server.requests.length;
    const error = await refused(server.url("/feed.xml"), strict);
    expect(error.code).toBe("forbiddenAddress");
    expect(error.reason).toContain("127.0.0.1");
    expect(server.requests.length).toBe(before);
  });
});

describe("discoverFeedLink", () => {
  it("prefers RSS, then Atom, then JSON Feed, resolved against the page", () => {
    const html = `<html><head>
      <link rel="alternate" type="application/feed+json" href="https://x.example/feed.json">
      <link rel="alternate" type="application/atom+xml" href="atom.xml">
      <link rel="stylesheet" href="style.css">
      </head><body></body></html>`;
    expect(discoverFeedLink(html, "https://x.example/news/")).toBe(
      "https://x.example/news/atom.xml",
    );
    expect(discoverFeedLink("<html><body>no head</body></html>", "https://x.example/")).toBe(
      undefined,
    );
    const unsafe = `<html><head><link rel="alternate" type="application/rss+xml" href="javascript:alert(1)"></head></html>`;
    expect(discoverFeedLink(unsafe, "https://x.example/")).toBeUndefined();
  });
});
