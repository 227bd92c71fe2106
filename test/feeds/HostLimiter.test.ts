import { describe, expect, it } from "vitest";
import { HostLimiter } from "../../src/feeds/HostLimiter.js";

/** A task that runs until `finish()` is called, recording when it started. */
function gate(started: string[], name: string) {
  let finish: (value: string) => void = () => undefined;
  const done = new Promise<string>((resolve) => {
    finish = resolve;
  });
  return {
    task: () => {
      started.push(name);
      return done;
    },
    finish: () => finish(name),
  };
}

describe("HostLimiter", () => {
  it("runs at most perHost tasks on one host, then the waiting ones in order", async () => {
    const limiter = new HostLimiter({ perHost: 2, total: 10 });
    const started: string[] = [];
    const gates = ["a1", "a2", "a3", "a4"].map((name) => gate(started, name));
    const results = gates.map((g) => limiter.run("a.example", g.task));
    expect(started).toEqual(["a1", "a2"]);
    expect(limiter.running("a.example")).toBe(2);
    expect(limiter.waiting).toBe(2);
    gates[1]?.finish();
    expect(await results[1]).toBe("a2");
    expect(started).toEqual(["a1", "a2", "a3"]);
    gates[0]?.finish();
    gates[2]?.finish();
    await Promise.all([results[0], results[2]]);
    expect(started).toEqual(["a1", "a2", "a3", "a4"]);
    gates[3]?.finish();
    await results[3];
    expect(limiter.running()).toBe(0);
  });

  it("lets another host run while one host is full, within the total", async () => {
    const limiter = new HostLimiter({ perHost: 1, total: 2 });
    const started: string[] = [];
    const a1 = gate(started, "a1");
    const a2 = gate(started, "a2");
    const b1 = gate(started, "b1");
    const c1 = gate(started, "c1");
    const runs = [
      limiter.run("a", a1.task),
      limiter.run("a", a2.task),
      limiter.run("b", b1.task),
      limiter.run("c", c1.task),
    ];
    // a2 waits for a; b1 starts beside a1; c1 waits for the total.
    expect(started).toEqual(["a1", "b1"]);
    b1.finish();
    await runs[2];
    expect(started).toEqual(["a1", "b1", "c1"]);
    a1.finish();
    await runs[0];
    expect(started).toEqual(["a1", "b1", "c1", "a2"]);
    a2.finish();
    c1.finish();
    await Promise.all(runs);
  });

  it("frees the slot of a task that fails, and passes its error on", async () => {
    const limiter = new HostLimiter({ perHost: 1, total: 1 });
    const failing = limiter.run("a", () => Promise.reject(new Error("HTTP 500")));
    const next = limiter.run("a", () => Promise.resolve("ok"));
    await expect(failing).rejects.toThrow("HTTP 500");
    expect(await next).toBe("ok");
    expect(limiter.running()).toBe(0);
  });

  it("refuses limits below one", () => {
    expect(() => new HostLimiter({ perHost: 0 })).toThrow(/at least 1/);
  });
});
