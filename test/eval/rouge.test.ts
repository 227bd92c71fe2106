import { describe, expect, it } from "vitest";
import { lcsLength, rouge, rougeTokens } from "../../src/eval/rouge.js";
import { splitGluedSentences } from "../../src/eval/summaryData.js";

describe("rougeTokens", () => {
  it("lower-cases, splits on anything not a-z0-9, and stems words longer than three letters", () => {
    expect(rougeTokens("Police KILLED two gunmen.")).toEqual(["polic", "kill", "two", "gunmen"]);
    expect(rougeTokens("two gunmen were killed by police")).toEqual([
      "two",
      "gunmen",
      "were",
      "kill",
      "by",
      "polic",
    ]);
    expect(rougeTokens("£600m, U.S. – Marie Claire 's")).toEqual([
      "600m",
      "u",
      "s",
      "mari",
      "clair",
      "s",
    ]);
  });
});

describe("rouge, on pairs checked by hand", () => {
  it("the cat sat on the mat / the cat is on the mat", () => {
    const s = rouge("the cat sat on the mat", "the cat is on the mat");
    // Unigrams: the×2, cat, on, mat shared: 5 of 6 on each side.
    expect(s.rouge1.precision).toBeCloseTo(5 / 6, 10);
    expect(s.rouge1.f1).toBeCloseTo(5 / 6, 10);
    // Bigrams: "the cat", "on the", "the mat" shared: 3 of 5 on each side.
    expect(s.rouge2.f1).toBeCloseTo(3 / 5, 10);
    // LCS: the cat on the mat, 5 of 6.
    expect(s.rougeL.f1).toBeCloseTo(5 / 6, 10);
  });

  it("Police KILLED two gunmen. / two gunmen were killed by police (stems and case)", () => {
    const s = rouge("Police KILLED two gunmen.", "two gunmen were killed by police");
    // 4 of 4 candidate unigrams in the reference, 4 of its 6: F = 2·1·(2/3)/(1 + 2/3) = 0.8.
    expect(s.rouge1.recall).toBeCloseTo(4 / 6, 10);
    expect(s.rouge1.f1).toBeCloseTo(0.8, 10);
    // Only "two gunmen" is shared: P = 1/3, R = 1/5, F = 0.25.
    expect(s.rouge2.f1).toBeCloseTo(0.25, 10);
    // LCS "two gunmen": P = 2/4, R = 2/6, F = 0.4.
    expect(s.rougeL.f1).toBeCloseTo(0.4, 10);
  });

  it("clips repeated n-grams to the reference's count", () => {
    const s = rouge("the the the the", "the cat");
    expect(s.rouge1.precision).toBeCloseTo(1 / 4, 10);
    expect(s.rouge1.recall).toBeCloseTo(1 / 2, 10);
    expect(s.rouge1.f1).toBeCloseTo(1 / 3, 10);
  });

  it("scores identical texts 1 and an empty candidate 0", () => {
    const same = rouge("Markets rallied on Friday.", "markets rallied on friday");
    expect([same.rouge1.f1, same.rouge2.f1, same.rougeL.f1]).toEqual([1, 1, 1]);
    const empty = rouge("", "markets rallied");
    expect([empty.rouge1.f1, empty.rouge2.f1, empty.rougeL.f1]).toEqual([0, 0, 0]);
  });

  it("finds the longest common subsequence", () => {
    expect(lcsLength(["a", "b", "c", "d", "e"], ["a", "c", "e", "x"])).toBe(3);
    expect(lcsLength([], ["a"])).toBe(0);
  });
});

describe("splitGluedSentences (the BBC references ROUGE compares against)", () => {
  it("splits sentences glued without a space, not the full stop inside a number", () => {
    expect(
      splitGluedSentences(
        "Sales rose 2% to $11.1bn from $10.9bn.For the full year, profit was up.Analysts were pleased.",
      ),
    ).toEqual([
      "Sales rose 2% to $11.1bn from $10.9bn.",
      "For the full year, profit was up.",
      "Analysts were pleased.",
    ]);
  });

  it("keeps a closing quote with its sentence and leaves spaced text alone", () => {
    expect(
      splitGluedSentences('He said: "We won."Fans cheered. Talks with the U.S. went well.'),
    ).toEqual(['He said: "We won."', "Fans cheered. Talks with the U.S. went well."]);
  });
});
