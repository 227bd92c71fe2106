import { describe, expect, it } from "vitest";
import type { FeedError } from "../../src/ingest/errors.js";
import { type Feed, parseFeed } from "../../src/ingest/parseFeed.js";
import { fixture } from "./localServer.js";

const FEED_URL = "https://feeds.example/feed";

function parsed(text: string): Feed {
  const result = parseFeed(text, FEED_URL);
  if (!result.ok) throw new Error(`expected a feed, got ${result.error.message}`);
  return result.value;
}

function refused(text: string): FeedError {
  const result = parseFeed(text, FEED_URL);
  if (result.ok) throw new Error(`expected a failure, got a ${result.value.format} feed`);
  return result.error;
}

describe("parseFeed", () => {
  it("reads RSS 2.0: guid, link, title, date, content:encoded before the description, as text", () => {
    const feed = parsed(fixture("rss2.xml"));
    expect(feed).toMatchObject({
      format: "rss2",
      title: "The Coastal Herald",
      link: "https://herald.example/",
    });
    expect(feed.items).toEqual([
      {
        guid: "herald-20260314-001",
        link: "https://herald.example/news/2026/harbour-bridge-reopens?utm_source=rss&utm_medium=feed",
        title: "Harbour Bridge Reopens After Two-Year Repair",
        published: "2026-03-14T07:30:00Z",
        content:
          "The Harbour Bridge reopened on Saturday.\n\nAbout 40,000 vehicles are expected every day.",
      },
      {
        link: "https://herald.example/news/2026/ferry-timetable#top",
        title: "Ferry timetable cut as bridge reopens",
        published: "2026-03-13T15:00:00Z",
        // Escaped HTML in the description, with an escaped ampersand inside it.
        content: "Two evening ferries will stop running & the morning one moves to 7:10.",
      },
    ]);
  });

  it("reads RSS 1.0 (RDF): items beside the channel, rdf:about as the guid, dc:date", () => {
    const feed = parsed(fixture("rdf.xml"));
    expect(feed.format).toBe("rss1");
    expect(feed.title).toBe("Valley Times");
    expect(feed.items).toEqual([
      {
        guid: "https://valley.example/local/council-library-vote",
        link: "https://valley.example/local/council-library-vote",
        title: "Council votes to keep the old library open",
        published: "2026-02-03T18:05:00Z",
        content: "The council voted seven to four to keep the library open.",
      },
    ]);
  });

  it("reads Atom: the alternate link, published else updated, HTML and XHTML content as text", () => {
    const feed = parsed(fixture("atom.xml"));
    expect(feed).toMatchObject({ format: "atom", link: "https://science.example/" });
    expect(feed.items).toEqual([
      {
        guid: "tag:science.example,2026:comet",
        link: "https://science.example/2026/comet",
        title: "Comet visible this week",
        published: "2026-04-01T19:00:00Z",
        content: "A bright comet can be seen low in the west after sunset.\n\nBinoculars help.",
      },
      {
        guid: "tag:science.example,2026:observatory",
        link: "https://science.example/2026/observatory",
        title: "Observatory opens to visitors",
        published: "2026-03-30T12:00:00Z",
        content: "The observatory opens on Sundays.\n\nEntry is free.",
      },
    ]);
  });

  it("reads JSON Feed: content_html, else content_text", () => {
    const feed = parsed(fixture("feed.json"));
    expect(feed.format).toBe("jsonfeed");
    expect(feed.items.map((item) => [item.guid, item.link, item.published, item.content])).toEqual([
      [
        "2026-05-01-rates",
        "https://markets.example/rates",
        "2026-05-01T12:00:00Z",
        "The central bank kept its main rate at 3%.\n\nMarkets expected it.",
      ],
      ["2026-04-30-oil", undefined, "2026-04-30T20:45:00Z", "Oil fell 2% on Thursday."],
    ]);
  });

  it("resolves relative links against the feed's address and keeps guids as written", () => {
    const feed = parsed(
      '<rss version="2.0"><channel><item><guid>0012</guid><link>/a/b</link></item></channel></rss>',
    );
    expect(feed.items).toEqual([{ guid: "0012", link: "https://feeds.example/a/b" }]);
  });

  it("refuses a malformed feed, naming the line", () => {
    const error = refused(fixture("malformed.xml"));
    expect(error.code).toBe("malformed");
    expect(error.message).toMatch(
      /^feed: https:\/\/feeds\.example\/feed: the feed is not well-formed XML \(line 8: /,
    );
    expect(refused('{"version": "https://jsonfeed.org/version/1.1", "items": [').code).toBe(
      "malformed",
    );
  });

  it("refuses what is not a feed: a web page, other XML, other JSON, plain text", () => {
    expect(refused(fixture("harbour-article.html")).reason).toBe("is a web page, not a feed");
    expect(refused('<?xml version="1.0"?><svg><g/></svg>').reason).toBe(
      "is XML but not an RSS, RDF or Atom feed (its root is <svg>)",
    );
    expect(refused('{"name": "x"}').code).toBe("notAFeed");
    expect(refused("hello").code).toBe("notAFeed");
  });
});
