/**
 * Feeds as `npm start` runs them (the build in `dist/`): an operator feed listed in FEEDS_FILE,
 * served by a local HTTP server, is polled once the bot is ready, its article answered from in a
 * server; after a restart the stored article is served at once and the feed is not asked again
 * before its time.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { startLocalServer } from "./ingest/localServer.js";
import { botEnv, harness, STEP_MS, TEST_MS, TOKEN } from "./support/processHarness.js";

const FEED = `<?xml version="1.0"?><rss version="2.0"><channel><title>Island Gazette</title>
  <link>http://127.0.0.1/</link><description>d</description>
  <item><guid>lifeboat-1</guid><title>Lifeboat station gets a new boat</title>
  <description>The lifeboat station at Kilmory took delivery of a new all-weather boat named Spirit of Arran on Tuesday.</description>
  </item></channel></rss>`;

describe("npm start with FEEDS_FILE", () => {
  it(
    "polls the operator's feed once ready, answers from it, and serves it again after a restart without refetching",
    async ({ onTestFinished }) => {
      const server = await startLocalServer({
        "/feed.xml": (_q, r) =>
          r.writeHead(200, { "content-type": "application/rss+xml", etag: '"1"' }).end(FEED),
      });
      onTestFinished(() => server.close());
      const { run, startFake, tempDir } = harness(onTestFinished);
      const fake = await startFake({ token: TOKEN });
      const dir = tempDir();
      const feedsFile = path.join(dir, "feeds.txt");
      writeFileSync(feedsFile, `# the operator's feeds\n${server.url("/feed.xml")}\n`);
      const env = botEnv(fake, dir, { FEEDS_FILE: feedsFile, ALLOW_PRIVATE_FETCH: "true" });

      const bot = run("src/index.ts", env);
      expect(await bot.waitForRecord((r) => r.msg === "feeds: FEEDS_FILE synced")).toMatchObject({
        added: 1,
      });
      const added = await bot.waitForRecord((r) => r.msg === "feeds: article added");
      expect(added).toMatchObject({ title: "Lifeboat station gets a new boat", scope: "global" });
      const reply = await fake
        .sendSlashCommand({ name: "ask", options: { question: "What is the new lifeboat named?" } })
        .final(STEP_MS);
      expect(JSON.stringify(reply.embeds)).toContain("Spirit of Arran");
      bot.child.kill("SIGTERM");
      expect(await bot.exited(15_000)).toBe(0);
      expect(bot.stderr()).toBe("");
      const feedRequests = server.requests.length;

      const again = run("src/index.ts", env);
      expect(
        await again.waitForRecord((r) => r.msg === "feeds: stored articles loaded"),
      ).toMatchObject({ articles: 1 });
      await again.waitForRecord((r) => r.msg === "ready");
      const second = await fake
        .sendSlashCommand({ name: "ask", options: { question: "What is the new lifeboat named?" } })
        .final(STEP_MS);
      expect(JSON.stringify(second.embeds)).toContain("Spirit of Arran");
      again.child.kill("SIGTERM");
      expect(await again.exited(15_000)).toBe(0);
      // Not due yet after the restart: no request to the feed.
      expect(server.requests.length).toBe(feedRequests);
      expect(again.records().some((r) => r.msg === "feeds: article added")).toBe(false);
    },
    TEST_MS,
  );
});
