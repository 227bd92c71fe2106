/**
 * A burst of 1,000 /ask at once against the built bot, from 25 members: each must be
 * acknowledged within Discord's 3-second deadline and answered, and the log must not cry "rate
 * limited" when Discord refused nothing. How fast is measured by `npm run burst`, not here.
 */
import { describe, expect, it } from "vitest";
import type { InteractionHandle } from "./support/fakeDiscord.js";
import { botEnv, harness, STEP_MS, TEST_MS, TOKEN } from "./support/processHarness.js";

const QUESTIONS = [
  "How long would the ceasefire last?",
  "What did Putin tell Trump?",
  "What did the Kremlin say about the ceasefire?",
];

describe("a burst of questions", () => {
  it(
    "1,000 at once: none lost to the 3-second deadline, none left thinking, no rate-limit warning",
    async ({ onTestFinished }) => {
      const { run, startFake, tempDir } = harness(onTestFinished);
      const fake = await startFake({ token: TOKEN });
      const bot = run("src/index.ts", botEnv(fake, tempDir(), { COOLDOWN_QUESTIONS: "1000" }));
      await bot.waitForRecord((r) => r.msg === "ready");
      const members = Array.from({ length: 25 }, (_, i) =>
        fake.resolveUser({ username: `member${i}` }),
      );

      const handles: InteractionHandle[] = Array.from({ length: 1000 }, (_, i) =>
        fake.sendSlashCommand({
          name: "ask",
          options: { question: QUESTIONS[i % QUESTIONS.length] ?? "ceasefire" },
          user: members[i % members.length],
        }),
      );
      const tally = await fake.waitForSettled(STEP_MS);

      expect(tally).toMatchObject({ sent: 1000, acknowledgedInTime: 1000, lost: 0, thinking: 0 });
      expect(handles.filter((handle) => handle.edits().length === 0)).toEqual([]);
      const warnings = bot.records().filter((r) => r.level === "warn" || r.level === "error");
      expect(warnings).toEqual([]);
    },
    TEST_MS,
  );
});
