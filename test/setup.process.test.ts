/**
 * What a new operator does, as the README says it, against the fake Discord: copy
 * `.env.example` to `.env`, fill in the two keys, register the commands, start the built bot, ask
 * it something. Then the same from a production install (only the production dependencies
 * beside the build), and what start-up and deploy say when the API never answers.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, symlinkSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "./support/dist.js";
import type { FakeDiscord } from "./support/fakeDiscord.js";
import {
  APP_ID,
  botEnv,
  expectNoStack,
  harness,
  MISSING_TOKEN_LINE,
  STEP_MS,
  TEST_MS,
  TOKEN,
} from "./support/processHarness.js";
import { silentServer } from "./support/tcp.js";

const QUESTION = "How long would the ceasefire last?";

/**
 * The shipped `.env.example` with `values` filled in, each replacing its key's line, as a user
 * edits it (a key not in the file is an error: the test would check nothing).
 */
function filledEnvExample(values: Record<string, string>): string {
  let text = readFileSync(path.join(PROJECT_ROOT, ".env.example"), "utf8");
  for (const [key, value] of Object.entries(values)) {
    const line = new RegExp(`^${key}=.*$`, "m");
    if (!line.test(text)) throw new Error(`.env.example has no ${key}= line`);
    text = text.replace(line, `${key}=${value}`);
  }
  return text;
}

/** Asks the README's question on `fake` and returns the answer's embed text. */
async function askTheReadmeQuestion(fake: FakeDiscord): Promise<string> {
  const reply = await fake
    .sendSlashCommand({ name: "ask", options: { question: QUESTION } })
    .final(STEP_MS);
  return JSON.stringify(reply.embeds ?? []);
}

/**
 * A production install of the build: `dist/`, `package.json` and `data/` copied into a temp
 * folder whose `node_modules` holds only the production dependencies (links to the project's
 * installed copies, listed by `npm ls --omit=dev`), so an import of a dev dependency (tsx,
 * typescript, vitest) from the built code fails there as it would after `npm ci --omit=dev`.
 */
function productionTree(dir: string): string {
  for (const item of ["dist", "data", "package.json", "package-lock.json"]) {
    cpSync(path.join(PROJECT_ROOT, item), path.join(dir, item), { recursive: true });
  }
  const modules = path.join(PROJECT_ROOT, "node_modules");
  const listed = execFileSync("npm", ["ls", "--omit=dev", "--all", "--parseable"], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
  });
  const topLevel = new Set(
    listed
      .split("\n")
      .map((line) => path.relative(modules, line.trim()))
      .filter((name) => name !== "" && !name.startsWith("..") && !name.includes("node_modules"))
      .filter((name) => !name.startsWith("@") || name.split(path.sep).length === 2),
  );
  for (const name of topLevel) {
    if (name.startsWith("@") && !name.includes(path.sep)) continue;
    mkdirSync(path.dirname(path.join(dir, "node_modules", name)), { recursive: true });
    symlinkSync(path.join(modules, name), path.join(dir, "node_modules", name), "dir");
  }
  return dir;
}

describe.concurrent("set up as the README says", () => {
  it(
    "from .env.example with the two keys filled in: deploy-commands, npm start, /ask answers",
    async ({ onTestFinished }) => {
      const { run, startFake, tempDir } = harness(onTestFinished);
      const fake = await startFake({ token: TOKEN });
      const cwd = tempDir({
        ".env": filledEnvExample({
          DISCORD_TOKEN: TOKEN,
          DISCORD_APPLICATION_ID: fake.applicationId,
          DISCORD_API_URL: fake.apiUrl,
        }),
      });
      // Only DATABASE_PATH comes from the environment (the harness's temp file, not the
      // project's var/); every other setting is the shipped example's.
      const deploy = run("src/deploy.ts", {}, cwd);
      expect(await deploy.exited()).toBe(0);
      expect(deploy.stdout()).toMatch(
        /^deploy-commands: registered \d+ commands \(articles, ask, /,
      );

      const bot = run("src/index.ts", {}, cwd);
      const ready = await bot.waitForRecord((r) => r.msg === "ready");
      expect(ready).toMatchObject({ userId: fake.botUser.id });
      expect(bot.records().filter((r) => r.level === "warn")).toEqual([]);

      expect(await askTheReadmeQuestion(fake)).toContain("30-day halt to fighting");
      bot.child.kill("SIGTERM");
      expect(await bot.exited()).toBe(0);
    },
    TEST_MS,
  );

  it(
    "from an empty .env: the one line saying what to fill in, exit 1",
    async ({ onTestFinished }) => {
      const { run, tempDir } = harness(onTestFinished);
      const bot = run("src/index.ts", {}, tempDir({ ".env": "" }));
      expect(await bot.exited()).toBe(1);
      expect(bot.stderr()).toBe(`${MISSING_TOKEN_LINE}\n`);
      expect(bot.stdout()).toBe("");
    },
    TEST_MS,
  );

  it(
    "with the old SHARD_COUNT=auto in .env: starts, and warns to rename it",
    async ({ onTestFinished }) => {
      const { run, startFake, tempDir } = harness(onTestFinished);
      const fake = await startFake({ token: TOKEN });
      const env = botEnv(fake, tempDir());
      const cwd = tempDir({
        ".env": `DISCORD_TOKEN=${TOKEN}\nDISCORD_APPLICATION_ID=${APP_ID}\nSHARD_COUNT=auto\n`,
      });
      const bot = run("src/index.ts", { DISCORD_API_URL: env.DISCORD_API_URL }, cwd);
      await bot.waitForRecord((r) => r.msg === "ready");
      expect(bot.records()).toContainEqual(
        expect.objectContaining({
          level: "warn",
          msg: expect.stringMatching(/^config: SHARD_COUNT is discord\.js's own variable/),
        }),
      );
    },
    TEST_MS,
  );

  it(
    "with SHARD_COUNT=auto in the environment itself: starts all the same",
    async ({ onTestFinished }) => {
      const { run, startFake, tempDir } = harness(onTestFinished);
      const fake = await startFake({ token: TOKEN });
      const bot = run("src/index.ts", botEnv(fake, tempDir(), { SHARD_COUNT: "auto" }));
      const ready = await bot.waitForRecord((r) => r.msg === "ready");
      expect(ready).toMatchObject({ userId: fake.botUser.id });
    },
    TEST_MS,
  );

  it(
    "a production install (the build and production dependencies only) starts and answers /ask",
    async ({ onTestFinished }) => {
      const { run, startFake, tempDir } = harness(onTestFinished);
      const fake = await startFake({ token: TOKEN });
      const tree = productionTree(tempDir());
      const bot = run(path.join(tree, "dist/src/index.js"), botEnv(fake, tempDir()), tree);
      const ready = await bot.waitForRecord((r) => r.msg === "ready");
      // The default articles folder is the installed tree's, wherever the build is.
      expect(ready.articles).toBe(1);
      expect(await askTheReadmeQuestion(fake)).toContain("30-day halt to fighting");
      expect(bot.stderr()).toBe("");
    },
    TEST_MS,
  );
});

describe.concurrent("a Discord API that accepts the connection and never answers", () => {
  const TIMED_OUT =
    /timed out: http:\/\/127\.0\.0\.1:\d+\/api gave no answer within 15 s; check DISCORD_API_URL/;

  it.for([
    ["npm start", "src/index.ts", /^newsdesk: could not connect to Discord: /],
    ["deploy-commands", "src/deploy.ts", /^deploy-commands: /],
    ["start:sharded", "src/shard.ts", /^start:sharded: /],
  ] as const)(
    "%s gives up after 15 s with one line saying so and what to check",
    { timeout: TEST_MS },
    async ([, entry, prefix], { onTestFinished }) => {
      const { run } = harness(onTestFinished);
      const apiUrl = `http://127.0.0.1:${(await silentServer(onTestFinished)).port}/api`;
      const started = Date.now();
      const child = run(entry, {
        DISCORD_TOKEN: TOKEN,
        DISCORD_APPLICATION_ID: APP_ID,
        DISCORD_API_URL: apiUrl,
      });
      expect(await child.exited(STEP_MS)).toBe(1);
      expect(Date.now() - started).toBeLessThan(40_000);
      const lines = child.stderr().trimEnd().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(prefix);
      expect(lines[0]).toMatch(TIMED_OUT);
      expectNoStack(child.stderr());
    },
  );
});
