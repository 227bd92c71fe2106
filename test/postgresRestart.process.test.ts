/**
 * `npm start` on PostgreSQL (DATABASE_URL) while the server restarts under load: questions keep
 * being answered (the pin lookup is answered around), a pin asked for while the server is down
 * is refused with one line naming the database, the bot reconnects by itself once the server is
 * back, and no pin confirmed before, during or after is lost; the records of the questions asked
 * meanwhile are written once the server is back.
 */
import pg from "pg";
import { describe, expect, it } from "vitest";
import { startPostgres } from "./support/postgres.js";
import { botEnv, harness, STEP_MS, TEST_MS, TOKEN } from "./support/processHarness.js";

const SEED_ID = "kremlin-putin-message-trump-ceasefire";
const QUESTION = "How long would the ceasefire last?";

describe("npm start on PostgreSQL, the server restarted under load", () => {
  it(
    "answers throughout, refuses a pin in one line while the server is down, reconnects, and loses no pin",
    async ({ onTestFinished }) => {
      const postgres = await startPostgres();
      onTestFinished(() => postgres.close());
      const { run, startFake, tempDir } = harness(onTestFinished);
      const fake = await startFake({ token: TOKEN });
      const env = botEnv(fake, tempDir(), { DATABASE_URL: postgres.url, LOG_LEVEL: "info" });
      const bot = run("src/index.ts", env);
      await bot.waitForRecord((r) => r.msg === "ready");

      const pin = (question: string) =>
        fake
          .sendSlashCommand({
            name: "pins",
            subcommand: "add",
            options: { question, article: SEED_ID, paragraph: 4 },
            role: "moderator",
          })
          .final(STEP_MS);
      const ask = (i: number) =>
        fake
          .sendSlashCommand({
            name: "ask",
            options: { question: QUESTION },
            user: fake.resolveUser({ username: `reader${i}` }),
          })
          .final(STEP_MS);

      const before = await pin(QUESTION);
      expect(JSON.stringify(before)).toContain("Pinned");

      // Load while the server goes down: every question still gets its answer.
      const burst = Array.from({ length: 8 }, (_, i) => ask(i));
      await postgres.stop();
      const during = await Promise.all([...burst, ...[8, 9, 10].map((i) => ask(i))]);
      for (const reply of during) expect(JSON.stringify(reply.embeds)).toContain("30-day");

      // A pin while it is down: refused (after the store's patience) in one line.
      const refused = await pin("How many days would the truce hold?");
      const told = String(refused.content);
      expect(told).toMatch(
        /^Nothing was pinned: .*database: 127\.0\.0\.1:\d+\/newsdesk stayed unreachable for [\d.]+ s \\\(ECONNREFUSED\\\)/,
      );
      expect(told).not.toContain("\n");
      expect(told).not.toContain(postgres.url);

      await postgres.start();
      // Reconnected by itself: the next pin is kept, and the first one is still there.
      const after = await pin("Who carried Putin's message to Trump?");
      expect(JSON.stringify(after)).toContain("Pinned");
      const listed = await fake
        .sendSlashCommand({ name: "pins", subcommand: "list", role: "moderator" })
        .final(STEP_MS);
      const list = JSON.stringify(listed.embeds);
      expect(list).toContain(QUESTION);
      expect(list).toContain("Who carried Putin");
      expect(list).not.toContain("How many days would the truce hold?");
      // A question now is led by the pin made before the restart.
      const led = await ask(99);
      expect(JSON.stringify(led.embeds)).toContain("📌");

      bot.child.kill("SIGTERM");
      expect(await bot.exited(20_000)).toBe(0);
      // The questions asked while the server was down were logged once it was back: queued and
      // retried, none dropped.
      const dropped = bot.records().filter((r) => String(r.msg).includes("records dropped"));
      expect(dropped).toEqual([]);
      const client = new pg.Client({ connectionString: postgres.url });
      await client.connect();
      try {
        const asked = await client.query<{ n: string }>("SELECT count(*) AS n FROM asked");
        expect(Number(asked.rows[0]?.n)).toBe(12);
        const pins = await client.query<{ question: string }>(
          "SELECT question FROM pins ORDER BY id",
        );
        expect(pins.rows.map((row) => row.question)).toEqual([
          QUESTION,
          "Who carried Putin's message to Trump?",
        ]);
      } finally {
        await client.end();
      }
      expect(bot.stderr()).toBe("");
    },
    TEST_MS,
  );
});
