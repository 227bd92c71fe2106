import { describe, expect, it } from "vitest";
import {
  articleFormatOf,
  idFromFileName,
  type ParseResult,
  parseArticleFile,
  parseJson,
  parseJsonl,
  parseMarkdown,
  parseTxt,
} from "../../src/corpus/parseArticle.js";

/** The one article of a result that must have no problem. */
function only(result: ParseResult) {
  expect(result.problems).toEqual([]);
  expect(result.articles).toHaveLength(1);
  const [located] = result.articles;
  if (located === undefined) throw new Error("no article");
  return located.article;
}

/** The one problem of a result that must have no article. */
function problemOf(result: ParseResult) {
  expect(result.articles).toEqual([]);
  expect(result.problems).toHaveLength(1);
  const [problem] = result.problems;
  if (problem === undefined) throw new Error("no problem");
  return problem;
}

describe("articleFormatOf and idFromFileName", () => {
  it("picks the format from the extension in any case", () => {
    expect(articleFormatOf("notes.TXT")).toBe("txt");
    expect(articleFormatOf("a/b/story.Md")).toBe("md");
    expect(articleFormatOf("feed.jsonl")).toBe("jsonl");
    expect(articleFormatOf("table.csv")).toBeUndefined();
    expect(articleFormatOf("txt")).toBeUndefined();
  });

  it("uses the base name without its last extension", () => {
    expect(idFromFileName("data/articles/kremlin-putin.txt")).toBe("kremlin-putin");
    expect(idFromFileName("v1.2-notes.TXT")).toBe("v1.2-notes");
  });
});

describe("parseTxt", () => {
  it("reads the title line and blank-line paragraphs, joining wrapped lines", () => {
    const article = only(
      parseTxt("x/story.txt", "\n  Title here  \n\nOne\nstill one.\n\n\nTwo.\n"),
    );
    expect(article).toEqual({
      id: "story",
      title: "Title here",
      paragraphs: ["One still one.", "Two."],
    });
  });

  it("makes each line a paragraph when the body has no blank line", () => {
    expect(only(parseTxt("s.txt", "Title\nOne.\nTwo.\nThree.")).paragraphs).toEqual([
      "One.",
      "Two.",
      "Three.",
    ]);
  });

  it("handles \\r\\n, a byte order mark and trailing whitespace", () => {
    const article = only(parseTxt("s.txt", "\uFEFFTitle \r\n\r\nOne.  \r\nTwo.\t\r\n  \r\n"));
    expect(article).toEqual({ id: "s", title: "Title", paragraphs: ["One.", "Two."] });
  });

  it("keeps curly quotes, dashes and non-ASCII text exactly", () => {
    const article = only(
      parseTxt("s.txt", "Putin’s “signals” — ça va\n\nΚαλημέρα, 世界 “quoted”."),
    );
    expect(article.title).toBe("Putin’s “signals” — ça va");
    expect(article.paragraphs).toEqual(["Καλημέρα, 世界 “quoted”."]);
  });

  it("reports an empty file and an empty body (on the title's line)", () => {
    expect(problemOf(parseTxt("e.txt", " \n\n"))).toEqual({
      file: "e.txt",
      message: "file is empty; expected a title line, then paragraphs",
    });
    expect(problemOf(parseTxt("b.txt", "\n\nTitle only\n   \n"))).toEqual({
      file: "b.txt",
      line: 3,
      message: "no body: expected paragraphs after the title",
    });
  });

  it("reports a file name that cannot be an id", () => {
    expect(problemOf(parseTxt("dir/my story.txt", "T\n\nP")).message).toBe(
      'id "my story" (from the file name) contains whitespace or control characters; rename the file',
    );
    expect(problemOf(parseTxt(`${"x".repeat(101)}.txt`, "T\n\nP")).message).toMatch(
      /is 101 characters long; the limit is 100/,
    );
  });
});

describe("parseMarkdown", () => {
  it("reads front matter (quoted, unquoted, unknown keys) and drops a heading repeating the title", () => {
    const text = [
      "---",
      'title: "Library “Extends” Hours"',
      "source: 'Town''s Crier'",
      "url: https://example.com/a?b=1",
      "published: 2025-03-14",
      "tags:",
      "  - local",
      "# a comment",
      "---",
      "",
      "# Library “Extends” Hours",
      "",
      "First line",
      "wraps here.",
      "",
      "**Second** paragraph, as written.",
    ].join("\n");
    expect(only(parseMarkdown("lib.md", text))).toEqual({
      id: "lib",
      title: "Library “Extends” Hours",
      source: "Town's Crier",
      url: "https://example.com/a?b=1",
      published: "2025-03-14",
      paragraphs: ["First line wraps here.", "**Second** paragraph, as written."],
    });
  });

  it("uses a leading # heading as the title when the front matter has none", () => {
    const article = only(parseMarkdown("h.md", "\uFEFF\r\n# Rail Strike Off #\r\n\r\nBody.\r\n"));
    expect(article).toMatchObject({ title: "Rail Strike Off", paragraphs: ["Body."] });
  });

  it("keeps a heading that differs from the front-matter title as a paragraph", () => {
    const article = only(parseMarkdown("h.md", "---\ntitle: Real\n---\n# Other\n\nBody."));
    expect(article).toMatchObject({ title: "Real", paragraphs: ["# Other", "Body."] });
  });

  it("reports front matter with no closing --- on the opening line", () => {
    expect(problemOf(parseMarkdown("x.md", "---\ntitle: T\n\nBody."))).toEqual({
      file: "x.md",
      line: 1,
      message: "front matter has no closing ---",
    });
  });

  it("reports bad front-matter lines on their line", () => {
    const cases: [string, number, string][] = [
      ["---\ntitle: T\nnot a pair\n---\nB", 3, 'front matter line is not "key: value"'],
      [
        "---\ntitle: T\nurl: x\nurl: y\n---\nB",
        4,
        'front matter "url" is given twice (lines 3 and 4)',
      ],
      ['---\ntitle: "T\n---\nB', 2, 'front matter "title" has an unclosed quote'],
      [
        "---\ntitle:\n  two lines\n---\nB",
        3,
        'front matter "title" has a multi-line value; write it on one line',
      ],
      ["---\ntitle: T\nurl: ftp://x.org/a\n---\nB", 3, 'url is not http(s): "ftp://x.org/a"'],
    ];
    for (const [text, line, message] of cases) {
      expect(problemOf(parseMarkdown("x.md", text)), text).toEqual({ file: "x.md", line, message });
    }
  });

  it("reports a missing title and an empty body", () => {
    expect(problemOf(parseMarkdown("x.md", "---\nsource: S\n---\n\nBody.")).message).toBe(
      'title is missing: add "title: ..." to the front matter or start with a "# Heading" line',
    );
    expect(problemOf(parseMarkdown("x.md", "# Title\n\n")).message).toBe(
      "no body: expected paragraphs after the title",
    );
  });
});

describe("parseJson", () => {
  it("reads one object, using its id", () => {
    const text = JSON.stringify({
      id: " museum ",
      title: "Museum",
      url: "http://example.com/m",
      paragraphs: ["  One  ", "", "Two\nlines"],
      text: "ignored: paragraphs wins",
      extra: 1,
    });
    expect(only(parseJson("m.json", text))).toEqual({
      id: "museum",
      title: "Museum",
      url: "http://example.com/m",
      paragraphs: ["One", "Two lines"],
    });
  });

  it("splits text like a .txt body and names an id-less lone object after the file", () => {
    const article = only(parseJson("lone.json", '{"title": "T", "text": "a\\nb", "url": null}'));
    expect(article).toEqual({ id: "lone", title: "T", paragraphs: ["a", "b"] });
  });

  it("names id-less array items <file>-<position> and gives each problem the item's line", () => {
    const text = [
      "[",
      '  {"title": "A", "text": "a"},',
      '  {"id": "b", "title": "B", "text": "b"},',
      '  {"title": "", "text": "c"},',
      '  {"title": "D", "text": "d"}',
      "]",
    ].join("\n");
    const result = parseJson("dir/many.json", text);
    expect(result.articles.map((a) => [a.article.id, a.line])).toEqual([
      ["many-1", 2],
      ["b", 3],
      ["many-4", 5],
    ]);
    expect(result.problems).toEqual([
      { file: "dir/many.json", line: 4, message: 'article 3: "title" is missing or empty' },
    ]);
  });

  it("reports broken JSON with line and column", () => {
    expect(problemOf(parseJson("b.json", '{\n  "title": "T",\n  "text": "x",,\n}'))).toEqual({
      file: "b.json",
      line: 3,
      message: "broken JSON at column 15: expected a property name in double quotes, found ','",
    });
  });

  it("reports wrong field types", () => {
    const cases: [unknown, string][] = [
      [{ title: 3, text: "x" }, '"title" must be a string, got a number'],
      [{ title: "T", paragraphs: "x" }, '"paragraphs" must be an array of strings, got a string'],
      [
        { title: "T", paragraphs: ["a", 2] },
        '"paragraphs" must be an array of strings; item 2 is a number',
      ],
      [{ title: "T", id: 7, text: "x" }, '"id" must be a string, got a number'],
      [
        { title: "T", id: "a b", text: "x" },
        '"id" "a b" contains whitespace or control characters',
      ],
      [{ title: "T", id: "  ", text: "x" }, '"id" "" is empty'],
      [
        { title: "T", text: "x", url: "example.com" },
        'url is not a valid absolute URL: "example.com"',
      ],
      [{ title: "T" }, 'no body: "paragraphs" (an array of strings) or "text" must hold some text'],
      [
        { title: "T", paragraphs: [" ", ""] },
        'no body: "paragraphs" (an array of strings) or "text" must hold some text',
      ],
      ["just a string", "expected an article object or an array of them, got a string"],
      [[], "file holds an empty array; expected article objects"],
      [[1], "article 1: expected an article object, got a number"],
    ];
    for (const [value, message] of cases) {
      expect(
        problemOf(parseJson("t.json", JSON.stringify(value))).message,
        JSON.stringify(value),
      ).toBe(message);
    }
  });
});

describe("parseJsonl", () => {
  it("reads one object per line, skipping blank lines; id-less ones are <file>-<line>", () => {
    const text =
      '{"title": "A", "text": "a"}\r\n\r\n{"id": "b", "title": "B", "text": "b"}\r\n{"title": "C", "text": "c"}\r\n';
    const result = parseJsonl("feed.jsonl", text);
    expect(result.problems).toEqual([]);
    expect(result.articles.map((a) => [a.article.id, a.line])).toEqual([
      ["feed-1", 1],
      ["b", 3],
      ["feed-4", 4],
    ]);
  });

  it("reports a bad line by number and still loads the others", () => {
    const text = [
      '{"title": "A", "text": "a"}',
      '{"title": "B", "text": }',
      "[1]",
      '{"title": "D", "text": "d"}',
    ].join("\n");
    const result = parseJsonl("f.jsonl", text);
    expect(result.articles.map((a) => a.article.id)).toEqual(["f-1", "f-4"]);
    expect(result.problems).toEqual([
      {
        file: "f.jsonl",
        line: 2,
        message: "broken JSON at column 24: expected a value, found '}'",
      },
      { file: "f.jsonl", line: 3, message: "expected an article object, got an array" },
    ]);
  });

  it("reports an empty file", () => {
    expect(problemOf(parseJsonl("e.jsonl", "\n \n")).message).toMatch(/^file is empty/);
  });
});

describe("parseArticleFile", () => {
  it("dispatches on the extension and ignores other files", () => {
    expect(parseArticleFile("x.TXT", "T\n\nP")?.articles[0]?.article.id).toBe("x");
    expect(parseArticleFile("x.csv", "a,b")).toBeUndefined();
  });
});
