import { PassThrough, Writable } from "node:stream";
import { describe, expect, it, vi } from "vitest";
import type { LogLevel } from "../src/config.js";
import { createLogger, type LoggerOptions, redact } from "../src/log.js";

const TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.Gabcde.fake-token-for-tests_0123456789";
const NOW = Date.UTC(2025, 0, 2, 3, 4, 5);

/** A logger writing into memory, and its lines so far: raw and parsed. */
function capture(level: LogLevel = "debug", options: Partial<LoggerOptions> = {}) {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (chunk: Buffer) => {
    text += chunk.toString("utf8");
  });
  const log = createLogger({ level, destination: stream, now: () => NOW, ...options });
  const lines = () => text.split("\n").filter((line) => line !== "");
  const records = () => lines().map((line) => JSON.parse(line) as Record<string, unknown>);
  return { log, text: () => text, lines, records };
}

describe("createLogger", () => {
  it("writes one JSON object per line: time, level, msg, then the fields", () => {
    const { log, lines, records } = capture();
    log.info({ articles: 12, guilds: 1 }, "ready");
    log.warn({ file: "data/articles/x.md" });
    expect(lines()).toEqual([
      '{"time":"2025-01-02T03:04:05.000Z","level":"info","msg":"ready","articles":12,"guilds":1}',
      '{"time":"2025-01-02T03:04:05.000Z","level":"warn","file":"data/articles/x.md"}',
    ]);
    expect(records()[0]).toMatchObject({ level: "info", msg: "ready" });
  });

  it("stops writing to a destination that failed (a closed stdout), and its error is heard", async () => {
    const closed = new Writable({
      write(_chunk, _encoding, callback) {
        callback(Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
      },
    });
    const write = vi.spyOn(closed, "write");
    const log = createLogger({ level: "info", destination: closed });

    log.info({}, "first");
    // The stream emits "error" on a later tick: unheard, it would be an uncaught exception.
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed.listenerCount("error")).toBeGreaterThan(0);
    expect(closed.destroyed).toBe(true);
    for (let i = 0; i < 100; i++) log.error({ i }, "after the pipe closed");

    expect(write).toHaveBeenCalledTimes(1);
  });

  it("adds one error listener to a stream however many loggers write to it", () => {
    const stream = new Writable({
      write(_chunk, _encoding, callback) {
        callback();
      },
    });
    const loggers = Array.from({ length: 20 }, () =>
      createLogger({ level: "info", destination: stream }),
    );
    expect(stream.listenerCount("error")).toBe(1);
    // They share what they know of it: after its error, none writes.
    stream.emit("error", new Error("write EPIPE"));
    const write = vi.spyOn(stream, "write");
    for (const log of loggers) log.error({}, "after the error");
    expect(write).not.toHaveBeenCalled();
  });

  it("keeps each event on one line, even with newlines in values", () => {
    const { log, lines } = capture();
    log.error({ err: new Error("first\nsecond") }, "multi\nline");
    expect(lines()).toHaveLength(1);
  });

  it("drops lines below the level", () => {
    const { log, records } = capture("warn");
    log.debug({}, "d");
    log.info({}, "i");
    log.warn({}, "w");
    log.error({}, "e");
    expect(records().map((r) => r.level)).toEqual(["warn", "error"]);
    expect(log.isLevelEnabled("info")).toBe(false);
    expect(log.isLevelEnabled("error")).toBe(true);
  });

  it("adds a child's bindings to each of its lines, and not to the parent's", () => {
    const { log, records } = capture();
    const child = log.child({ interactionId: "1", command: "ask" });
    child.child({ userId: "2" }).info({ latencyMs: 5, outcome: "ok" }, "interaction");
    log.info({}, "parent");
    expect(records()).toEqual([
      {
        time: "2025-01-02T03:04:05.000Z",
        level: "info",
        msg: "interaction",
        interactionId: "1",
        command: "ask",
        userId: "2",
        latencyMs: 5,
        outcome: "ok",
      },
      { time: "2025-01-02T03:04:05.000Z", level: "info", msg: "parent" },
    ]);
  });

  it("serializes errors with their type, message, code, stack and cause", () => {
    const { log, records } = capture();
    const cause = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    log.error({ ref: "ab12cd34", err: new TypeError("fetch failed", { cause }) }, "failed");
    const err = records()[0]?.err as Record<string, unknown>;
    expect(err).toMatchObject({
      type: "TypeError",
      message: "fetch failed",
      cause: { type: "Error", message: "socket hang up", code: "ECONNRESET" },
    });
    expect(err.stack).toMatch(/^TypeError: fetch failed/);
  });

  it("logs an Error given as the fields under err", () => {
    const { log, records } = capture();
    log.error(new RangeError("out of range"), "oops");
    expect(records()[0]).toMatchObject({ msg: "oops", err: { type: "RangeError" } });
  });

  it("never throws on odd values: cycles, bigints, functions", () => {
    const { log, records } = capture();
    const cyclic: Record<string, unknown> = { name: "a" };
    cyclic.self = cyclic;
    log.info({ cyclic, big: 10n, fn: () => 1, set: new Set([1]) }, "odd");
    expect(records()[0]).toMatchObject({
      cyclic: { name: "a", self: "[Circular]" },
      big: "10",
      set: [1],
    });
    expect(records()[0]).not.toHaveProperty("fn");
  });

  it("writes to stdout by default", () => {
    expect(() => createLogger({ level: "error" })).not.toThrow();
  });
});

describe("redaction", () => {
  it("redact replaces every occurrence of each secret", () => {
    expect(redact(`a ${TOKEN} b ${TOKEN}`, [TOKEN])).toBe("a [redacted] b [redacted]");
    expect(redact("abcdef", ["abc", "abcdef"])).toBe("[redacted]");
    expect(redact("nothing here", [""])).toBe("nothing here");
  });

  it("never writes the token: not in fields, keys, headers, error messages or stacks", () => {
    const { log, text, records } = capture("debug", { secrets: [TOKEN] });
    log.info({ config: { discord: { token: TOKEN } }, note: `token is ${TOKEN}` }, "config");
    log.debug({ headers: { Authorization: `Bot ${TOKEN}` }, [TOKEN]: 1 }, `msg ${TOKEN}`);
    const error = new Error(`login failed for ${TOKEN}`, { cause: new Error(TOKEN) });
    log.error({ err: error }, "login");
    log.child({ token: TOKEN }).warn({ arr: [TOKEN] });

    expect(text()).not.toContain(TOKEN);
    expect(text()).not.toContain(TOKEN.slice(0, 24));
    expect(text()).toContain("[redacted]");
    const [config, debug, login] = records();
    expect(config).toMatchObject({
      config: { discord: { token: "[redacted]" } },
      note: "token is [redacted]",
    });
    expect(debug).toMatchObject({
      msg: "msg [redacted]",
      headers: { Authorization: "[redacted]" },
    });
    expect(login).toMatchObject({
      err: { message: "login failed for [redacted]", cause: { message: "[redacted]" } },
    });
  });

  it("redacts keys named like secrets even without a secrets list", () => {
    const { log, records } = capture();
    log.info({ token: "abc", password: "pw", authorization: "Bot x", tokenCount: 3 });
    expect(records()[0]).toMatchObject({
      token: "[redacted]",
      password: "[redacted]",
      authorization: "[redacted]",
      tokenCount: 3,
    });
  });
});
