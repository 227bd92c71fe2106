import { describe, expect, it } from "vitest";
import { indexingProgressLog } from "../src/watchLog.js";
import { captureLog } from "./support/logCapture.js";

describe("indexingProgressLog", () => {
  it("logs a slow build from its delay on, at each further tenth or every few seconds, then its end", async () => {
    const { log, records } = captureLog({ withoutTimeAndLevel: true });
    let time = 0;
    const progress = indexingProgressLog(log, { now: () => time, delayMs: 2000, everyMs: 5000 });
    const at = (ms: number, done: number) => {
      time = ms;
      progress({ done, total: 100_000 });
    };
    at(0, 0);
    at(1000, 8000); // before the delay
    at(2500, 20_000); // first line
    at(2600, 21_000); // same tenth, soon after: none
    at(3000, 30_000); // a new tenth
    at(8500, 35_000); // same tenth, but 5 s since the last line
    at(9000, 36_000);
    at(12_000, 100_000);
    expect(await records()).toEqual([
      { msg: "library: indexing", done: 20_000, total: 100_000, elapsedMs: 2500 },
      { msg: "library: indexing", done: 30_000, total: 100_000, elapsedMs: 3000 },
      { msg: "library: indexing", done: 35_000, total: 100_000, elapsedMs: 8500 },
      { msg: "library: indexed", paragraphs: 100_000, elapsedMs: 12_000 },
    ]);
  });

  it("logs nothing for a quick build", async () => {
    const { log, records } = captureLog({ withoutTimeAndLevel: true });
    let time = 0;
    const progress = indexingProgressLog(log, { now: () => time });
    progress({ done: 0, total: 3000 });
    time = 400;
    progress({ done: 1000, total: 3000 });
    time = 900;
    progress({ done: 3000, total: 3000 });
    expect(await records()).toEqual([]);
  });
});
