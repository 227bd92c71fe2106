import { describe, expect, it } from "vitest";
import type { Answer, Citation } from "../../src/answer/types.js";
import { formatText, MAX_ECHOED_QUESTION_CHARS } from "../../src/cli/formatText.js";

function citation(overrides: Partial<Citation> = {}): Citation {
  return {
    articleId: "storm",
    title: "Lighthouse Reopens After Storm",
    paragraph: 2,
    score: 3.5,
    excerpt: "The lighthouse reopened on Tuesday.",
    highlights: [[4, 14]],
    text: "After three months of repairs, the lighthouse reopened on Tuesday. Tours resume soon.",
    ...overrides,
  };
}

const answer = (
  citations: Citation[],
  question = "When did the lighthouse reopen?",
  confidence: "high" | "low" = "high",
): Answer => ({
  question,
  answered: citations.length > 0,
  confidence: citations.length > 0 ? confidence : "none",
  citations,
});

describe("formatText", () => {
  it("quotes the excerpt, then [n] title ¶paragraph, without marking highlights", () => {
    expect(formatText(answer([citation()]))).toBe(
      "> The lighthouse reopened on Tuesday.\n[1] Lighthouse Reopens After Storm ¶2\n",
    );
  });

  it("adds the article's source and date to its source line", () => {
    const dated = citation({ source: "The Coastal Herald", published: "2026-03-14T07:30:00Z" });
    expect(formatText(answer([dated]))).toBe(
      "> The lighthouse reopened on Tuesday.\n[1] Lighthouse Reopens After Storm ¶2 · The Coastal Herald · 14 Mar 2026\n",
    );
  });

  it("says a low-confidence answer may answer it, before the quote", () => {
    expect(formatText(answer([citation()], undefined, "low"))).toBe(
      "This may answer it:\n> The lighthouse reopened on Tuesday.\n[1] Lighthouse Reopens After Storm ¶2\n",
    );
  });

  it("adds the URL when the article has one, and numbers citations, a blank line apart", () => {
    const text = formatText(
      answer([
        citation({ url: "https://example.com/storm" }),
        citation({
          articleId: "tours",
          title: "Tours Resume",
          paragraph: 1,
          excerpt: "Tours resume.",
        }),
      ]),
    );
    expect(text).toBe(
      [
        "> The lighthouse reopened on Tuesday.",
        "[1] Lighthouse Reopens After Storm ¶2",
        "    https://example.com/storm",
        "",
        "> Tours resume.",
        "[2] Tours Resume ¶1",
        "",
      ].join("\n"),
    );
  });

  it("quotes every line of a multi-line excerpt", () => {
    const text = formatText(answer([citation({ excerpt: "First line.\r\nSecond line." })]));
    expect(text.split("\n").slice(0, 2)).toEqual(["> First line.", "> Second line."]);
  });

  it("says there is no answer, echoing the question", () => {
    expect(formatText(answer([], "What is the capital of Australia?"))).toBe(
      'No answer in the articles for: "What is the capital of Australia?"\n',
    );
  });

  it("echoes a long question on one line, cut with an ellipsis", () => {
    const text = formatText(answer([], `${"why ".repeat(10_000)}\n?`));
    const echoed = text.slice(text.indexOf('"') + 1, text.lastIndexOf('"'));
    expect(Array.from(echoed)).toHaveLength(MAX_ECHOED_QUESTION_CHARS);
    expect(echoed.endsWith("…")).toBe(true);
    expect(text.split("\n")).toHaveLength(2);
  });

  it("replaces control characters, so article text cannot drive the terminal", () => {
    const text = formatText(
      answer([citation({ title: "Bad\u001b[31mTitle", excerpt: "Red\u001b]0;pwned\u0007 text." })]),
    );
    expect(text.replaceAll("\n", "")).not.toMatch(/\p{Cc}/u);
    expect(text).toContain("> Red\uFFFD]0;pwned\uFFFD text.");
    expect(text).toContain("[1] Bad\uFFFD[31mTitle ¶2");
  });
});
