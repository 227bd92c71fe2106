/**
 * `npx tsx src/eval/storeWrites.ts [--param lock-ms=8000] [--param records=2000]`
 *
 * How the records that follow an answer (a sent answer, an unanswered question) are best
 * written, when SQLite is synchronous and another process may hold the write lock. Three write
 * paths, each on its own database file in a temp folder:
 * - `sync, 5 s busy timeout`: what newsdesk did before issue 11 (the call waits for the lock,
 *   and the event loop with it, then fails);
 * - `20 ms busy timeout + queue`: today's store (a write that does not get the lock in 20 ms is
 *   queued and retried in the background);
 * - `worker thread`: the database in a worker thread with a 30 s busy timeout (it may wait: the
 *   main thread does not), written by messages; every read would have to become asynchronous.
 *
 * Figures: with the database free, the main thread's time per record (median, p99) and the time
 * until the record is in the file; then, while another process holds the write lock for
 * `lock-ms` (the holder lets go on its own timer), 10 records asked 100 ms apart: the longest
 * event-loop stall, the total stalled time, records lost, and how long after the lock's release
 * the last record was written.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as delay } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import Database from "better-sqlite3";
import { createLogger } from "../log.js";
import { SqlPinStore } from "../pins/SqlPinStore.js";
import type { SentAnswer } from "../pins/types.js";
import { openSqlite } from "../store/sqlite/SqliteDatabase.js";
import { median, parseArgs } from "./metrics.js";

const { params } = parseArgs(process.argv.slice(2));
const LOCK_MS = params["lock-ms"] ?? 8000;
const RECORDS = params.records ?? 2000;
const BURST = 10;
/** The driver's file, for the worker thread and the lock holder (plain `require`). */
const BETTER_SQLITE3 = fileURLToPath(import.meta.resolve("better-sqlite3"));

/** One way of writing records: `write` returns once the main thread may go on. */
interface WritePath {
  readonly name: string;
  /** Resolves once the record is in the file (or rejects when it was lost). */
  write(answer: SentAnswer): Promise<void>;
  /** Writes what is pending and closes. */
  close(): Promise<void>;
}

const quiet = createLogger({ level: "error", destination: process.stderr });

function answer(i: number): SentAnswer {
  return {
    guildId: "1",
    channelId: "2",
    messageId: String(1_000_000 + i),
    question: `How long would the ceasefire last, question ${i}?`,
    citations: [],
    answeredAt: Date.now(),
  };
}

/** Counts the sent answers in `file` from a new connection. */
function countAnswers(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare("SELECT count(*) AS n FROM answers").pluck().get() as number;
  } finally {
    db.close();
  }
}

/** Creates and migrates the database at `file`. */
async function migrated(file: string): Promise<void> {
  await (await openSqlite(file, { log: quiet })).close();
}

async function syncPath(file: string): Promise<WritePath> {
  // Migrated by the store, then written as the store did before issue 11.
  await migrated(file);
  const db = new Database(file);
  db.pragma("busy_timeout = 5000");
  db.pragma("journal_mode = WAL");
  const upsert = db.prepare(
    `INSERT INTO answers (guild_id, message_id, channel_id, question, citations, answered_at)
     VALUES (?, ?, ?, ?, json(?), ?) ON CONFLICT (guild_id, message_id) DO NOTHING`,
  );
  const write = db.transaction((a: SentAnswer) => {
    upsert.run(a.guildId, a.messageId, a.channelId, a.question, "[]", a.answeredAt);
  });
  return {
    name: "sync, 5 s busy timeout (before)",
    write: async (a) => {
      write.immediate(a);
    },
    close: async () => {
      db.close();
    },
  };
}

async function queuePath(file: string): Promise<WritePath> {
  const database = await openSqlite(file, { log: quiet });
  const store = new SqlPinStore(database, quiet);
  return {
    name: "20 ms busy timeout + queue (chosen)",
    write: async (a) => {
      store.recordAnswer(a);
    },
    close: async () => {
      await store.flush(60_000);
      await store.close();
      await database.close();
    },
  };
}

/** The worker: one connection, 5 s busy timeout, acks each message with its id or its error. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.module);
const db = new Database(workerData.file);
db.pragma("busy_timeout = 30000");
const upsert = db.prepare(
  "INSERT INTO answers (guild_id, message_id, channel_id, question, citations, answered_at) " +
  "VALUES (?, ?, ?, ?, json(?), ?) ON CONFLICT (guild_id, message_id) DO NOTHING");
const write = db.transaction((a) => upsert.run(a.guildId, a.messageId, a.channelId, a.question, "[]", a.answeredAt));
parentPort.on("message", (a) => {
  if (a === "close") { db.close(); parentPort.close(); return; }
  try { write.immediate(a); parentPort.postMessage({ id: a.messageId }); }
  catch (error) { parentPort.postMessage({ id: a.messageId, error: String(error.code) }); }
});`;

async function workerPath(file: string): Promise<WritePath> {
  await migrated(file);
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file, module: BETTER_SQLITE3 },
  });
  const waiting = new Map<string, { resolve: () => void; reject: (e: Error) => void }>();
  worker.on("message", (m: { id: string; error?: string }) => {
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    if (m.error) w?.reject(new Error(m.error));
    else w?.resolve();
  });
  return {
    name: "worker thread, 30 s busy timeout",
    write: (a) => {
      const done = new Promise<void>((resolve, reject) => {
        waiting.set(a.messageId, { resolve, reject });
      });
      worker.postMessage(a);
      return done;
    },
    close: async () => {
      worker.postMessage("close");
      await new Promise((resolve) => worker.once("exit", resolve));
    },
  };
}

/**
 * Another process holding the write lock for `ms`, then letting go on its own (the bot's event
 * loop may be stalled meanwhile): resolves once it holds the lock, with a promise of the
 * release's time.
 */
async function holdLock(file: string, ms: number): Promise<{ released: Promise<number> }> {
  const source = `
    const Database = require(${JSON.stringify(BETTER_SQLITE3)});
    const db = new Database(${JSON.stringify(file)});
    db.exec("BEGIN IMMEDIATE");
    console.log("locked");
    setTimeout(() => { db.exec("ROLLBACK"); db.close(); console.log("released"); }, ${ms});`;
  const child: ChildProcess = spawn(process.execPath, ["-e", source], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const released = new Promise<number>((resolve) =>
    lines.on("line", (line) => {
      if (line === "released") resolve(performance.now());
    }),
  );
  await new Promise<void>((resolve) => lines.once("line", () => resolve()));
  return { released };
}

/** Measures the event loop's stalls (a 5 ms timer's lateness) while `run` runs. */
async function stalls<T>(run: () => Promise<T>): Promise<{ result: T; max: number; sum: number }> {
  let max = 0;
  let sum = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    const late = now - last - 5;
    if (late > 1) {
      max = Math.max(max, late);
      sum += late;
    }
    last = now;
  }, 5);
  try {
    const result = await run();
    return { result, max, sum };
  } finally {
    clearInterval(timer);
  }
}

const fmt = (ms: number) => ms.toFixed(ms < 10 ? 3 : 0);

async function unlocked(make: (file: string) => Promise<WritePath>, dir: string): Promise<string> {
  const file = path.join(dir, `free-${Math.random().toString(36).slice(2)}.sqlite`);
  const writer = await make(file);
  const blocking: number[] = [];
  const started = performance.now();
  const done: Promise<void>[] = [];
  for (let i = 0; i < RECORDS; i++) {
    const t = performance.now();
    done.push(writer.write(answer(i)));
    blocking.push(performance.now() - t);
  }
  await Promise.all(done);
  await writer.close();
  const total = performance.now() - started;
  const count = countAnswers(file);
  const p99 = [...blocking].sort((a, b) => a - b)[Math.floor(0.99 * blocking.length)] ?? 0;
  return `| ${writer.name} | ${fmt(median(blocking))} | ${fmt(p99)} | ${fmt(total / RECORDS)} | ${count}/${RECORDS} |`;
}

async function locked(make: (file: string) => Promise<WritePath>, dir: string): Promise<string> {
  const file = path.join(dir, `locked-${Math.random().toString(36).slice(2)}.sqlite`);
  const writer = await make(file);
  const lock = await holdLock(file, LOCK_MS);
  const { max, sum } = await stalls(async () => {
    const writes: Promise<void>[] = [];
    for (let i = 0; i < BURST; i++) {
      // A failed write is counted below, by what the file holds.
      writes.push(writer.write(answer(i)).catch(() => undefined));
      await delay(100);
    }
    await Promise.all(writes);
  });
  await writer.close();
  const writtenAfter = performance.now() - (await lock.released);
  const count = countAnswers(file);
  return `| ${writer.name} | ${fmt(max)} | ${fmt(sum)} | ${BURST - count} | ${count}/${BURST} | ${fmt(writtenAfter)} |`;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "newsdesk-store-writes-"));
  const paths = [syncPath, queuePath, workerPath];
  try {
    const lines = [
      `Records written with the database free (${RECORDS} sent answers, one call each):`,
      "",
      "| write path | main thread ms/record, median | p99 | ms/record until in the file | in the file |",
      "| --- | --- | --- | --- | --- |",
    ];
    for (const make of paths) lines.push(await unlocked(make, dir));
    lines.push(
      "",
      `Another process holds the write lock for ${LOCK_MS} ms; ${BURST} records asked 100 ms apart from its start:`,
      "",
      "| write path | longest event-loop stall ms | stalled in all ms | lost | in the file | written, ms after release |",
      "| --- | --- | --- | --- | --- | --- |",
    );
    for (const make of paths) lines.push(await locked(make, dir));
    process.stdout.write(`${lines.join("\n")}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
