import { describe, expect, it } from "vitest";
import { Scratch, scratchFor } from "../../src/retrieval/scratch.js";

describe("Scratch", () => {
  it("hands out zeroed arrays of the size asked, reusing the memory across questions", () => {
    const scratch = new Scratch();
    const first = scratch.float64("scores", 4);
    first.set([1, 2, 3, 4]);
    const again = scratch.float64("scores", 4);
    expect([...again]).toEqual([0, 0, 0, 0]);
    expect(again.buffer).toBe(first.buffer);
    // Smaller: the same memory, zeroed as far as asked.
    expect(scratch.float64("scores", 2)).toHaveLength(2);
  });

  it("grows with the library, and keeps each name's array apart", () => {
    const scratch = new Scratch();
    const small = scratch.int32("seen", 2);
    small.fill(7);
    const grown = scratch.int32("seen", 10);
    expect(grown).toHaveLength(10);
    expect([...grown]).toEqual(new Array(10).fill(0));
    const other = scratch.int32("seenTitle", 10);
    other.fill(3);
    expect([...scratch.int32("seen", 10)]).toEqual(new Array(10).fill(0));
    expect(scratch.uint8("flags", 3)).toBeInstanceOf(Uint8Array);
  });

  it("is one per index", () => {
    const a = {};
    const b = {};
    expect(scratchFor(a)).toBe(scratchFor(a));
    expect(scratchFor(a)).not.toBe(scratchFor(b));
  });
});
