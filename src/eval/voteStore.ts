/**
 * `npx tsx src/eval/voteStore.ts [--param questions=100000] [--param votes=2000]`
 *
 * What the question log and the votes cost, on a database file in a temp folder: the main
 * thread's time per logged question (one write after every answer in a server), per vote (a
 * kept write, synced), per `/pins list` page (the votes of 10 pins), and for listing every
 * question of the guild with its votes (what `/insights` and its CSV read), once the log holds
 * `questions` questions of one guild (about 90 days of a very busy server). Every 7th question
 * is led by one of 50 pins; every 3rd vote is a 👎.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { createLogger } from "../log.js";
import { openSqlite } from "../store/sqlite/SqliteDatabase.js";
import { VoteStore } from "../votes/VoteStore.js";
import { median, parseArgs } from "./metrics.js";

const { params } = parseArgs(process.argv.slice(2));
const QUESTIONS = params.questions ?? 100_000;
const VOTES = params.votes ?? 2000;
const GUILD = "100000000000000001";
const PINS = 50;
const START = 1_700_000_000_000;
const messageId = (i: number) => String(1e15 + i);

/** Milliseconds each of `runs` calls of `call` took. */
async function timed(runs: number, call: (i: number) => unknown): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await call(i);
    times.push(performance.now() - start);
  }
  return times;
}

const dir = mkdtempSync(path.join(os.tmpdir(), "newsdesk-votes-"));
const database = await openSqlite(path.join(dir, "newsdesk.sqlite"));
try {
  const votes = new VoteStore(database, createLogger({ level: "error" }));
  // Logged and written (the store queues the write: flush waits for it).
  const logging = await timed(QUESTIONS, (i) => {
    votes.recordQuestion({
      guildId: GUILD,
      channelId: "200000000000000002",
      messageId: messageId(i),
      question: `How long would the ceasefire in region ${i % 500} last?`,
      outcome: i % 7 === 0 ? "pinned" : "high",
      confidence: "high",
      citations: [{ articleId: "kremlin-ceasefire", title: "Kremlin Confirms", paragraph: 4 }],
      ...(i % 7 === 0 ? { pinId: (i % PINS) + 1 } : {}),
      at: START + i,
    });
    return votes.flush(10_000);
  });
  const voting = await timed(VOTES, (i) =>
    votes.castVote(GUILD, messageId(i * 3), `member${i}`, i % 3 === 0 ? "down" : "up", START),
  );
  const page = Array.from({ length: 10 }, (_, i) => ({ id: i + 1, messageId: messageId(i * 11) }));
  const listing = await timed(20, () => votes.pinVotes(GUILD, page));
  const all = await timed(3, () => votes.listQuestions(GUILD, { sinceMs: 0 }));
  const ms = (times: number[]) => Number(median(times).toFixed(3));
  console.log(
    JSON.stringify({
      questions: QUESTIONS,
      recordQuestionMs: ms(logging),
      castVoteMs: ms(voting),
      pinsListPageMs: ms(listing),
      listQuestionsMs: ms(all),
    }),
  );
} finally {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
}
