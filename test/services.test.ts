import fs from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { BuildProgress } from "../src/retrieval/IncrementalIndex.js";
import { type ArticlesWatch, loadServices, watchArticles } from "../src/services.js";
import { makeTempDir, removeTempDir, writeFiles } from "./corpus/tempDir.js";

let dir: string | undefined;
let watch: ArticlesWatch | undefined;

afterEach(async () => {
  await watch?.stop();
  watch = undefined;
  if (dir) await removeTempDir(dir);
  dir = undefined;
});

describe("loadServices", () => {
  it("reports how far the index build has gone, ending with every paragraph indexed", async () => {
    dir = await makeTempDir();
    await writeFiles(dir, {
      "ferry.txt": "Ferry timetable changes\n\nThe island ferry will sail twice a day from May.",
      "harbour.txt": "Harbour reopens\n\nThe harbour reopened.\n\nBoats returned.\n\nCranes too.",
    });
    const reports: BuildProgress[] = [];
    const services = await loadServices({ dataDir: dir, onIndexProgress: (p) => reports.push(p) });
    expect(reports).toEqual([
      { done: 0, total: 4 },
      { done: 4, total: 4 },
    ]);
    expect(services.library.index.documentCount).toBe(4);
  });
});

describe("watchArticles", () => {
  it("compacts the index once removed paragraphs outnumber the live ones, still answering", async () => {
    dir = await makeTempDir();
    await writeFiles(dir, {
      "ferry.txt": "Ferry timetable changes\n\nThe island ferry will sail twice a day from May.",
      "harbour.txt": "Harbour reopens\n\nThe harbour reopened.\n\nBoats returned.\n\nCranes too.",
    });
    const services = await loadServices({ dataDir: dir });
    const problems: unknown[] = [];
    let compacted: (reclaimed: number) => void = () => {};
    const reclaimed = new Promise<number>((resolve, reject) => {
      compacted = resolve;
      setTimeout(() => reject(new Error("no compaction within 5 s")), 5000).unref();
    });
    watch = await watchArticles(services, {
      onProblem: (p) => problems.push(p),
      onUpdate: () => {},
      onError: (e) => problems.push(e),
      onCompacted: (n) => compacted(n),
      debounceMs: 20,
      compactFrom: 2,
    });
    await fs.rm(path.join(dir, "harbour.txt"));
    // harbour's 3 paragraphs outnumber ferry's 1: their ids are reclaimed.
    expect(await reclaimed).toBe(3);
    expect(services.library.removedParagraphs).toBe(0);
    expect(services.library.index.articleOf).toHaveLength(1);
    expect(services.answers.closestArticles("island ferry timetable", 3)).toEqual([
      { id: "ferry", title: "Ferry timetable changes" },
    ]);
    expect(problems).toEqual([]);
  });
});
