/**
 * The articles folder watch as `npm start` runs it (the build in `dist/`, a temp DATA_DIR): a
 * file written while the bot serves is answered from, a malformed one gets its log line, and
 * SIGTERM still stops the bot cleanly with the watch running.
 */
import { writeFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { botEnv, harness, STEP_MS, TEST_MS, TOKEN } from "./support/processHarness.js";

describe("npm start watching DATA_DIR", () => {
  it(
    "serves a file written while running, logs a malformed one, and stops on SIGTERM",
    async ({ onTestFinished }) => {
      const { run, startFake, tempDir } = harness(onTestFinished);
      const fake = await startFake({ token: TOKEN });
      const dir = tempDir();
      const articles = path.join(dir, "articles");
      await mkdir(articles);
      writeFileSync(
        path.join(articles, "ferry.txt"),
        "Ferry timetable changes\n\nThe island ferry will sail twice a day from May.",
      );
      const bot = run("src/index.ts", botEnv(fake, dir, { DATA_DIR: articles }));
      expect(await bot.waitForRecord((r) => r.msg === "ready")).toMatchObject({ articles: 1 });

      writeFileSync(
        path.join(articles, "harbour.txt"),
        "Harbour reopens after storm\n\nThe harbour at Port Ellen reopened after nine days.",
      );
      const updated = await bot.waitForRecord((r) => r.msg === "library updated");
      expect(updated).toMatchObject({ added: ["harbour"], removed: [], articles: 2 });
      const reply = await fake
        .sendSlashCommand({
          name: "ask",
          options: { question: "When did Port Ellen harbour reopen?" },
        })
        .final(STEP_MS);
      expect(JSON.stringify(reply.embeds)).toContain("Harbour reopens after storm");

      writeFileSync(path.join(articles, "broken.json"), "{");
      const problem = await bot.waitForRecord(
        (r) => r.level === "warn" && r.file === path.join(articles, "broken.json"),
      );
      expect(String(problem.msg)).toMatch(/^corpus problem: /);

      bot.child.kill("SIGTERM");
      expect(await bot.exited(15_000)).toBe(0);
      expect(bot.stderr()).toBe("");
    },
    TEST_MS,
  );
});
