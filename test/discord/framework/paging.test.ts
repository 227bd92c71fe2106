import { describe, expect, it } from "vitest";
import { pageFromCustomId } from "../../../src/discord/framework/paging.js";
import { pageOf } from "../../../src/page.js";

describe("pageFromCustomId", () => {
  it("reads the page (from 1) that a page button carries", () => {
    expect(pageFromCustomId("articles:page", "articles:page:2")).toBe(2);
    expect(pageFromCustomId("pins:list", "pins:list:17")).toBe(17);
  });

  it("falls back to the first page for a malformed or foreign id", () => {
    for (const id of [
      "articles:page",
      "articles:page:",
      "articles:page:x",
      "articles:page:0",
      "pins:list:3",
      "articles:page:1234567",
    ]) {
      expect(pageFromCustomId("articles:page", id)).toBe(1);
    }
  });
});

describe("pageOf", () => {
  const items = Array.from({ length: 23 }, (_, i) => i + 1);

  it("slices a list held in memory into pages from 1, as the pin store pages", () => {
    expect(pageOf(items, { page: 1, pageSize: 10 })).toEqual({
      items: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      total: 23,
      page: 1,
      pageCount: 3,
    });
    expect(pageOf(items, { page: 3, pageSize: 10 }).items).toEqual([21, 22, 23]);
  });

  it("gives an empty page past the end, and no pages for an empty list", () => {
    expect(pageOf(items, { page: 4, pageSize: 10 })).toMatchObject({ items: [], page: 4 });
    expect(pageOf([], { page: 1, pageSize: 10 })).toEqual({
      items: [],
      total: 0,
      page: 1,
      pageCount: 0,
    });
  });
});
