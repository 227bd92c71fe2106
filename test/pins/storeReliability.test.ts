/**
 * The store under the failures of issue 11, on a real file: another process holding the write
 * lock (a worker process), the file deleted, replaced or made read-only while it is open. A pin
 * is kept or refused with the reason; the records that follow an answer are queued, never an
 * error, and written once the lock is free (by the queue, flush or close).
 */
import { execFile } from "node:child_process";
import { chmod, copyFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import { PassThrough } from "node:stream";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/log.js";
import type { PinStore } from "../../src/pins/types.js";
import { StoreError } from "../../src/store/errors.js";
import { createdMarker } from "../../src/store/sqlite/databaseFile.js";
import { GUILD, makeTempDir, newPin, openPinStore, removeTempDir, sentAnswer } from "./fixtures.js";
import { runningAsRoot, startWorker, type Worker } from "./workers.js";

type Line = { level: string; msg?: string } & Record<string, unknown>;

/** A logger whose lines a test reads back. */
function capturedLog() {
  const stream = new PassThrough();
  const lines: Line[] = [];
  stream.setEncoding("utf8").on("data", (chunk: string) => {
    for (const part of chunk.split("\n")) if (part !== "") lines.push(JSON.parse(part) as Line);
  });
  return { log: createLogger({ level: "debug", destination: stream }), lines };
}

let dir: string;
let file: string;
let store: PinStore;
let logged: Line[];

function open(): Promise<PinStore> {
  const { log, lines } = capturedLog();
  logged = lines;
  return openPinStore(file, { log });
}

beforeEach(async () => {
  dir = await makeTempDir();
  file = path.join(dir, "var", "newsdesk.sqlite");
  store = await open();
});

afterEach(async () => {
  await store.close();
  await removeTempDir(dir);
});

/** Resolves once a line matching `matches` is logged (within 10 s). */
async function logLine(matches: (line: Line) => boolean): Promise<Line> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = logged.find(matches);
    if (found) return found;
    if (Date.now() > deadline) throw new Error("no matching log line within 10 s");
    // The logger writes through a stream: its lines arrive on a later turn of the event loop.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The StoreError a promise rejects with (fails the test if it resolves). */
async function refusal(promise: Promise<unknown>): Promise<StoreError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof StoreError) return error;
    throw error;
  }
  throw new Error("expected the store to refuse");
}

/** Another process holding the database's write lock, until `release`. */
async function holdLock(): Promise<{ worker: Worker; release(): Promise<void> }> {
  const worker = startWorker(["hold", file]);
  expect(await worker.nextLine()).toBe("locked");
  return {
    worker,
    async release() {
      worker.child.stdin.write("release\n");
      expect(await worker.nextLine()).toBe("released");
    },
  };
}

describe("a new database", () => {
  it("is said in the log, and a marker beside it remembers it", async () => {
    expect(logged).toEqual([
      expect.objectContaining({
        level: "info",
        msg: expect.stringContaining(`a new empty database is created at ${file}`),
      }),
    ]);
    await store.close();
    store = await open();
    expect(logged).toEqual([]);
  });

  it("where the marker says one was before: an error saying the old pins are lost", async () => {
    await store.close();
    await rm(file);
    store = await open();
    expect(logged).toEqual([
      expect.objectContaining({
        level: "error",
        marker: createdMarker(file),
        msg: expect.stringMatching(
          /^pins: the database at .* is missing though newsdesk created one there before .* a new empty database is created at .*; the pins it held are lost unless you restore the file from a backup$/,
        ),
      }),
    ]);
  });
});

describe("a file that changed under the store", () => {
  it("deleted: refuses the pin, saying so", async () => {
    await store.addPin(newPin("Who is Steve Witkoff?"));
    await rm(path.dirname(file), { recursive: true });
    const error = await refusal(store.addPin(newPin("How long would the ceasefire last?")));
    expect(error.code).toBe("GONE");
    expect(error.message).toMatch(
      /^pins: the database at .*newsdesk\.sqlite is not writable: it is gone \(ENOENT: /,
    );
    expect(() => store.checkWritable()).toThrow(error.message);
    expect((await refusal(store.removePin(GUILD, 1))).code).toBe("GONE");
  });

  it("replaced by another file: refuses the pin, saying so", async () => {
    await copyFile(file, `${file}.copy`);
    await rename(`${file}.copy`, file);
    const error = await refusal(store.addPin(newPin("How long would the ceasefire last?")));
    expect(error.code).toBe("GONE");
    expect(error.message).toContain("another file replaced the one newsdesk opened");
  });

  it("read-only: refuses the pin with the system's reason", async ({ skip }) => {
    const run = promisify(execFile);
    if (runningAsRoot) {
      // Root writes any file whatever its mode: the immutable flag stops root too.
      try {
        await run("chattr", ["+i", file]);
      } catch {
        return skip("root, and chattr +i does not work on this file system");
      }
    } else {
      await chmod(file, 0o444);
    }
    try {
      const error = await refusal(store.addPin(newPin("How long would the ceasefire last?")));
      expect(error.code).toBe("READ_ONLY");
      expect(error.message).toMatch(/^pins: the database at .* is not writable: E(?:ACCES|PERM): /);
    } finally {
      if (runningAsRoot) await run("chattr", ["-i", file]);
    }
    expect((await store.listPins(GUILD, { page: 1, pageSize: 10 })).total).toBe(0);
  });

  it("deleted: a record is dropped with a log line, never thrown", async () => {
    await rm(file);
    expect(() =>
      store.recordAnswer(sentAnswer("How long would the ceasefire last?", "9001")),
    ).not.toThrow();
    const line = await logLine(
      (l) => l.msg === "pins: records dropped, the database cannot take them",
    );
    expect(line).toMatchObject({ level: "error", dropped: { answers: 1, unanswered: 0 } });
  });
});

describe("another process holding the write lock", () => {
  it("queues the records of answers, finds them, and writes them once free (flush)", async () => {
    const lock = await holdLock();
    try {
      store.recordAnswer(sentAnswer("How long would the ceasefire last?", "9001"));
      store.recordUnanswered({ guildId: GUILD, channelId: "3", question: "Who won?", at: 1 });
      expect((await store.getAnswer(GUILD, "9001"))?.question).toBe(
        "How long would the ceasefire last?",
      );
      const line = await logLine(
        (l) => l.msg === "pins: database unavailable; records are queued and retried",
      );
      expect(line).toMatchObject({ level: "warn", err: { code: "LOCKED" } });
    } finally {
      await lock.release();
    }
    await store.flush();
    const other = await openPinStore(file, { log: capturedLog().log });
    try {
      expect((await other.getAnswer(GUILD, "9001"))?.question).toBe(
        "How long would the ceasefire last?",
      );
      expect((await other.listUnanswered(GUILD, { page: 1, pageSize: 10 })).total).toBe(1);
    } finally {
      await other.close();
    }
  });

  it("writes what is still queued when closed", async () => {
    const lock = await holdLock();
    try {
      store.recordAnswer(sentAnswer("How long would the ceasefire last?", "9001"));
    } finally {
      await lock.release();
    }
    await store.close();
    store = await open();
    expect((await store.getAnswer(GUILD, "9001"))?.question).toBe(
      "How long would the ceasefire last?",
    );
  });

  it("closed with the lock still held: says in the log what it drops", async () => {
    const lock = await holdLock();
    try {
      store.recordAnswer(sentAnswer("How long would the ceasefire last?", "9001"));
      store.recordUnanswered({ guildId: GUILD, channelId: "3", question: "Who won?", at: 1 });
      // Waits out the kept write's patience (PIN_WRITE_PATIENCE_MS, 10 s), then gives up.
      await store.close();
    } finally {
      await lock.release();
    }
    expect(logged.at(-1)).toMatchObject({
      level: "error",
      msg: "pins: records dropped, the database cannot take them",
      dropped: { answers: 1, unanswered: 1 },
      err: { code: "LOCKED" },
    });
  });

  it("keeps a pin asked for meanwhile, once the lock is free", async () => {
    const lock = await holdLock();
    let pinning: Promise<unknown>;
    try {
      pinning = store.addPin(newPin("How long would the ceasefire last?", { messageId: "9001" }));
    } finally {
      await lock.release();
    }
    expect(await pinning).toMatchObject({ id: 1, messageId: "9001" });
    await store.close();
    store = await open();
    expect((await store.getPinByMessage(GUILD, "9001"))?.id).toBe(1);
  });
});
