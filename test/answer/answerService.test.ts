import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { AnswerService, MAX_TOP } from "../../src/answer/answerService.js";
import { AnswerError } from "../../src/answer/errors.js";
import type { Article } from "../../src/corpus/article.js";
import { loadCorpus } from "../../src/corpus/loadCorpus.js";
import { loadWordNet } from "../../src/lexicon/wordnet.js";
import { thrownCode } from "../support/thrownCode.js";

const DATA_DIR = fileURLToPath(new URL("../../data/articles", import.meta.url));
const SEED = "kremlin-putin-message-trump-ceasefire";
const thesaurus = loadWordNet();

let service: AnswerService;
let seed: Article;
beforeAll(async () => {
  const corpus = await loadCorpus(DATA_DIR);
  service = new AnswerService(corpus.articles, { thesaurus });
  const found = service.getArticle(SEED);
  if (!found) throw new Error(`test: the seed article ${SEED} is not in ${DATA_DIR}`);
  seed = found;
});

/** The code of the AnswerError that `ask` throws, or undefined when it throws none. */
const errorCode = (ask: () => unknown) => thrownCode(ask, AnswerError);

describe("AnswerService.ask on the seed article", () => {
  it("answers the README question with paragraph 4 and its 30-day sentence", () => {
    const answer = service.ask("How long would the ceasefire last?", { articleId: SEED });
    expect(answer.answered).toBe(true);
    expect(answer.question).toBe("How long would the ceasefire last?");
    const [first] = answer.citations;
    expect(first?.paragraph).toBe(4);
    expect(first?.articleId).toBe(SEED);
    expect(first?.excerpt).toContain("30-day");
  });

  it("cites the paragraph verbatim, with a 1-based number, the title and an excerpt of it", () => {
    for (const question of [
      "How long would the ceasefire last?",
      "Who is the Kremlin spokesman?",
      "What did Zelenskyy accuse Putin of?",
      "Is a conversation between Trump and Putin planned?",
    ]) {
      const { citations } = service.ask(question, { top: MAX_TOP, articleId: SEED });
      expect(citations.length, question).toBeGreaterThan(0);
      for (const citation of citations) {
        expect(citation.title).toBe(seed.title);
        expect(citation.paragraph).toBeGreaterThanOrEqual(1);
        expect(citation.text).toBe(seed.paragraphs[citation.paragraph - 1]);
        expect(citation.excerpt.length).toBeGreaterThan(0);
        expect(citation.text).toContain(citation.excerpt);
        for (const [start, end] of citation.highlights) {
          expect(start).toBeGreaterThanOrEqual(0);
          expect(start).toBeLessThan(end);
          expect(end).toBeLessThanOrEqual(citation.excerpt.length);
        }
      }
      const scores = citations.map((c) => c.score);
      expect(scores).toEqual([...scores].sort((x, y) => y - x));
    }
  });

  it("abstains with no citations on an off-topic question", () => {
    const answer = service.ask("What is the capital of Australia?", { articleId: SEED });
    expect(answer).toEqual({
      question: "What is the capital of Australia?",
      answered: false,
      confidence: "none",
      citations: [],
    });
  });

  it("decides whether to answer on the whole ranking: top only caps the citations", () => {
    // The example of issue 10: the best paragraph for this question is not the most relevant
    // one, and `top 1` used to turn the answer into a refusal.
    const question = "What did the Kremlin say about Trump?";
    const full = service.ask(question, { top: 10 });
    expect(full.answered).toBe(true);
    for (let top = 1; top <= 10; top++) {
      const capped = service.ask(question, { top });
      expect(capped.answered).toBe(true);
      expect(capped.citations).toEqual(full.citations.slice(0, top));
    }
  });

  it("answers with low confidence when the best paragraph is plausible but not sure", () => {
    const unsure = new AnswerService([seed], { thesaurus, confidence: { highShare: 1.01 } });
    const answer = unsure.ask("How long would the ceasefire last?");
    expect(answer).toMatchObject({ answered: true, confidence: "low" });
    expect(answer.citations[0]?.paragraph).toBe(4);
    expect(service.ask("How long would the ceasefire last?").confidence).toBe("high");
  });

  it("abstains with no citations when no paragraph matches enough of the question", () => {
    const strict = new AnswerService([seed], { thesaurus, confidence: { minShare: 1.01 } });
    const answer = strict.ask("How long would the ceasefire last?");
    expect(answer.answered).toBe(false);
    expect(answer.citations).toEqual([]);
  });
});

describe("AnswerService.ask: errors", () => {
  it.each(["", "?!", "   ", "— … ?"])("rejects %j as EMPTY_QUESTION", (question) => {
    expect(errorCode(() => service.ask(question))).toBe("EMPTY_QUESTION");
  });

  it("rejects an unknown article id as UNKNOWN_ARTICLE", () => {
    expect(errorCode(() => service.ask("Who is Steve Witkoff?", { articleId: "no-such" }))).toBe(
      "UNKNOWN_ARTICLE",
    );
    expect(errorCode(() => service.ask("Who is Steve Witkoff?", { articleId: "" }))).toBe(
      "UNKNOWN_ARTICLE",
    );
  });

  it("matches article ids ignoring case and surrounding spaces", () => {
    const question = "Who is Steve Witkoff?";
    const exact = service.ask(question, { articleId: SEED });
    expect(exact.answered).toBe(true);
    expect(service.ask(question, { articleId: ` ${SEED.toUpperCase()} ` })).toEqual(exact);
    expect(service.getArticle("Kremlin-Putin-Message-Trump-Ceasefire")).toBe(seed);
    expect(service.getArticle("no-such")).toBeUndefined();
  });
});

describe("AnswerService.ask: top", () => {
  // Twelve equally relevant paragraphs, more than MAX_TOP.
  const gates: Article = {
    id: "gates",
    title: "Gates",
    paragraphs: Array.from({ length: 12 }, (_, i) => `Stadium gate ${i + 10} opened early.`),
  };
  const gateService = new AnswerService([gates]);
  const count = (top?: number) =>
    gateService.ask("Which stadium gate opened?", top === undefined ? {} : { top }).citations
      .length;

  it("cites three paragraphs by default", () => {
    expect(count()).toBe(3);
  });

  it("clamps top to 1..MAX_TOP and rounds it down", () => {
    expect(MAX_TOP).toBe(10);
    expect(count(0)).toBe(1);
    expect(count(-3)).toBe(1);
    expect(count(2.9)).toBe(2);
    expect(count(7)).toBe(7);
    expect(count(50)).toBe(MAX_TOP);
    expect(count(Number.POSITIVE_INFINITY)).toBe(MAX_TOP);
  });

  // Bug: Math.min/Math.max pass NaN through, and a NaN top returns no citations at all.
  it("still answers when top is NaN", () => {
    const n = count(Number.NaN);
    expect(n).toBeGreaterThanOrEqual(1);
    expect(n).toBeLessThanOrEqual(MAX_TOP);
  });
});

describe("AnswerService.cite (a paragraph a moderator chose)", () => {
  it("cites the paragraph with the excerpt that answers the question, score 0", () => {
    const citation = service.cite("How long would the ceasefire last?", SEED.toUpperCase(), 4);
    expect(citation).toMatchObject({ articleId: SEED, title: seed.title, paragraph: 4, score: 0 });
    expect(citation.text).toBe(seed.paragraphs[3]);
    expect(citation.excerpt).toContain("30-day halt");
    const [start, end] = citation.highlights[0] ?? [0, 0];
    expect(citation.excerpt.slice(start, end).toLowerCase()).toBe("ceasefire");
  });

  it("refuses an empty question, an unknown article and a paragraph the article lacks", () => {
    expect(errorCode(() => service.cite(" ?! ", SEED, 1))).toBe("EMPTY_QUESTION");
    expect(errorCode(() => service.cite("Who?", "no-such-article", 1))).toBe("UNKNOWN_ARTICLE");
    const count = seed.paragraphs.length;
    for (const paragraph of [0, -1, count + 1, 1.5, Number.NaN]) {
      expect(errorCode(() => service.cite("Who?", SEED, paragraph))).toBe("UNKNOWN_PARAGRAPH");
    }
    expect(errorCode(() => service.cite("Who?", SEED, count))).toBeUndefined();
  });
});

describe("AnswerService citations", () => {
  it("carry their article's source and published date, and leave out what it lacks", () => {
    const dated: Article = {
      id: "harbour",
      title: "Harbour Bridge Reopens",
      source: "The Coastal Herald",
      published: "2026-03-14",
      paragraphs: [
        "The harbour bridge reopened to traffic on Saturday after two years of repairs.",
      ],
    };
    const plain: Article = {
      id: "ferry",
      title: "Ferry Timetable",
      paragraphs: ["The ferry timetable changes on Monday, the council said."],
    };
    const library = new AnswerService([dated, plain]);
    const [bridge] = library.ask("When did the harbour bridge reopen?").citations;
    expect(bridge).toMatchObject({ source: "The Coastal Herald", published: "2026-03-14" });
    const [ferry] = library.ask("When does the ferry timetable change?").citations;
    expect(ferry?.articleId).toBe("ferry");
    expect(ferry && "source" in ferry).toBe(false);
    expect(library.cite("reopen", "harbour", 1)).toMatchObject({ source: "The Coastal Herald" });
  });
});
