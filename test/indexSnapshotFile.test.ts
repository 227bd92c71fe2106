/**
 * The index snapshot file at start-up (`loadServices` with `snapshotFile`) and in the
 * background (`keepSnapshot`): a second start loads what the first wrote and answers the same;
 * a missing, corrupt, truncated, foreign, other-version or stale file is said in one line and
 * the index built from the articles, nothing thrown; a write that fails is one warning.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { keepSnapshot, readSnapshotFile, writeSnapshotFile } from "../src/indexSnapshotFile.js";
import { decodeSnapshot, encodeSnapshot } from "../src/retrieval/snapshotFormat.js";
import { loadServices, type Services } from "../src/services.js";
import { logSnapshotUnused } from "../src/watchLog.js";
import { makeTempDir, removeTempDir, writeFiles } from "./corpus/tempDir.js";
import { captureLog } from "./support/logCapture.js";
import { NEWS, NEWS_QUESTIONS } from "./support/newsArticles.js";

let dir: string | undefined;
afterEach(async () => {
  if (dir) await removeTempDir(dir);
  dir = undefined;
});

/** The `snapshot written` records once there are at least `count` of them (5 s at most). */
async function writes(
  records: () => Promise<Record<string, unknown>[]>,
  count: number,
): Promise<Record<string, unknown>[]> {
  for (let i = 0; i < 500; i++) {
    const written = (await records()).filter((r) => r.msg === "library: snapshot written");
    if (written.length >= count) return written;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`not ${count} writes`);
}

/** An articles folder of the test news, and where its snapshot goes. */
async function setUp() {
  dir = await makeTempDir();
  const data = path.join(dir, "articles");
  await fs.mkdir(data);
  await writeFiles(
    data,
    Object.fromEntries(
      NEWS.map((a) => [`${a.id}.txt`, `${a.title}\n\n${a.paragraphs.join("\n\n")}`]),
    ),
  );
  return { data, file: path.join(dir, "var", "newsdesk.index") };
}

/** Every test question's answer, as a reader would compare two starts. */
function answers(services: Services) {
  return NEWS_QUESTIONS.map((q) => {
    const answer = services.answers.ask(q);
    return JSON.stringify(answer);
  });
}

/** Starts as the bot does, logging a snapshot not used as it would. */
async function start(data: string, file: string) {
  const { log, records } = captureLog();
  const services = await loadServices({
    dataDir: data,
    snapshotFile: file,
    onSnapshotUnused: (reason) => logSnapshotUnused(log, file, reason),
  });
  return { services, records };
}

/**
 * A started library (see `setUp`) whose snapshot `keepSnapshot` keeps: one write begun at once
 * (its first slice of the encode done on return), then as `timing` says.
 */
async function keeping(timing: { everyMs: number; retryMs?: number }) {
  const { data, file } = await setUp();
  const { services } = await start(data, file);
  const { log, records } = captureLog();
  const keeper = keepSnapshot({ file, library: services.library, log, writeNow: true, ...timing });
  return { file, services, records, keeper };
}

describe("the index snapshot file", () => {
  it("a second start loads the first one's snapshot and answers the same", async () => {
    const { data, file } = await setUp();
    const first = await start(data, file);
    expect(first.services.startup.snapshot).toEqual({ reason: "missing" });
    expect(first.services.startup.changed).toBe(true);
    expect(await first.records()).toMatchObject([
      { msg: "library: no index snapshot yet, building the index", file },
    ]);
    const written = await writeSnapshotFile(file, first.services.library);
    if (!written) throw new Error("not written");
    expect((await fs.stat(file)).size).toBe(written.bytes);
    // Only the snapshot is left in its folder: the temporary file was renamed.
    expect(await fs.readdir(path.dirname(file))).toEqual([path.basename(file)]);

    const second = await start(data, file);
    expect(second.services.startup.snapshot).toMatchObject({
      kept: NEWS.length,
      removed: 0,
      added: 0,
      bytes: written.bytes,
    });
    expect(second.services.startup.changed).toBe(false);
    expect(await second.records()).toEqual([]);
    expect(answers(second.services)).toEqual(answers(first.services));

    // A file changed and one deleted: the difference is applied.
    const [changed, gone] = NEWS as [(typeof NEWS)[number], (typeof NEWS)[number]];
    await fs.writeFile(path.join(data, `${changed.id}.txt`), `${changed.title}\n\nOnly this now.`);
    await fs.rm(path.join(data, `${gone.id}.txt`));
    const third = await start(data, file);
    expect(third.services.startup.snapshot).toMatchObject({
      kept: NEWS.length - 2,
      removed: 2,
      added: 1,
    });
    expect(third.services.startup.changed).toBe(true);
  });

  it("an unusable snapshot: one line why, the index built from the articles, the same answers", async () => {
    const { data, file } = await setUp();
    const { services: cold } = await start(data, file);
    await writeSnapshotFile(file, cold.library);
    const good = await fs.readFile(file);
    const record = decodeSnapshot(good);
    const cases: [string, Uint8Array, RegExp][] = [
      [
        "corrupt",
        Buffer.concat([
          good.subarray(0, 4000),
          Buffer.from([(good[4000] as number) ^ 1]),
          good.subarray(4001),
        ]),
        /^corrupt: checksum/,
      ],
      ["truncated", good.subarray(0, good.byteLength - 100), /^truncated: /],
      ["not a snapshot", Buffer.from("pins and notes, not an index\n"), /^not a snapshot: /],
      [
        "another format",
        (() => {
          const other = Buffer.from(good);
          other.writeUInt32LE(99, 8);
          return other;
        })(),
        /^another format version: format version 99/,
      ],
      [
        "stale pipeline",
        Buffer.concat(encodeSnapshot({ ...record, pipelineVersion: -1 })),
        /^stale pipeline version: made by pipeline version -1/,
      ],
      [
        "another index layout",
        Buffer.concat(encodeSnapshot({ ...record, "index.stateVersion": -1 })),
        /^another format version: index layout -1/,
      ],
      [
        "other options",
        Buffer.concat(encodeSnapshot({ ...record, "index.acronyms": false })),
        /^other index options: /,
      ],
      [
        // Checksummed, but its index does not fit together (a writer's bug): found at restore.
        "an index that does not fit",
        Buffer.concat(
          encodeSnapshot({
            ...record,
            "index.lengths": (record["index.lengths"] as Float64Array).subarray(1),
          }),
        ),
        /^corrupt: index state: sizes do not fit/,
      ],
    ];
    for (const [what, bytes, reason] of cases) {
      await fs.writeFile(file, bytes);
      const { services, records } = await start(data, file);
      const lines = await records();
      expect(lines, what).toHaveLength(1);
      expect(lines[0], what).toMatchObject({
        level: "warn",
        msg: "library: index snapshot not used, building the index",
        file,
      });
      expect(lines[0]?.reason, what).toMatch(reason);
      expect(services.startup.snapshot, what).toEqual({ reason: lines[0]?.reason });
      expect(services.startup.changed, what).toBe(true);
      expect(answers(services), what).toEqual(answers(cold));
    }
    // The reader alone says the same, and never throws.
    await fs.writeFile(file, good.subarray(0, 10));
    expect(await readSnapshotFile(file)).toEqual({ reason: expect.stringMatching(/^truncated/) });
  });

  it("keeps the snapshot: a write at once if asked, then one per interval while the library changes", async () => {
    const { file, services, records, keeper } = await keeping({ everyMs: 20 });
    const wait = (count: number) => writes(records, count);
    expect(await wait(1)).toHaveLength(1);
    // Unchanged: no write in several intervals.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await wait(1)).toHaveLength(1);
    services.library.add({
      id: "late",
      title: "Late news",
      paragraphs: ["The ferry sails at noon."],
    });
    await wait(2);
    await keeper.stop();
    const read = await readSnapshotFile(file);
    expect("snapshot" in read && read.snapshot.ids).toContain("late");
    services.library.remove("late");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await wait(2)).toHaveLength(2);
  });

  it("tries again soon after a write given up because the library changed while it was encoded", async () => {
    const { file, services, records, keeper } = await keeping({ everyMs: 60_000, retryMs: 20 });
    // The first slice of the encode has run: this change comes between two slices.
    services.library.add({ id: "early", title: "Early news", paragraphs: ["Boats left at dawn."] });
    await writes(records, 1);
    await keeper.stop();
    expect((await records()).map((r) => r.msg)).toEqual(["library: snapshot written"]);
    const read = await readSnapshotFile(file);
    expect("snapshot" in read && read.snapshot.ids).toContain("early");
  });

  it("encodes in slices with pauses between them, giving up when the library changes meanwhile", async () => {
    const { data, file } = await setUp();
    const { services } = await start(data, file);
    const { library } = services;
    await writeSnapshotFile(file, library);
    const whole = await fs.readFile(file);
    let pauses = 0;
    const sliced = await writeSnapshotFile(file, library, {
      pause: async () => {
        pauses++;
      },
    });
    expect(pauses).toBeGreaterThan(0);
    expect(sliced?.longestMs).toBeLessThanOrEqual(sliced?.encodeMs ?? -1);
    expect(await fs.readFile(file)).toEqual(whole);
    // A change between two slices: nothing written, the file as it was.
    const changed = await writeSnapshotFile(file, library, {
      pause: async () => {
        if (library.get("late", undefined) === undefined) {
          library.add({ id: "late", title: "Late news", paragraphs: ["The ferry sails at noon."] });
        }
      },
    });
    expect(changed).toBeUndefined();
    expect(await fs.readFile(file)).toEqual(whole);
    expect(await fs.readdir(path.dirname(file))).toEqual([path.basename(file)]);
    // Cancelled (a stop began): nothing written either.
    library.remove("late");
    const cancelled = await writeSnapshotFile(file, library, {
      pause: async () => {},
      cancelled: () => true,
    });
    expect(cancelled).toBeUndefined();
  });

  it("a write that fails is one warning, and the snapshot already there is kept; a stop cancels one under way", async () => {
    const { data, file } = await setUp();
    const { services } = await start(data, file);
    await writeSnapshotFile(file, services.library);
    const before = await fs.readFile(file);
    // The snapshot's name taken by a folder, in a folder that cannot be written: the write fails.
    const blocked = path.join(path.dirname(file), "blocked");
    await fs.mkdir(path.join(blocked, "newsdesk.index"), { recursive: true });
    await fs.chmod(blocked, 0o500);
    const { log, records } = captureLog();
    const keeper = keepSnapshot({
      file: path.join(blocked, "newsdesk.index"),
      library: services.library,
      log,
      writeNow: true,
    });
    let lines = await records();
    for (let i = 0; i < 500 && lines.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      lines = await records();
    }
    await keeper.stop();
    await fs.chmod(blocked, 0o700);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: "warn", msg: "library: snapshot not written" });
    expect(await fs.readFile(file)).toEqual(before);
    // Stopped at once: the write under way gives up after its first slice, and logs nothing.
    services.library.add({ id: "late", title: "Late news", paragraphs: ["The ferry sails."] });
    const quiet = captureLog();
    await keepSnapshot({ file, library: services.library, log: quiet.log, writeNow: true }).stop();
    expect(await quiet.records()).toEqual([]);
    expect(await fs.readFile(file)).toEqual(before);
  });
});
