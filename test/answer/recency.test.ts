import { describe, expect, it } from "vitest";
import { AnswerService } from "../../src/answer/answerService.js";
import { preferRecent } from "../../src/answer/recency.js";
import type { Article } from "../../src/corpus/article.js";
import { analyzeQuestion } from "../../src/retrieval/question.js";
import type { ParagraphHit } from "../../src/retrieval/search.js";

/** A hit with only what the reordering reads. */
const hit = (doc: number, score: number) => ({ doc, score }) as ParagraphHit;

describe("analyzeQuestion: asking for the newest news", () => {
  it.each([
    ["What is the latest on the strike?", true],
    ["What happened today in parliament?", true],
    ["Who won this week?", true],
    ["Where do the talks stand now?", true],
    ["How long would the ceasefire last?", false],
    ["What did the nowcast say?", false],
  ])("%s -> %s", (question, recent) => {
    expect(analyzeQuestion(question).recent).toBe(recent);
  });

  it('keeps "latest" and "newest" out of the query terms, other time words in', () => {
    const words = (q: string) => analyzeQuestion(q).terms.map((t) => t.word);
    expect(words("What is the latest on the rail strike?")).toEqual(["rail", "strike"]);
    expect(words("Who won this week?")).toEqual(["won", "week"]);
    expect(words("What happened last week?")).toEqual(["happened", "last", "week"]);
  });
});

describe("preferRecent", () => {
  const published = new Map([
    [1, "2025-03-01"],
    [2, "2025-03-20"],
  ]);
  const of = (h: ParagraphHit) => published.get(h.doc);

  it("puts the newer article first when two answer about equally", () => {
    const ranked = preferRecent([hit(1, 10), hit(2, 9.9)], of, false);
    expect(ranked.map((h) => h.doc)).toEqual([2, 1]);
  });

  it("keeps a clearly better older paragraph first for an ordinary question", () => {
    expect(preferRecent([hit(1, 10), hit(2, 9), hit(3, 8)], of, false).map((h) => h.doc)).toEqual([
      1, 2, 3,
    ]);
  });

  it("prefers the recent one more strongly when the question asks for the latest", () => {
    const hits = [hit(1, 10), hit(2, 9)];
    expect(preferRecent(hits, of, false).map((h) => h.doc)).toEqual([1, 2]);
    expect(preferRecent(hits, of, true).map((h) => h.doc)).toEqual([2, 1]);
  });

  it("changes nothing without dates", () => {
    const hits = [hit(3, 10), hit(4, 9.99)];
    expect(preferRecent(hits, () => undefined, true)).toEqual(hits);
    expect(preferRecent(hits, () => "spring", true)).toEqual(hits);
  });
});

describe("AnswerService with dated articles", () => {
  const strike = (id: string, published: string, day: string): Article => ({
    id,
    title: `Rail strike talks, ${day}`,
    published,
    paragraphs: [`Union leaders and rail managers met on ${day} for talks about the strike.`],
  });

  it("answers a question about the latest talks from the newest article", () => {
    const service = new AnswerService([
      strike("monday", "2025-03-03", "Monday"),
      strike("friday", "2025-03-21", "Friday"),
    ]);
    const latest = service.ask("What is the latest on the rail strike talks?");
    expect(latest.citations[0]?.articleId).toBe("friday");
  });
});
