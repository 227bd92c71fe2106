import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  READER_FILES,
  readOffTopicQuestions,
  readReaderQuestions,
} from "../../src/eval/readersData.js";

const dir = mkdtempSync(path.join(tmpdir(), "newsdesk-readers-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const line = (article: string, q: string, kind = "lexical") =>
  JSON.stringify({ q, article, paragraph: 2, expect: "x", kind });

mkdirSync(path.join(dir, "reader-questions"));
writeFileSync(
  path.join(dir, READER_FILES.questions),
  [
    line("business/001", "a?"),
    line("business/001", "b?", "paraphrase"),
    line("sport/002", "c?"),
    line("sport/002", "d?"),
    line("tech/003", "e?"),
  ].join("\n"),
);
writeFileSync(
  path.join(dir, READER_FILES.offTopic),
  ['{"q": "one?", "expect": null}', '{"q": "two?", "expect": null}', ""].join("\n"),
);

describe("reader questions", () => {
  it("puts both questions of an article in the same half, articles alternating", () => {
    const questions = readReaderQuestions(dir);
    expect(questions.map((q) => [q.article, q.half])).toEqual([
      ["business/001", "tune"],
      ["business/001", "tune"],
      ["sport/002", "check"],
      ["sport/002", "check"],
      ["tech/003", "tune"],
    ]);
    expect(questions[1]).toMatchObject({ q: "b?", kind: "paraphrase", paragraph: 2 });
  });

  it("alternates the off-topic questions between the halves", () => {
    expect(readOffTopicQuestions(dir)).toEqual([
      { q: "one?", half: "tune" },
      { q: "two?", half: "check" },
    ]);
  });
});
