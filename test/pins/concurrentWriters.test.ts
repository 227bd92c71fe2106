/**
 * Two processes writing to one database file at once, as the shards of `npm run start:sharded`
 * do: both open a new file (and so race to migrate it), then each adds 200 pins, one transaction
 * each. Every pin must be there, and neither process may fail with SQLITE_BUSY.
 */
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GUILD, makeTempDir, openPinStore, removeTempDir } from "./fixtures.js";
import { startWorker } from "./workers.js";

const PER_PROCESS = 200;

let dir: string;

beforeEach(async () => {
  dir = await makeTempDir();
});

afterEach(async () => {
  await removeTempDir(dir);
});

describe("two processes writing at once", () => {
  it("store every pin, without busy errors", { timeout: 60_000 }, async () => {
    const file = path.join(dir, "newsdesk.sqlite");
    const workers = ["a", "b"].map((tag) =>
      startWorker(["add", file, GUILD, String(PER_PROCESS), tag]),
    );
    // Both have opened the store; then both start writing together.
    expect(await Promise.all(workers.map((w) => w.nextLine()))).toEqual(["ready", "ready"]);
    for (const w of workers) w.child.stdin.write("go\n");
    expect(await Promise.all(workers.map((w) => w.nextLine(45_000)))).toEqual(["done", "done"]);
    for (const w of workers) w.child.stdin.end();
    const exits = await Promise.all(workers.map((w) => w.exited));
    expect(exits).toEqual([
      { code: 0, stderr: "" },
      { code: 0, stderr: "" },
    ]);

    const store = await openPinStore(file);
    const { items, total } = await store.listPins(GUILD, { page: 1, pageSize: 100 });
    expect(total).toBe(2 * PER_PROCESS);
    expect(new Set(items.map((p) => p.id)).size).toBe(items.length);
    for (const tag of ["a", "b"]) {
      for (const i of [1, PER_PROCESS / 2, PER_PROCESS]) {
        expect((await store.getPinByMessage(GUILD, `${tag}-${i}`))?.question).toBe(
          `Question ${tag} ${i}?`,
        );
      }
    }
    await store.close();
  });
});
