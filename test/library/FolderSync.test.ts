import { describe, expect, it } from "vitest";
import type { Article } from "../../src/corpus/article.js";
import { FolderSync } from "../../src/library/FolderSync.js";
import { Library } from "../../src/library/Library.js";
import { EXTRA, NEWS } from "../support/newsArticles.js";

const [ceasefire, brewer, athletics] = NEWS as [Article, Article, Article];
const [talks, marathon] = EXTRA as [Article, Article];

describe("FolderSync", () => {
  it("adds, replaces and removes to match the folder, leaving unchanged articles indexed as they were", () => {
    const library = Library.of([ceasefire, brewer]);
    const sync = new FolderSync(library, [ceasefire, brewer]);
    const brewerPosition = library.entry("brewer")?.position;
    const changed = { ...ceasefire, paragraphs: ["The Kremlin rejected the ceasefire."] };

    const result = sync.apply([changed, { ...brewer }, athletics]);

    expect(result).toEqual({
      added: ["athletics"],
      replaced: ["ceasefire"],
      removed: [],
      skipped: [],
    });
    expect(library.entry("brewer")?.position).toBe(brewerPosition);
    expect(library.get("ceasefire", undefined)?.paragraphs).toEqual(changed.paragraphs);
    expect([...sync.apply([athletics]).removed].sort()).toEqual(["brewer", "ceasefire"]);
    expect(library.list(undefined).map((a) => a.id)).toEqual(["athletics"]);
  });

  it("never touches a server's article, and skips a folder article with its id", () => {
    const library = Library.of([ceasefire]);
    library.add(talks, { guildId: "g1" });
    const sync = new FolderSync(library, [ceasefire]);

    const result = sync.apply([{ ...talks, title: "Folder copy" }, marathon]);

    expect(result.skipped.map((s) => s.id)).toEqual(["ukraine-talks"]);
    expect(result.removed).toEqual(["ceasefire"]);
    expect(library.get("ukraine-talks", "g1")?.title).toBe(talks.title);
    expect(library.entry("ukraine-talks")?.scope).toEqual({ guildId: "g1" });
    expect(sync.apply([]).removed).toEqual(["marathon"]);
    expect(library.get("ukraine-talks", "g1")).toBeDefined();
  });
});
