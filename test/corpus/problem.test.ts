import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatProblem } from "../../src/corpus/loadCorpus.js";

describe("formatProblem", () => {
  const cwd = path.resolve("/srv/newsdesk");

  it("names the module, the file, the line and what is wrong", () => {
    const p = { file: "data/articles/x.md", line: 3, message: "front matter has no closing ---" };
    expect(formatProblem(p, cwd)).toBe(
      "corpus: data/articles/x.md line 3: front matter has no closing ---",
    );
  });

  it("leaves the line out when it is unknown", () => {
    expect(formatProblem({ file: "a.txt", message: "file is empty" }, cwd)).toBe(
      "corpus: a.txt: file is empty",
    );
  });

  it("shows absolute paths inside the working folder relative to it, others as given", () => {
    const inside = path.join(cwd, "data", "articles", "a.txt");
    const outside = path.resolve("/tmp/other/a.txt");
    expect(formatProblem({ file: inside, message: "m" }, cwd)).toBe(
      `corpus: ${path.join("data", "articles", "a.txt")}: m`,
    );
    expect(formatProblem({ file: outside, message: "m" }, cwd)).toBe(`corpus: ${outside}: m`);
  });
});
