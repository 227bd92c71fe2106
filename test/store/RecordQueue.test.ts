/**
 * The record queue on a real database: what it writes, in order, and which records it drops
 * when it fills while a batch is being written (a write held, as a PostgreSQL round trip is).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/log.js";
import type { Database, Work } from "../../src/store/database.js";
import { MAX_QUEUED_RECORDS, RecordQueue } from "../../src/store/RecordQueue.js";
import { sqliteEngine, type TestDatabase } from "../support/engines.js";

let fresh: TestDatabase;
let db: Database;

beforeEach(async () => {
  fresh = await sqliteEngine.fresh();
  db = await fresh.open();
  await db.write((sql) => sql.exec("CREATE TABLE records (n INTEGER NOT NULL)"));
});

afterEach(async () => {
  await fresh.remove();
});

/** `inner` whose first write waits for `release`. */
function holdingFirstWrite(inner: Database): { db: Database; release: () => void } {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let first = true;
  const held = new Proxy(inner, {
    get(target, property) {
      if (property === "write") {
        return async <T>(work: Work<T>) => {
          if (first) {
            first = false;
            await gate;
          }
          return target.write(work);
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { db: held, release };
}

describe("RecordQueue", () => {
  it("when full while a batch is being written, writes that batch whole and drops the oldest queued after it", async () => {
    const { db: held, release } = holdingFirstWrite(db);
    const queue = new RecordQueue<number>(held, {
      write: async (sql, records) => {
        for (const n of records) await sql.run("INSERT INTO records (n) VALUES (?)", [n]);
      },
      log: createLogger({ level: "error" }),
      module: "test",
      describe: (records) => ({ records: records.length }),
    });
    // Record 0 starts the write at once (held); the others queue behind it, 5 past the limit.
    const extra = 5;
    for (let n = 0; n <= MAX_QUEUED_RECORDS + extra - 1; n++) queue.add(n);
    release();
    await queue.flush();
    const written = (
      await db.read((sql) => sql.all<{ n: number }>("SELECT n FROM records ORDER BY rowid"))
    ).map((row) => row.n);
    // Written: record 0 (its batch), then every record after the 5 oldest queued ones.
    const expected = [0];
    for (let n = 1 + extra; n <= MAX_QUEUED_RECORDS + extra - 1; n++) expected.push(n);
    expect(written).toEqual(expected);
    await queue.close();
  });
});
