import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { formatProgressBar, progressBar } from "../../src/cli/progressBar.js";

/** A stream that says it is a terminal (or not), with what was written to it. */
function terminal(isTTY: boolean) {
  const stream = Object.assign(new PassThrough(), { isTTY });
  let text = "";
  stream.on("data", (chunk: Buffer) => {
    text += chunk.toString("utf8");
  });
  return { stream, text: () => text };
}

/** A clock the test moves by hand. */
function clock() {
  let time = 0;
  return {
    now: () => time,
    at: (ms: number) => {
      time = ms;
    },
  };
}

describe("formatProgressBar", () => {
  it("shows the share done as filled cells, a percentage, counts and seconds", () => {
    expect(formatProgressBar("ask: indexing", { done: 45_000, total: 100_000 }, 5230, 10)).toBe(
      "ask: indexing [####------] 45% 45,000/100,000 paragraphs 5.2 s",
    );
    expect(formatProgressBar("x", { done: 0, total: 0 }, 0, 4)).toBe(
      "x [####] 100% 0/0 paragraphs 0.0 s",
    );
  });
});

describe("progressBar", () => {
  it("draws on a terminal once the build is slow, redraws in place at most every interval, and ends the line", async () => {
    const { stream, text } = terminal(true);
    const { now, at } = clock();
    const update = progressBar(stream, { label: "ask: indexing", now, width: 4 });
    update({ done: 0, total: 4000 });
    at(500);
    update({ done: 1000, total: 4000 });
    expect(text()).toBe(""); // under the delay: nothing yet
    at(1200);
    update({ done: 2000, total: 4000 });
    at(1250);
    update({ done: 2500, total: 4000 }); // within the interval: not redrawn
    at(1400);
    update({ done: 3000, total: 4000 });
    at(1500);
    update({ done: 4000, total: 4000 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(text().split("\r").slice(1)).toEqual([
      "ask: indexing [##--] 50% 2,000/4,000 paragraphs 1.2 s\x1b[K",
      "ask: indexing [###-] 75% 3,000/4,000 paragraphs 1.4 s\x1b[K",
      "ask: indexing [####] 100% 4,000/4,000 paragraphs 1.5 s\x1b[K\n",
    ]);
  });

  it("leaves no trace of a quick build, and draws nothing where standard error is not a terminal", async () => {
    const quick = terminal(true);
    const { now, at } = clock();
    const update = progressBar(quick.stream, { label: "ask: indexing", now });
    update({ done: 0, total: 10 });
    at(300);
    update({ done: 10, total: 10 });
    const piped = terminal(false);
    const slow = clock();
    const pipedUpdate = progressBar(piped.stream, { label: "ask: indexing", now: slow.now });
    pipedUpdate({ done: 0, total: 10 });
    slow.at(60_000);
    pipedUpdate({ done: 5, total: 10 });
    pipedUpdate({ done: 10, total: 10 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(quick.text()).toBe("");
    expect(piped.text()).toBe("");
  });
});
