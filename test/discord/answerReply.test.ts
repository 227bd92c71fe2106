import { describe, expect, it } from "vitest";
import { parseMoreSources } from "../../src/discord/answerReply.js";

describe("parseMoreSources", () => {
  it("reads the cache key and offset of a More sources custom_id", () => {
    expect(parseMoreSources("ask:more:u5asZ5QZ:3")).toEqual({ key: "u5asZ5QZ", offset: 3 });
  });

  it("refuses anything else", () => {
    for (const id of [
      "ask:more",
      "ask:more:key",
      "ask:more:key:x",
      "ask:more:a:b:3",
      "ask:more::3",
    ]) {
      expect(parseMoreSources(id)).toBeUndefined();
    }
  });
});
