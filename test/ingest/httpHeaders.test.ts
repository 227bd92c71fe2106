import { describe, expect, it } from "vitest";
import { bodyKindOf, parseContentType } from "../../src/ingest/contentType.js";
import { declaredCharset, decodeBody } from "../../src/ingest/decodeBody.js";
import { parseRetryAfter } from "../../src/ingest/retryAfter.js";
import { FALLBACK_USER_AGENT, userAgentFor } from "../../src/ingest/userAgent.js";

describe("parseContentType and bodyKindOf", () => {
  it("splits the media type and charset, in any case and quoting", () => {
    expect(parseContentType('Text/HTML; Charset="ISO-8859-1"')).toEqual({
      mediaType: "text/html",
      charset: "iso-8859-1",
    });
    expect(parseContentType("application/rss+xml")).toEqual({ mediaType: "application/rss+xml" });
  });

  it("accepts pages and feeds only", () => {
    expect(bodyKindOf("application/xhtml+xml")).toBe("html");
    expect(bodyKindOf("application/atom+xml")).toBe("xml");
    expect(bodyKindOf("application/feed+json")).toBe("json");
    expect(bodyKindOf("image/png")).toBeUndefined();
    expect(bodyKindOf("text/plain")).toBeUndefined();
    expect(bodyKindOf("constructor")).toBeUndefined();
  });
});

describe("decodeBody", () => {
  const latin1 = (text: string) => new Uint8Array(Buffer.from(text, "latin1"));

  it("uses the header's charset, else the page's meta or XML declaration, else UTF-8", () => {
    expect(decodeBody(latin1("<p>caf\u00e9</p>"), "html", "iso-8859-1")).toBe("<p>caf\u00e9</p>");
    const meta = latin1('<html><head><meta charset="windows-1252"></head><p>caf\u00e9</p>');
    expect(declaredCharset(meta, "html")).toBe("windows-1252");
    expect(decodeBody(meta, "html")).toContain("caf\u00e9");
    const xml = latin1('<?xml version="1.0" encoding="ISO-8859-1"?><rss><t>\u00e9</t></rss>');
    expect(decodeBody(xml, "xml")).toContain("<t>\u00e9</t>");
    expect(decodeBody(new Uint8Array(Buffer.from("caf\u00e9")), "html")).toBe("caf\u00e9");
  });

  it("lets a byte order mark win, and falls back to UTF-8 for an unknown charset", () => {
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from("\u00e9")]);
    expect(decodeBody(bom, "html", "iso-8859-1")).toBe("\u00e9");
    expect(decodeBody(new Uint8Array(Buffer.from("\u00e9")), "html", "x-no-such")).toBe("\u00e9");
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-03-14T08:00:00Z");

  it("reads seconds and HTTP dates, a past date as 0", () => {
    expect(parseRetryAfter("120", now)).toBe(120);
    expect(parseRetryAfter("Sat, 14 Mar 2026 08:01:30 GMT", now)).toBe(90);
    expect(parseRetryAfter("Sat, 14 Mar 2026 07:00:00 GMT", now)).toBe(0);
  });

  it("ignores what it cannot read", () => {
    for (const header of [undefined, "", "-5", "1.5", "soon"]) {
      expect(parseRetryAfter(header, now)).toBeUndefined();
    }
  });
});

describe("userAgentFor", () => {
  it("names the package, its version and its repository", () => {
    expect(
      userAgentFor({
        name: "newsdesk",
        version: "0.2.0",
        repository: { type: "git", url: "git+https://github.com/example/newsdesk.git" },
      }),
    ).toBe("newsdesk/0.2.0 (Discord news bot; +https://github.com/example/newsdesk)");
    expect(userAgentFor({ name: "newsdesk", version: "0.1.0" })).toBe(
      "newsdesk/0.1.0 (Discord news bot)",
    );
  });

  it("gives nothing without a name, so the fallback is used", () => {
    expect(userAgentFor({ version: "1" })).toBeUndefined();
    expect(userAgentFor(null)).toBeUndefined();
    expect(FALLBACK_USER_AGENT).toMatch(/^newsdesk\b/);
  });
});
