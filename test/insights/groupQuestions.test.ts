import { describe, expect, it } from "vitest";
import { groupQuestions, type Phrasing } from "../../src/insights/groupQuestions.js";
import { questionKey, questionTerms } from "../../src/pins/questionMatch.js";

const phrasing = (question: string, count = 1): Phrasing => ({
  key: questionKey(question),
  count,
  terms: questionTerms(question),
  question,
});

describe("groupQuestions", () => {
  it("counts similar phrasings of one question together, most asked first", async () => {
    const topics = await groupQuestions([
      phrasing("Who won the election in Chile?", 1),
      phrasing("How long would the ceasefire last?", 3),
      phrasing("How long will the ceasefire between Russia and Ukraine last?", 2),
      phrasing("What does Russia want in return for the ceasefire?", 1),
      phrasing("Who won the Chilean election?", 1),
    ]);
    expect(topics[0]).toEqual({
      question: "How long would the ceasefire last?",
      count: 5,
      phrasings: 2,
    });
    // Same words, another question: it stays apart, as it would from a pinned answer.
    expect(topics.map((t) => t.question)).toContain(
      "What does Russia want in return for the ceasefire?",
    );
    expect(topics.reduce((sum, t) => sum + t.count, 0)).toBe(8);
  });

  it("never joins questions of different forms, however many words they share", async () => {
    const topics = await groupQuestions([
      phrasing("When was Tesla brought to Gospić?", 2),
      phrasing("Why was Tesla brought to Gospić?", 1),
    ]);
    expect(topics.map((t) => [t.count, t.phrasings])).toEqual([
      [2, 1],
      [1, 1],
    ]);
  });

  it("keeps questions without a content word apart, and an empty period has no topic", async () => {
    expect(await groupQuestions([])).toEqual([]);
    const topics = await groupQuestions([phrasing("Who?", 2), phrasing("Why?", 1)]);
    expect(topics.map((t) => t.question)).toEqual(["Who?", "Why?"]);
  });

  it("lets the caller pause between slices of a long list", async () => {
    let pauses = 0;
    const many = Array.from({ length: 600 }, (_, i) => phrasing(`What happened in town${i}?`));
    const pause = async () => {
      pauses += 1;
    };
    const topics = await groupQuestions(many, pause, -1);
    expect(topics).toHaveLength(600);
    // A slice of no time: a pause before every phrasing compared.
    expect(pauses).toBe(600);
    expect(await groupQuestions(many)).toEqual(topics);
  });
});
