import { describe, expect, it } from "vitest";
import { judgeAnswer } from "../../src/answer/confidence.js";
import { analyzeQuestion } from "../../src/retrieval/question.js";

const question = analyzeQuestion("How long would the ceasefire last?");
const hit = (doc: number, relevance: number) => ({ doc, score: 10 - doc, relevance });

describe("judgeAnswer", () => {
  it("cites every hit relevant enough, best first, and is confident when the best is", () => {
    const judged = judgeAnswer([hit(1, 0.4), hit(2, 0.9), hit(3, 0.6)], question, {
      minRelevance: 0.55,
      confidentRelevance: 0.8,
    });
    expect(judged.confidence).toBe("high");
    expect(judged.cited.map((h) => h.doc)).toEqual([2, 3]);
  });

  it("answers with low confidence between the two thresholds", () => {
    const judged = judgeAnswer([hit(1, 0.7)], question, {
      minRelevance: 0.55,
      confidentRelevance: 0.8,
    });
    expect(judged).toEqual({ confidence: "low", cited: [hit(1, 0.7)] });
  });

  it("refuses when nothing is close, whatever the ranking", () => {
    expect(judgeAnswer([hit(1, 0.5)], question)).toEqual({ confidence: "none", cited: [] });
    expect(judgeAnswer([], question)).toEqual({ confidence: "none", cited: [] });
  });
});
