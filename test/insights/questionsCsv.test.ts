import { describe, expect, it } from "vitest";
import { CSV_COLUMNS, csvCell, fitCsv, questionRecord } from "../../src/insights/questionsCsv.js";
import type { AskedQuestion } from "../../src/votes/types.js";
import { parseCsv } from "../support/csv.js";

const question: AskedQuestion = {
  id: 7,
  guildId: "111",
  channelId: "222",
  messageId: "333",
  question: 'Did he say "no", then: yes?\nReally, 🇺🇦?',
  questionKey: "say",
  outcome: "low",
  confidence: "low",
  citations: [
    { articleId: "kremlin", title: "Kremlin, Confirms", paragraph: 4 },
    { articleId: "bbc-1", title: "BBC", paragraph: 2 },
  ],
  at: Date.parse("2026-03-01T10:00:00.000Z"),
  votes: { up: 1, down: 2 },
  reasons: { outdated: 2 },
};

describe("the questions CSV", () => {
  it("quotes what must be quoted and defuses formulas", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell('a "b", c')).toBe('"a ""b"", c"');
    expect(csvCell("line\nbreak")).toBe('"line\nbreak"');
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    for (const start of ["+1", "-1+2", "@SUM(A1)", "\t=1"]) {
      expect(csvCell(start).replace(/^"|"$/g, "")).toBe(`'${start}`);
    }
    expect(csvCell(-3)).toBe("-3");
    expect(csvCell(undefined)).toBe("");
  });

  it("writes a question's record that reads back as it was, with no member id", () => {
    const csv = fitCsv([{ text: questionRecord(question), at: question.at }], 1_000_000);
    const text = csv.data.toString("utf8");
    expect(text.startsWith("\uFEFF")).toBe(true);
    const rows = parseCsv(text.slice(1));
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows[1]).toEqual([
      "2026-03-01T10:00:00.000Z",
      "222",
      "333",
      question.question,
      "low",
      "low",
      "",
      "1",
      "2",
      "outdated:2",
      "kremlin ¶4; bbc-1 ¶2",
    ]);
    expect(rows).toHaveLength(2);
    expect(CSV_COLUMNS.join(",")).not.toMatch(/member|user|voter|author/);
    expect(csv).toMatchObject({ rows: 1, dropped: 0, firstAt: question.at });
  });

  it("keeps the newest records that fit the limit, and says how many were left out", () => {
    const records = Array.from({ length: 10 }, (_, i) => ({
      text: `${"x".repeat(98)}\r\n`,
      at: i,
    }));
    const header = fitCsv([], 10_000).data.length;
    const csv = fitCsv(records, header + 350);
    expect(csv).toMatchObject({ rows: 3, dropped: 7, firstAt: 7 });
    expect(csv.data.length).toBeLessThanOrEqual(header + 350);
    expect(fitCsv(records, header + 1000)).toMatchObject({ rows: 10, dropped: 0, firstAt: 0 });
  });
});
