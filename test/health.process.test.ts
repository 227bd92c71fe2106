/**
 * HEALTH_PORT through `npm start`'s entry point (the build in dist/, as a process): src/index.ts
 * starts the health server with the gateway and database checks, or stops at once when the port
 * is taken.
 */
import { describe, expect, it } from "vitest";
import {
  botEnv,
  expectNoStack,
  harness,
  STEP_MS,
  TEST_MS,
  TOKEN,
} from "./support/processHarness.js";
import { sampleValue } from "./support/promText.js";
import { freePort, holdPort } from "./support/tcp.js";

describe.concurrent("npm start with HEALTH_PORT", () => {
  it(
    "stops with one line naming the port when another program holds it, exit 1",
    async ({ onTestFinished }) => {
      const { run, startFake, tempDir } = harness(onTestFinished);
      const taken = await holdPort();
      onTestFinished(taken.close);
      const fake = await startFake({ token: TOKEN });
      const bot = run("src/index.ts", botEnv(fake, tempDir(), { HEALTH_PORT: String(taken.port) }));
      expect(await bot.exited()).toBe(1);
      expect(bot.stderr()).toBe(
        `health: 127.0.0.1:${taken.port} is in use by another program: set HEALTH_PORT to a free port, or stop that program\n`,
      );
      expectNoStack(bot.stderr());
      // Said before the bot logs in.
      expect(fake.identifies).toBe(0);
    },
    TEST_MS,
  );

  it(
    "serves /healthz and /metrics on 127.0.0.1 once ready, counts an /ask, and frees the port at SIGTERM",
    async ({ onTestFinished }) => {
      const { run, startFake, tempDir } = harness(onTestFinished);
      // A port free a moment ago (the bot takes it right after).
      const port = await freePort();
      const fake = await startFake({ token: TOKEN });
      const bot = run("src/index.ts", botEnv(fake, tempDir(), { HEALTH_PORT: String(port) }));
      const listening = await bot.waitForRecord(
        (r) => r.msg === "health: /healthz and /metrics listening",
      );
      const url = `http://127.0.0.1:${port}`;
      expect(listening.url).toBe(url);
      await bot.waitForRecord((r) => r.msg === "ready");

      const health = await fetch(`${url}/healthz`);
      expect([health.status, await health.text()]).toEqual([200, "ok\n"]);

      const asked = fake.sendSlashCommand({
        name: "ask",
        options: { question: "How long would the ceasefire last?" },
      });
      await asked.final(STEP_MS);
      await bot.waitForRecord((r) => r.msg === "interaction" && r.id === asked.id);
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(
        sampleValue(metrics, "newsdesk_interactions_total", { command: "ask", outcome: "ok" }),
      ).toBe(1);
      expect(sampleValue(metrics, "newsdesk_library_articles")).toBe(
        (await bot.waitForRecord((r) => r.msg === "ready")).articles,
      );
      expect(sampleValue(metrics, "process_resident_memory_bytes")).toBeGreaterThan(0);

      bot.child.kill("SIGTERM");
      expect(await bot.exited(15_000)).toBe(0);
      await expect(fetch(`${url}/healthz`)).rejects.toThrow();
      expect(bot.stderr()).toBe("");
    },
    TEST_MS,
  );
});
