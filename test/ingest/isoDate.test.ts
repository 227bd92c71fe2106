import { describe, expect, it } from "vitest";
import { toIsoDate } from "../../src/ingest/isoDate.js";

describe("toIsoDate", () => {
  it.each([
    ["2026-02-04", "2026-02-04"],
    ["2026-03-14T08:30:00+01:00", "2026-03-14T07:30:00Z"],
    ["2026-03-14T07:30:00.250Z", "2026-03-14T07:30:00.250Z"],
    ["Sat, 14 Mar 2026 07:30:00 GMT", "2026-03-14T07:30:00Z"],
    ["Fri, 13 Mar 2026 16:00:00 +0100", "2026-03-13T15:00:00Z"],
    ["  2026-02-04  ", "2026-02-04"],
  ])("reads %s as %s", (text, iso) => {
    expect(toIsoDate(text)).toBe(iso);
  });

  it.each(["", "yesterday", "2026", "2026-02-30", "0001-01-01T00:00:00Z", "12345"])(
    "refuses %j",
    (text) => {
      expect(toIsoDate(text)).toBeUndefined();
    },
  );
});
