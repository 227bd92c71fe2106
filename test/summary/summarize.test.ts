import { describe, expect, it } from "vitest";
import { loadCorpus } from "../../src/corpus/loadCorpus.js";
import { DEFAULT_DATA_DIR } from "../../src/paths.js";
import { buildIndex } from "../../src/retrieval/paragraphIndex.js";
import { SummaryError } from "../../src/summary/errors.js";
import { summarizeArticle, summarizeTopic } from "../../src/summary/summarize.js";
import { SummaryService } from "../../src/summary/summaryService.js";
import { findTopicPassages } from "../../src/summary/topicPassages.js";
import type { Passage } from "../../src/summary/types.js";
import { FLOOD, FLOOD_CENTRAL } from "./fixtures.js";

const SEED = "kremlin-putin-message-trump-ceasefire";

describe("summarizeArticle", () => {
  it("summarizes the seed article: three sentences citing paragraphs that hold them", async () => {
    const { articles } = await loadCorpus(DEFAULT_DATA_DIR);
    const article = articles.find((a) => a.id === SEED);
    if (!article) throw new Error(`the seed article ${SEED} is missing`);
    const summary = summarizeArticle(article);
    expect(summary.articleId).toBe(SEED);
    expect(summary.title).toBe(article.title);
    expect(summary.sentences).toHaveLength(3);
    for (const s of summary.sentences) {
      expect(s.paragraph).toBeGreaterThanOrEqual(1);
      expect(article.paragraphs[s.paragraph - 1]).toContain(s.text);
    }
    expect(summary.sentences[0]?.paragraph).toBe(1);
    expect(summary.entities.people.slice(0, 2)).toEqual(["Vladimir Putin", "Donald Trump"]);
    expect(summary.entities.people).toContain("Volodymyr Zelenskyy");
    expect(summary.entities.places).toEqual(expect.arrayContaining(["Russia", "Ukraine"]));
  });

  it("takes the sentence count from the options, 3 by default", () => {
    expect(summarizeArticle(FLOOD).sentences).toHaveLength(3);
    expect(summarizeArticle(FLOOD, { sentences: 1 }).sentences).toHaveLength(1);
    expect(summarizeArticle(FLOOD, { sentences: Number.NaN }).sentences).toHaveLength(3);
  });
});

describe("summarizeTopic", () => {
  const passages: Passage[] = [
    {
      articleId: "b",
      title: "Monitors arrive",
      paragraph: 4,
      text: "Ceasefire monitors from the OSCE arrived in the region on Monday. Their monitoring teams will patrol the front line.",
    },
    {
      articleId: "a",
      title: "Truce agreed",
      paragraph: 2,
      text: "Both sides agreed to a ceasefire on Sunday. Monitoring the ceasefire will fall to international observers.",
    },
    {
      articleId: "b",
      title: "Monitors arrive",
      paragraph: 1,
      text: "The ceasefire held overnight, officials said. Shops reopened in the capital.",
    },
  ];

  it("cites article and paragraph per sentence, grouped by article in order of the best passage", () => {
    const summary = summarizeTopic("ceasefire monitoring", passages, { sentences: 3 });
    expect(summary.topic).toBe("ceasefire monitoring");
    expect(summary.sentences).toHaveLength(3);
    for (const s of summary.sentences) {
      const source = passages.find(
        (p) => p.articleId === s.articleId && p.paragraph === s.paragraph,
      );
      expect(source?.text).toContain(s.text);
      expect(s.title).toBe(source?.title);
    }
    const cited = summary.sentences.map((s) => `${s.articleId}¶${s.paragraph}`);
    const firstA = cited.findIndex((c) => c.startsWith("a"));
    expect(cited.slice(0, firstA < 0 ? cited.length : firstA).every((c) => c.startsWith("b"))).toBe(
      true,
    );
    const inB = summary.sentences.filter((s) => s.articleId === "b").map((s) => s.paragraph);
    expect(inB).toEqual([...inB].sort((x, y) => x - y));
    expect(summary.sentences.map((s) => s.text)).not.toContain("Shops reopened in the capital.");
  });

  it("returns no sentences and no entities when there are no passages", () => {
    expect(summarizeTopic("ceasefire", [])).toEqual({
      topic: "ceasefire",
      sentences: [],
      entities: { people: [], places: [], organizations: [] },
    });
  });
});

describe("findTopicPassages", () => {
  const index = buildIndex([
    FLOOD,
    {
      id: "budget",
      title: "Budget approved",
      paragraphs: [
        "The council approved the budget on Monday.",
        "The bridge repairs get extra money.",
      ],
    },
  ]);

  it("finds the paragraphs about a topic across articles, best first, with 1-based paragraphs", () => {
    const passages = findTopicPassages(index, "bridge closed by the flood");
    expect(passages[0]).toMatchObject({ articleId: "flood" });
    for (const p of passages) {
      const article = index.articles.find((a) => a.id === p.articleId);
      expect(article?.paragraphs[p.paragraph - 1]).toBe(p.text);
    }
    expect(passages.map((p) => p.text)).not.toContain(FLOOD.paragraphs[0]);
  });

  it("finds nothing for a topic no article is about, or one without words", () => {
    expect(findTopicPassages(index, "volcano eruption")).toEqual([]);
    expect(findTopicPassages(index, "?!")).toEqual([]);
  });
});

describe("SummaryService", () => {
  const service = new SummaryService([FLOOD]);

  it("summarizes an article by id, in any letter case", () => {
    const summary = service.summarizeArticle("FLOOD", { sentences: 2 });
    expect(summary.sentences.map((s) => s.text)).toContain(FLOOD_CENTRAL);
  });

  it("throws UNKNOWN_ARTICLE for an id it does not know, EMPTY_TOPIC for a topic without words", () => {
    expect(() => service.summarizeArticle("nope")).toThrow(
      expect.objectContaining({ name: "SummaryError", code: "UNKNOWN_ARTICLE" }),
    );
    expect(() => service.summarizeTopic("  ...  ")).toThrow(SummaryError);
  });

  it("summarizes a topic from its own index", () => {
    const summary = service.summarizeTopic("evacuation of riverside homes", { sentences: 2 });
    expect(summary.sentences.length).toBeGreaterThan(0);
    expect(summary.sentences.every((s) => s.articleId === "flood")).toBe(true);
  });
});
