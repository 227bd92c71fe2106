import { describe, expect, it } from "vitest";
import { parseArgs, parseTop } from "../../src/cli/args.js";

describe("parseArgs: a question", () => {
  it("joins the positional words into one question", () => {
    expect(parseArgs(["How", "long", "would", "the", "ceasefire", "last?"])).toEqual({
      kind: "ask",
      question: "How long would the ceasefire last?",
      json: false,
      strict: false,
    });
  });

  it("takes a quoted question as it is, trimmed", () => {
    expect(parseArgs(["  Who is Steve Witkoff? "])).toMatchObject({
      kind: "ask",
      question: "Who is Steve Witkoff?",
    });
  });

  it("reads options before, between and after the words, and --name=value", () => {
    expect(
      parseArgs([
        "--json",
        "Who",
        "--top",
        "2",
        "is",
        "--article=abc",
        "he?",
        "--data",
        "x",
        "--strict",
      ]),
    ).toEqual({
      kind: "ask",
      question: "Who is he?",
      json: true,
      strict: true,
      top: 2,
      articleId: "abc",
      dataDir: "x",
    });
  });

  it("treats everything after -- as words, so a question may start with -", () => {
    expect(parseArgs(["--json", "--", "-5", "degrees", "--top"])).toMatchObject({
      kind: "ask",
      question: "-5 degrees --top",
      json: true,
    });
  });

  it("keeps a lone - as a word", () => {
    expect(parseArgs(["a", "-", "b"])).toMatchObject({ kind: "ask", question: "a - b" });
  });
});

describe("parseArgs: --batch", () => {
  it("reads a file name, or - for standard input", () => {
    expect(parseArgs(["--batch", "questions.txt"])).toEqual({
      kind: "batch",
      source: "questions.txt",
      json: false,
      strict: false,
    });
    expect(parseArgs(["--batch", "-", "--top", "1"])).toMatchObject({
      kind: "batch",
      source: "-",
      top: 1,
    });
  });

  it("refuses a question as well", () => {
    expect(parseArgs(["--batch", "q.txt", "Who?"])).toMatchObject({ kind: "usageError" });
  });
});

describe("parseArgs: help", () => {
  it("answers -h and --help wherever they are, even beside bad options", () => {
    expect(parseArgs(["-h"])).toEqual({ kind: "help" });
    expect(parseArgs(["Who?", "--help"])).toEqual({ kind: "help" });
    expect(parseArgs(["--bogus", "--help"])).toEqual({ kind: "help" });
  });

  it("does not take --help after -- as an option", () => {
    expect(parseArgs(["--", "--help"])).toMatchObject({ kind: "ask", question: "--help" });
  });
});

describe("parseArgs: usage errors", () => {
  const messageOf = (argv: string[]): string => {
    const parsed = parseArgs(argv);
    if (parsed.kind !== "usageError") throw new Error(`expected a usage error, got ${parsed.kind}`);
    return parsed.message;
  };

  it("needs a question", () => {
    expect(messageOf([])).toMatch(/no question/);
    expect(messageOf(["  "])).toMatch(/no question/);
    expect(messageOf(["--json"])).toMatch(/no question/);
  });

  it("names an unknown option", () => {
    expect(messageOf(["--bogus", "Who?"])).toBe("unknown option --bogus");
    expect(messageOf(["-x", "Who?"])).toBe("unknown option -x");
    expect(messageOf(["--bogus=1", "Who?"])).toBe("unknown option --bogus");
  });

  it("names an option without its value", () => {
    expect(messageOf(["Who?", "--top"])).toBe("--top needs a value");
    expect(messageOf(["--top", "--json", "Who?"])).toBe("--top needs a value");
    expect(messageOf(["--article=", "Who?"])).toBe("--article needs a value");
    expect(messageOf(["--article", "  ", "Who?"])).toBe("--article needs a value");
    expect(messageOf(["--batch"])).toBe("--batch needs a value");
  });

  it("wants --top to be a whole number from 1 to 10", () => {
    for (const bad of ["0", "11", "2.5", "x", "1e1", "-1"]) {
      expect(messageOf([`--top=${bad}`, "Who?"])).toMatch(
        /^--top needs a whole number from 1 to 10/,
      );
    }
  });

  it("refuses an option given twice, and a value for a flag", () => {
    expect(messageOf(["--top", "1", "--top", "2", "Who?"])).toBe("--top is given twice");
    expect(messageOf(["--json=yes", "Who?"])).toBe("--json takes no value");
  });
});

describe("parseTop", () => {
  it("accepts 1 to 10 written as digits only", () => {
    expect([1, 5, 10].map((n) => parseTop(String(n)))).toEqual([1, 5, 10]);
    expect(parseTop("07")).toBe(7);
    expect([parseTop(""), parseTop(" 3"), parseTop("+3"), parseTop("0x3")]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});
