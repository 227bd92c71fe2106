/**
 * A low-confidence answer end to end: the bot's answer service is set so that every answer is
 * uncertain (its confident threshold is out of reach), as a reader's paraphrase may be. The
 * member sees the excerpt under "This may answer it:", a moderator can still pin it, and
 * `/unanswered` lists the question as answered uncertainly.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AnswerService } from "../../src/answer/answerService.js";
import { PIN_ANSWER_ID } from "../../src/discord/pins/pinning.js";
import { loadWordNet } from "../../src/lexicon/wordnet.js";
import {
  askAsNewUser,
  customIds,
  embedText,
  type Harness,
  seedServices,
  startHarness,
} from "./botHarness.js";

const CEASEFIRE = "How long would the ceasefire last?";
let h: Harness;

beforeAll(async () => {
  const seed = await seedServices();
  const answers = new AnswerService(seed.corpus.articles, {
    thesaurus: loadWordNet(),
    confidence: { highShare: 1.01 },
  });
  h = await startHarness({ services: { ...seed, answers } });
});

afterAll(async () => {
  await h?.stop();
});

describe("an uncertain answer", () => {
  it("quotes the excerpt under 'This may answer it:', with the Pin button", async () => {
    const { reply } = await askAsNewUser(h, CEASEFIRE);
    const [embed] = reply.embeds ?? [];
    expect(
      embed?.description?.startsWith("This may answer it:\n> The **ceasefire** proposal"),
    ).toBe(true);
    expect(embedText(reply.embeds)).toContain("30-day halt");
    expect(customIds(reply)).toContain(PIN_ANSWER_ID);
  });

  it("is listed for the moderators with the unanswered questions, as answered uncertainly", async () => {
    await askAsNewUser(h, "How long is the ceasefire going to last?");
    const list = await h.fake
      .sendSlashCommand({ name: "unanswered", role: "moderator", user: h.newUser() })
      .final();
    expect(embedText(list.embeds)).toMatch(
      /“How long is the ceasefire going to last\?” · <#\d+> · <t:\d+:R> · answered uncertainly/,
    );
  });
});
