import { describe, expect, it } from "vitest";
import { parseCount, parseOptions } from "../../src/cli/parseOptions.js";

const SPEC = { name: { type: "string" }, loud: { type: "boolean" } } as const;

const messageOf = (argv: string[]): string => {
  const parsed = parseOptions(argv, SPEC);
  if (parsed.kind !== "usageError") throw new Error(`expected a usage error, got ${parsed.kind}`);
  return parsed.message;
};

describe("parseOptions", () => {
  it("gives typed values and the positionals in order, those after -- included", () => {
    expect(parseOptions(["a", "--name=x", "b", "--", "--loud", "-c"], SPEC)).toEqual({
      kind: "options",
      values: { name: "x", loud: false },
      positionals: ["a", "b", "--loud", "-c"],
    });
    expect(parseOptions(["--loud"], SPEC)).toEqual({
      kind: "options",
      values: { name: undefined, loud: true },
      positionals: [],
    });
  });

  it("asks for help with -h or --help before --, even beside a bad option", () => {
    for (const argv of [
      ["-h"],
      ["a", "--help"],
      ["--nope", "-h"],
      ["--name", "x", "--name", "y", "-h"],
    ]) {
      expect(parseOptions(argv, SPEC)).toEqual({ kind: "help" });
    }
    expect(parseOptions(["--", "-h"], SPEC)).toMatchObject({
      kind: "options",
      positionals: ["-h"],
    });
  });

  it("turns parseArgs's errors into one line naming the option", () => {
    expect(messageOf(["--nope"])).toBe("unknown option --nope");
    expect(messageOf(["--nope=1"])).toBe("unknown option --nope");
    expect(messageOf(["-n"])).toBe("unknown option -n");
    expect(messageOf(["a", "--name"])).toBe("--name needs a value");
    expect(messageOf(["--name", "--loud"])).toBe("--name needs a value");
    expect(messageOf(["--loud=yes"])).toBe("--loud takes no value");
  });

  it("refuses a value option given twice, and a blank value, which parseArgs accepts", () => {
    expect(messageOf(["--name", "x", "--name", "x"])).toBe("--name is given twice");
    expect(messageOf(["--name="])).toBe("--name needs a value");
    expect(messageOf(["--name", "  "])).toBe("--name needs a value");
  });

  it("takes - alone as a value and as a positional", () => {
    expect(parseOptions(["--name", "-", "-"], SPEC)).toMatchObject({
      values: { name: "-" },
      positionals: ["-"],
    });
  });
});

describe("parseCount", () => {
  it("accepts digits only, from 1 to the maximum", () => {
    expect([parseCount("1", 5), parseCount("05", 5), parseCount("5", 5)]).toEqual([1, 5, 5]);
    for (const bad of ["0", "6", "", " 1", "+1", "-1", "1.0", "1e0", "0x1", "9".repeat(400)]) {
      expect(parseCount(bad, 5)).toBeUndefined();
    }
  });
});
