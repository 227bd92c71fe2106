/**
 * `npx tsx src/eval/insightsBench.ts [--param questions=100000] [--param unique=10]`
 *
 * What `/insights` and its CSV cost at a busy server's 90 days, on a database file in a temp
 * folder: the time from the command to the report (and to the CSV), and the longest stretch the
 * main thread is held without a pause, which is what other members' questions wait for. One
 * guild's `questions` questions: 500 phrasings of the ceasefire question asked over and over,
 * and every `unique`-th question one of its own (so the grouping has thousands of phrasings);
 * every 3rd question unanswered, every 7th question with a 👎.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { buildInsights } from "../insights/insightsReport.js";
import { buildQuestionsCsv } from "../insights/questionsCsv.js";
import { createLogger } from "../log.js";
import { nextTurn } from "../nextTurn.js";
import { openSqlite } from "../store/sqlite/SqliteDatabase.js";
import { VoteStore } from "../votes/VoteStore.js";
import { median, parseArgs } from "./metrics.js";

const { params } = parseArgs(process.argv.slice(2));
const QUESTIONS = params.questions ?? 100_000;
const UNIQUE = params.unique ?? 10;
const GUILD = "100000000000000001";
const START = 1_700_000_000_000;
const TEN_MIB = 10 * 1024 * 1024;

/** A pause that measures the stretches between pauses. */
function stretches() {
  const held: number[] = [];
  let since = performance.now();
  return {
    held,
    pause: async () => {
      held.push(performance.now() - since);
      await nextTurn();
      since = performance.now();
    },
    end: () => held.push(performance.now() - since),
  };
}

const dir = mkdtempSync(path.join(os.tmpdir(), "newsdesk-insights-"));
const database = await openSqlite(path.join(dir, "newsdesk.sqlite"));
try {
  const votes = new VoteStore(database, createLogger({ level: "error" }));
  for (let i = 0; i < QUESTIONS; i++) {
    const unique = i % UNIQUE === 0;
    votes.recordQuestion({
      guildId: GUILD,
      channelId: "200000000000000002",
      messageId: String(1e15 + i),
      question: unique
        ? `What happened to the bridge in town${i} after storm${i % 997}?`
        : `How long would the ceasefire in region ${i % 500} last?`,
      outcome: i % 3 === 0 ? "abstained" : "high",
      confidence: i % 3 === 0 ? "none" : "high",
      citations:
        i % 3 === 0
          ? []
          : [{ articleId: `article-${i % 40}`, title: `Article ${i % 40}`, paragraph: 4 }],
      at: START + i,
    });
    // The store queues its writes (at most 10,000): let it write as it goes.
    if (i % 1000 === 999) await votes.flush(60_000);
  }
  await votes.flush(60_000);
  for (let i = 0; i < QUESTIONS; i += 7) {
    await votes.castVote(GUILD, String(1e15 + i), `member${i}`, "down", START);
  }
  const period = { sinceMs: START, untilMs: START + QUESTIONS };
  const reportMs: number[] = [];
  const csvMs: number[] = [];
  const reportHeld: number[] = [];
  const csvHeld: number[] = [];
  let topics = 0;
  let csvBytes = 0;
  let csvRows = 0;
  for (let run = 0; run < 3; run++) {
    const report = stretches();
    let start = performance.now();
    const built = await buildInsights(votes, GUILD, period, { pause: report.pause });
    report.end();
    reportMs.push(performance.now() - start);
    topics = built.topics.length;
    const csv = stretches();
    start = performance.now();
    const file = await buildQuestionsCsv(votes, GUILD, period, TEN_MIB, { pause: csv.pause });
    csv.end();
    csvMs.push(performance.now() - start);
    csvBytes = file.data.length;
    csvRows = file.rows;
    reportHeld.push(Math.max(...report.held));
    csvHeld.push(Math.max(...csv.held));
  }
  const ms = (times: number[]) => Number(median(times).toFixed(1));
  console.log(
    JSON.stringify({
      questions: QUESTIONS,
      insightsMs: ms(reportMs),
      csvMs: ms(csvMs),
      insightsLongestHeldMs: ms(reportHeld),
      csvLongestHeldMs: ms(csvHeld),
      topicsShown: topics,
      csvRows,
      csvBytes,
    }),
  );
} finally {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
}
