import { describe, expect, it } from "vitest";
import {
  MAX_SUMMARY_SENTENCES,
  parseSentenceCount,
  parseSummaryArgs,
} from "../../src/cli/summaryArgs.js";

describe("parseSummaryArgs", () => {
  it("takes ids, options before or after them, and --name=value", () => {
    expect(parseSummaryArgs(["a", "--sentences", "2", "b", "--json", "--data=dir"])).toEqual({
      kind: "summary",
      ids: ["a", "b"],
      sentences: 2,
      dataDir: "dir",
      json: true,
    });
  });

  it("means every article when there is no id and no topic", () => {
    expect(parseSummaryArgs([])).toEqual({ kind: "summary", ids: [], json: false });
  });

  it("takes a topic, trimmed", () => {
    expect(parseSummaryArgs(["--topic", " ceasefire monitoring "])).toMatchObject({
      ids: [],
      topic: "ceasefire monitoring",
    });
  });

  it("reads everything after -- as ids", () => {
    expect(parseSummaryArgs(["--json", "--", "--odd-id"])).toMatchObject({ ids: ["--odd-id"] });
  });

  it.each([
    [["--sentences", "0"], /--sentences needs a whole number from 1 to/],
    [["--sentences", "2.5"], /not "2.5"/],
    [["--sentences", "many"], /not "many"/],
    [["--sentences", String(MAX_SUMMARY_SENTENCES + 1)], /--sentences/],
    [["--sentences"], /--sentences needs a value/],
    [["--sentences", "--json"], /--sentences needs a value/],
    [["--topic", "a", "--topic", "b"], /--topic is given twice/],
    [["--topic", "?!"], /--topic needs words/],
    [["some-id", "--topic", "ceasefire"], /ids or --topic, not both/],
    [["--top", "3"], /unknown option --top/],
    [["--json=yes"], /--json takes no value/],
  ])("rejects %j", (argv, message) => {
    const parsed = parseSummaryArgs(argv);
    expect(parsed.kind).toBe("usageError");
    if (parsed.kind === "usageError") expect(parsed.message).toMatch(message);
  });

  it("asks for help with -h or --help", () => {
    expect(parseSummaryArgs(["x", "-h"])).toEqual({ kind: "help" });
  });
});

describe("parseSentenceCount", () => {
  it("accepts whole numbers from 1 to the maximum only", () => {
    expect(parseSentenceCount("1")).toBe(1);
    expect(parseSentenceCount(String(MAX_SUMMARY_SENTENCES))).toBe(MAX_SUMMARY_SENTENCES);
    expect(parseSentenceCount("-1")).toBeUndefined();
    expect(parseSentenceCount("1e2")).toBeUndefined();
  });
});
