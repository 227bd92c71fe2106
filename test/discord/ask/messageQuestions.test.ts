import { describe, expect, it } from "vitest";
import { questionIn } from "../../../src/discord/ask/messageQuestions.js";

const BOT = "123456789012345678";

describe("questionIn", () => {
  it("takes the text around a written mention of the bot as the question", () => {
    expect(questionIn(`<@${BOT}> How long  would the ceasefire last?`, BOT, false)).toEqual({
      askedBy: "mention",
      question: "How long would the ceasefire last?",
    });
    expect(questionIn(`who is Peskov <@!${BOT}>`, BOT, false)?.question).toBe("who is Peskov");
  });

  it("gives an empty question for a mention without words", () => {
    expect(questionIn(`<@${BOT}> ?!`, BOT, false)).toEqual({ askedBy: "mention", question: "" });
  });

  it("ignores mentions of others, and messages without a mention outside Q&A channels", () => {
    expect(questionIn("<@987654321098765432> what now?", BOT, false)).toBeUndefined();
    expect(questionIn("What did Putin say?", BOT, false)).toBeUndefined();
  });

  it("in a Q&A channel, takes messages that end with a question mark", () => {
    expect(questionIn("What did Putin say? ", BOT, true)).toEqual({
      askedBy: "qa-channel",
      question: "What did Putin say?",
    });
    expect(questionIn("Putin said something.", BOT, true)).toBeUndefined();
    expect(questionIn("???", BOT, true)).toBeUndefined();
  });
});
