import { describe, expect, it } from "vitest";
import { hitSupport, judgeAnswer, namesIn, scoreMargin } from "../../src/answer/confidence.js";
import type { Article } from "../../src/corpus/article.js";
import { buildIndex } from "../../src/retrieval/paragraphIndex.js";
import { analyzeQuestion } from "../../src/retrieval/question.js";
import { searchParagraphs } from "../../src/retrieval/search.js";

const ARTICLES: Article[] = [
  {
    id: "ceasefire",
    title: "Ceasefire agreed in the north",
    paragraphs: [
      "The two sides agreed a ceasefire on Monday after talks in Geneva chaired by Maria Lopez.",
      "She said the halt in fighting would last 30 days and could be extended.",
    ],
  },
  {
    id: "football",
    title: "Rovers win the derby",
    paragraphs: [
      "Rovers beat United by two goals to one in the derby on Saturday.",
      "The manager praised the defence after the match.",
    ],
  },
  {
    id: "markets",
    title: "Shares fall",
    paragraphs: ["Shares fell in London as oil prices rose on Tuesday."],
  },
];
const index = buildIndex(ARTICLES);

function judge(question: string) {
  const analyzed = analyzeQuestion(question);
  const { hits } = searchParagraphs(index, analyzed, { top: 10 });
  return { analyzed, hits, judgement: judgeAnswer(hits, analyzed) };
}

describe("namesIn", () => {
  it("takes capitalized words inside a sentence, not the first word", () => {
    expect([...namesIn("Where did Maria Lopez chair the talks? Who came")]).toEqual([
      "maria",
      "lopez",
    ]);
    expect(namesIn("What did McDonald's say?").has("mcdonald")).toBe(true);
  });

  it("takes country names however they are written", () => {
    expect([...namesIn("who is the president of france")]).toEqual(["france"]);
    expect([...namesIn("who is the president")]).toEqual([]);
  });
});

describe("judgeAnswer", () => {
  it("refuses when there is no hit", () => {
    const analyzed = analyzeQuestion("Who?");
    expect(judgeAnswer([], analyzed)).toEqual({ confidence: "none", cited: [] });
  });

  it("answers a question the library answers, citing the best paragraph first", () => {
    const { hits, judgement } = judge("Who chaired the ceasefire talks in Geneva?");
    expect(judgement.confidence).not.toBe("none");
    expect(judgement.cited[0]).toBe(hits[0]);
  });

  it("does not let one word the library never uses veto a strong match", () => {
    // "truce" is in no article; the rest of the question matches the first article well.
    const { judgement } = judge("Who chaired the truce talks in Geneva with Maria Lopez?");
    expect(judgement.confidence).not.toBe("none");
  });

  it("refuses a question about a name the library never mentions", () => {
    const { judgement } = judge("Why did Theranos founder Elizabeth Holmes go to prison?");
    expect(judgement.confidence).toBe("none");
    expect(judgement.cited).toEqual([]);
  });

  it("an unseen name weighs more than an unseen common word", () => {
    const named = analyzeQuestion("Did Zorblatt agree a ceasefire in Geneva?");
    const common = analyzeQuestion("Did zorblatt agree a ceasefire in Geneva?");
    const hit = (q: typeof named) => searchParagraphs(index, q, { top: 1 }).hits[0];
    const h1 = hit(named);
    const h2 = hit(common);
    if (!h1 || !h2) throw new Error("no hit");
    expect(hitSupport(h1, named).share).toBeLessThan(hitSupport(h2, common).share);
  });

  it("is high only with a clear margin over the second hit", () => {
    const { hits, analyzed } = judge("Who chaired the ceasefire talks in Geneva?");
    expect(judgeAnswer(hits, analyzed, { highShare: 0, highMargin: 2 }).confidence).toBe("low");
    expect(judgeAnswer(hits, analyzed, { highShare: 0, highMargin: 0 }).confidence).toBe("high");
    expect(scoreMargin(hits)).toBeGreaterThan(0);
  });
});

describe("judgeAnswer depth", () => {
  it("answers on the first `depth` hits, then cites every passing hit of the ranking", () => {
    const { hits, analyzed } = judge("Who chaired the ceasefire talks in Geneva?");
    const all = judgeAnswer(hits, analyzed, { depth: 1, minShare: 0, minEvidence: 0 });
    expect(all.cited).toEqual(hits);
    // Only the first hit may decide: a first hit that falls short refuses, whatever follows.
    const supports = hits.map((hit) => hitSupport(hit, analyzed).share);
    const firstShare = supports[0] ?? 0;
    const strict = judgeAnswer(hits, analyzed, { depth: 1, minShare: firstShare + 1e-9 });
    expect(strict).toEqual({ confidence: "none", cited: [] });
  });

  it("needs evidence only in a library big enough for IDF to tell rare words", () => {
    const { hits, analyzed } = judge("Who chaired the ceasefire talks in Geneva?");
    const params = { minShare: 0, minEvidence: 1_000 };
    expect(judgeAnswer(hits, analyzed, { ...params, evidenceFrom: 1 }).confidence).toBe("none");
    expect(judgeAnswer(hits, analyzed, { ...params, evidenceFrom: 1_000_000 }).confidence).not.toBe(
      "none",
    );
  });
});

describe("judgeAnswer in a small library", () => {
  // Five paragraphs: every word the question paraphrases is unseen, and IDF is tiny for the rest.
  const question = "How long is the truce meant to hold in the north?";
  const smallParams = { evidenceFrom: 1_000_000 };

  it("weighs an unseen common word at most smallUnseenWordIdf there", () => {
    const analyzed = analyzeQuestion(question);
    const [hit] = searchParagraphs(index, analyzed, { top: 1 }).hits;
    if (!hit) throw new Error("no hit");
    const light = hitSupport(hit, analyzed, { ...smallParams, smallUnseenWordIdf: 0.5 });
    const heavy = hitSupport(hit, analyzed, { ...smallParams, smallUnseenWordIdf: 3 });
    expect(light.share).toBeGreaterThan(heavy.share);
    // In a large library the large-library cap applies, whatever the small one is.
    const large = { evidenceFrom: 1, unseenWordIdf: 3 };
    expect(hitSupport(hit, analyzed, { ...large, smallUnseenWordIdf: 0.5 }).share).toBe(
      hitSupport(hit, analyzed, { ...large, smallUnseenWordIdf: 3 }).share,
    );
  });

  it("answers a paraphrase there that the large-library weights would refuse", () => {
    const analyzed = analyzeQuestion(question);
    const { hits } = searchParagraphs(index, analyzed, { top: 10 });
    const params = { ...smallParams, minShare: 0.5 };
    expect(judgeAnswer(hits, analyzed, { ...params, smallUnseenWordIdf: 3 }).confidence).toBe(
      "none",
    );
    const answered = judgeAnswer(hits, analyzed, { ...params, smallUnseenWordIdf: 0.5 });
    expect(answered.confidence).not.toBe("none");
    // "She said the halt in fighting would last 30 days": the duration answers it.
    expect(answered.cited[0]?.doc).toBe(1);
  });

  it("still refuses an off-topic question there", () => {
    const analyzed = analyzeQuestion("How do I bake sourdough bread at home?");
    const { hits } = searchParagraphs(index, analyzed, { top: 10 });
    expect(judgeAnswer(hits, analyzed).confidence).toBe("none");
  });
});
