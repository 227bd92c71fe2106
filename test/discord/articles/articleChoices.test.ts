import { describe, expect, it } from "vitest";
import type { Article } from "../../../src/corpus/article.js";
import { articleChoices } from "../../../src/discord/articles/articleChoices.js";

const article = (id: string, title: string): Article => ({ id, title, paragraphs: ["Text."] });

const articles = [
  article("budget-2025", "Parliament passes the budget"),
  article("ferry", "Budget cuts hit the harbour ferry"),
  article("storm", "Storm closes the harbour"),
];

describe("articleChoices", () => {
  it("lists titles starting with the typed text first, then those containing it, ignoring case", () => {
    expect(articleChoices(articles, "BUDGET")).toEqual([
      { name: "Parliament passes the budget", value: "budget-2025" }, // the id starts with it
      { name: "Budget cuts hit the harbour ferry", value: "ferry" },
    ]);
    expect(articleChoices(articles, "harbour").map((c) => c.value)).toEqual(["ferry", "storm"]);
  });

  it("matches ids too, and lists the first articles when nothing is typed", () => {
    expect(articleChoices(articles, "stor").map((c) => c.value)).toEqual(["storm"]);
    expect(articleChoices(articles, " ").map((c) => c.value)).toEqual([
      "budget-2025",
      "ferry",
      "storm",
    ]);
    expect(articleChoices(articles, "volcano")).toEqual([]);
  });

  it("gives at most 25 choices, names cut to 100 characters", () => {
    const many = Array.from({ length: 40 }, (_, i) =>
      article(`a${i}`, `Report ${"x".repeat(200)}`),
    );

    const choices = articleChoices(many, "report");

    expect(choices).toHaveLength(25);
    expect(Math.max(...choices.map((c) => c.name.length))).toBeLessThanOrEqual(100);
    expect(choices[0]?.name).toMatch(/…$/);
  });
});
