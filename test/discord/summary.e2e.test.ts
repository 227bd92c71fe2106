/**
 * `/summary` end to end: the real discord.js client, logged in to the fake Discord server,
 * summarizing the project's articles. Each test asks as a new user, so the cooldown /summary
 * shares with /ask does not carry from one test to the next.
 */
import { type APIEmbed, ApplicationCommandOptionType, InteractionResponseType } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NO_TOPIC_TEXT } from "../../src/discord/format/format.js";
import type { MessageBody } from "../support/fakeDiscord.js";
import { embedText, type Harness, isEphemeral, startHarness } from "./botHarness.js";
import { assertChoicesWithinLimits, assertMessageWithinLimits } from "./limitsAssert.js";

const SEED_ID = "kremlin-putin-message-trump-ceasefire";
const SEED_TITLE_START = "Kremlin Confirms Putin’s Message to Trump";

let h: Harness;
let seedParagraphs: number;

beforeAll(async () => {
  h = await startHarness();
  seedParagraphs = h.services.summaries.getArticle(SEED_ID)?.paragraphs.length ?? 0;
});

afterAll(async () => {
  await h?.stop();
});

function summary(options: Record<string, string | number>, user = h.newUser()) {
  return h.fake.sendSlashCommand({ name: "summary", options, user });
}

/** The numbered lines of the one embed of a reply. */
function numbered(reply: MessageBody): string[] {
  const [embed] = reply.embeds ?? [];
  return (embed?.description ?? "").split("\n").filter((line) => /^\d+\. /.test(line));
}

const field = (embed: APIEmbed | undefined, name: string) =>
  embed?.fields?.find((f) => f.name === name)?.value;

describe("/summary on the fake Discord", () => {
  it("is registered with article (autocomplete), topic (200 at most) and sentences (1-10)", () => {
    const registered = h.fake.registeredCommands(h.fake.guild.id);
    const options = registered.find((command) => command.name === "summary")?.options;

    expect(options).toEqual([
      expect.objectContaining({
        name: "article",
        type: ApplicationCommandOptionType.String,
        autocomplete: true,
      }),
      expect.objectContaining({
        name: "topic",
        type: ApplicationCommandOptionType.String,
        max_length: 200,
      }),
      expect.objectContaining({
        name: "sentences",
        type: ApplicationCommandOptionType.Integer,
        min_value: 1,
        max_value: 10,
      }),
    ]);
    for (const option of options ?? []) expect(option).not.toHaveProperty("required", true);
  });

  it("summarizes an article in 3 numbered sentences, each citing a paragraph it has", async () => {
    const handle = summary({ article: SEED_ID });

    const reply = await handle.final();

    expect(handle.responseType).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(isEphemeral(reply)).toBe(false);
    const [embed] = reply.embeds ?? [];
    expect(embed?.title).toContain(SEED_TITLE_START);
    const lines = numbered(reply);
    expect(lines).toHaveLength(3);
    lines.forEach((line, i) => {
      const match = /^(\d+)\. .+ \(¶(\d+)\)$/.exec(line);
      expect(match?.[1]).toBe(String(i + 1));
      const paragraph = Number(match?.[2]);
      expect(paragraph).toBeGreaterThanOrEqual(1);
      expect(paragraph).toBeLessThanOrEqual(seedParagraphs);
    });
    expect(field(embed, "People")).toContain("Vladimir Putin");
    expect(reply.allowed_mentions).toEqual({ parse: [] });
    assertMessageWithinLimits(reply);
    expect(await h.logs.eventLine(handle.id)).toMatchObject({
      command: "summary",
      outcome: "ok",
    });
  });

  it("gives as many sentences as asked", async () => {
    const one = await summary({ article: SEED_ID, sentences: 1 }).final();
    const five = await summary({ article: SEED_ID, sentences: 5 }).final();

    expect(numbered(one)).toHaveLength(1);
    expect(numbered(five)).toHaveLength(5);
  });

  it("summarizes a topic, citing each sentence with its article title and paragraph", async () => {
    const handle = summary({ topic: "ceasefire monitoring" });

    const reply = await handle.final();

    expect(reply.embeds?.[0]?.title).toBe("Summary: ceasefire monitoring");
    const lines = numbered(reply);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThanOrEqual(3);
    for (const line of lines) {
      expect(line).toMatch(new RegExp(`\\(${SEED_TITLE_START}.* ¶\\d+\\)$`));
    }
    expect(embedText(reply.embeds)).toContain("monitoring compliance");
    assertMessageWithinLimits(reply);
    expect((await h.logs.eventLine(handle.id)).outcome).toBe("ok");
  });

  it("says so when no article covers the topic", async () => {
    const handle = summary({ topic: "the capital of Australia" });

    const reply = await handle.final();

    expect(reply.embeds?.[0]?.description).toBe(NO_TOPIC_TEXT);
    expect((await h.logs.eventLine(handle.id)).outcome).toBe("abstained");
  });

  it("asks for exactly one of article and topic, to the asker only", async () => {
    const neither = summary({ sentences: 2 });
    const both = summary({ article: SEED_ID, topic: "ceasefire" });

    for (const handle of [neither, both]) {
      const reply = await handle.final();
      expect(reply.content).toContain("Give either an article or a topic");
      expect(isEphemeral(reply)).toBe(true);
      expect(handle.responseType).toBe(InteractionResponseType.ChannelMessageWithSource);
      expect((await h.logs.eventLine(handle.id)).outcome).toBe("invalid");
    }
  });

  it("names an unknown article, and asks for a topic in words, to the asker only", async () => {
    const unknown = summary({ article: "no-such-article" });
    const empty = summary({ topic: "?!" });

    const unknownReply = await unknown.final();
    const emptyReply = await empty.final();

    expect(unknownReply.content).toContain('No article has the id "no-such-article"');
    expect(emptyReply.content).toContain("Give the topic in words");
    for (const handle of [unknown, empty]) {
      expect(isEphemeral(handle.followups()[0] ?? {})).toBe(true);
      expect(handle.message()).toBeUndefined(); // the public "thinking…" is gone
      expect((await h.logs.eventLine(handle.id)).outcome).toBe("invalid");
    }
  });

  it("completes the article option from titles and ids", async () => {
    const reply = await h.fake
      .sendAutocomplete({ name: "summary", focused: { name: "article", value: "kremlin" } })
      .final();

    const choices = (reply.choices ?? []) as { name: string; value: string }[];
    expect(choices).toEqual([
      { name: expect.stringContaining("Kremlin Confirms"), value: SEED_ID },
    ]);
    assertChoicesWithinLimits(choices);
  });

  it("counts against the /ask cooldown: a sixth request in a minute is refused", async () => {
    const user = h.newUser();
    const asks = Array.from({ length: 4 }, () =>
      h.fake.sendSlashCommand({
        name: "ask",
        options: { question: "How long would the ceasefire last?" },
        user,
      }),
    );
    await Promise.all([...asks, summary({ article: SEED_ID }, user)].map((x) => x.final()));

    const sixth = summary({ topic: "ceasefire" }, user);
    const refused = await sixth.final();

    expect(refused.content).toMatch(/You can ask again <t:\d+:R>/);
    expect(isEphemeral(refused)).toBe(true);
    expect((await h.logs.eventLine(sixth.id)).outcome).toBe("cooldown");
  });
});
