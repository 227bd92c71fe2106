import { describe, expect, it } from "vitest";
import { buildInsights, InsightsCollector } from "../../src/insights/insightsReport.js";
import { forEachQuestionPage } from "../../src/insights/readQuestions.js";
import { questionKey } from "../../src/pins/questionMatch.js";
import type { AskedQuestion, QuestionPeriod } from "../../src/votes/types.js";

const PERIOD = { sinceMs: 1_000, untilMs: 100_000 };
let nextId = 1;

function asked(question: string, overrides: Partial<AskedQuestion> = {}): AskedQuestion {
  const id = nextId++;
  return {
    id,
    guildId: "1",
    channelId: "2",
    messageId: String(1000 + id),
    question,
    questionKey: questionKey(question),
    outcome: "high",
    confidence: "high",
    citations: [{ articleId: "kremlin", title: "Kremlin Confirms", paragraph: 4 }],
    at: 1_000 + id,
    votes: { up: 0, down: 0 },
    reasons: {},
    ...overrides,
  };
}

const report = (questions: AskedQuestion[]) => {
  const collector = new InsightsCollector(PERIOD);
  collector.add(questions);
  return collector.finish();
};

describe("the insights report", () => {
  it("counts outcomes and votes, and groups the most asked topics", async () => {
    const r = await report([
      asked("How long would the ceasefire last?", { votes: { up: 2, down: 0 } }),
      asked("how long will the CEASEFIRE last"),
      asked("How long will the ceasefire between Russia and Ukraine last?"),
      asked("Who won the 1998 World Cup final?", { outcome: "abstained", citations: [] }),
      asked("What did Peskov say?", { outcome: "low", confidence: "low" }),
      asked("Which pin?", { outcome: "pinned", pinId: 3 }),
    ]);
    expect(r.total).toBe(6);
    expect(r.outcomes).toEqual({ high: 3, low: 1, abstained: 1, pinned: 1 });
    expect(r.votes).toEqual({ up: 2, down: 0 });
    // Led by the most asked phrasing (two questions share its key), as last asked.
    expect(r.topics[0]).toEqual({
      question: "how long will the CEASEFIRE last",
      count: 3,
      phrasings: 2,
    });
    expect(r.mostDown).toEqual([]);
  });

  it("lists the answers with the most 👎 first, the most disputed before on a tie", async () => {
    const r = await report([
      asked("A liked answer?", { votes: { up: 5, down: 0 } }),
      asked("One down?", { votes: { up: 0, down: 1 } }),
      asked("Three down?", { votes: { up: 1, down: 3 }, reasons: { outdated: 2 } }),
      asked("Two down, liked?", { votes: { up: 4, down: 2 } }),
      asked("Two down?", { votes: { up: 0, down: 2 } }),
    ]);
    expect(r.mostDown.map((a) => a.question)).toEqual([
      "Three down?",
      "Two down?",
      "Two down, liked?",
      "One down?",
    ]);
    expect(r.mostDown[0]).toMatchObject({ reasons: { outdated: 2 }, votes: { up: 1, down: 3 } });
  });

  it("counts unanswered and low-confidence questions by key, and articles once per answer", async () => {
    const cite = (articleId: string, paragraph: number) => ({
      articleId,
      title: `Title of ${articleId}`,
      paragraph,
    });
    const r = await report([
      asked("Who won the World Cup?", { outcome: "abstained", citations: [] }),
      asked("who won the world cup", { outcome: "abstained", citations: [] }),
      asked("Is it raining?", { outcome: "abstained", citations: [] }),
      asked("What did Peskov say?", { outcome: "low", confidence: "low" }),
      asked("Q1?", { citations: [cite("b", 1), cite("b", 2), cite("a", 1)] }),
      asked("Q2?", { citations: [cite("b", 3)], votes: { up: 0, down: 2 } }),
    ]);
    expect(r.unanswered).toEqual([
      { question: "who won the world cup", count: 2 },
      { question: "Is it raining?", count: 1 },
    ]);
    expect(r.lowConfidence).toEqual([{ question: "What did Peskov say?", count: 1 }]);
    expect(r.cited.map((c) => [c.articleId, c.answers, c.down])).toEqual([
      ["b", 2, 2],
      ["a", 1, 0],
      ["kremlin", 1, 0],
    ]);
  });

  it("reads the log in pages, pausing between them, as one read would", async () => {
    const questions = Array.from({ length: 25 }, (_, i) =>
      asked(i % 2 === 0 ? "How long would the ceasefire last?" : `What about town${i}?`),
    );
    const source = {
      async listQuestionsPage(
        _guild: string,
        _period: QuestionPeriod,
        after: { at: number; id: number } | undefined,
        limit: number,
      ) {
        const start = after ? questions.findIndex((q) => q.id === after.id) + 1 : 0;
        return questions.slice(start, start + limit);
      },
    };
    let pauses = 0;
    const pause = async () => {
      pauses += 1;
    };
    const paged = await buildInsights(source, "1", PERIOD, { pageSize: 10, pause });
    expect(pauses).toBe(2);
    expect(paged).toEqual(await report(questions));
    const pages: number[] = [];
    const read = await forEachQuestionPage(source, "1", PERIOD, (p) => pages.push(p.length), {
      pageSize: 5,
      pause,
    });
    expect([read, pages]).toEqual([25, [5, 5, 5, 5, 5]]);
  });
});
