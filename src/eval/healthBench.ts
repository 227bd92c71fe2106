/**
 * `npx tsx src/eval/healthBench.ts`
 *
 * What HEALTH_PORT costs the bot: the time one `metrics.interaction()` adds to every handled
 * event, the time and size of a scrape (10 commands x 6 outcomes, the histogram and prom-client's
 * process metrics), and the round trip of `GET /healthz` (with the SQLite check `npm start` uses:
 * the file checked, `SELECT 1`) and `GET /metrics` over 127.0.0.1. A probe every few seconds and
 * a scrape every 15 s to 60 s are what this has to be cheap against.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { startHealthServer } from "../health/healthServer.js";
import { createMetrics, INTERACTION_OUTCOMES } from "../health/metrics.js";
import { createLogger } from "../log.js";
import { openSqlite } from "../store/sqlite/SqliteDatabase.js";
import { percentile } from "./metrics.js";

const CALLS = 1_000_000;
const PROBES = 2_000;
const SCRAPES = 200;
const COMMANDS = [
  "ask",
  "summary",
  "pins",
  "articles",
  "feeds",
  "insights",
  "ask:more",
  "ask:vote",
  "mention",
  "thread",
];

async function timeRequests(url: string, times: number): Promise<number[]> {
  const took: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    await (await fetch(url)).text();
    took.push(performance.now() - started);
  }
  return took;
}

async function main(): Promise<void> {
  const metrics = createMetrics({ library: () => ({ articles: 1_000, paragraphs: 30_000 }) });
  let started = performance.now();
  for (let i = 0; i < CALLS; i++) {
    const command = COMMANDS[i % COMMANDS.length] ?? "ask";
    const outcome = INTERACTION_OUTCOMES[i % INTERACTION_OUTCOMES.length] ?? "ok";
    metrics.interaction(command, outcome, (i % 100) / 50);
  }
  const perCallNs = ((performance.now() - started) * 1e6) / CALLS;
  console.log(`metrics.interaction(): ${perCallNs.toFixed(0)} ns a call (${CALLS} calls)`);

  for (let i = 0; i < 3; i++) await metrics.render();
  started = performance.now();
  let text = "";
  for (let i = 0; i < SCRAPES; i++) text = await metrics.render();
  const samples = text.split("\n").filter((line) => line !== "" && !line.startsWith("#")).length;
  console.log(
    `metrics.render(): ${((performance.now() - started) / SCRAPES).toFixed(2)} ms, ${text.length} bytes, ${samples} samples`,
  );

  const dir = mkdtempSync(path.join(os.tmpdir(), "newsdesk-health-bench-"));
  const database = await openSqlite(path.join(dir, "newsdesk.sqlite"));
  const server = await startHealthServer({
    host: "127.0.0.1",
    port: 0,
    metrics,
    log: createLogger({ level: "info", destination: new PassThrough() }),
    checks: {
      gateway: () => undefined,
      store: () => database.ping(),
    },
  });
  try {
    const probes = await timeRequests(`${server.url}/healthz`, PROBES);
    console.log(
      `GET /healthz: median ${percentile(probes, 50).toFixed(2)} ms, p99 ${percentile(probes, 99).toFixed(2)} ms (${PROBES} in a row)`,
    );
    const scrapes = await timeRequests(`${server.url}/metrics`, SCRAPES);
    console.log(
      `GET /metrics: median ${percentile(scrapes, 50).toFixed(2)} ms, p99 ${percentile(scrapes, 99).toFixed(2)} ms (${SCRAPES} in a row)`,
    );
  } finally {
    await server.close();
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  // prom-client's event-loop monitor keeps the process alive.
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
