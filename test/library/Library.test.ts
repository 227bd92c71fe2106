import { describe, expect, it } from "vitest";
import type { Article } from "../../src/corpus/article.js";
import { LibraryError } from "../../src/library/errors.js";
import { Library } from "../../src/library/Library.js";
import { buildIndex } from "../../src/retrieval/paragraphIndex.js";
import { searchParagraphs } from "../../src/retrieval/search.js";
import { documentsOf } from "../support/indexDocuments.js";
import { EXTRA, NEWS, NEWS_QUESTIONS } from "../support/newsArticles.js";

const ids = (articles: readonly Article[]) => articles.map((a) => a.id);

describe("Library", () => {
  it("lists newest first by published date, undated after, in the order they joined", () => {
    const library = Library.of(NEWS);
    library.add(EXTRA[0] as Article);
    // athletics 2025-04-02, ceasefire 03-14, brewer 02-01, grain 01-20; rail and the extra undated.
    expect(ids(library.list(undefined))).toEqual([
      "athletics",
      "ceasefire",
      "brewer",
      "grain",
      "rail",
      "ukraine-talks",
    ]);
  });

  it("adds many articles with their scopes in one batch, leaving out taken ids, as one add each would", () => {
    const [first, second, third] = NEWS as [Article, Article, Article, ...Article[]];
    const batched = Library.of([first]);
    const { added, duplicates } = batched.addMany([
      { article: second, scope: { guildId: "1" } },
      { article: { ...first, title: "Same id as the folder's" }, scope: { guildId: "1" } },
      { article: third, scope: "global" },
      { article: { ...third, id: third.id.toUpperCase() }, scope: "global" },
    ]);
    expect(added.map((e) => [e.article.id, e.scope])).toEqual([
      [second.id, { guildId: "1" }],
      [third.id, "global"],
    ]);
    expect(duplicates.map((a) => a.title)).toEqual(["Same id as the folder's", third.title]);
    const oneByOne = Library.of([first]);
    oneByOne.add(second, { guildId: "1" });
    oneByOne.add(third);
    expect(documentsOf(batched.index).sequences).toEqual(documentsOf(oneByOne.index).sequences);
    expect(batched.get(second.id, "2")).toBeUndefined();
    expect(batched.get(second.id, "1")?.id).toBe(second.id);
    expect(ids(batched.list("1"))).toEqual(ids(oneByOne.list("1")));
    expect(batched.addMany([])).toEqual({ added: [], duplicates: [] });
  });

  it("is built by the add it is given (a parallel build) as Library.of builds it, and only then exists", async () => {
    const calls: number[] = [];
    const library = await Library.build(NEWS, {}, async (index, articles) => {
      calls.push(articles.length);
      await new Promise((resolve) => setImmediate(resolve));
      return index.add(articles);
    });
    expect(calls).toEqual([NEWS.length]);
    const plain = Library.of(NEWS);
    expect(ids(library.list(undefined))).toEqual(ids(plain.list(undefined)));
    expect(documentsOf(library.index).sequences).toEqual(documentsOf(plain.index).sequences);
    expect(library.get("RAIL", undefined)?.id).toBe("rail");
    const twice = [...NEWS, { ...(NEWS[0] as Article), id: (NEWS[0] as Article).id.toUpperCase() }];
    await expect(Library.build(twice, {}, async (index, a) => index.add(a))).rejects.toThrow(
      LibraryError,
    );
  });

  it("refuses a second article with an id that differs only in case", () => {
    const library = Library.of(NEWS);
    const clash = { ...(EXTRA[0] as Article), id: "RAIL" };
    expect(() => library.add(clash)).toThrow(LibraryError);
    expect(() => library.add(clash, { guildId: "g1" })).toThrow(/already has the id "RAIL"/);
    expect(library.size).toBe(NEWS.length);
  });

  it("replaces an article in place of the old one, keeping its scope, and searches the new text", () => {
    const library = Library.of(NEWS);
    library.add(EXTRA[1] as Article, { guildId: "g1" });
    const changed = {
      ...(EXTRA[1] as Article),
      paragraphs: ["The marathon was cancelled by snow."],
    };
    const entry = library.replace(changed);
    expect(entry.scope).toEqual({ guildId: "g1" });
    expect(library.get("marathon", "g1")?.paragraphs).toEqual(changed.paragraphs);
    const [best] = searchParagraphs(library.index, "Why was the marathon cancelled?").hits;
    expect(library.index.paragraphOf(best?.doc ?? -1)?.article).toBe(entry.position);
    expect(() => library.replace({ ...changed, id: "nope" })).toThrow(/no article has the id/);
  });

  it("ranks as a fresh index of its articles after adds, removes and replacements", () => {
    const library = new Library();
    for (const article of [...EXTRA, ...NEWS]) library.add(article);
    for (const article of EXTRA) library.remove(article.id);
    library.replace(NEWS[0] as Article);
    const fresh = buildIndex([...NEWS.slice(1), NEWS[0] as Article]);
    for (const question of NEWS_QUESTIONS) {
      const at = (index: typeof fresh | typeof library.index) =>
        searchParagraphs(index, question, { top: 10 }).hits.map((h) => {
          const ref = index.paragraphOf(h.doc);
          return [index.articles[ref?.article ?? -1]?.id, ref?.paragraph, h.score.toFixed(9)];
        });
      expect(at(library.index)).toEqual(at(fresh));
    }
  });

  it("shows a server's article to that server only, and global articles to everyone", () => {
    const library = Library.of(NEWS);
    library.add(EXTRA[0] as Article, { guildId: "g1" });
    expect(library.get("ukraine-talks", "g1")).toBeDefined();
    expect(library.get("ukraine-talks", "g2")).toBeUndefined();
    expect(library.get("ukraine-talks", undefined)).toBeUndefined();
    expect(library.get("rail", "g2")).toBeDefined();
    expect(library.count("g1")).toBe(NEWS.length + 1);
    expect(library.count("g2")).toBe(NEWS.length);
    expect(ids(library.list("g2"))).not.toContain("ukraine-talks");
    expect(ids(library.list("g1"))).toContain("ukraine-talks");
    const position = library.entry("ukraine-talks")?.position ?? -1;
    expect(library.allowed("g1")[position]).toBe(1);
    expect(library.allowed("g2")[position]).toBe(0);
  });

  it("recomputes a server's allowed articles and list after a change, never serving stale ones", () => {
    const library = Library.of(NEWS);
    const before = library.allowed("g1");
    expect(library.allowed("g1")).toBe(before); // cached while nothing changes
    expect(library.list("g1")).toBe(library.list("g1"));
    const { position } = library.add(EXTRA[0] as Article, { guildId: "g1" });
    expect(library.allowed("g1")[position]).toBe(1);
    expect(ids(library.list("g1"))).toContain("ukraine-talks");
    library.remove("ukraine-talks");
    expect(library.allowed("g1")[position]).toBe(0);
    expect(ids(library.list("g1"))).not.toContain("ukraine-talks");
    expect(library.remove("ukraine-talks")).toBe(false);
  });

  it("compacts to a fresh index of its live articles, keeping changes made while it builds", async () => {
    const library = new Library();
    for (const article of [...EXTRA, ...NEWS]) library.add(article);
    library.remove("marathon");
    library.replace(NEWS[1] as Article);
    const before = library.removedParagraphs; // marathon's 1 and brewer's 2
    let pauses = 0;
    const changed = { ...(NEWS[2] as Article), paragraphs: ["AK named a new marathon coach."] };
    await library.compact(async () => {
      // The first pause is a question's or a file's turn: the library changes mid-build.
      if (pauses++ === 0) {
        library.remove("ukraine-talks");
        library.replace(changed);
        library.add(EXTRA[1] as Article, { guildId: "g1" });
      }
    }, 2);
    expect(pauses).toBeGreaterThan(1);
    // Only what changed mid-build stays as removed ids: ukraine-talks' 2 and athletics' 2.
    expect(before).toBe(3);
    expect(library.removedParagraphs).toBe(4);
    await library.compact(async () => {});
    expect(library.removedParagraphs).toBe(0);
    const live = [NEWS[0], NEWS[3], NEWS[4], NEWS[1], changed, EXTRA[1]] as Article[];
    for (const article of live) {
      const entry = library.entry(article.id);
      expect(library.index.articles[entry?.position ?? -1]).toBe(entry?.article);
    }
    expect(library.get("marathon", "g2")).toBeUndefined();
    expect(library.get("marathon", "g1")).toBeDefined();
    const fresh = buildIndex(live);
    for (const question of NEWS_QUESTIONS) {
      const at = (index: typeof fresh | typeof library.index) =>
        searchParagraphs(index, question, { top: 10 }).hits.map((h) => {
          const ref = index.paragraphOf(h.doc);
          return [index.articles[ref?.article ?? -1]?.id, ref?.paragraph, h.score.toFixed(9)];
        });
      expect(at(library.index)).toEqual(at(fresh));
    }
  });
});
