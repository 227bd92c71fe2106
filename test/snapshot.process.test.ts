/**
 * The index snapshot as `npm start` uses it (the build in `dist/`, INDEX_SNAPSHOT_PATH at its
 * default beside the temp DATABASE_PATH): the first start builds the index and writes the
 * snapshot, the second starts from it and answers the same, and a damaged snapshot is said in one
 * warning, rebuilt and written again.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { writeFiles } from "./corpus/tempDir.js";
import { botEnv, harness, STEP_MS, TEST_MS, TOKEN } from "./support/processHarness.js";

const QUESTION = "When did Port Ellen harbour reopen?";

describe("npm start with an index snapshot", () => {
  it(
    "writes it after a cold start, starts from it the next time with the same answers, and rebuilds a damaged one",
    async ({ onTestFinished }) => {
      const { run, startFake, tempDir } = harness(onTestFinished);
      const fake = await startFake({ token: TOKEN });
      const dir = tempDir();
      const articles = path.join(dir, "articles");
      await mkdir(articles);
      await writeFiles(articles, {
        "ferry.txt": "Ferry timetable changes\n\nThe island ferry will sail twice a day from May.",
        "harbour.txt":
          "Harbour reopens after storm\n\nThe harbour at Port Ellen reopened after nine days.\n\nFishing boats returned on Friday.",
      });
      const env = botEnv(fake, dir, { DATA_DIR: articles });
      const file = path.join(dir, "pins.index");
      const ask = async () =>
        JSON.stringify(
          (
            await fake
              .sendSlashCommand({ name: "ask", options: { question: QUESTION } })
              .final(STEP_MS)
          ).embeds,
        );

      const first = run("src/index.ts", env);
      expect(
        await first.waitForRecord(
          (r) => r.msg === "library: no index snapshot yet, building the index",
        ),
      ).toMatchObject({ level: "info", file });
      expect(await first.waitForRecord((r) => r.msg === "library: snapshot written")).toMatchObject(
        { file },
      );
      await first.waitForRecord((r) => r.msg === "ready");
      const answer = await ask();
      expect(answer).toContain("Harbour reopens after storm");
      first.child.kill("SIGTERM");
      expect(await first.exited(15_000)).toBe(0);
      expect(existsSync(file)).toBe(true);

      const second = run("src/index.ts", env);
      expect(await second.waitForRecord((r) => r.msg === "library: snapshot loaded")).toMatchObject(
        {
          level: "info",
          file,
          kept: 2,
          removed: 0,
          added: 0,
        },
      );
      await second.waitForRecord((r) => r.msg === "ready");
      expect(await ask()).toBe(answer);
      second.child.kill("SIGTERM");
      expect(await second.exited(15_000)).toBe(0);
      // Nothing changed: nothing written, nothing rebuilt.
      const messages = second.records().map((r) => r.msg);
      expect(messages).not.toContain("library: snapshot written");
      expect(messages).not.toContain("library: no index snapshot yet, building the index");
      expect(second.stderr()).toBe("");

      writeFileSync(file, readFileSync(file).subarray(0, 100));
      const third = run("src/index.ts", env);
      const unused = await third.waitForRecord(
        (r) => r.msg === "library: index snapshot not used, building the index",
      );
      expect(unused).toMatchObject({ level: "warn", file });
      expect(String(unused.reason)).toMatch(/^truncated: /);
      await third.waitForRecord((r) => r.msg === "library: snapshot written");
      await third.waitForRecord((r) => r.msg === "ready");
      expect(await ask()).toBe(answer);
      third.child.kill("SIGTERM");
      expect(await third.exited(15_000)).toBe(0);
      expect(third.records().filter((r) => r.level === "warn" || r.level === "error")).toEqual([
        unused,
      ]);
      expect(third.stderr()).toBe("");
    },
    TEST_MS,
  );
});
