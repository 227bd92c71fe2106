/**
 * `npm run burst -- [--questions 500] [--members 25] [--dist dist]`
 *
 * Speed under a burst, measured black-box: the built bot (`npm run build` first) in a child
 * process, logged in to the fake Discord on 127.0.0.1, which dispatches `--questions` /ask
 * interactions at once from `--members` members. Prints how long the acknowledgements and the
 * final replies took after each dispatch (p50, p95, max), how many interactions missed Discord's
 * 3-second deadline (lost), and the bot's warnings. Exits 1 when any is lost.
 *
 * `--dist var/baseline-dist` runs another build (e.g. `npx tsc -p tsconfig.build.json --outDir
 * var/baseline-dist` on an older commit) against the same burst, to compare.
 */
import path from "node:path";
import { PROJECT_ROOT } from "../support/dist.js";
import { FakeDiscord } from "../support/fakeDiscord.js";
import { LOAD_TOKEN, numberArg, percentile, startBotProcess, stringArg } from "./botProcess.js";

const QUESTIONS = [
  "How long would the ceasefire last?",
  "What did Putin tell Trump?",
  "Who carried the Kremlin's message?",
  "What did the Kremlin say about the ceasefire?",
  "Where were the talks held?",
  "What does Ukraine want?",
];

const argv = process.argv.slice(2);
const questions = numberArg(argv, "questions", 500);
const members = numberArg(argv, "members", 25);
const distArg = stringArg(argv, "dist");
const dist = distArg ? path.resolve(PROJECT_ROOT, distArg) : undefined;

const fake = await FakeDiscord.start({ token: LOAD_TOKEN });
const bot = await startBotProcess(fake, dist);
try {
  const users = Array.from({ length: members }, (_, i) =>
    fake.resolveUser({ username: `member${i}` }),
  );
  const started = Date.now();
  const handles = Array.from({ length: questions }, (_, i) =>
    fake.sendSlashCommand({
      name: "ask",
      options: { question: QUESTIONS[i % QUESTIONS.length] ?? "ceasefire" },
      user: users[i % members],
    }),
  );
  const tally = await fake.waitForSettled(120_000).catch((error: unknown) => {
    for (const problem of bot.problems.slice(0, 5)) console.error(JSON.stringify(problem));
    throw error;
  });
  const seconds = (Date.now() - started) / 1000;

  const acks: number[] = [];
  const finals: number[] = [];
  for (const handle of handles) {
    const callback = await handle.response(0).catch(() => undefined);
    if (callback) acks.push(callback.receivedAt - handle.createdAt);
    const finalAt = handle.finalAt;
    if (finalAt !== undefined) finals.push(finalAt - handle.createdAt);
  }
  const row = (name: string, values: number[]) =>
    `${name.padEnd(16)} p50 ${percentile(values, 50)} ms   p95 ${percentile(values, 95)} ms   max ${percentile(values, 100)} ms   (${values.length})`;
  const rateLimited = [...bot.counts].filter(([msg]) => /rate limit/i.test(msg));
  console.log(`burst: ${questions} questions from ${members} members, ${seconds.toFixed(1)} s`);
  console.log(row("acknowledged", acks));
  console.log(row("final reply", finals));
  console.log(
    `interactions: ${tally.sent} sent, ${tally.acknowledgedInTime} acknowledged in time, ${tally.answered} answered, ${tally.lost} lost, ${tally.thinking} thinking`,
  );
  console.log(
    `bot log: ${rateLimited.map(([msg, n]) => `${n} "${msg}"`).join(", ") || "no rate-limit lines"}; ${bot.problems.length} warn/error lines`,
  );
  process.exitCode = tally.lost > 0 ? 1 : 0;
} finally {
  await bot.stop();
  await fake.stop();
}
