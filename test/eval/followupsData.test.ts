import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readFollowUps } from "../../src/eval/followupsData.js";
import { readerLibrary } from "../../src/eval/readersData.js";
import { SUMMARY_FILES } from "../../src/eval/summaryData.js";

/** The datasets folder, where `npm run eval:followups` reads the BBC articles from. */
const DATASETS = fileURLToPath(new URL("../../../shared/datasets", import.meta.url));
const HAS_BBC = existsSync(`${DATASETS}/${SUMMARY_FILES.bbc}`);

describe("the follow-up conversations (test/fixtures/followups.json)", () => {
  const conversations = readFollowUps();
  const turns = conversations.flatMap((c) => c.turns);

  it("holds at least 60 conversations of 2 to 4 turns, in both halves", () => {
    expect(conversations.length).toBeGreaterThanOrEqual(60);
    for (const { turns } of conversations) {
      expect(turns.length).toBeGreaterThanOrEqual(2);
      expect(turns.length).toBeLessThanOrEqual(4);
    }
    const tune = conversations.filter((c) => c.half === "tune").length;
    expect(tune).toBeGreaterThan(conversations.length / 3);
    expect(tune).toBeLessThan((2 * conversations.length) / 3);
  });

  it("keeps the conversations about one article in one half", () => {
    const halves = new Map<string, Set<string>>();
    for (const { turns, half } of conversations) {
      const article = turns[0]?.article ?? "";
      halves.set(article, (halves.get(article) ?? new Set()).add(half));
    }
    for (const [article, seen] of halves) expect(seen.size, article).toBe(1);
  });

  it("marks subject changes on later turns only, and has some", () => {
    expect(conversations.every((c) => !c.turns[0]?.changesSubject)).toBe(true);
    expect(turns.filter((t) => t.changesSubject).length).toBeGreaterThan(0);
  });

  it("says which conversation and turn is malformed", () => {
    const bad = JSON.stringify({
      conversations: [{ turns: [{ q: "a?", article: "x", paragraph: 1, expect: "x" }, { q: 1 }] }],
    });
    expect(() => readFollowUps(bad)).toThrow(/conversation 1 turn 2/);
    expect(() => readFollowUps("{}")).toThrow(/no conversations/);
    expect(() => readFollowUps('{"conversations":[{"turns":[]}]}')).toThrow(/2 to 4 turns/);
  });

  // The articles are not in the repository: checked where the datasets folder is.
  it.skipIf(!HAS_BBC)("points every turn at a paragraph that holds its expected text", async () => {
    const library = new Map((await readerLibrary(DATASETS)).map((a) => [a.id, a]));
    const wrong = turns.flatMap((t) => {
      const text = library.get(t.article)?.paragraphs[t.paragraph - 1];
      return text?.includes(t.expect) ? [] : [`${t.q} (${t.article} ¶${t.paragraph})`];
    });
    expect(wrong).toEqual([]);
  });
});
