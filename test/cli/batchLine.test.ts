import { describe, expect, it } from "vitest";
import { parseBatchLine } from "../../src/cli/batchLine.js";

describe("parseBatchLine", () => {
  it("skips blank lines", () => {
    expect(parseBatchLine("")).toBeUndefined();
    expect(parseBatchLine(" \t ")).toBeUndefined();
  });

  it("takes a plain line as the question, trimmed", () => {
    expect(parseBatchLine("  Who is Steve Witkoff?  ")).toEqual({
      kind: "question",
      question: "Who is Steve Witkoff?",
      options: {},
    });
  });

  it("takes a line that does not start with { as plain text, even if it is JSON", () => {
    expect(parseBatchLine('["q"]')).toMatchObject({ kind: "question", question: '["q"]' });
  });

  it("reads a JSON line's q, article and top", () => {
    expect(parseBatchLine('{"q": "Who?", "article": "seed", "top": 2}')).toEqual({
      kind: "question",
      question: "Who?",
      options: { articleId: "seed", top: 2 },
    });
    expect(parseBatchLine('{"q": "Who?", "article": null, "extra": 1}')).toEqual({
      kind: "question",
      question: "Who?",
      options: {},
    });
  });

  it("ignores a byte order mark", () => {
    expect(parseBatchLine('\uFEFF{"q": "Who?"}')).toMatchObject({ question: "Who?" });
  });

  it("reports broken JSON, a missing q and bad options", () => {
    expect(parseBatchLine('{"q": "Who?"')).toMatchObject({
      kind: "error",
      message: expect.stringMatching(/^not valid JSON: /),
    });
    expect(parseBatchLine('{"question": "Who?"}')).toEqual({
      kind: "error",
      message: '"q" is missing or not a string',
    });
    expect(parseBatchLine('{"q": 3}')).toMatchObject({ kind: "error" });
    expect(parseBatchLine('{"q": "Who?", "article": 7}')).toMatchObject({ kind: "error" });
    for (const top of ["0", "11", "2.5", '"2"']) {
      expect(parseBatchLine(`{"q": "Who?", "top": ${top}}`)).toEqual({
        kind: "error",
        message: '"top" must be a whole number from 1 to 10',
      });
    }
  });

  it("leaves an empty q to the answer service", () => {
    expect(parseBatchLine('{"q": ""}')).toEqual({ kind: "question", question: "", options: {} });
  });
});
