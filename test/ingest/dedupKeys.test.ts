import { describe, expect, it } from "vitest";
import { dedupKeys, identityKey } from "../../src/ingest/dedupKeys.js";
import { normalizeLink } from "../../src/ingest/links.js";

describe("normalizeLink", () => {
  it("lower-cases the host, drops the fragment, the utm_* parameters and a default port", () => {
    expect(
      normalizeLink("https://News.Example:443/A/b?utm_source=rss&id=7&UTM_Medium=x#comments"),
    ).toBe("https://news.example/A/b?id=7");
    expect(normalizeLink("https://news.example/a?utm_campaign=x")).toBe("https://news.example/a");
  });

  it("keeps other parameters in their order and refuses what is not an http(s) URL", () => {
    expect(normalizeLink("http://x.example/?b=2&a=1")).toBe("http://x.example/?b=2&a=1");
    expect(normalizeLink("mailto:a@b.example")).toBeUndefined();
    expect(normalizeLink("/relative")).toBeUndefined();
  });
});

describe("dedupKeys", () => {
  const item = {
    guid: "herald-001",
    link: "https://Herald.example/a?utm_source=rss#top",
    title: "Bridge reopens",
    text: "The bridge reopened.",
  };

  it("gives guid, then link, then the hash, and the identity is the first", () => {
    const keys = dedupKeys(item);
    expect(keys.map((key) => key.split(":")[0])).toEqual(["guid", "link", "hash"]);
    expect(keys[1]).toBe("link:https://herald.example/a");
    expect(identityKey(item)).toBe("guid:herald-001");
    expect(identityKey({ ...item, guid: " " })).toBe("link:https://herald.example/a");
  });

  it("matches the same link from a feed and from a pasted, tracked link", () => {
    const fromFeed = dedupKeys({ link: "https://herald.example/a" });
    const pasted = dedupKeys({ link: "https://HERALD.example/a?utm_medium=social#share" });
    expect(pasted[0]).toBe(fromFeed[0]);
  });

  it("hashes title and text with case and whitespace folded, and tells different texts apart", () => {
    const a = identityKey({ title: "Bridge  reopens", text: "The bridge\nreopened." });
    const b = identityKey({ title: "bridge reopens", text: "The bridge reopened. " });
    const c = identityKey({ title: "Bridge reopens", text: "The bridge closed." });
    expect(a).toMatch(/^hash:[0-9a-f]{64}$/);
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect(identityKey({ title: "ab", text: "c" })).not.toBe(
      identityKey({ title: "a", text: "bc" }),
    );
  });

  it("has no key for an item without any field", () => {
    expect(dedupKeys({})).toEqual([]);
    expect(identityKey({ link: "not a link" })).toBeUndefined();
  });
});
