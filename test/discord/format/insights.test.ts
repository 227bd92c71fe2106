import { describe, expect, it } from "vitest";
import {
  csvContent,
  csvFileName,
  insightsButtons,
  insightsEmbed,
  parseCsvButton,
} from "../../../src/discord/format/insights.js";
import type { InsightsReport } from "../../../src/insights/insightsReport.js";
import { assertNoLiveMentions, embedProblems, embedTexts } from "../limitsAssert.js";

const PERIOD = {
  sinceMs: Date.parse("2026-03-01T00:00:00.000Z"),
  untilMs: Date.parse("2026-03-08T00:00:00.000Z"),
};
const HOSTILE = `@everyone <@123456789012345678> **bold** [link](https://x.example) ${"word ".repeat(300)}`;

function worstReport(): InsightsReport {
  const ten = <T>(make: (i: number) => T) => Array.from({ length: 10 }, (_, i) => make(i));
  const citation = { articleId: `a-${"x".repeat(200)}`, title: HOSTILE, paragraph: 12 };
  return {
    period: PERIOD,
    total: 123_456,
    outcomes: { high: 100_000, low: 10_000, abstained: 13_000, pinned: 456 },
    votes: { up: 9_999, down: 8_888 },
    topics: ten((i) => ({ question: `${i} ${HOSTILE}`, count: 1000 - i, phrasings: 40 })),
    mostDown: ten((i) => ({
      question: HOSTILE,
      at: PERIOD.sinceMs + i,
      outcome: "high" as const,
      votes: { up: 1, down: 99 - i },
      reasons: { "wrong-passage": 3, outdated: 2, "not-in-articles": 1, other: 1 },
      citations: [citation],
    })),
    unanswered: ten((i) => ({ question: `${i} ${HOSTILE}`, count: 50 - i })),
    lowConfidence: ten((i) => ({ question: `${i} ${HOSTILE}`, count: 40 - i })),
    cited: ten((i) => ({
      articleId: citation.articleId,
      title: HOSTILE,
      answers: 500 - i,
      down: i,
    })),
  };
}

describe("insightsEmbed", () => {
  it("fits Discord's limits with the longest, most hostile texts, and pings nobody", () => {
    const embed = insightsEmbed(worstReport(), 90);
    expect(embedProblems([embed])).toEqual([]);
    assertNoLiveMentions(embedTexts([embed]));
    expect(embed.fields?.map((f) => f.name)).toEqual([
      "Most asked",
      "Most 👎",
      "Unanswered",
      "Low confidence",
      "Most cited articles",
    ]);
    expect(embed.description).toContain("**123,456 questions**: 100,000 answered");
    expect(embed.fields?.[0]?.value).toMatch(/^\*\*1,000×\*\* “0 @\u200beveryone/);
    expect(embed.footer?.text).toBe("1 Mar 2026 00:00 UTC to 8 Mar 2026 00:00 UTC");
  });

  it("names a 👎 reason as the voter saw it on its button", () => {
    const worst = worstReport();
    const report = {
      ...worst,
      mostDown: worst.mostDown.slice(0, 1).map((a) => ({ ...a, question: "Q", citations: [] })),
    };
    const field = insightsEmbed(report, 7).fields?.find((f) => f.name === "Most 👎");
    expect(field?.value).toContain("(Wrong passage 3, Outdated 2, Not in the articles 1, Other 1)");
  });

  it("says an empty period is empty, and offers no download", () => {
    const empty = { ...worstReport(), total: 0, topics: [], mostDown: [], cited: [] };
    const embed = insightsEmbed(empty, 1);
    expect(embed.description).toBe("No questions were asked in this server in the last 1 day.");
    expect(embed.fields).toBeUndefined();
    expect(insightsButtons(empty)).toEqual([]);
  });
});

describe("the Download CSV button", () => {
  it("carries the report's period, which parses back; anything else is refused", () => {
    const [row] = insightsButtons(worstReport());
    const button = row?.components[0];
    const customId = button && "custom_id" in button ? button.custom_id : "";
    expect(customId.length).toBeLessThanOrEqual(100);
    expect(parseCsvButton(customId)).toEqual(PERIOD);
    for (const bad of [
      "insights:csv",
      "insights:csv:5:3",
      "insights:csv:1:x",
      "insights:csv:-1:2",
    ]) {
      expect(parseCsvButton(bad)).toBeUndefined();
    }
    expect(csvFileName(PERIOD)).toBe("newsdesk-questions-2026-03-01-to-2026-03-08.csv");
  });

  it("says what the file holds, and what was left out past the limit", () => {
    const csv = { data: Buffer.from(""), rows: 2, dropped: 0, firstAt: PERIOD.sinceMs };
    expect(csvContent(csv, 10)).toContain("2 questions, no member ids");
    const cut = csvContent({ ...csv, rows: 1_000, dropped: 20 }, 10);
    expect(cut).toContain("over Discord's 10 MiB file limit");
    expect(cut).toContain("the newest 1,000, from 1 Mar 2026 00:00 UTC; the oldest 20 questions");
    expect(csvContent({ ...csv, rows: 0, firstAt: undefined }, 10)).toContain("header only");
  });
});
