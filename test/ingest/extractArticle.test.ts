import { describe, expect, it } from "vitest";
import {
  type ExtractedArticle,
  extractArticle,
  withoutSiteName,
} from "../../src/ingest/extractArticle.js";
import { fixture } from "./localServer.js";

function extracted(name: string, url = "https://herald.example/story"): ExtractedArticle {
  const result = extractArticle({ html: fixture(name), url });
  if (!result.ok) throw new Error(`expected an article, got ${result.error.message}`);
  return result.value;
}

describe("extractArticle", () => {
  it("keeps the story's paragraphs, list items and subheading, in order, and nothing around them", () => {
    const article = extracted("harbour-article.html");
    expect(article.title).toBe("Harbour Bridge Reopens After Two-Year Repair");
    expect(article.paragraphs).toEqual([
      expect.stringMatching(/^The Harbour Bridge reopened to traffic on Saturday morning/),
      expect.stringMatching(/^About 40,000 vehicles/),
      "What changed",
      expect.stringMatching(/^The repair replaced all twelve supports/),
      expect.stringMatching(/^Cyclists get a separate lane/),
      "Cars and buses: open from Saturday, 6 a.m.",
      "Lorries over 12 tonnes: from next month, after a final load test.",
      expect.stringMatching(/^The work cost 84 million euros/),
      expect.stringMatching(/^"People have waited a long time for this," said the mayor/),
    ]);
    const text = article.paragraphs.join("\n");
    for (const boilerplate of [
      "cookies",
      "Advertisement",
      "Sport",
      "Related stories",
      "Ferry timetable cut",
      "My commute",
      "All rights reserved",
      "By Mara Lind",
      "dataLayer",
    ]) {
      expect(text).not.toContain(boilerplate);
    }
  });

  it("normalizes whitespace: no line breaks or runs of spaces inside a paragraph", () => {
    const html = `<html><head><title>Storm</title></head><body><article><h1>Storm</h1>
      <p>The storm\n   reached the coast\u00a0at   dawn, with gusts of 120 km/h that brought down trees across the northern districts.</p>
      <p>Ferries stayed in port all day, and the regional trains ran on a reduced timetable until the evening, the operator said.</p>
      </article></body></html>`;
    const result = extractArticle({ html, url: "https://news.example/storm" });
    expect(result.ok && result.value.paragraphs[0]).toBe(
      "The storm reached the coast at dawn, with gusts of 120 km/h that brought down trees across the northern districts.",
    );
  });

  it("reads the canonical link, the site name and the JSON-LD date of the article in @graph", () => {
    const article = extracted("harbour-article.html", "https://herald.example/amp/story?x=1");
    expect(article.url).toBe("https://herald.example/news/2026/harbour-bridge-reopens");
    expect(article.siteName).toBe("The Coastal Herald");
    expect(article.published).toBe("2026-03-14T07:30:00Z");
  });

  it("falls back to og:url without its utm parameters, and to the host for the site name", () => {
    const article = extracted("council-vote.html", "https://valley.example/l/123");
    expect(article.url).toBe("https://valley.example/local/council-library-vote");
    expect(article.siteName).toBe("valley.example");
    // The meta tag wins over the later <time>, and the dateline paragraph is dropped.
    expect(article.published).toBe("2026-02-03T18:05:00Z");
    expect(article.paragraphs[0]).toMatch(/^The town council voted seven to four/);
    expect(article.paragraphs).toHaveLength(4);
  });

  it("reads tag soup: unclosed paragraphs and list items, misnested inline tags", () => {
    const article = extracted("tag-soup.html");
    expect(article.paragraphs).toEqual([
      expect.stringMatching(/^The ferry crews returned to work on Thursday .* since Monday$/),
      "Passengers queued from dawn, some with cars loaded for a week, and the first boat left twenty minutes late.",
      "The operator said timetables would be back to normal by Saturday — & that tickets bought for cancelled crossings would be refunded.",
      "Refunds: online or at the harbour office",
      "Extra crossings: Friday evening",
    ]);
    expect(article.published).toBeUndefined();
  });

  it("refuses an index page and an error page, saying why", () => {
    const index = extractArticle({
      html: fixture("section-index.html"),
      url: "https://h.example/news",
    });
    expect(index.ok).toBe(false);
    if (!index.ok) {
      expect(index.error.code).toBe("mostlyLinks");
      expect(index.error.message).toBe(
        "extract: https://h.example/news: 100% of its text is links: it looks like an index page, not an article",
      );
    }
    const missing = extractArticle({ html: fixture("not-found.html"), url: "https://h.example/x" });
    expect(missing.ok).toBe(false);
    if (!missing.ok) {
      expect(missing.error.code).toBe("tooLittleText");
      expect(missing.error.reason).toMatch(/^the page has only 35 characters of text/);
    }
  });

  it("refuses a page with no text at all", () => {
    const result = extractArticle({
      html: "<html><body></body></html>",
      url: "https://h.example/",
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(["noArticle", "tooLittleText"]).toContain(result.error.code);
  });

  it("refuses an empty or blank page with a reason, not a throw", () => {
    for (const html of ["", "  \n "]) {
      const result = extractArticle({ html, url: "https://h.example/empty" });
      expect(result).toMatchObject({ ok: false, error: { code: "noArticle" } });
      if (!result.ok)
        expect(result.error.message).toBe("extract: https://h.example/empty: the page is empty");
    }
  });
});

describe("withoutSiteName", () => {
  it("drops the site's name that <title> adds, however short the headline", () => {
    expect(
      withoutSiteName("Winter ferry timetable announced | Island Times", "Island Times", ""),
    ).toBe("Winter ferry timetable announced");
    expect(withoutSiteName("Bridge reopens - island times", "Island Times", "")).toBe(
      "Bridge reopens",
    );
    expect(withoutSiteName("Ferry cut | News | Island Times", "Island Times", "")).toBe(
      "Ferry cut | News",
    );
    // og:title names the headline when the site's name is unknown (the host stands in for it).
    expect(
      withoutSiteName(
        "Ferry timetable announced — The Times",
        "times.example",
        "Ferry timetable announced",
      ),
    ).toBe("Ferry timetable announced");
  });

  it("keeps a headline whose separator is its own", () => {
    expect(withoutSiteName("Ukraine: what we know so far", "BBC News", "")).toBe(
      "Ukraine: what we know so far",
    );
    expect(withoutSiteName("Island Times", "Island Times", "")).toBe("Island Times");
    expect(withoutSiteName("Talks - day two", "times.example", "Talks - day two")).toBe(
      "Talks - day two",
    );
  });
});

describe("extractArticle on a short news page", () => {
  it("leaves out a hyphenated cookie banner and the site's name in the title", () => {
    const html = `<!DOCTYPE html><html><head><title>Ferry timetable announced | Island Times</title>
      <meta property="og:site_name" content="Island Times"></head><body>
      <div class="cookie-banner">We use cookies to improve your experience. <button>Accept</button></div>
      <article><h1>Ferry timetable announced</h1>
      <p>The island ferry company published its winter timetable on Sunday, with two crossings a day instead of five from November.</p>
      <p>The company blamed the cut on the cost of fuel and on a crew shortage that has lasted since the spring.</p>
      </article></body></html>`;
    const result = extractArticle({ html, url: "https://times.example/ferry" });
    if (!result.ok) throw result.error;
    expect(result.value.title).toBe("Ferry timetable announced");
    expect(result.value.paragraphs.join("\n")).not.toContain("cookies");
    expect(result.value.paragraphs).toHaveLength(2);
  });
});
