/**
 * The watched articles folder end to end: the real bot on the fake Discord, its services loaded
 * from a temp folder that the test writes into while the bot runs, watched as `npm start` does.
 * Each change is awaited on the bot's own log line ("library updated", or the corpus problem),
 * never by sleeping.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadServices } from "../../src/services.js";
import { makeTempDir, removeTempDir, writeFiles } from "../corpus/tempDir.js";
import { embedText, type Harness, type LogLine, startHarness } from "./botHarness.js";

const HARBOUR = `Harbour reopens after storm

The harbour at Port Ellen reopened on Tuesday after the storm closed it for nine days.

Fishing boats returned to the quay as engineers checked the breakwater.`;

const HARBOUR_CHANGED = `Harbour reopens after storm

The harbour at Port Ellen reopened on Wednesday after the storm closed it for eleven days.

Fishing boats returned to the quay as engineers checked the breakwater.`;

const QUESTION = "How many days was the Port Ellen harbour closed by the storm?";

let h: Harness;
let dir: string;

beforeAll(async () => {
  dir = await makeTempDir();
  await writeFiles(dir, {
    "ferry.txt": "Ferry timetable changes\n\nThe island ferry will sail twice a day from May.",
  });
  const services = await loadServices({ dataDir: dir });
  h = await startHarness({ services, watchArticles: { debounceMs: 50 } });
});

afterAll(async () => {
  await h?.stop();
  if (dir) await removeTempDir(dir);
});

/** The next "library updated" line from now on that satisfies `match`. */
function updated(match: (line: LogLine) => boolean): Promise<LogLine> {
  const from = h.logs.lines.length;
  return h.logs.waitFor(
    (line) => h.logs.lines.indexOf(line) >= from && line.msg === "library updated" && match(line),
  );
}

const includes = (key: string, id: string) => (line: LogLine) =>
  (line[key] as string[] | undefined)?.includes(id) === true;

async function askText(question: string): Promise<string> {
  const handle = h.fake.sendSlashCommand({
    name: "ask",
    options: { question },
    user: h.newUser(),
  });
  return embedText((await handle.final()).embeds);
}

describe("the watched articles folder on the fake Discord", () => {
  it("answers from a file written while the bot runs, citing it", async () => {
    expect(await askText(QUESTION)).not.toContain("Harbour reopens");
    const added = updated(includes("added", "harbour"));
    await writeFiles(dir, { "harbour.txt": HARBOUR });
    await added;
    const text = await askText(QUESTION);
    expect(text).toContain("Harbour reopens after storm");
    expect(text).toContain("for nine");
  });

  it("cites a changed file's new text, not the old", async () => {
    const replaced = updated(includes("replaced", "harbour"));
    await writeFiles(dir, { "harbour.txt": HARBOUR_CHANGED });
    await replaced;
    const text = await askText(QUESTION);
    expect(text).toContain("for eleven");
    expect(text).not.toContain("for nine");
  });

  it("logs a malformed file by name and goes on serving the rest", async () => {
    const problem = h.logs.waitFor(
      (line) => line.level === "warn" && line.file === path.join(dir, "broken.json"),
    );
    await writeFiles(dir, { "broken.json": '{ "title": "Broken", "text": ' });
    expect(String((await problem).msg)).toMatch(/^corpus problem: /);
    expect(await askText(QUESTION)).toContain("for eleven");
    expect(await askText("How often will the island ferry sail from May?")).toContain(
      "Ferry timetable changes",
    );
  });

  it("stops citing a deleted file", async () => {
    const removed = updated(includes("removed", "harbour"));
    await fs.rm(path.join(dir, "harbour.txt"));
    await removed;
    const text = await askText(QUESTION);
    expect(text).not.toContain("Harbour reopens");
    expect(text).not.toContain("for eleven");
  });
});
