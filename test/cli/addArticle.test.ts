/**
 * `npm run add-article` in-process, against a local server: what it writes, what it prints and
 * its exit codes. addArticle.process.test.ts runs the real program once.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { Writable } from "node:stream";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type AddArticleIo, runAddArticle } from "../../src/cli/addArticle.js";
import { loadCorpus } from "../../src/corpus/loadCorpus.js";
import { makeTempDir, removeTempDir } from "../corpus/tempDir.js";
import { fixture, type LocalServer, serve, startLocalServer } from "../ingest/localServer.js";

const HARBOUR_ID = "harbour-bridge-reopens-after-two-year-repair";
const ALLOW = { ALLOW_PRIVATE_FETCH: "true" } as const;

let server: LocalServer;
let dir: string;

beforeAll(async () => {
  server = await startLocalServer({
    "/harbour": serve("text/html; charset=utf-8", fixture("harbour-article.html")),
    "/index": serve("text/html", fixture("section-index.html")),
    "/feed": serve("application/rss+xml", fixture("rss2.xml")),
    "/slow": () => undefined,
  });
});
afterAll(() => server.close());
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(() => removeTempDir(dir));

async function run(
  argv: readonly string[],
  env: Readonly<Record<string, string>> = ALLOW,
  extra: Partial<AddArticleIo> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const sink = (into: string[]) =>
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        into.push(chunk.toString("utf8"));
        callback();
      },
    });
  const code = await runAddArticle(argv, {
    stdout: sink(out),
    stderr: sink(err),
    cwd: dir,
    env,
    ...extra,
  });
  return { code, stdout: out.join(""), stderr: err.join("") };
}

describe("runAddArticle", () => {
  it("writes the page's article into the folder, says where and how many paragraphs, and it loads back", async () => {
    const { code, stdout, stderr } = await run([server.url("/harbour"), "--data", "."]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toBe(
      `Wrote ${HARBOUR_ID}.md (id ${HARBOUR_ID}): "Harbour Bridge Reopens After Two-Year Repair", 9 paragraphs\n`,
    );
    const corpus = await loadCorpus(dir);
    expect(corpus.problems).toEqual([]);
    expect(corpus.articles).toHaveLength(1);
    const [article] = corpus.articles;
    expect(article).toMatchObject({
      id: HARBOUR_ID,
      title: "Harbour Bridge Reopens After Two-Year Repair",
      url: "https://herald.example/news/2026/harbour-bridge-reopens",
      source: "The Coastal Herald",
      published: "2026-03-14T07:30:00Z",
    });
    expect(article?.paragraphs).toHaveLength(9);
    expect(article?.paragraphs[2]).toBe("What changed");
  });

  it("adds the same page again under a new name, with a note, never overwriting", async () => {
    await run([server.url("/harbour"), "--data", dir]);
    const before = await fs.readFile(path.join(dir, `${HARBOUR_ID}.md`), "utf8");
    const again = await run([server.url("/harbour"), "--data", dir]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`${HARBOUR_ID}-2.md`);
    expect(again.stderr).toBe(
      `add-article: note: the article "${HARBOUR_ID}" has the same address; this one is added beside it\n`,
    );
    expect(await fs.readFile(path.join(dir, `${HARBOUR_ID}.md`), "utf8")).toBe(before);
  });

  it("refuses the local server without ALLOW_PRIVATE_FETCH, in one line, exit 1", async () => {
    const { code, stdout, stderr } = await run([server.url("/harbour"), "--data", dir], {});
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      `add-article: fetch: ${server.url("/harbour")}: is a loopback address (127.0.0.1)\n`,
    );
    expect(await fs.readdir(dir)).toEqual([]);
  });

  it.each([
    ["not a URL", "not-a-url", "add-article: fetch: not-a-url: is not a web address"],
    ["a missing page", "/missing", "the site answered 404 Not Found"],
    ["an index page", "/index", "it looks like an index page, not an article"],
    ["a feed", "/feed", "is a feed or data (application/rss+xml), not an article page"],
  ])("fails on %s with one line, exit 1, writing nothing", async (_what, target, message) => {
    const url = target.startsWith("/") ? server.url(target) : target;
    const { code, stderr } = await run([url, "--data", dir]);
    expect(code).toBe(1);
    expect(stderr).toContain(message);
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(await fs.readdir(dir)).toEqual([]);
  });

  it("gives up on a slow site after the fetcher's timeout", async () => {
    const { code, stderr } = await run([server.url("/slow"), "--data", dir], ALLOW, {
      fetch: { timeoutMs: 200 },
    });
    expect(code).toBe(1);
    expect(stderr).toBe(`add-article: fetch: ${server.url("/slow")}: timed out after 0.2 s\n`);
  });

  it.each([
    [[], "add-article: give the URL of a news page"],
    [["https://a.example/1", "https://a.example/2"], "add-article: one URL at a time (got 2)"],
    [["--nope", "https://a.example/"], "add-article: unknown option --nope"],
    [["https://a.example/", "--data", "no-such-folder"], "add-article: corpus: articles folder"],
  ])("exits 2 on a usage error: %j", async (argv, message) => {
    const { code, stderr } = await run(argv);
    expect(code).toBe(2);
    expect(stderr.startsWith(message)).toBe(true);
  });

  it("exits 2 on a bad ALLOW_PRIVATE_FETCH, and prints the usage with --help", async () => {
    const bad = await run(["https://a.example/"], { ALLOW_PRIVATE_FETCH: "yes" });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^add-article: config: ALLOW_PRIVATE_FETCH must be true or false/);
    const help = await run(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run add-article -- URL \[--data DIR\]/);
  });
});
