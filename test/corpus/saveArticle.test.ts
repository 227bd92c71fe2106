import fs from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadCorpus } from "../../src/corpus/loadCorpus.js";
import { type NewArticle, saveArticle, slugify } from "../../src/corpus/saveArticle.js";
import { makeTempDir, removeTempDir, writeFiles } from "./tempDir.js";

const ARTICLE: NewArticle = {
  title: 'Mayor: "We waited long enough" — bridge reopens',
  paragraphs: [
    "The bridge reopened on Saturday.",
    "# Not a heading, a paragraph that starts with a hash",
    "Cost: 84 million euros, 9 more than planned.",
  ],
  url: "https://herald.example/news/bridge",
  source: "The Coastal Herald",
  published: "2026-03-14T07:30:00Z",
};

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(() => removeTempDir(dir));

describe("slugify", () => {
  it.each([
    [
      'Mayor: "We waited long enough" — bridge reopens',
      "mayor-we-waited-long-enough-bridge-reopens",
    ],
    ["Café crème à Zürich", "cafe-creme-a-zurich"],
    ["Токио открывает музей", "токио-открывает-музей"],
    ["!!!", "article"],
  ])("%s -> %s", (title, slug) => {
    expect(slugify(title)).toBe(slug);
  });

  it("cuts a long title at a dash, within 80 characters", () => {
    const slug = slugify("word ".repeat(40));
    expect(slug.length).toBeLessThanOrEqual(80);
    expect(slug.endsWith("word")).toBe(true);
  });
});

describe("saveArticle", () => {
  it("writes a .md file that the corpus loader reads back with the same fields and paragraphs", async () => {
    const saved = await saveArticle(dir, ARTICLE);
    expect(saved).toEqual({
      id: "mayor-we-waited-long-enough-bridge-reopens",
      file: path.join(dir, "mayor-we-waited-long-enough-bridge-reopens.md"),
    });
    const corpus = await loadCorpus(dir);
    expect(corpus.problems).toEqual([]);
    expect(corpus.articles).toEqual([{ id: saved.id, ...ARTICLE }]);
  });

  it("never overwrites: a taken id (any extension or case, or given) gets the next suffix", async () => {
    await writeFiles(dir, {
      "Mayor-We-Waited-Long-Enough-Bridge-Reopens.txt": "Other\n\nText.",
      "mayor-we-waited-long-enough-bridge-reopens-2.md": "# Other\n\nText.",
    });
    const third = await saveArticle(dir, ARTICLE);
    expect(third.id).toBe("mayor-we-waited-long-enough-bridge-reopens-3");
    const fifth = await saveArticle(dir, ARTICLE, ["MAYOR-WE-WAITED-LONG-ENOUGH-BRIDGE-REOPENS-4"]);
    expect(fifth.id).toBe("mayor-we-waited-long-enough-bridge-reopens-5");
    expect(
      await fs.readFile(path.join(dir, "mayor-we-waited-long-enough-bridge-reopens-2.md"), "utf8"),
    ).toBe("# Other\n\nText.");
    const corpus = await loadCorpus(dir);
    expect(corpus.problems).toEqual([]);
    expect(corpus.articles).toHaveLength(4);
  });

  it("leaves out empty fields", async () => {
    const saved = await saveArticle(dir, { title: "Short", paragraphs: ["One paragraph."] });
    expect(await fs.readFile(saved.file, "utf8")).toBe(
      '---\ntitle: "Short"\n---\n\nOne paragraph.\n',
    );
  });
});
