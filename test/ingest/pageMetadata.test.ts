import { describe, expect, it } from "vitest";
import { linkedomParser } from "../../src/ingest/dom.js";
import { readPageMetadata, readPublished } from "../../src/ingest/pageMetadata.js";

const page = (head: string, body = "") =>
  linkedomParser(`<html><head>${head}</head><body>${body}</body></html>`, "https://x.example/");

describe("readPublished", () => {
  it("prefers article:published_time, then JSON-LD, then itemprop, then <time>", () => {
    const all = page(
      '<meta property="article:published_time" content="2026-01-01T10:00:00Z"><script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2026-01-02"}</script>',
      '<span itemprop="datePublished" content="2026-01-03"></span><time datetime="2026-01-04">x</time>',
    );
    expect(readPublished(all)).toBe("2026-01-01T10:00:00Z");
    expect(
      readPublished(
        page(
          '<script type="application/ld+json">[{"@type":"Person","datePublished":"1999-01-01"},{"@type":["NewsArticle"],"datePublished":"2026-01-02"}]</script>',
          '<time datetime="2026-01-04">x</time>',
        ),
      ),
    ).toBe("2026-01-02");
    expect(
      readPublished(page("", '<span itemprop="datePublished" content="2026-01-03"></span>')),
    ).toBe("2026-01-03");
    expect(
      readPublished(
        page(
          "",
          '<aside><time datetime="2025-12-31">old</time></aside><article><time datetime="2026-01-04T09:00:00+02:00">x</time></article>',
        ),
      ),
    ).toBe("2026-01-04T07:00:00Z");
  });

  it("skips a broken JSON-LD block and an unreadable date, and never uses dateModified", () => {
    const doc = page(
      '<script type="application/ld+json">{broken</script><script type="application/ld+json">{"@graph":[{"@type":"NewsArticle","dateModified":"2026-05-05"}]}</script><meta property="article:published_time" content="last Tuesday">',
    );
    expect(readPublished(doc)).toBeUndefined();
  });
});

describe("readPageMetadata", () => {
  it("uses the feed's date when the page names none, and the final URL when there is no canonical", () => {
    const metadata = readPageMetadata(
      page("<title>x</title>"),
      "https://www.Site.example/a?utm_source=x&id=2#top",
      "Sat, 14 Mar 2026 07:30:00 GMT",
    );
    expect(metadata).toEqual({
      canonicalUrl: "https://www.site.example/a?id=2",
      siteName: "www.site.example",
      published: "2026-03-14T07:30:00Z",
    });
  });

  it("resolves a relative canonical link and ignores one that is not http(s)", () => {
    expect(
      readPageMetadata(page('<link rel="canonical" href="/news/a">'), "https://x.example/amp/a")
        .canonicalUrl,
    ).toBe("https://x.example/news/a");
    expect(
      readPageMetadata(
        page('<link rel="canonical" href="javascript:void(0)">'),
        "https://x.example/a",
      ).canonicalUrl,
    ).toBe("https://x.example/a");
  });
});
