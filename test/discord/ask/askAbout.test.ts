import { describe, expect, it } from "vitest";
import {
  askAboutButton,
  askAboutId,
  askAboutModal,
  askAboutTitle,
  askedAboutLine,
  MODAL_LIMITS,
  parseAskAbout,
} from "../../../src/discord/ask/askAbout.js";
import { checkModal } from "../../support/discordLimits.js";

describe("Ask about this custom_ids", () => {
  it("carries the article id both ways, and refuses one that would pass 100 characters", () => {
    const id = `feed-${"a".repeat(16)}`;
    expect(askAboutId(id)).toBe(`ask:about:${id}`);
    expect(parseAskAbout(`ask:about:${id}`)).toBe(id);
    expect(askAboutId("x".repeat(90))).toBe(`ask:about:${"x".repeat(90)}`);
    expect(askAboutId("x".repeat(91))).toBeUndefined();
    expect(askAboutButton("x".repeat(91))).toBeUndefined();
  });

  it("is not fooled by other custom_ids", () => {
    expect(parseAskAbout("ask:more:abc:3")).toBeUndefined();
    expect(parseAskAbout("ask:about:")).toBeUndefined();
    expect(parseAskAbout("ask:about")).toBeUndefined();
  });
});

describe("the question modal", () => {
  it("cuts the title to Discord's 45 characters and keeps a short one whole", () => {
    expect(askAboutTitle("Ferry timetable")).toBe("Ask about Ferry timetable");
    const long = askAboutTitle("A very long headline about the new ferry timetable of the island");
    expect(long.length).toBeLessThanOrEqual(MODAL_LIMITS.title);
    expect(long).toMatch(/^Ask about A very long headline.*…$/);
    expect(askAboutTitle("  \n ")).toBe("Ask about this article");
  });

  it("passes the fake's modal checks whatever the title", () => {
    for (const title of ["", "x".repeat(500), "😀".repeat(60), "Ferry"]) {
      expect(checkModal({ ...askAboutModal(`ask:about:${"a".repeat(60)}`, { title }) })).toEqual(
        [],
      );
    }
  });
});

describe("the line above a modal's answer", () => {
  it("says what was asked about what, escaped, within a message's content", () => {
    expect(askedAboutLine("Ferry *times*", "When @everyone?")).toBe(
      "❓ About *Ferry \\*times\\**: When @\u200beveryone?",
    );
    expect(askedAboutLine("t".repeat(500), "q".repeat(5000)).length).toBeLessThanOrEqual(2000);
  });
});
