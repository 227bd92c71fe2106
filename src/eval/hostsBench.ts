/**
 * `npx tsx src/eval/hostsBench.ts postgres://user:password@host:5432/scratch [--param runs=50]`
 *
 * What two hosts on one PostgreSQL database see of each other, each host being its own pool of
 * connections (what `npm start` opens): the database must be a scratch one (the bench migrates
 * it and removes what it wrote, guild `bench`).
 * - pin latency: from a pin kept through host A (its write committed) to host B's
 *   `findPinnedAnswer` finding it (B asks again until it does), beside the baseline of the same
 *   lookup on host A, measured in the same runs (a lookup's own cost on this machine now);
 * - article propagation: from an article saved through host A to host B's library holding it
 *   (B's StoreFollower, told by NOTIFY), beside the baseline of A's save alone (the commit)
 *   and the part after the commit.
 * Medians (and p95) in milliseconds, over `runs` of each. Failover is measured by
 * src/eval/leadFailover.ts.
 */

import { FeedStore } from "../feeds/FeedStore.js";
import { StoreFollower } from "../feeds/StoreFollower.js";
import { Library } from "../library/Library.js";
import { createLogger } from "../log.js";
import { SqlPinStore } from "../pins/SqlPinStore.js";
import { openPostgres } from "../store/postgres/PostgresDatabase.js";
import { median, parseArgs, percentile } from "./metrics.js";

const { params, positional } = parseArgs(process.argv.slice(2));
const url = positional[0];
if (url === undefined || !/^postgres(?:ql)?:\/\//.test(url)) {
  process.stderr.write(
    "usage: npx tsx src/eval/hostsBench.ts postgres://user:password@host:5432/scratch [--param runs=50]\n",
  );
  process.exit(2);
}
const RUNS = params.runs ?? 50;
const GUILD = "bench";
const log = createLogger({ level: "error" });

const hostA = await openPostgres(url, { log });
const hostB = await openPostgres(url, { log });
const figures: Record<string, { median: number; p95: number }> = {};
const summary = (times: readonly number[]) => ({
  median: Number(median(times).toFixed(2)),
  p95: Number(percentile(times, 95).toFixed(2)),
});

try {
  // Pins: A keeps, B looks until it finds.
  const pinsA = new SqlPinStore(hostA, log);
  const pinsB = new SqlPinStore(hostB, log);
  const pinTimes: number[] = [];
  const ownLookupTimes: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const question = `How long would truce number ${i} in region ${i * 7} last?`;
    await pinsA.addPin({
      guildId: GUILD,
      channelId: "bench",
      question,
      citations: [],
      pinnedBy: "bench",
      pinnedAt: Date.now(),
    });
    const kept = performance.now();
    while ((await pinsB.findPinnedAnswer(GUILD, question))?.pin.question !== question) {
      // Not seen yet: ask again at once.
    }
    pinTimes.push(performance.now() - kept);
    const own = performance.now();
    await pinsA.findPinnedAnswer(GUILD, question);
    ownLookupTimes.push(performance.now() - own);
  }
  figures.pinLatencyMs = summary(pinTimes);
  figures.baselineSameHostLookupMs = summary(ownLookupTimes);

  // Articles: A saves, B's follower applies.
  const library = new Library();
  const feedsA = new FeedStore(hostA);
  const feedsB = new FeedStore(hostB);
  let applied: ((id: string) => void) | undefined;
  const follower = new StoreFollower(feedsB, library, log, {
    onApplied: (result) => {
      for (const id of result.added) applied?.(id);
    },
  });
  await follower.start();
  const articleTimes: number[] = [];
  const saveTimes: number[] = [];
  const afterCommitTimes: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const id = `bench-article-${i}`;
      const arrived = new Promise<void>((resolve) => {
        applied = (added) => {
          if (added === id) resolve();
        };
      });
      const start = performance.now();
      await feedsA.saveArticle({
        article: {
          id,
          title: `Bench article ${i}`,
          paragraphs: [`The harbour bridge number ${i} reopened after repairs on Monday.`],
        },
        scope: "global",
        origin: { kind: "link" },
        addedAt: Date.now(),
      });
      const saved = performance.now();
      await arrived;
      const end = performance.now();
      articleTimes.push(end - start);
      saveTimes.push(saved - start);
      afterCommitTimes.push(end - saved);
    }
  } finally {
    await follower.stop();
  }
  figures.articlePropagationMs = summary(articleTimes);
  figures.baselineSaveMs = summary(saveTimes);
  figures.afterCommitMs = summary(afterCommitTimes);
  for (let i = 0; i < RUNS; i++) await feedsA.removeArticle(`bench-article-${i}`);
  await hostA.keep((sql) => sql.run("DELETE FROM pins WHERE guild_id = ?", [GUILD]));
} finally {
  await Promise.all([hostA.close(), hostB.close()]);
}
console.log(JSON.stringify({ runs: RUNS, ...figures }));
