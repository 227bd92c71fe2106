import fs from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type CorpusUpdate, CorpusWatcher } from "../../src/corpus/CorpusWatcher.js";
import { makeTempDir, removeTempDir, writeFiles } from "./tempDir.js";

/** The watcher's updates and errors, with a wait on the next one that matches. */
class Recorder {
  readonly updates: CorpusUpdate[] = [];
  readonly errors: Error[] = [];
  #wake = new Set<() => void>();

  readonly onChange = (update: CorpusUpdate) => {
    this.updates.push(update);
    for (const wake of this.#wake) wake();
  };
  readonly onError = (error: Error) => {
    this.errors.push(error);
    for (const wake of this.#wake) wake();
  };

  /** Resolves with the first update from now on that matches; rejects after `timeoutMs`. */
  next(match: (update: CorpusUpdate) => boolean, timeoutMs = 5000): Promise<CorpusUpdate> {
    const from = this.updates.length;
    return this.#until(() => this.updates.slice(from).find(match), timeoutMs);
  }

  nextError(timeoutMs = 5000): Promise<Error> {
    const from = this.errors.length;
    return this.#until(() => this.errors[from], timeoutMs);
  }

  #until<T>(found: () => T | undefined, timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const value = found();
        if (value === undefined) return;
        done();
        resolve(value);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`nothing matching within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.#wake.delete(check);
      };
      this.#wake.add(check);
    });
  }
}

const ids = (update: CorpusUpdate) => update.corpus.articles.map((a) => a.id);
const has = (id: string) => (update: CorpusUpdate) => ids(update).includes(id);

let dir: string;
let recorder: Recorder;
let watcher: CorpusWatcher | undefined;

beforeEach(async () => {
  dir = await makeTempDir();
  await writeFiles(dir, { "kept.txt": "Kept story\n\nIt stays all along." });
  recorder = new Recorder();
});

afterEach(async () => {
  await watcher?.stop();
  watcher = undefined;
  await removeTempDir(dir);
});

async function start(): Promise<void> {
  watcher = await CorpusWatcher.start(dir, {
    onChange: recorder.onChange,
    onError: recorder.onError,
    debounceMs: 50,
    retryMs: 100,
  });
}

describe("CorpusWatcher", () => {
  it("reads the folder once at start, reporting no problem the start-up load reported", async () => {
    await writeFiles(dir, { "bad.json": "{" });
    await start();
    expect(recorder.updates).toHaveLength(1);
    expect(ids(recorder.updates[0] as CorpusUpdate)).toEqual(["kept"]);
    expect(recorder.updates[0]?.problems).toEqual([]);
  });

  it("follows a file added, changed and deleted, re-reading only that file", async () => {
    await start();
    let next = recorder.next(has("fresh"));
    await writeFiles(dir, { "fresh.md": "# Fresh story\n\nFirst version." });
    let update = await next;
    expect(update.changed).toEqual([path.join(dir, "fresh.md")]);
    expect(ids(update)).toEqual(["fresh", "kept"]);

    next = recorder.next((u) =>
      u.corpus.articles.some((a) => a.paragraphs[0] === "Second version."),
    );
    await writeFiles(dir, { "fresh.md": "# Fresh story\n\nSecond version." });
    update = await next;
    expect(update.changed).toEqual([path.join(dir, "fresh.md")]);

    next = recorder.next((u) => !has("fresh")(u));
    await fs.rm(path.join(dir, "fresh.md"));
    update = await next;
    expect(ids(update)).toEqual(["kept"]);
    expect(update.changed).toEqual([path.join(dir, "fresh.md")]);
  });

  it("sees an atomic save (a temp file renamed over the article) whole", async () => {
    await start();
    const next = recorder.next((u) =>
      u.corpus.articles.some((a) => a.id === "kept" && a.paragraphs[0] === "Saved atomically."),
    );
    await writeFiles(dir, { ".kept.txt.swp": "Kept story\n\nSaved atomically." });
    await fs.rename(path.join(dir, ".kept.txt.swp"), path.join(dir, "kept.txt"));
    const update = await next;
    expect(ids(update)).toEqual(["kept"]);
    expect(update.problems).toEqual([]);
  });

  it("reports a file that turns bad, drops its article and serves the rest", async () => {
    await writeFiles(dir, { "story.json": JSON.stringify({ title: "Story", text: "Fine." }) });
    await start();
    const next = recorder.next((u) => u.problems.length > 0);
    await writeFiles(dir, { "story.json": '{ "title": "Story", ' });
    const update = await next;
    expect(update.problems.map((p) => p.file)).toEqual([path.join(dir, "story.json")]);
    expect(ids(update)).toEqual(["kept"]);
  });

  it("keeps the loader's duplicate rule, reporting the article a new file pushes out", async () => {
    await writeFiles(dir, {
      "b.json": JSON.stringify({ id: "same", title: "B", text: "From b." }),
    });
    await start();
    const next = recorder.next((u) => u.problems.length > 0);
    await writeFiles(dir, {
      "a.json": JSON.stringify({ id: "same", title: "A", text: "From a." }),
    });
    const update = await next;
    expect(update.corpus.articles.find((a) => a.id === "same")?.title).toBe("A");
    // b.json was not re-read, but its article is now the duplicate: that is news to report.
    expect(update.problems.map((p) => path.basename(p.file))).toEqual(["b.json"]);
    expect(update.problems[0]?.message).toMatch(/duplicate id "same"/);
  });

  it("survives its folder going away: an error, the last corpus kept, and it resumes", async () => {
    await start();
    const failed = recorder.nextError();
    await removeTempDir(dir);
    expect((await failed).message).toBeTruthy();
    const back = recorder.next(has("returned"));
    await fs.mkdir(dir);
    await writeFiles(dir, { "returned.txt": "Back again\n\nThe folder is back." });
    expect(ids(await back)).toEqual(["returned"]);
  });
});
