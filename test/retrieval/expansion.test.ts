import { describe, expect, it } from "vitest";
import type { Article } from "../../src/corpus/article.js";
import {
  addSlots,
  DEFAULT_EXPANSION_PARAMS,
  expandTerm,
  relationWeight,
} from "../../src/retrieval/expansion.js";
import { buildIndex } from "../../src/retrieval/paragraphIndex.js";
import type { QueryTerm } from "../../src/retrieval/question.js";
import { termOf } from "../../src/retrieval/textPipeline.js";

const p = { ...DEFAULT_EXPANSION_PARAMS, relatedWeight: 0.2, hypernymWeight: 0.5 };

const article: Article = {
  id: "a",
  title: "Match",
  paragraphs: ["The match was delayed and then postponed.", "The final was deferred."],
};
const index = buildIndex([article]);
const id = (word: string) => index.termIds.get(termOf(word) as string) as number;

/** "postpone", with "defer" a synonym and "delay" a broader word of a half-used sense. */
const postpone: QueryTerm = {
  word: "postpone",
  forms: [termOf("postpone") as string],
  related: [termOf("defer") as string, termOf("delay") as string],
  relatedBy: [
    { relation: "synonym", sense: 1 },
    { relation: "hypernym", sense: 0.5 },
  ],
  verb: true,
};

describe("relationWeight", () => {
  it("is relatedWeight for a synonym of the most used sense", () => {
    expect(relationWeight("synonym", 1, p)).toBeCloseTo(0.2);
  });

  it("scales by the relation and the sense's share", () => {
    expect(relationWeight("hypernym", 0.5, p)).toBeCloseTo(0.2 * 0.5 * 0.5);
    expect(relationWeight("hypernym", 0.5, { ...p, senseExponent: 0 })).toBeCloseTo(0.1);
  });
});

describe("expandTerm", () => {
  it("weighs the word 1 and each related word by its link, best first", () => {
    const { ids, related, loose } = expandTerm(index, postpone, p);
    expect(ids).toEqual([id("postponed")]);
    expect(related).toEqual([
      [id("deferred"), 0.2],
      [id("delayed"), 0.05],
    ]);
    expect([...loose]).toEqual([id("delayed")]);
  });

  it("counts a word with no link as a synonym", () => {
    const { related } = expandTerm(index, { ...postpone, relatedBy: undefined }, p);
    expect(related.find(([r]) => r === id("delayed"))?.[1]).toBeCloseTo(0.2);
  });
});

describe("addSlots", () => {
  it("gives the word and close words one slot, a loose word its weight of the IDF", () => {
    const slots: { idf: number }[] = [];
    const slotOf = new Map<number, number>();
    addSlots(expandTerm(index, postpone, p), 2, slots, slotOf);
    expect(slots).toEqual([{ idf: 2 }, { idf: 2 * 0.05 }]);
    expect(slotOf.get(id("postponed"))).toBe(0);
    expect(slotOf.get(id("deferred"))).toBe(0);
    expect(slotOf.get(id("delayed"))).toBe(1);
  });
});
