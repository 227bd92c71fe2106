/**
 * A database the bot cannot use stops start-up with one clear line (a StoreError naming the
 * file and what to do), never a stack trace and never a bot running without its pins.
 */
import { existsSync } from "node:fs";
import { chmod, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StoreError } from "../../src/store/errors.js";
import { makeTempDir, openPinStore, removeTempDir } from "./fixtures.js";
import { NOBODY, type OpenResult, openInWorker, runningAsRoot, startWorker } from "./workers.js";

let dir: string;

beforeEach(async () => {
  dir = await makeTempDir();
});

afterEach(async () => {
  await removeTempDir(dir);
});

/** The StoreError that opening `file` throws (fails the test if it opens). */
async function openError(file: string): Promise<StoreError> {
  try {
    await (await openPinStore(file)).close();
  } catch (error) {
    if (error instanceof StoreError) return error;
    throw error;
  }
  throw new Error(`expected ${file} not to open`);
}

/** Bytes that look like no file format, the same on every run. */
function noise(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  let state = 12345;
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

function expectOneLine(message: string, file: string): void {
  expect(message).toMatch(/^pins: /);
  expect(message).not.toContain("\n");
  expect(message).toContain(file);
  expect(message).toContain("DATABASE_PATH");
}

describe("a database that cannot be used", () => {
  it("is corrupt: says so, names the file, and does not touch it", async () => {
    const file = path.join(dir, "newsdesk.sqlite");
    const bytes = noise(8192);
    await writeFile(file, bytes);
    const error = await openError(file);
    expect(error.code).toBe("CORRUPT");
    expect(error.database).toBe(file);
    expect(error.message).toBe(
      `pins: ${file} is not a newsdesk database or is damaged (SQLITE_NOTADB: file is not a database); move it away to start with an empty one, or set DATABASE_PATH to another file`,
    );
    expect(await readFile(file)).toEqual(bytes);
  });

  it("is a file where its folder should be", async () => {
    await writeFile(path.join(dir, "var"), "not a folder");
    const file = path.join(dir, "var", "newsdesk.sqlite");
    const error = await openError(file);
    expect(error.code).toBe("CANNOT_OPEN");
    expectOneLine(error.message, file);
  });

  // Node 20's mkdirSync({ recursive: true }) spins forever on this path; a child process with a
  // deadline, so that a regression fails the test instead of hanging the run.
  it.runIf(existsSync("/proc/self"))(
    "would be made in a folder that refuses new entries (/proc): one line, at once",
    async () => {
      const file = "/proc/newsdesk-no-such-folder/var/newsdesk.sqlite";
      const worker = startWorker(["open", file]);
      try {
        const result = JSON.parse(await worker.nextLine(10_000)) as OpenResult;
        expect(result).toMatchObject({ name: "StoreError", code: "CANNOT_OPEN" });
        if ("message" in result) {
          expectOneLine(result.message, file);
          expect(result.message).toContain("ENOENT");
        }
      } finally {
        worker.child.kill("SIGKILL");
      }
    },
    20_000,
  );

  it("is a folder", async () => {
    const error = await openError(dir);
    expect(error.code).toBe("CANNOT_OPEN");
    expectOneLine(error.message, dir);
  });

  // Root may write read-only files, so as root these run the store as `nobody`.
  const user = runningAsRoot ? NOBODY : undefined;

  it("is read-only", async () => {
    const file = path.join(dir, "newsdesk.sqlite");
    await (await openPinStore(file)).close();
    await chmod(file, 0o444);
    await chmod(dir, 0o755);
    const result = await openInWorker(file, user);
    expect(result).toMatchObject({ name: "StoreError", code: "READ_ONLY" });
    if ("message" in result) {
      expectOneLine(result.message, file);
      expect(result.message).toContain("cannot be written");
    }
  });

  it("would be created in a read-only folder", async () => {
    const file = path.join(dir, "newsdesk.sqlite");
    await chmod(dir, 0o555);
    const result = await openInWorker(file, user);
    expect(result).toMatchObject({ name: "StoreError", code: "CANNOT_OPEN" });
    if ("message" in result) expectOneLine(result.message, file);
  });
});
