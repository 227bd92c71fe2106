/** The options of `npm run bench -- --paragraphs N` (src/eval/scaleBench.ts). */
import { describe, expect, it } from "vitest";
import { parseScaleArgs } from "../../src/eval/scaleBench.js";

describe("parseScaleArgs", () => {
  it("reads a list of sizes, with the defaults for the rest", () => {
    expect(parseScaleArgs(["--paragraphs", "10000,1_000_000"])).toEqual({
      datasets: "../shared/datasets",
      sizes: [10_000, 1_000_000],
      questions: 1000,
      peerQuestions: 1000,
      seed: 1,
      engines: ["newsdesk", "MiniSearch"],
    });
  });

  it("takes the datasets folder, the questions (fewer for the peer), the seed and one engine", () => {
    expect(
      parseScaleArgs([
        "/data",
        "--paragraphs",
        "300",
        "--questions",
        "50",
        "--peer-questions",
        "20",
        "--seed",
        "3",
        "--only",
        "minisearch",
      ]),
    ).toEqual({
      datasets: "/data",
      sizes: [300],
      questions: 50,
      peerQuestions: 20,
      seed: 3,
      engines: ["MiniSearch"],
    });
  });

  it("names what is wrong", () => {
    expect(parseScaleArgs(["--paragraphs", "10k"])).toEqual({
      problem: '--paragraphs takes sizes like 10000,100000, not "10k"',
    });
    expect(parseScaleArgs(["--paragraphs"])).toEqual({
      problem: '--paragraphs takes sizes like 10000,100000, not ""',
    });
    expect(parseScaleArgs(["--questions", "5"])).toEqual({ problem: "--paragraphs is missing" });
    expect(parseScaleArgs(["--paragraphs", "10", "--questions", "3001"])).toEqual({
      problem: "--questions takes at most 3000 (a third of SQuAD dev)",
    });
    expect(parseScaleArgs(["--paragraphs", "10", "--only", "lucene"])).toEqual({
      problem: "--only takes newsdesk or MiniSearch",
    });
    expect(parseScaleArgs(["--paragraphs", "10", "--scale", "2"])).toEqual({
      problem: "unknown option --scale",
    });
  });
});
