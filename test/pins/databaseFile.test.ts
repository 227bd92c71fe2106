import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/log.js";
import { createdMarker, keepMarker, sayNewDatabase } from "../../src/store/sqlite/databaseFile.js";
import { makeTempDir, removeTempDir } from "./fixtures.js";

/** A logger whose lines (parsed) are kept. */
function capturedLog() {
  const stream = new PassThrough();
  const lines: { level: string; msg: string }[] = [];
  stream.on("data", (chunk: Buffer) => {
    for (const line of chunk.toString("utf8").split("\n")) if (line) lines.push(JSON.parse(line));
  });
  return { log: createLogger({ level: "debug", destination: stream }), lines };
}

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  await removeTempDir(dir);
});

describe("the database's marker", () => {
  it("calls a new database lost only when its marker was there before this start looked", async () => {
    const file = path.join(dir, "newsdesk.sqlite");
    // A sibling shard created the database and its marker after this one looked: a first start.
    writeFileSync(createdMarker(file), "{}\n");
    const race = capturedLog();
    sayNewDatabase(race.log, file, file, { folderExisted: true, markerExisted: false });
    expect(race.lines.map((l) => l.level)).toEqual(["info"]);
    // The marker was there before, the database was not: it was deleted.
    const deleted = capturedLog();
    sayNewDatabase(deleted.log, file, file, { folderExisted: true, markerExisted: true });
    expect(deleted.lines.map((l) => l.level)).toEqual(["error"]);
    expect(deleted.lines[0]?.msg).toMatch(/is missing though newsdesk created one there before/);
  });

  it("keeps the first marker when two processes write it", async () => {
    const file = path.join(dir, "newsdesk.sqlite");
    const { log, lines } = capturedLog();
    keepMarker(log, file);
    const first = readFileSync(createdMarker(file), "utf8");
    keepMarker(log, file);
    expect(existsSync(createdMarker(file))).toBe(true);
    expect(readFileSync(createdMarker(file), "utf8")).toBe(first);
    expect(lines).toEqual([]);
  });
});
