import { describe, expect, it } from "vitest";
import {
  decodeSnapshot,
  encodeSnapshot,
  FORMAT_VERSION,
  SnapshotError,
} from "../../src/retrieval/snapshotFormat.js";
import { joined } from "../support/bytes.js";
import { thrownCode } from "../support/thrownCode.js";

const RECORD = {
  version: 7,
  hash: "3f2a",
  flag: true,
  empty: new Int32Array(0),
  ints: Int32Array.from([-5, 0, 2_000_000_000, 3]),
  starts: Uint32Array.from([0, 4_000_000_000]),
  freqs: Uint16Array.from([1, 65_535]),
  bytes: Uint8Array.from([1, 2, 3]),
  lengths: Float64Array.from([0.5, 12, Number.MAX_SAFE_INTEGER]),
  terms: ["ceasefire", "", "zürich", "日本", "emoji 🎉", "x"],
  none: [] as string[],
};

const codeOf = (f: () => unknown) => thrownCode(f, SnapshotError);

describe("snapshotFormat", () => {
  it("gives back every field, arrays of the same type and values, strings exactly", () => {
    for (const offset of [0, 1, 3]) {
      const back = decodeSnapshot(joined(encodeSnapshot(RECORD), offset));
      expect(Object.keys(back)).toEqual(Object.keys(RECORD));
      for (const [name, value] of Object.entries(RECORD)) {
        expect(back[name]).toEqual(value);
        expect((back[name] as object).constructor).toBe((value as object).constructor);
      }
    }
  });

  it("views aligned arrays in place instead of copying them", () => {
    const bytes = joined(encodeSnapshot({ ints: Int32Array.from([1, 2, 3]) }));
    const ints = decodeSnapshot(bytes).ints as Int32Array;
    expect(ints.buffer).toBe(bytes.buffer);
  });

  it("refuses a string UTF-8 cannot carry (a lone surrogate) rather than change it", () => {
    expect(() => encodeSnapshot({ terms: ["ok", "bad\uD800"] })).toThrow(/lone surrogate/);
  });

  it("tells not-a-snapshot, another version, truncated and damaged bytes apart", () => {
    const good = joined(encodeSnapshot(RECORD));
    expect(codeOf(() => decodeSnapshot(new TextEncoder().encode('{"json": true}')))).toBe("MAGIC");
    expect(codeOf(() => decodeSnapshot(new Uint8Array(0)))).toBe("MAGIC");
    const other = good.slice();
    new DataView(other.buffer).setUint32(8, FORMAT_VERSION + 1, true);
    expect(codeOf(() => decodeSnapshot(other))).toBe("VERSION");
    for (const length of [10, 30, good.byteLength - 1]) {
      expect(codeOf(() => decodeSnapshot(good.subarray(0, length)))).toBe("TRUNCATED");
    }
    const longer = joined([good, new Uint8Array(8)]);
    expect(codeOf(() => decodeSnapshot(longer))).toBe("CORRUPT");
    for (const at of [30, Math.floor(good.byteLength / 2), good.byteLength - 1]) {
      const flipped = good.slice();
      flipped[at] = (flipped[at] as number) ^ 0x10;
      expect(codeOf(() => decodeSnapshot(flipped))).toBe("CORRUPT");
    }
    expect(codeOf(() => decodeSnapshot(good))).toBeUndefined();
  });
});
