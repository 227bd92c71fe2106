import { beforeEach, describe, expect, it } from "vitest";
import { AnswerService } from "../../src/answer/answerService.js";
import type { Article } from "../../src/corpus/article.js";
import { Library } from "../../src/library/Library.js";
import { SummaryService } from "../../src/summary/summaryService.js";
import { NEWS } from "../support/newsArticles.js";

/** Two servers' own stories on the same topic, beside the folder's (global) ones. */
const MINE: Article = {
  id: "g1-strike",
  title: "Local bus strike ends",
  paragraphs: ["Bus drivers in Leeds ended their strike after a pay offer on Friday."],
};
const THEIRS: Article = {
  id: "g2-strike",
  title: "Bus strike spreads",
  paragraphs: ["Bus drivers in York joined the strike over pay on Friday."],
};
const QUESTION = "When did the bus drivers strike over pay?";

let library: Library;
let answers: AnswerService;
let summaries: SummaryService;

beforeEach(() => {
  library = Library.of(NEWS);
  library.add(MINE, { guildId: "g1" });
  library.add(THEIRS, { guildId: "g2" });
  answers = new AnswerService(library);
  summaries = new SummaryService(library);
});

const cited = (guildId?: string) =>
  answers
    .ask(QUESTION, { top: 10, ...(guildId ? { guildId } : {}) })
    .citations.map((c) => c.articleId);

describe("scope: a server never sees another server's article", () => {
  it("in answers: each server is cited its own story, DMs neither", () => {
    expect(cited("g1")).toContain("g1-strike");
    expect(cited("g1")).not.toContain("g2-strike");
    expect(cited("g2")).toContain("g2-strike");
    expect(cited("g2")).not.toContain("g1-strike");
    expect(cited()).not.toContain("g1-strike");
    expect(cited()).not.toContain("g2-strike");
  });

  it("in article lookup, asking one article, citing a pinned paragraph and suggestions", () => {
    expect(answers.getArticle("g2-strike", "g1")).toBeUndefined();
    expect(answers.getArticle("G1-STRIKE", "g1")?.id).toBe("g1-strike");
    expect(() => answers.ask(QUESTION, { articleId: "g2-strike", guildId: "g1" })).toThrow(
      /no article has the id/,
    );
    expect(() => answers.cite(QUESTION, "g2-strike", 1, "g1")).toThrow(/no article has the id/);
    const suggested = answers.closestArticles("bus drivers York", 5, "g1").map((a) => a.id);
    expect(suggested).not.toContain("g2-strike");
    expect(answers.closestArticles("bus drivers York", 5, "g2").map((a) => a.id)).toContain(
      "g2-strike",
    );
  });

  it("in the list of articles", () => {
    const listed = answers.listArticles("g1").map((a) => a.id);
    expect(listed).toContain("g1-strike");
    expect(listed).not.toContain("g2-strike");
    expect(listed).toEqual(expect.arrayContaining(NEWS.map((a) => a.id)));
    expect(answers.listArticles().map((a) => a.id)).toEqual(
      expect.not.arrayContaining(["g1-strike", "g2-strike"]),
    );
  });

  it("in summaries of an article and of a topic", () => {
    expect(() => summaries.summarizeArticle("g2-strike", { guildId: "g1" })).toThrow(
      /no article has the id/,
    );
    expect(summaries.summarizeArticle("g1-strike", { guildId: "g1" }).articleId).toBe("g1-strike");
    const sources = (guildId: string) =>
      summaries
        .summarizeTopic("bus drivers strike pay", { guildId })
        .sentences.map((s) => s.articleId);
    expect(sources("g1")).toContain("g1-strike");
    expect(sources("g1")).not.toContain("g2-strike");
    expect(sources("g2")).not.toContain("g1-strike");
  });

  it("after the other server's article is replaced or removed, too", () => {
    library.replace({ ...THEIRS, paragraphs: ["Bus drivers in York struck over pay on Friday."] });
    expect(cited("g1")).not.toContain("g2-strike");
    expect(cited("g2")).toContain("g2-strike");
    library.remove("g2-strike");
    expect(cited("g2")).not.toContain("g2-strike");
  });
});
