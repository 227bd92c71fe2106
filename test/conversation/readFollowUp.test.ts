import { describe, expect, it } from "vitest";
import type { ConversationTurn } from "../../src/answer/types.js";
import {
  MAX_CARRIED,
  MAX_PREFERRED,
  preferredArticles,
  readFollowUp,
} from "../../src/conversation/readFollowUp.js";

/** A turn as the surface stores it, answered from one article. */
const turn = (question: string, articleId = "seed", searched = question): ConversationTurn => ({
  question,
  searched,
  citations: [
    { articleId, paragraph: 4 },
    { articleId: "other", paragraph: 1 },
  ],
  answered: true,
});

const CEASEFIRE = [turn("How long would the ceasefire last?")];

describe("readFollowUp", () => {
  it("leaves a question without a conversation as it is", () => {
    expect(readFollowUp("When would it start?", [])).toEqual({
      searched: "When would it start?",
      fresh: false,
      kind: "alone",
      carried: [],
      prefer: [],
    });
  });

  it("gives a pronoun the earlier question's subject, after the asker's words", () => {
    const plan = readFollowUp("When would it start?", CEASEFIRE);
    expect(plan).toMatchObject({ kind: "refers", fresh: false, carried: ["ceasefire"] });
    expect(plan.searched).toBe("When would it start? ceasefire");
    expect(plan.prefer).toEqual(["seed"]);
  });

  it("carries names and nouns, not the earlier question's form or verbs", () => {
    const plan = readFollowUp("What did he say about it?", [
      turn("What did Peskov say about Putin's message to Trump?"),
    ]);
    expect(plan.carried).toEqual(["Peskov", "Putin", "message", "Trump"]);
  });

  it("does not carry what the follow-up already says", () => {
    const plan = readFollowUp("What did he say about the ceasefire?", [
      turn("Who is the Kremlin spokesman on the ceasefire?"),
    ]);
    expect(plan.carried).not.toContain("ceasefire");
    expect(plan.carried).toContain("Kremlin");
  });

  it("reads a question with no noun of its own as elliptical", () => {
    const plan = readFollowUp("Why?", [turn("Did Elan suspend sales of Tysabri?")]);
    expect(plan.kind).toBe("elliptical");
    expect(plan.carried).toEqual(["Elan", "sales", "Tysabri"]);
  });

  it('reads "And Russia?" as the earlier question about a new subject', () => {
    const plan = readFollowUp("And Russia?", [turn("What does Ukraine want in return?")]);
    expect(plan.kind).toBe("and");
    // The earlier names are replaced, its question form and predicate kept.
    expect(plan.searched).toBe("What does Russia want return");
    expect(plan.carried).not.toContain("Ukraine");
  });

  it('reads a leading "and" with a verb as pointing back', () => {
    const plan = readFollowUp("And what did Zelenskyy say?", CEASEFIRE);
    expect(plan).toMatchObject({ kind: "refers", carried: ["ceasefire"], fresh: false });
  });

  it("searches a question on the same subject as asked, preferring the cited articles", () => {
    const plan = readFollowUp("Where was the ceasefire agreed?", CEASEFIRE);
    expect(plan).toEqual({
      searched: "Where was the ceasefire agreed?",
      fresh: false,
      kind: "continues",
      carried: [],
      prefer: ["seed"],
    });
  });

  it("keeps the subject when the question's noun is in the cited article", () => {
    const question = "Which drugs were the patients taking?";
    const history = [turn("Why did Elan suspend Tysabri?", "tysabri")];
    expect(readFollowUp(question, history).fresh).toBe(true);
    const cited = ["Two patients taking the drug fell ill."];
    expect(readFollowUp(question, history, cited)).toMatchObject({
      kind: "continues",
      fresh: false,
    });
  });

  it("searches a plain change of subject afresh, preferring nothing", () => {
    expect(readFollowUp("How many iPods did Apple sell in 2004?", CEASEFIRE)).toEqual({
      searched: "How many iPods did Apple sell in 2004?",
      fresh: true,
      kind: "fresh",
      carried: [],
      prefer: [],
    });
  });

  it("reads a name new to the conversation as a change of subject, despite a shared noun", () => {
    const history = [turn("Who hosts the jungle show?", "jungle")];
    const plan = readFollowUp("Who will host the Billboard awards?", history, ["The show's hosts"]);
    expect(plan.fresh).toBe(true);
  });

  it("reads the chain from the last turn's searched text, so a subject carries over turns", () => {
    const history = [
      turn("How long would the ceasefire last?"),
      turn("When would it start?", "seed", "When would it start? ceasefire"),
    ];
    expect(readFollowUp("Who proposed it?", history).carried).toEqual(["ceasefire"]);
  });

  it("carries nothing from an earlier turn with no words, and no punctuation", () => {
    for (const searched of ["", "???", "!!! ..."]) {
      const plan = readFollowUp("Why?", [turn(searched)]);
      expect(plan).toMatchObject({ searched: "Why?", kind: "elliptical", carried: [] });
    }
  });

  it("reads a stored searched text only as far as a question is read", () => {
    const long = `${"ceasefire ".repeat(2000)}Kursk`;
    expect(readFollowUp("When would it start?", [turn(long)]).carried).toEqual(["ceasefire"]);
  });

  it(`carries ${MAX_CARRIED} words at most`, () => {
    const plan = readFollowUp("What did they say?", [
      turn("Did Putin, Trump, Peskov, Witkoff, Zelenskyy, Macron and Starmer meet in Riyadh?"),
    ]);
    expect(plan.carried).toHaveLength(MAX_CARRIED);
  });
});

describe("preferredArticles", () => {
  it(`lists each turn's first article, the latest first, ${MAX_PREFERRED} at most`, () => {
    const history = [turn("a b?", "one"), turn("c d?", "two"), turn("e f?", "three")];
    expect(preferredArticles(history)).toEqual(["three", "two"].slice(0, MAX_PREFERRED));
  });

  it("skips turns that cited nothing", () => {
    const refused: ConversationTurn = {
      question: "x?",
      searched: "x?",
      citations: [],
      answered: false,
    };
    expect(preferredArticles([turn("a b?", "one"), refused])).toEqual(["one"]);
  });
});
