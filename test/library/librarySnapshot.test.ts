/**
 * A library started from a snapshot of an earlier one (`Library.assemble` with a snapshot) ranks
 * exactly as a library built fresh from the same articles in the same order: same hits, same
 * scores, for every reader, whether the articles are unchanged, gone, changed or new.
 */
import { describe, expect, it } from "vitest";
import type { Article } from "../../src/corpus/article.js";
import {
  type AddToIndex,
  Library,
  type LibraryItem,
  type Reader,
} from "../../src/library/Library.js";
import { decodeIndexSnapshot } from "../../src/retrieval/indexSnapshot.js";
import { searchParagraphs } from "../../src/retrieval/search.js";
import { joined } from "../support/bytes.js";
import { EXTRA, NEWS, NEWS_QUESTIONS } from "../support/newsArticles.js";

const add: AddToIndex = async (index, articles) => index.add(articles);

const QUESTIONS = [
  ...NEWS_QUESTIONS,
  "What did the envoy say about Ukraine?",
  "Who won the marathon?",
  "When will the new rail line open?",
];
const READERS: Reader[] = [undefined, "g1", "g2"];

/** Every question's top hits for every reader: article id, paragraph, score, relevance. */
function rankings(library: Library) {
  return READERS.flatMap((reader) =>
    QUESTIONS.map((question) => {
      const index = library.index;
      return searchParagraphs(index, question, {
        top: 10,
        allowed: library.allowed(reader),
      }).hits.map((h) => {
        const ref = index.paragraphOf(h.doc);
        return {
          id: index.articles[ref?.article ?? -1]?.id,
          paragraph: ref?.paragraph,
          score: h.score,
          relevance: h.relevance,
        };
      });
    }),
  );
}

/** The live articles of a library with their scopes, in position order. */
function inOrder(library: Library): LibraryItem[] {
  const items: LibraryItem[] = [];
  library.index.articles.forEach((article, position) => {
    const entry = library.at(position, "g1") ?? library.at(position, "g2");
    if (entry && entry.article === article) items.push({ article, scope: entry.scope });
  });
  return items;
}

function expectSameRanking(restored: Library, fresh: Library): void {
  const got = rankings(restored);
  const want = rankings(fresh);
  // Most questions find something in a library of more than one article (a real comparison).
  if (fresh.size > 1)
    expect(want.filter((hits) => hits.length > 0).length).toBeGreaterThan(QUESTIONS.length);
  expect(got.map((hits) => hits.map((h) => [h.id, h.paragraph]))).toEqual(
    want.map((hits) => hits.map((h) => [h.id, h.paragraph])),
  );
  for (const [q, hits] of got.entries()) {
    for (const [k, h] of hits.entries()) {
      expect(Math.abs(h.score - (want[q]?.[k]?.score ?? Number.NaN))).toBeLessThan(1e-9);
      expect(Math.abs(h.relevance - (want[q]?.[k]?.relevance ?? Number.NaN))).toBeLessThan(1e-9);
    }
  }
  expect(restored.size).toBe(fresh.size);
  for (const reader of READERS) {
    expect(restored.count(reader)).toBe(fresh.count(reader));
    expect(restored.list(reader).map((a) => a.id)).toEqual(fresh.list(reader).map((a) => a.id));
  }
}

const [guildOne, guildTwo] = EXTRA as [Article, Article, ...Article[]];
const BASE: LibraryItem[] = [
  ...NEWS.map((article): LibraryItem => ({ article, scope: "global" })),
  { article: guildOne, scope: { guildId: "g1" } },
  { article: guildTwo, scope: { guildId: "g2" } },
];
const NEW_ARTICLE: Article = {
  id: "rail-strike",
  title: "Rail workers strike over pay",
  paragraphs: [
    "Rail workers walked out on Monday after talks on pay broke down, the union said.",
    "The strike will last three days and close most lines, the operator warned.",
  ],
};

async function saved(items: readonly LibraryItem[], change?: (library: Library) => void) {
  const { library } = await Library.assemble(items, {}, add);
  change?.(library);
  return decodeIndexSnapshot(joined(library.snapshot()));
}

describe("a library from a snapshot", () => {
  it("unchanged: keeps every article's analysis, adds nothing, ranks as before", async () => {
    const { library, restored } = await Library.assemble(BASE, {}, add, await saved(BASE));
    expect(restored).toEqual({ kept: BASE.length, removed: 0, added: 0 });
    const { library: fresh } = await Library.assemble(BASE, {}, add);
    expectSameRanking(library, fresh);
    expect(library.get(guildOne.id, "g2")).toBeUndefined();
    expect(library.get(guildOne.id, "g1")).toBe(guildOne);
  });

  it("articles removed, changed and added, scopes moved: the difference is applied", async () => {
    const snapshot = await saved(BASE);
    const [first, second, third, ...others] = NEWS as [Article, Article, Article, ...Article[]];
    const changedText: Article = {
      ...second,
      paragraphs: [...second.paragraphs.slice(1), "A new closing paragraph about the talks."],
    };
    const changedTitle: Article = { ...third, title: "A new headline for the same story" };
    const items: LibraryItem[] = [
      { article: changedText, scope: "global" },
      { article: changedTitle, scope: "global" },
      ...others.map((article): LibraryItem => ({ article, scope: "global" })),
      // guildOne moves to g2 (unchanged text: kept), guildTwo and `first` are gone.
      { article: guildOne, scope: { guildId: "g2" } },
      { article: NEW_ARTICLE, scope: { guildId: "g1" } },
    ];
    const { library, restored } = await Library.assemble(items, {}, add, snapshot);
    expect(restored).toEqual({ kept: others.length + 1, removed: 4, added: 3 });
    // Kept ones in their saved order, then the others in the items' order.
    const order = inOrder(library);
    expect(order.map((i) => i.article.id)).toEqual([
      ...others.map((a) => a.id),
      guildOne.id,
      changedText.id,
      changedTitle.id,
      NEW_ARTICLE.id,
    ]);
    expect(library.get(first.id, undefined)).toBeUndefined();
    expect(library.get(guildOne.id, "g2")).toBe(guildOne);
    expect(library.get(guildOne.id, "g1")).toBeUndefined();
    const { library: fresh } = await Library.assemble(order, {}, add);
    expectSameRanking(library, fresh);
    // The restored library goes on changing as any other.
    library.remove(changedTitle.id);
    fresh.remove(changedTitle.id);
    library.add(guildTwo, { guildId: "g2" });
    fresh.add(guildTwo, { guildId: "g2" });
    expectSameRanking(library, fresh);
    await library.compact(async () => {});
    expectSameRanking(library, fresh);
  });

  it("a snapshot taken after removals at run time: its removed positions stay removed", async () => {
    const snapshot = await saved(BASE, (library) => {
      library.remove((NEWS[0] as Article).id);
      library.replace({ ...(NEWS[1] as Article), title: "Replaced while running" });
    });
    const items = BASE.slice(1);
    const { library, restored } = await Library.assemble(items, {}, add, snapshot);
    // NEWS[1] as it is now differs from the replaced version the snapshot saved.
    expect(restored).toEqual({ kept: items.length - 1, removed: 1, added: 1 });
    const { library: fresh } = await Library.assemble(inOrder(library), {}, add);
    expectSameRanking(library, fresh);
  });

  it("every article gone: an empty library that ranks nothing, then grows", async () => {
    const { library, restored } = await Library.assemble([], {}, add, await saved(BASE));
    expect(restored).toEqual({ kept: 0, removed: BASE.length, added: 0 });
    expect(library.index.documentCount).toBe(0);
    expect(rankings(library).every((hits) => hits.length === 0)).toBe(true);
    library.add(NEW_ARTICLE);
    const { library: fresh } = await Library.assemble(
      [{ article: NEW_ARTICLE, scope: "global" }],
      {},
      add,
    );
    expectSameRanking(library, fresh);
  });

  it("leaves out a later item whose id an earlier one has, as addMany does", async () => {
    const clash: Article = { ...NEW_ARTICLE, id: (NEWS[0] as Article).id.toUpperCase() };
    const { library, duplicates } = await Library.assemble(
      [...BASE, { article: clash, scope: { guildId: "g1" } }],
      {},
      add,
      await saved(BASE),
    );
    expect(duplicates).toEqual([clash]);
    expect(library.size).toBe(BASE.length);
  });
});
