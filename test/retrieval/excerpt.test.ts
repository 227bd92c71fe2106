import { describe, expect, it } from "vitest";
import { chooseExcerpt, type Excerpt } from "../../src/retrieval/excerpt.js";
import { analyzeQuestion } from "../../src/retrieval/question.js";
import { splitSentences } from "../../src/retrieval/sentences.js";

/** The highlighted words of an excerpt, in order. */
const highlighted = (excerpt: Excerpt) =>
  excerpt.highlights.map(([start, end]) => excerpt.text.slice(start, end));

describe("splitSentences", () => {
  it("keeps each sentence's exact span", () => {
    const text = "  The match ended 2-1.  Fans sang “You’ll never walk alone”. Then they left!  ";
    const sentences = splitSentences(text);
    expect(sentences.map((s) => s.text)).toEqual([
      "The match ended 2-1.",
      "Fans sang “You’ll never walk alone”.",
      "Then they left!",
    ]);
    for (const s of sentences) expect(text.slice(s.start, s.end)).toBe(s.text);
  });

  it("does not split at Mr. or U.S.", () => {
    const text = "Mr. Smith flew to the U.S. capital on Monday. He met Dr. Jones there.";
    const sentences = splitSentences(text);
    expect(sentences.map((s) => s.text)).toEqual([
      "Mr. Smith flew to the U.S. capital on Monday.",
      "He met Dr. Jones there.",
    ]);
    for (const s of sentences) expect(text.slice(s.start, s.end)).toBe(s.text);
  });

  it("gives one sentence for text without a full stop", () => {
    expect(splitSentences("No full stop here")).toEqual([
      { text: "No full stop here", start: 0, end: 17 },
    ]);
  });
});

describe("chooseExcerpt", () => {
  // Three sentences, each 80 characters or more, so none is too short to stand alone.
  const paragraph =
    "The council met on Monday evening in the old town hall, as it does in the first week of every month. " +
    "The mayor announced that the library budget would be cut by a fifth from next spring onwards. " +
    "Residents who use the library every week said the decision would hurt children the most.";
  const [first, second, third] = splitSentences(paragraph).map((s) => s.text);

  it("picks the sentence with the question's terms", () => {
    expect(third).toBeDefined();
    const excerpt = chooseExcerpt(paragraph, analyzeQuestion("Will the library budget be cut?"));
    expect(excerpt.text).toBe(second);
    expect(highlighted(excerpt)).toEqual(["library", "budget", "cut"]);
  });

  it("adds the next sentence when it holds other question terms", () => {
    const question = analyzeQuestion("Will the library budget cut hurt children?");
    const excerpt = chooseExcerpt(paragraph, question);
    expect(excerpt.text).toBe(`${second} ${third}`);
    expect(highlighted(excerpt)).toEqual([
      "library",
      "budget",
      "cut",
      "library",
      "hurt",
      "children",
    ]);
  });

  it("adds the previous sentence when it holds other question terms", () => {
    const question = analyzeQuestion("Did the council cut the library budget on Monday?");
    const excerpt = chooseExcerpt(paragraph, question);
    expect(excerpt.text).toBe(`${first} ${second}`);
    expect(highlighted(excerpt)).toEqual(["council", "Monday", "library", "budget", "cut"]);
  });

  it("adds a neighbour to a sentence too short to stand alone", () => {
    const short =
      "The budget was cut. Officials blamed falling tax income across the region and the rising cost of care.";
    const excerpt = chooseExcerpt(short, analyzeQuestion("Was the budget cut?"));
    expect(excerpt.text).toBe(short);
    expect(highlighted(excerpt)).toEqual(["budget", "cut"]);
  });

  it("highlights inflected and possessive forms exactly as written", () => {
    const text =
      "Trump’s envoy carried the messages to Moscow on Thursday, where Kremlin officials received them in private.";
    const excerpt = chooseExcerpt(text, analyzeQuestion("Who carries Trump's message?"));
    expect(excerpt.text).toBe(text);
    expect(highlighted(excerpt)).toEqual(["Trump’s", "carried", "messages"]);
  });

  it("highlights a related word of the thesaurus's", () => {
    const text = "The club dismissed the coach after the defeat on Sunday and named a new one.";
    const question = analyzeQuestion("Was the coach sacked?", {
      related: (lemma) => (lemma === "sack" ? ["dismiss"] : []),
    });
    expect(highlighted(chooseExcerpt(text, question))).toEqual(["dismissed", "coach"]);
  });

  it("keeps highlights inside the excerpt", () => {
    const excerpt = chooseExcerpt(paragraph, analyzeQuestion("Will the library budget be cut?"));
    for (const [start, end] of excerpt.highlights) {
      expect(start).toBeGreaterThanOrEqual(0);
      expect(end).toBeLessThanOrEqual(excerpt.text.length);
      expect(start).toBeLessThan(end);
    }
  });
});
