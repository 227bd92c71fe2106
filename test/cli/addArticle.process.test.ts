/**
 * `npm run add-article` as a user types it (npm, then tsx on the source), against a local server:
 * the package script, the exit codes and what reaches the terminal. The cases are covered
 * in-process in addArticle.test.ts.
 */
import { spawn } from "node:child_process";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadCorpus } from "../../src/corpus/loadCorpus.js";
import { makeTempDir, removeTempDir } from "../corpus/tempDir.js";
import { fixture, type LocalServer, serve, startLocalServer } from "../ingest/localServer.js";
import { PROJECT_ROOT } from "../support/dist.js";
import type { NodeRun } from "../support/runNode.js";

const TIMEOUT_MS = 60_000;

let server: LocalServer;
let dir: string;

beforeAll(async () => {
  server = await startLocalServer({
    "/council": serve("text/html", fixture("council-vote.html")),
  });
});
afterAll(() => server.close());
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(() => removeTempDir(dir));

/** Runs `npm run -s add-article -- ...args` in the project folder with these settings. */
function npmRun(args: readonly string[], env: Readonly<Record<string, string>>): Promise<NodeRun> {
  const {
    INIT_CWD: _cwd,
    DATA_DIR: _data,
    ALLOW_PRIVATE_FETCH: _allow,
    ...inherited
  } = process.env;
  const child = spawn("npm", ["run", "-s", "add-article", "--", ...args], {
    cwd: PROJECT_ROOT,
    env: { ...inherited, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({
        code,
        stdout: Buffer.concat(stdout).toString("utf8"),
        stderr: Buffer.concat(stderr).toString("utf8"),
      }),
    );
  });
}

describe("npm run add-article, as a process", () => {
  it(
    "writes the page into --data with ALLOW_PRIVATE_FETCH=true, and the loader reads it back",
    async () => {
      const url = server.url("/council");
      const { code, stdout, stderr } = await npmRun([url, "--data", dir], {
        ALLOW_PRIVATE_FETCH: "true",
      });
      expect(stderr).toBe("");
      expect(code).toBe(0);
      expect(stdout).toMatch(
        /^Wrote .*council-votes-to-keep-the-old-library-open\.md \(id council-votes-to-keep-the-old-library-open\): "Council votes to keep the old library open", 4 paragraphs\n$/,
      );
      const corpus = await loadCorpus(dir);
      expect(corpus.articles.map((a) => [a.title, a.paragraphs.length, a.published])).toEqual([
        ["Council votes to keep the old library open", 4, "2026-02-03T18:05:00Z"],
      ]);
    },
    TIMEOUT_MS,
  );

  it(
    "refuses 127.0.0.1 without ALLOW_PRIVATE_FETCH: one line on stderr, exit 1",
    async () => {
      const url = server.url("/council");
      const { code, stdout, stderr } = await npmRun([url, "--data", dir], {
        ALLOW_PRIVATE_FETCH: "false",
      });
      expect(code).toBe(1);
      expect(stdout).toBe("");
      expect(stderr).toBe(`add-article: fetch: ${url}: is a loopback address (127.0.0.1)\n`);
    },
    TIMEOUT_MS,
  );
});
