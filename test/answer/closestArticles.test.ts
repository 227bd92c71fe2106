import { describe, expect, it } from "vitest";
import { AnswerService } from "../../src/answer/answerService.js";

describe("AnswerService.closestArticles", () => {
  const service = new AnswerService([
    { id: "ferry", title: "Harbour ferry timetable", paragraphs: ["The ferry leaves at noon."] },
    {
      id: "storm",
      title: "Storm closes the harbour",
      paragraphs: ["The storm closed the harbour."],
    },
    { id: "budget", title: "Budget passes", paragraphs: ["Parliament passed the budget."] },
  ]);
  const suggest = (question: string, max: number) => service.closestArticles(question, max);

  it("ranks articles by their closest paragraph, one suggestion per article", () => {
    const ids = suggest("Why did the storm close the harbour ferry?", 3).map((s) => s.id);

    expect(ids.slice(0, 2).sort()).toEqual(["ferry", "storm"]);
    expect(ids).not.toContain("budget");
  });

  it("suggests nothing for a question with no word in the articles, or no words at all", () => {
    expect(suggest("What is the capital of Australia?", 3)).toEqual([]);
    expect(suggest("?!", 3)).toEqual([]);
  });

  it("suggests at most `max`", () => {
    expect(suggest("harbour", 1)).toHaveLength(1);
  });
});
