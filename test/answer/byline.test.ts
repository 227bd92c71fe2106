import { describe, expect, it } from "vitest";
import { byline, formatPublished } from "../../src/answer/byline.js";

describe("formatPublished", () => {
  it.each([
    ["2025-03-03", "3 Mar 2025"],
    ["2026-03-14T07:30:00Z", "14 Mar 2026"],
    // The calendar date as written: a late-evening time in another zone is not moved a day.
    ["2024-12-31T23:30:00-05:00", "31 Dec 2024"],
    ["2025-03-03 10:00", "3 Mar 2025"],
  ])("%s -> %s", (published, shown) => {
    expect(formatPublished(published)).toBe(shown);
  });

  it("shows other dates as written, on one line and cut", () => {
    expect(formatPublished("Spring\n2025")).toBe("Spring 2025");
    expect(formatPublished("2025-13-40")).toBe("2025-13-40");
    expect(formatPublished("x".repeat(50))).toBe(`${"x".repeat(29)}…`);
  });

  it("is undefined when there is no date", () => {
    expect(formatPublished(undefined)).toBeUndefined();
    expect(formatPublished("  ")).toBeUndefined();
  });
});

describe("byline", () => {
  it("joins the source and the date, or gives either alone", () => {
    expect(byline({ source: "BBC News", published: "2025-03-03" })).toBe("BBC News · 3 Mar 2025");
    expect(byline({ source: " The  Herald " })).toBe("The Herald");
    expect(byline({ published: "2025-03-03" })).toBe("3 Mar 2025");
    expect(byline({})).toBeUndefined();
    expect(byline({ source: " ", published: "" })).toBeUndefined();
  });
});
