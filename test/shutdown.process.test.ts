/**
 * Stopping the built bot as a supervisor or a person does: SIGTERM in the middle of a burst of
 * questions, and SIGTERM to `npm start`'s own process (npm, not the bot under it). No question is
 * left thinking or unacknowledged, and no bot outlives the process that started it.
 */
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { FakeDiscord, InteractionHandle } from "./support/fakeDiscord.js";
import { botEnv, harness, STEP_MS, TEST_MS, TOKEN } from "./support/processHarness.js";

const CEASEFIRE = "How long would the ceasefire last?";

/** `count` /ask at once, from as many new members. */
function burst(fake: FakeDiscord, count: number): InteractionHandle[] {
  return Array.from({ length: count }, (_, i) =>
    fake.sendSlashCommand({
      name: "ask",
      options: { question: CEASEFIRE },
      user: fake.resolveUser({ username: `member${i}` }),
    }),
  );
}

/**
 * Whether process `pid` still runs. An orphan that exited stays a zombie when the machine's
 * init does not reap it (as in some containers): on Linux that counts as gone.
 */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (!existsSync("/proc")) return true;
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

describe("stopping npm start", () => {
  it(
    "SIGTERM during a burst of 100: every question answered or told to ask again, none lost, exit 0",
    async ({ onTestFinished }) => {
      const { run, startFake, tempDir } = harness(onTestFinished);
      const fake = await startFake({ token: TOKEN });
      const bot = run("src/index.ts", botEnv(fake, tempDir(), { COOLDOWN_QUESTIONS: "1000" }));
      await bot.waitForRecord((r) => r.msg === "ready");
      // Some edits are held a little, so the drain has something to wait for.
      fake.delayNext({ method: "PATCH", pathPrefix: "/webhooks/" }, 1000, 5);

      const first = burst(fake, 100);
      await fake.waitFor(
        () => fake.requests.filter((r) => r.path.endsWith("/callback")).length >= 20,
        STEP_MS,
        "20 callbacks",
      );
      bot.child.kill("SIGTERM");
      await bot.waitForRecord((r) => r.msg === "draining");
      const late = burst(fake, 5);

      expect(await bot.exited(30_000)).toBe(0);
      expect(fake.tally()).toMatchObject({ sent: 105, lost: 0, thinking: 0, pending: 0 });
      for (const handle of late) expect((await handle.final(0)).content).toContain("restarting");
      const answered = first.filter((handle) => handle.edits().length > 0).length;
      expect(answered).toBeGreaterThan(0);
      expect(bot.records().map((r) => r.msg)).toEqual(
        expect.arrayContaining(["stopping", "draining", "drained", "stopped"]),
      );
    },
    TEST_MS,
  );

  it(
    "SIGTERM to npm's own process: the bot under it stops too, gracefully, and exits",
    async ({ onTestFinished }) => {
      const { runNpm, startFake, tempDir } = harness(onTestFinished);
      const fake = await startFake({ token: TOKEN });
      const npm = runNpm(["start"], botEnv(fake, tempDir()));
      const ready = await npm.waitForRecord((r) => r.msg === "ready");
      const botPid = ready.pid as number;
      expect(botPid).not.toBe(npm.child.pid);

      npm.child.kill("SIGTERM"); // npm only, not its process group

      // The pipe closes once every process holding it (npm, the shell, the bot) has exited.
      await npm.exited(20_000);
      expect(alive(botPid)).toBe(false);
      expect(npm.records().map((r) => r.msg)).toEqual(
        expect.arrayContaining(["parent process gone", "stopping", "stopped"]),
      );
    },
    TEST_MS,
  );

  it(
    "SIGTERM to npm's own process under start:sharded: the manager and its shard stop too",
    async ({ onTestFinished }) => {
      const { runNpm, startFake, tempDir } = harness(onTestFinished);
      const fake = await startFake({ token: TOKEN });
      const npm = runNpm(["run", "start:sharded"], botEnv(fake, tempDir()));
      const spawned = await npm.waitForRecord((r) => r.msg === "shard spawned", STEP_MS);
      await npm.waitForRecord((r) => r.msg === "ready");

      npm.child.kill("SIGTERM"); // npm only, not its process group

      await npm.exited(30_000);
      expect(alive(spawned.pid as number)).toBe(false);
      expect(npm.records().map((r) => r.msg)).toEqual(
        expect.arrayContaining(["parent process gone", "draining", "all shards stopped"]),
      );
    },
    TEST_MS,
  );
});
