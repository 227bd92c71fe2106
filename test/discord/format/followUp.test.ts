import { describe, expect, it } from "vitest";
import { followUpLine, threadName } from "../../../src/discord/format/followUp.js";
import { LIMITS } from "../../../src/discord/format/limits.js";

describe("followUpLine", () => {
  it("says nothing for an answer read on its own", () => {
    expect(followUpLine(undefined)).toBeUndefined();
  });

  it("names the article the answer stayed with, and what was searched", () => {
    const line = followUpLine({
      searched: "when would the ceasefire start",
      fresh: false,
      stayedWith: { articleId: "ceasefire", title: "Ceasefire talks *resume*" },
    });
    expect(line).toBe(
      "↪️ Follow-up on *Ceasefire talks \\*resume\\**: searched “when would the ceasefire start”",
    );
  });

  it("says what was searched when no article was kept", () => {
    expect(followUpLine({ searched: "Russia ceasefire demands", fresh: false })).toBe(
      "↪️ Follow-up: searched “Russia ceasefire demands”",
    );
  });

  it("says a new subject was searched afresh", () => {
    expect(followUpLine({ searched: "Who won the election?", fresh: true })).toMatch(
      /New subject: searched afresh/,
    );
  });

  it("stays one line within a message's content, however long the title and search", () => {
    const line = followUpLine({
      searched: `${"word ".repeat(1000)}\nsecond line`,
      fresh: false,
      stayedWith: { articleId: "x", title: "T".repeat(5000) },
    });
    expect(line?.length).toBeLessThanOrEqual(LIMITS.content);
    expect(line).not.toContain("\n");
    expect(line).toContain("…");
  });
});

describe("threadName", () => {
  it("keeps a short question as it is, on one line", () => {
    expect(threadName("  How long would\nthe ceasefire last?  ")).toBe(
      "How long would the ceasefire last?",
    );
  });

  it("cuts a long question on a word boundary with an ellipsis, within 100 characters", () => {
    const question = `${"ceasefire ".repeat(30)}end?`;
    const name = threadName(question);
    expect(name.length).toBeLessThanOrEqual(LIMITS.threadName);
    expect(name.endsWith("ceasefire…")).toBe(true);
  });

  it("names a thread even for a question of white space only", () => {
    expect(threadName("   ")).toBe("Follow-up questions");
  });
});
