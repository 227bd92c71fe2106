import { describe, expect, it } from "vitest";
import { createMetrics, type LibrarySize } from "../../src/health/metrics.js";
import { parseSamples, sampleValue } from "../support/promText.js";

/** Metrics without prom-client's process metrics (their monitor outlives the test). */
function quietMetrics(library: () => LibrarySize | undefined = () => undefined) {
  return createMetrics({ library, processMetrics: false });
}

describe("createMetrics", () => {
  it("counts interactions by command and outcome", async () => {
    const metrics = quietMetrics();
    metrics.interaction("ask", "ok", 0.2);
    metrics.interaction("ask", "ok", 0.3);
    metrics.interaction("ask", "abstained", 0.1);
    metrics.interaction("pins", "forbidden", 0.01);

    const text = await metrics.render();
    const count = (command: string, outcome: string) =>
      sampleValue(text, "newsdesk_interactions_total", { command, outcome });
    expect(count("ask", "ok")).toBe(2);
    expect(count("ask", "abstained")).toBe(1);
    expect(count("pins", "forbidden")).toBe(1);
    expect(count("pins", "ok")).toBeUndefined();
  });

  it("puts each reply's seconds in the histogram of its command, buckets 0.05 s to 15 s", async () => {
    const metrics = quietMetrics();
    metrics.interaction("ask", "ok", 0.04);
    metrics.interaction("ask", "ok", 0.7);
    metrics.interaction("ask", "error", 20);
    metrics.interaction("summary", "ok", 4);

    const text = await metrics.render();
    const bucket = (command: string, le: string) =>
      sampleValue(text, "newsdesk_reply_seconds_bucket", { command, le });
    const buckets = parseSamples(text)
      .filter((s) => s.name === "newsdesk_reply_seconds_bucket" && s.labels.command === "ask")
      .map((s) => s.labels.le);
    expect(buckets).toEqual(["0.05", "0.1", "0.25", "0.5", "1", "2", "3", "5", "8", "15", "+Inf"]);
    // Cumulative: a bucket counts every reply at most as slow as its bound.
    expect(bucket("ask", "0.05")).toBe(1);
    expect(bucket("ask", "0.5")).toBe(1);
    expect(bucket("ask", "1")).toBe(2);
    expect(bucket("ask", "15")).toBe(2);
    expect(bucket("ask", "+Inf")).toBe(3);
    expect(bucket("summary", "3")).toBe(0);
    expect(bucket("summary", "5")).toBe(1);
    expect(sampleValue(text, "newsdesk_reply_seconds_count", { command: "ask" })).toBe(3);
    expect(sampleValue(text, "newsdesk_reply_seconds_sum", { command: "ask" })).toBeCloseTo(20.74);
  });

  it("reads the library's size at each scrape, NaN while it loads", async () => {
    let size: LibrarySize | undefined;
    const metrics = quietMetrics(() => size);
    const articles = async () => sampleValue(await metrics.render(), "newsdesk_library_articles");
    const paragraphs = async () =>
      sampleValue(await metrics.render(), "newsdesk_library_paragraphs");

    expect(await articles()).toBeNaN();
    expect(await paragraphs()).toBeNaN();
    size = { articles: 12, paragraphs: 340 };
    expect(await articles()).toBe(12);
    expect(await paragraphs()).toBe(340);
    size = { articles: 13, paragraphs: 352 };
    expect(await articles()).toBe(13);
  });

  it("shows every kind of feed failure from the start, at 0, and counts each", async () => {
    const metrics = quietMetrics();
    const failures = async (kind: string) =>
      sampleValue(await metrics.render(), "newsdesk_feed_failures_total", { kind });
    expect(await failures("fetch")).toBe(0);
    expect(await failures("parse")).toBe(0);
    expect(await failures("unexpected")).toBe(0);

    metrics.feedFailure("fetch");
    metrics.feedFailure("fetch");
    metrics.feedFailure("parse");
    expect(await failures("fetch")).toBe(2);
    expect(await failures("parse")).toBe(1);
    expect(await failures("unexpected")).toBe(0);
  });

  it("counts store errors by code", async () => {
    const metrics = quietMetrics();
    metrics.storeError("LOCKED");
    metrics.storeError("LOCKED");
    metrics.storeError("READ_ONLY");
    const text = await metrics.render();
    expect(sampleValue(text, "newsdesk_store_errors_total", { code: "LOCKED" })).toBe(2);
    expect(sampleValue(text, "newsdesk_store_errors_total", { code: "READ_ONLY" })).toBe(1);
    expect(sampleValue(text, "newsdesk_store_errors_total", { code: "GONE" })).toBeUndefined();
  });

  it("keeps each registry's counts its own", async () => {
    const first = quietMetrics();
    const second = quietMetrics();
    first.interaction("ask", "ok", 0.1);
    expect(
      sampleValue(await first.render(), "newsdesk_interactions_total", { command: "ask" }),
    ).toBe(1);
    expect(
      sampleValue(await second.render(), "newsdesk_interactions_total", { command: "ask" }),
    ).toBeUndefined();
  });

  it("adds prom-client's process metrics unless told not to, in the text format's content type", async () => {
    const withProcess = createMetrics({ library: () => undefined });
    const names = new Set(parseSamples(await withProcess.render()).map((s) => s.name));
    expect(names).toContain("process_cpu_user_seconds_total");
    expect(names).toContain("nodejs_eventloop_lag_seconds");
    expect(withProcess.contentType).toMatch(/^text\/plain; version=0\.0\.4/);

    const without = new Set(parseSamples(await quietMetrics().render()).map((s) => s.name));
    expect(without).not.toContain("process_cpu_user_seconds_total");
    expect(without).toContain("newsdesk_feed_failures_total");
  });
});
