import { describe, expect, it } from "vitest";
import {
  type AnswerKind,
  analyzeQuestion,
  MAX_QUESTION_CHARS,
} from "../../src/retrieval/question.js";
import { normalizeWord, termOf } from "../../src/retrieval/textPipeline.js";
import { tableThesaurus } from "../../src/retrieval/thesaurus.js";

/** The question's words, as the user wrote them (normalized). */
const wordsOf = (question: string) => analyzeQuestion(question).terms.map((t) => t.word);

describe("analyzeQuestion: answer kind", () => {
  it.each<[string, AnswerKind]>([
    ["Who is the Kremlin spokesman?", "person"],
    ["Whose envoy carried the message?", "person"],
    ["Where did the US and Ukraine negotiate the ceasefire?", "place"],
    ["When did Putin send the message?", "date"],
    ["What year was the stadium built?", "date"],
    ["How many prisoners were exchanged?", "number"],
    ["How much did the new stadium cost?", "number"],
    ["How long would the ceasefire last?", "duration"],
    ["What did Peskov say about optimism?", "none"],
    ["Does Russia support the ceasefire in principle?", "none"],
  ])("%s -> %s", (question, kind) => {
    expect(analyzeQuestion(question).kind).toBe(kind);
  });
});

describe("analyzeQuestion: terms", () => {
  it("drops the words that only restate the kind", () => {
    const { terms } = analyzeQuestion("How long would the ceasefire last?");
    expect(terms.map((t) => t.forms)).toEqual([[termOf("ceasefire")]]);
    expect(wordsOf("How many goals were scored?")).toEqual(["goals", "scored"]);
    expect(wordsOf("What year was the stadium built?")).toEqual(["stadium", "built"]);
  });

  it("keeps the kind words when the question asks for no kind", () => {
    expect(wordsOf("Did the talks last long?")).toEqual(["talks", "last", "long"]);
  });

  it("reads curly quotes, curly possessives and straight ones alike", () => {
    const curly = analyzeQuestion("What did Putin’s envoy call “promising”?");
    const straight = analyzeQuestion('What did Putin\'s envoy call "promising"?');
    expect(curly.terms.map((t) => t.forms)).toEqual(straight.terms.map((t) => t.forms));
    expect(curly.terms.map((t) => t.word)).toEqual(["putin", "envoy", "call", "promising"]);
  });

  it("has the forms of compromise's root", () => {
    const carried = analyzeQuestion("Who carried the message?").terms[0];
    expect(carried?.word).toBe("carried");
    expect(carried?.forms).toContain(termOf("carry"));
    expect(carried?.verb).toBe(true);
    const children = analyzeQuestion("Were children relocated?").terms[0];
    expect(children?.forms).toContain(termOf("child"));
  });

  it("counts a word once however often it is asked", () => {
    expect(wordsOf("Ceasefire, ceasefire: what ceasefire?")).toEqual(["ceasefire"]);
  });

  it("has no related terms without a thesaurus", () => {
    for (const term of analyzeQuestion("Was the coach sacked?").terms) {
      expect(term.related).toEqual([]);
    }
  });

  it("adds the thesaurus's single words as related terms, never the word's own forms", () => {
    const thesaurus = tableThesaurus({ sack: ["dismiss", "fire", "sacking", "let go"] });
    const { terms } = analyzeQuestion("Was the coach sacked?", thesaurus);
    const sacked = terms.find((t) => t.word === "sacked");
    expect(sacked?.forms).toEqual([termOf("sack")]);
    expect(sacked?.related).toEqual([termOf("dismiss"), termOf("fire")]);
    expect(terms.find((t) => t.word === "coach")?.related).toEqual([]);
  });

  it("joins a hyphenated related word as news writes it, and keeps no multi-word one", () => {
    const thesaurus = tableThesaurus({ truce: ["cease-fire", "armistice", "cease and desist"] });
    const [truce] = analyzeQuestion("How long is the truce meant to hold?", thesaurus).terms;
    expect(truce?.related).toEqual([termOf("ceasefire"), termOf("armistice")]);
  });

  it("takes related words of the word as written as well as of its root", () => {
    // WordNet files "talks" (negotiations) apart from "talk" (speak).
    const thesaurus = tableThesaurus({ talks: ["negotiation"], talk: ["speak"] });
    const talks = analyzeQuestion("Where were the talks held?", thesaurus).terms[0];
    expect(talks?.word).toBe("talks");
    expect(talks?.related).toEqual([termOf("speak"), termOf("negotiation")]);
  });

  it.each(["US", "U.S.", "USA"])("reads %s as the country, as the index does", (us) => {
    expect(wordsOf(`What did the ${us} propose?`)).toEqual(["usa", "propose"]);
    expect(analyzeQuestion(`What did the ${us} propose?`).terms[0]?.forms).toEqual([
      termOf(normalizeWord(us)),
    ]);
    expect(wordsOf("Did they tell us?")).toEqual(["tell"]);
  });

  it("cuts a pasted 100,000-character question and still analyzes it", () => {
    const question = `How long would the ceasefire last? ${"ceasefire talks ".repeat(6_250)}`;
    expect(question.length).toBeGreaterThanOrEqual(100_000);
    const analyzed = analyzeQuestion(question);
    expect(analyzed.text.length).toBeLessThanOrEqual(MAX_QUESTION_CHARS);
    expect(analyzed.text.length).toBeGreaterThan(MAX_QUESTION_CHARS - 20);
    expect(question.startsWith(analyzed.text)).toBe(true);
    expect(analyzed.kind).toBe("duration");
    // The cut falls between words: no fragment such as "cease" becomes a term.
    expect(analyzed.terms.map((t) => t.word).sort()).toEqual(["ceasefire", "talks"]);
  });

  it("gives no terms for a question of stopwords only", () => {
    expect(analyzeQuestion("What is it?").terms).toEqual([]);
    expect(analyzeQuestion("").terms).toEqual([]);
  });
});
