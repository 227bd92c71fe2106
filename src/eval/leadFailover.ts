/**
 * `npx tsx src/eval/leadFailover.ts [postgres://URL] [--param runs=5] [--param interval-ms=2000]`
 *
 * How soon another process takes over once-only work (`Database.lead`), on SQLite (a temp file)
 * or, given a URL, on that PostgreSQL database. Three ways the holder goes,
 * `runs` times each, at a random moment of the other's interval:
 * - `stop`: the holder stops (a graceful stop: it releases the lead), in this process;
 * - `kill`: the holder is a child process (this file with `--hold`), killed with SIGKILL, which
 *   releases nothing;
 * - `freeze`: the child is stopped with SIGSTOP: its connection stays open but silent, as for a
 *   host cut off from the network (then killed).
 * Figures: from the stop, kill or freeze to the other's onLead, in ms (min, median, max),
 * against the documented bounds (`Database.lead`), which a try's own few ms may pass.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as delay } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { createLogger } from "../log.js";
import type { Database } from "../store/database.js";
import { type DatabaseSettings, openDatabase } from "../store/openDatabase.js";
import { median, parseArgs } from "./metrics.js";

const NAME = "failover-eval";
const log = createLogger({ level: "error", destination: process.stderr });

/** `--hold SETTINGS INTERVAL_MS`: the child; prints `leading` once it leads, runs until killed. */
async function hold(settings: DatabaseSettings, intervalMs: number): Promise<void> {
  const db = await openDatabase(settings, log);
  await db.lead(
    NAME,
    { onLead: () => process.stdout.write("leading\n"), onLose: () => undefined },
    { intervalMs },
  );
  process.stdin.resume();
}

/** Resolves with the time of `db`'s next onLead for {@link NAME}, and the leadership. */
async function contend(db: Database, intervalMs: number) {
  let led!: (at: number) => void;
  const leads = new Promise<number>((resolve) => {
    led = resolve;
  });
  const leadership = await db.lead(
    NAME,
    { onLead: () => led(performance.now()), onLose: () => undefined },
    { intervalMs },
  );
  return { leadership, leads };
}

async function stopRun(settings: DatabaseSettings, intervalMs: number): Promise<number> {
  const [a, b] = [await openDatabase(settings, log), await openDatabase(settings, log)];
  try {
    const holder = await contend(a, intervalMs);
    if (!holder.leadership.leading)
      throw new Error("leadFailover: the first contender did not lead");
    const other = await contend(b, intervalMs);
    await delay(Math.random() * intervalMs);
    const stoppedAt = performance.now();
    await holder.leadership.stop();
    const ledAt = await other.leads;
    await other.leadership.stop();
    return ledAt - stoppedAt;
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
}

async function childRun(
  settings: DatabaseSettings,
  intervalMs: number,
  signal: "SIGKILL" | "SIGSTOP",
): Promise<number> {
  const self = fileURLToPath(import.meta.url);
  const child = spawn(
    process.execPath,
    ["--import", "tsx", self, "--hold", JSON.stringify(settings), String(intervalMs)],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  const exited = once(child, "exit");
  const lines = createInterface({ input: child.stdout });
  await new Promise<void>((resolve, reject) => {
    lines.on("line", (line) => line === "leading" && resolve());
    child.on("exit", () => reject(new Error("leadFailover: the holder exited before leading")));
  });
  const db = await openDatabase(settings, log);
  try {
    const other = await contend(db, intervalMs);
    if (other.leadership.leading) throw new Error("leadFailover: two holders at once");
    await delay(Math.random() * intervalMs);
    const goneAt = performance.now();
    child.kill(signal);
    const ledAt = await other.leads;
    await other.leadership.stop();
    return ledAt - goneAt;
  } finally {
    child.kill("SIGKILL");
    await exited;
    await db.close();
  }
}

function summary(label: string, times: readonly number[], boundMs: number): string {
  const sorted = [...times].sort((x, y) => x - y);
  const ms = (x: number | undefined) => `${Math.round(x ?? Number.NaN)}`;
  return `${label.padEnd(6)} min ${ms(sorted[0])} ms, median ${ms(median(sorted))} ms, max ${ms(sorted.at(-1))} ms (bound ${boundMs} ms)`;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === "--hold") {
    await hold(JSON.parse(argv[1] ?? "{}") as DatabaseSettings, Number(argv[2]));
    return;
  }
  const { params, positional } = parseArgs(argv);
  const runs = params.runs ?? 5;
  const intervalMs = params["interval-ms"] ?? 2000;
  const url = positional[0];
  const dir = mkdtempSync(path.join(os.tmpdir(), "newsdesk-failover-"));
  const settings: DatabaseSettings = {
    databasePath: path.join(dir, "newsdesk.sqlite"),
    ...(url ? { databaseUrl: url } : {}),
  };
  // The leaderships' timers do not keep a process alive, and a SQLite wait holds nothing else.
  const alive = setInterval(() => undefined, 60_000);
  try {
    const stops: number[] = [];
    const kills: number[] = [];
    const freezes: number[] = [];
    for (let run = 0; run < runs; run++) {
      stops.push(await stopRun(settings, intervalMs));
      kills.push(await childRun(settings, intervalMs, "SIGKILL"));
      freezes.push(await childRun(settings, intervalMs, "SIGSTOP"));
    }
    console.log(`${url ? "PostgreSQL" : "SQLite"}, intervalMs ${intervalMs}, ${runs} runs each`);
    console.log(summary("stop", stops, intervalMs));
    console.log(summary("kill", kills, url ? intervalMs : 4 * intervalMs));
    console.log(summary("freeze", freezes, url ? 5 * Math.max(intervalMs, 1000) : 4 * intervalMs));
  } finally {
    clearInterval(alive);
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
