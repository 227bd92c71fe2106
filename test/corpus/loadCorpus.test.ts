import fs from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Corpus, formatProblem, loadCorpus } from "../../src/corpus/loadCorpus.js";
import { makeTempDir, removeTempDir, writeFiles } from "./tempDir.js";

const here = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));
const DATA_ARTICLES = here("../../data/articles");
const GOOD = here("../fixtures/corpus/good");

const ids = (corpus: Corpus): string[] => corpus.articles.map((a) => a.id);

describe("loadCorpus on the shipped data", () => {
  it("loads data/articles with zero problems", async () => {
    const corpus = await loadCorpus(DATA_ARTICLES);
    expect(corpus.problems.map((p) => formatProblem(p))).toEqual([]);
    expect(corpus.articles.length).toBeGreaterThan(0);
  });

  it("loads the seed article: title line, then one paragraph per line, curly quotes kept", async () => {
    const { articles } = await loadCorpus(DATA_ARTICLES);
    const seed = articles.find((a) => a.id === "kremlin-putin-message-trump-ceasefire");
    expect(seed?.title).toBe(
      "Kremlin Confirms Putin’s Message to Trump on Ukraine Ceasefire, Expresses Cautious Optimism",
    );
    expect(seed?.paragraphs).toHaveLength(8);
    expect(seed?.paragraphs[0]).toMatch(/^The Kremlin has confirmed that Russian President/);
    expect(seed?.paragraphs[2]).toContain(
      "Putin conveyed “signals” to Trump about Russia’s position",
    );
    expect(seed?.paragraphs[7]).toBe("Reuters, CNN, and Al Jazeera contributed to this report.");
  });

  it("gives the same ids, in the same order, on every load", async () => {
    const first = await loadCorpus(DATA_ARTICLES);
    const second = await loadCorpus(DATA_ARTICLES);
    expect(ids(second)).toEqual(ids(first));
    expect(second).toEqual(first);
  });
});

describe("loadCorpus on one file of each format", () => {
  it("loads every format in file-name order, ignoring README, dotfiles, other extensions and subfolders", async () => {
    const corpus = await loadCorpus(GOOD);
    expect(corpus.problems).toEqual([]);
    expect(ids(corpus)).toEqual([
      "feed-1", // feed.jsonl line 1 has no id
      "school-lunches",
      "front-matter",
      "heading",
      "lines", // lines.TXT
      "plain",
      "storm-warning",
      "several-2", // several.json item 2 has no id
      "museum-reopens",
    ]);
  });

  it("reads the fields of each format", async () => {
    const byId = new Map((await loadCorpus(GOOD)).articles.map((a) => [a.id, a]));
    expect(byId.get("plain")).toEqual({
      id: "plain",
      title: "City Council Approves New Bike Lanes",
      paragraphs: [
        "The city council voted 7–2 on Tuesday to add protected bike lanes along Main Street, a plan debated for three years.",
        "Construction starts in May and should take “about six weeks,” the mayor said.",
      ],
    });
    expect(byId.get("lines")?.paragraphs).toEqual([
      "The ferry between the two islands resumed service on Monday.",
      "Tickets cost the same as last year.",
    ]);
    expect(byId.get("front-matter")).toEqual({
      id: "front-matter",
      title: "Library Extends Weekend Hours",
      source: "Town Crier",
      url: "https://example.com/news/library-hours",
      published: "2025-03-14",
      paragraphs: [
        "The central library will open on Sundays from April, the first change to its hours in a decade.",
        "Staff numbers stay the same; volunteers cover the extra shifts.",
      ],
    });
    expect(byId.get("heading")).toMatchObject({ title: "Rail Strike Called Off" });
    expect(byId.get("heading")?.paragraphs).toHaveLength(2);
    expect(byId.get("museum-reopens")).toMatchObject({ source: "Daily Courier" });
    expect(byId.get("storm-warning")?.paragraphs).toEqual([
      "Forecasters expect gusts of 90 km/h tonight.",
      "Schools may close on Thursday.",
    ]);
  });
});

describe("loadCorpus with bad files", () => {
  let dir: string;

  beforeEach(async () => {
    dir = await makeTempDir();
  });

  afterEach(async () => {
    await removeTempDir(dir);
  });

  /** Each problem as `file line n: message`, paths relative to the temp folder. */
  const problemLines = (corpus: Corpus): string[] =>
    corpus.problems.map((p) => formatProblem(p, dir).replace(/^corpus: /, ""));

  it("skips each bad file with one problem naming file and line, and loads everything else", async () => {
    await fs.cp(GOOD, dir, { recursive: true });
    await writeFiles(dir, {
      "bad-types.json": '{"title": "T", "paragraphs": "one string"}',
      "bad-url.md": "---\ntitle: T\nurl: ftp://example.com/a\n---\n\nBody.",
      "bad-utf8.txt": Uint8Array.from([...Buffer.from("Title\n\nCaf"), 0xe9, 0x0a]),
      "big.txt": `Big\n\n${"word ".repeat(500)}`,
      "broken.json": '{\n  "title": "T",\n  "text": "x",\n}\n',
      "empty-body.txt": "Only a title\n\n  \n",
      "empty.txt": "",
      "mixed.jsonl": [
        '{"id": "jl-a", "title": "A", "text": "a"}',
        '{"id": "jl-b", "title": "B" "text": "b"}',
        '{"id": "jl-c", "title": "C", "text": "c"}',
      ].join("\n"),
      "my story.txt": "T\n\nP",
      "no-title.md": "---\nsource: S\n---\n\nBody.",
      "unclosed.md": "---\ntitle: T\n\nBody.",
      "utf16.txt": Uint8Array.of(0xff, 0xfe, 0x54, 0x00),
      "zz-dup.json": '{"id": "Plain", "title": "Copy", "text": "x"}',
    });
    await fs.mkdir(path.join(dir, "folder.md"));
    await fs.symlink(path.join(dir, "gone"), path.join(dir, "gone.txt"));

    const corpus = await loadCorpus(dir, { maxFileBytes: 2048 });

    expect(problemLines(corpus)).toEqual([
      'bad-types.json: "paragraphs" must be an array of strings, got a string',
      'bad-url.md line 3: url is not http(s): "ftp://example.com/a"',
      "bad-utf8.txt line 3: not valid UTF-8: byte 0xE9 at byte offset 10; re-save the file as UTF-8",
      "big.txt: file is 2.4 KiB; the limit is 2 KiB",
      "broken.json line 4: broken JSON at column 1: expected a property name in double quotes, found '}' (trailing comma?)",
      "empty-body.txt line 1: no body: expected paragraphs after the title",
      "empty.txt: file is empty; expected a title line, then paragraphs",
      "folder.md: not a regular file; expected an article file",
      "gone.txt: cannot read file: ENOENT: no such file or directory",
      "mixed.jsonl line 2: broken JSON at column 29: expected ',' or '}', found '\"'",
      'my story.txt: id "my story" (from the file name) contains whitespace or control characters; rename the file',
      'no-title.md: title is missing: add "title: ..." to the front matter or start with a "# Heading" line',
      "unclosed.md line 1: front matter has no closing ---",
      "utf16.txt line 1: file is UTF-16, not UTF-8; re-save it as UTF-8",
      'zz-dup.json: duplicate id "Plain": differs only in letter case from "plain" in ' +
        `${path.join(dir, "plain.txt")}; this article is skipped`,
    ]);
    expect(ids(corpus)).toEqual([
      "feed-1",
      "school-lunches",
      "front-matter",
      "heading",
      "lines",
      "jl-a", // mixed.jsonl lines 1 and 3; line 2 is broken
      "jl-c",
      "plain",
      "storm-warning",
      "several-2",
      "museum-reopens",
    ]);
  });

  it("reports an exact duplicate id with where the first one came from", async () => {
    await writeFiles(dir, {
      "a.txt": "First\n\nKept.",
      "b.jsonl":
        '{"title": "Other", "text": "x"}\n{"id": "a", "title": "Second", "text": "Skipped."}',
    });
    const corpus = await loadCorpus(dir);
    expect(corpus.articles.map((a) => a.title)).toEqual(["First", "Other"]);
    expect(corpus.problems).toEqual([
      {
        file: path.join(dir, "b.jsonl"),
        line: 2,
        message: `duplicate id "a": already used by ${path.join(dir, "a.txt")}; this article is skipped`,
      },
    ]);
  });

  it("loads an empty folder as an empty corpus", async () => {
    expect(await loadCorpus(dir)).toEqual({ articles: [], problems: [] });
  });

  it("throws a corpus: error only when the folder itself is missing or not a folder", async () => {
    await expect(loadCorpus(path.join(dir, "nope"))).rejects.toThrow(
      /^corpus: articles folder .*nope does not exist$/,
    );
    await writeFiles(dir, { "file.txt": "T\n\nP" });
    await expect(loadCorpus(path.join(dir, "file.txt"))).rejects.toThrow(
      /^corpus: .*file\.txt is not a folder; expected the articles folder$/,
    );
  });
});
