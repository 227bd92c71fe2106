/** Matching a new question to pinned ones, without a database. */
import { describe, expect, it } from "vitest";
import {
  matchPinnedQuestion,
  mostSimilarQuestion,
  PIN_MATCH_THRESHOLD,
  questionForm,
  questionKey,
  questionTerms,
} from "../../src/pins/questionMatch.js";

const PINNED = [
  "How long would the ceasefire in Gaza last?",
  "Who carried Putin's message to Trump?",
  "When did Tesla go to Karlovac?",
  "What did the Kremlin say about the talks?",
];

const match = (question: string) => matchPinnedQuestion(question, PINNED, (q) => q)?.candidate;
const similarity = (a: string, b: string) => mostSimilarQuestion(a, [b], (q) => q)?.similarity ?? 0;

describe("matchPinnedQuestion", () => {
  it("matches a paraphrase to its pinned question", async () => {
    expect(match("how long will the Gaza ceasefire last?")).toBe(PINNED[0]);
    expect(match("Who brought Trump the message from Putin?")).toBe(PINNED[1]);
    expect(match("In what year did Tesla go to Karlovac?")).toBe(PINNED[2]);
  });

  it("matches nothing for an unrelated question", async () => {
    expect(match("Who won the election in Poland?")).toBeUndefined();
    expect(match("What is the capital of Australia?")).toBeUndefined();
  });

  it("matches nothing for a question that names no topic", async () => {
    expect(match("How long?")).toBeUndefined();
    expect(match("")).toBeUndefined();
  });

  it("tells apart questions that share their words but ask for another kind of answer", async () => {
    expect(match("Why did Tesla go to Karlovac?")).toBeUndefined();
    expect(match("Who went to Karlovac?")).toBeUndefined();
    expect(similarity("Why did Tesla go to Karlovac?", PINNED[2] as string)).toBe(0);
  });

  it("ignores word order, case, punctuation and curly quotes", async () => {
    const pinned = "What did Trump's envoy say about the ceasefire?";
    for (const asked of [
      "what did trump's envoy say about the ceasefire",
      "WHAT DID TRUMP’S ENVOY SAY ABOUT THE CEASEFIRE??",
      "What did “Trump’s envoy” say — about the ceasefire?!",
      "About the ceasefire, what did Trump's envoy say?",
    ]) {
      expect(similarity(asked, pinned)).toBeCloseTo(1, 10);
    }
  });

  it("prefers the closer of two pinned questions", async () => {
    const pins = ["How long would the ceasefire last?", "How long would the Gaza ceasefire last?"];
    const best = mostSimilarQuestion("How long will the Gaza ceasefire last?", pins, (q) => q);
    expect(best?.candidate).toBe(pins[1]);
  });

  it("scores more shared words higher", async () => {
    const pinned = "How long would the ceasefire between Israel and Hamas last?";
    expect(similarity("How long would the Israel Hamas ceasefire last?", pinned)).toBeGreaterThan(
      similarity("How long would the ceasefire last?", pinned),
    );
  });

  it("applies the threshold it is given", async () => {
    const asked = "How long would the ceasefire last in Gaza and Lebanon?";
    const score = mostSimilarQuestion(asked, PINNED, (q) => q)?.similarity ?? 0;
    expect(score).toBeGreaterThan(0);
    expect(matchPinnedQuestion(asked, PINNED, (q) => q, score)?.candidate).toBe(PINNED[0]);
    expect(matchPinnedQuestion(asked, PINNED, (q) => q, score + 0.01)).toBeUndefined();
    expect(PIN_MATCH_THRESHOLD).toBeGreaterThan(0);
    expect(PIN_MATCH_THRESHOLD).toBeLessThan(1);
  });
});

describe("questionForm", () => {
  it.each([
    ["Who carried the message?", "person"],
    ["Whose message was it?", "person"],
    ["Where will the talks be held?", "place"],
    ["In which city will the talks be held?", "place"],
    ["When did Tesla die?", "date"],
    ["In what year did Tesla die?", "date"],
    ["Why did the talks fail?", "reason"],
    ["How many people were there?", "number"],
    ["How long would the ceasefire last?", "duration"],
    ["How did the committee raise the money?", "manner"],
    ["What did the Kremlin say?", "thing"],
    ["Tell me about the ceasefire", undefined],
  ] as const)("%s -> %s", (question, form) => {
    expect(questionForm(question)).toBe(form);
  });

  it("takes the form's own word out of the terms", async () => {
    expect(questionTerms("In what year did Tesla die?")).toEqual(
      questionTerms("When did Tesla die?"),
    );
  });
});

describe("questionKey", () => {
  it("is the same for rephrasings that differ in case, punctuation and inflection", async () => {
    const key = questionKey("How long will the ceasefire last?");
    expect(questionKey("how long would the CEASEFIRE last")).toBe(key);
    expect(questionKey("How long will the “ceasefire” last?!")).toBe(key);
    expect(questionKey("How long will the ceasefire lasting be?")).not.toBe(
      questionKey("Who will the ceasefire last?"),
    );
  });

  it("keeps word order: who attacked whom matters", async () => {
    expect(questionKey("Did Israel attack Iran?")).not.toBe(questionKey("Did Iran attack Israel?"));
  });

  it("falls back to the lower-cased words for a question of stopwords only", async () => {
    expect(questionKey("Who?")).toBe("who");
    expect(questionKey("WHO ?!")).toBe("who");
    expect(questionKey("Who is it?")).toBe("who is it");
  });
});
