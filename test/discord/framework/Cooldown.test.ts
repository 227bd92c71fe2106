import { describe, expect, it } from "vitest";
import { Cooldown } from "../../../src/discord/framework/Cooldown.js";

/** A clock the test moves by hand. */
function clock(start = 1_000_000) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe("Cooldown", () => {
  it("allows `questions` per window and refuses the next, until the oldest leaves the window", () => {
    const time = clock();
    const cooldown = new Cooldown({ questions: 5, perSeconds: 60 }, time.now);
    const first = time.now();

    for (let i = 0; i < 5; i++) {
      expect(cooldown.take("u1")).toEqual({ allowed: true });
      time.advance(1000);
    }
    expect(cooldown.take("u1")).toEqual({
      allowed: false,
      retryAt: first + 60_000,
      firstRefusal: true,
    });

    time.advance(first + 60_000 - time.now() - 1);
    expect(cooldown.take("u1").allowed).toBe(false);
    time.advance(1);
    expect(cooldown.take("u1")).toEqual({ allowed: true });
    expect(cooldown.take("u1")).toMatchObject({ allowed: false, retryAt: first + 61_000 });
  });

  it("is a sliding window: no double limit across a window edge", () => {
    const time = clock();
    const cooldown = new Cooldown({ questions: 2, perSeconds: 10 }, time.now);

    time.advance(9_000);
    cooldown.take("u1");
    cooldown.take("u1");
    time.advance(2_000); // a fixed 10 s bucket would have reset here

    expect(cooldown.take("u1").allowed).toBe(false);
  });

  it("counts users apart", () => {
    const time = clock();
    const cooldown = new Cooldown({ questions: 1, perSeconds: 60 }, time.now);

    expect(cooldown.take("u1").allowed).toBe(true);
    expect(cooldown.take("u2").allowed).toBe(true);
    expect(cooldown.take("u1").allowed).toBe(false);
  });

  it("flags only the first refusal of a window, and refusals do not move the retry time", () => {
    const time = clock();
    const cooldown = new Cooldown({ questions: 1, perSeconds: 60 }, time.now);
    cooldown.take("u1");

    const refusals = [cooldown.take("u1"), cooldown.take("u1"), cooldown.take("u1")];

    expect(refusals.map((r) => !r.allowed && r.firstRefusal)).toEqual([true, false, false]);
    expect(new Set(refusals.map((r) => !r.allowed && r.retryAt))).toEqual(new Set([1_060_000]));
    time.advance(60_000);
    cooldown.take("u1");
    expect(cooldown.take("u1")).toMatchObject({ allowed: false, firstRefusal: true });
  });

  it("refuses a limit that cannot work", () => {
    expect(() => new Cooldown({ questions: 0, perSeconds: 60 })).toThrow(/^cooldown: questions/);
    expect(() => new Cooldown({ questions: 5, perSeconds: 0 })).toThrow(/^cooldown: perSeconds/);
  });
});
