import type { APIEmbed } from "discord.js";
import { describe, expect, it } from "vitest";
import {
  articleSummaryEmbed,
  COLORS,
  LIMITS,
  NO_TOPIC_TEXT,
  topicSummaryEmbed,
} from "../../../src/discord/format/format.js";
import type { ArticleSummary, KeyEntities, TopicSummary } from "../../../src/summary/types.js";
import { assertNoLiveMentions, assertWithinLimits, embedTexts } from "../limitsAssert.js";

const TITLE =
  "Kremlin Confirms Putin’s Message to Trump on Ukraine Ceasefire, Expresses Cautious Optimism";
const URL = "https://example.com/news/kremlin-ceasefire";
const NO_ENTITIES: KeyEntities = { people: [], places: [], organizations: [] };

function articleSummary(overrides: Partial<ArticleSummary> = {}): ArticleSummary {
  return {
    articleId: "kremlin-putin-message-trump-ceasefire",
    title: TITLE,
    sentences: [
      { text: "The Kremlin has confirmed that Putin sent a message to Trump.", paragraph: 1 },
      { text: "Peskov said there are grounds for cautious optimism.", paragraph: 3 },
      { text: "The proposal calls for a 30-day halt to fighting.", paragraph: 4 },
    ],
    entities: {
      people: ["Vladimir Putin", "Donald Trump", "Dmitry Peskov"],
      places: ["Russia", "Ukraine"],
      organizations: [],
    },
    ...overrides,
  };
}

function topicSummary(overrides: Partial<TopicSummary> = {}): TopicSummary {
  return {
    topic: "ceasefire monitoring",
    sentences: [
      {
        text: "Putin raised the mechanisms for monitoring compliance.",
        articleId: "kremlin",
        title: TITLE,
        paragraph: 5,
      },
      {
        text: "Observers would monitor the front line.",
        articleId: "observers",
        title: "Observers ready",
        paragraph: 2,
      },
    ],
    entities: { people: ["Putin"], places: [], organizations: ["OSCE"] },
    ...overrides,
  };
}

/** The lines of an embed's description. */
const lines = (embed: APIEmbed) => (embed.description ?? "").split("\n");

/** `text` repeated and cut to exactly `length` characters. */
const repeatTo = (text: string, length: number) =>
  text.repeat(Math.ceil(length / text.length)).slice(0, length);

describe("articleSummaryEmbed", () => {
  it("lists the sentences numbered, each ending with its paragraph, under the title", () => {
    const embed = articleSummaryEmbed(articleSummary());

    expect(embed.title).toBe(TITLE);
    expect(embed.url).toBeUndefined();
    expect(lines(embed)).toEqual([
      "1. The Kremlin has confirmed that Putin sent a message to Trump. (¶1)",
      "2. Peskov said there are grounds for cautious optimism. (¶3)",
      "3. The proposal calls for a 30-day halt to fighting. (¶4)",
    ]);
    expect(embed.color).toBe(COLORS.answer);
    expect(embed.footer?.text).toBe("3 sentences from the article, as written");
    assertWithinLimits([embed]);
  });

  it("names the key entities as inline fields, leaving empty kinds out", () => {
    const embed = articleSummaryEmbed(articleSummary());

    expect(embed.fields).toEqual([
      { name: "People", value: "Vladimir Putin, Donald Trump, Dmitry Peskov", inline: true },
      { name: "Places", value: "Russia, Ukraine", inline: true },
    ]);
    expect(articleSummaryEmbed(articleSummary({ entities: NO_ENTITIES })).fields).toBeUndefined();
  });

  it("shows five names of a kind at most", () => {
    const people = ["A One", "B Two", "C Three", "D Four", "E Five", "F Six", "G Seven"];
    const embed = articleSummaryEmbed(articleSummary({ entities: { ...NO_ENTITIES, people } }));

    expect(embed.fields?.[0]?.value).toBe("A One, B Two, C Three, D Four, E Five");
  });

  it("links the title and every citation to the article when its URL is safe", () => {
    const embed = articleSummaryEmbed(articleSummary(), {
      url: URL,
      published: "2025-03-14",
      source: "Reuters",
    });

    expect(embed.url).toBe(URL);
    expect(lines(embed).map((line) => line.slice(line.lastIndexOf(" (")))).toEqual([
      ` ([¶1](${URL}))`,
      ` ([¶3](${URL}))`,
      ` ([¶4](${URL}))`,
    ]);
    expect(embed.footer?.text).toBe(
      "Reuters · 2025-03-14 · 3 sentences from the article, as written",
    );
  });

  it("links nothing to a URL that is not plain http(s)", () => {
    for (const url of ["javascript:alert(1)", "https://example.com/a)(b", "ftp://example.com/x"]) {
      const embed = articleSummaryEmbed(articleSummary(), { url });

      expect(embed.url).toBeUndefined();
      expect(embed.description).not.toContain("](");
    }
  });

  it("says so when the article has no sentences", () => {
    const embed = articleSummaryEmbed(articleSummary({ sentences: [], entities: NO_ENTITIES }));

    expect(embed.description).toBe("*(This article has no sentences to summarize.)*");
    expect(embed.footer?.text).toBe("0 sentences from the article, as written");
    assertWithinLimits([embed]);
  });

  it("escapes markdown and stops mentions in the title, sentences and names", () => {
    const embed = articleSummaryEmbed(
      articleSummary({
        title: "**Breaking** @everyone [read](https://evil.example)",
        sentences: [
          { text: "Hi @here <@123456789012345678> and <#123456789012345678>.", paragraph: 1 },
          { text: "1. Not a list, __not underlined__ and ||no spoiler||.", paragraph: 2 },
          { text: "[click](https://evil.example) now", paragraph: 3 },
        ],
        entities: { ...NO_ENTITIES, people: ["*Star* <@&123456789012345678>"] },
      }),
      { url: URL },
    );

    const texts = embedTexts([embed]);
    assertNoLiveMentions(texts);
    expect(embed.title).toBe(
      "\\*\\*Breaking\\*\\* @\u200beveryone \\[read\\]\\(https://evil.example\\)",
    );
    expect(texts.join("\n")).not.toContain("](https://evil.example)");
    expect(lines(embed)[1]).toBe(
      `2. 1\\. Not a list, \\_\\_not underlined\\_\\_ and \\|\\|no spoiler\\|\\|. ([¶2](${URL}))`,
    );
    expect(embed.fields?.[0]?.value).toBe("\\*Star\\* <\u200b@&123456789012345678>");
  });

  it("stays within Discord's limits with huge titles, sentences, names and footer", () => {
    const huge = repeatTo("Lighthouse keeper extraordinarily luminous beacon ", 20_000);
    const names = Array.from({ length: 50 }, (_, i) => `${i} ${huge}`);
    const embed = articleSummaryEmbed(
      articleSummary({
        title: huge,
        sentences: Array.from({ length: 10 }, (_, i) => ({ text: huge, paragraph: i + 1 })),
        entities: { people: names, places: names, organizations: names },
      }),
      { url: `https://example.com/${"a".repeat(500)}`, source: huge, published: huge },
    );

    assertWithinLimits([embed]);
    // Every sentence is shown, cut, with its citation; no link: ten of them do not fit.
    expect(lines(embed)).toHaveLength(10);
    lines(embed).forEach((line, i) => {
      expect(line).toMatch(new RegExp(`^${i + 1}\\. Lighthouse .*… \\(¶${i + 1}\\)$`));
    });
    expect(embed.title?.length).toBeLessThanOrEqual(LIMITS.embedTitle);
  });

  it("ends a list too long for one message with how many sentences are left out", () => {
    const sentence = repeatTo("The council met again about the harbour ferries. ", 300);
    const embed = articleSummaryEmbed(
      articleSummary({
        sentences: Array.from({ length: 100 }, (_, i) => ({ text: sentence, paragraph: i + 1 })),
      }),
    );

    assertWithinLimits([embed]);
    expect(lines(embed).at(-1)).toMatch(/^…and \d+ more$/);
  });
});

describe("topicSummaryEmbed", () => {
  it("titles the topic and cites each sentence with its article title and paragraph", () => {
    const embed = topicSummaryEmbed(topicSummary());

    expect(embed.title).toBe("Summary: ceasefire monitoring");
    expect(lines(embed)).toEqual([
      `1. Putin raised the mechanisms for monitoring compliance. (${TITLE} ¶5)`,
      "2. Observers would monitor the front line. (Observers ready ¶2)",
    ]);
    expect(embed.fields).toEqual([
      { name: "People", value: "Putin", inline: true },
      { name: "Organizations", value: "OSCE", inline: true },
    ]);
    expect(embed.footer?.text).toBe("2 sentences from 2 articles, as written");
    assertWithinLimits([embed]);
  });

  it("links citations to the articles whose URLs it is given", () => {
    const urls: Record<string, string> = { kremlin: URL, observers: "https://example.com/obs" };
    const embed = topicSummaryEmbed(topicSummary(), (id) => ({ url: urls[id] }));

    expect(lines(embed)[1]).toBe(
      "2. Observers would monitor the front line. ([Observers ready ¶2](https://example.com/obs))",
    );
  });

  it("says no article covers a topic nothing matched", () => {
    const embed = topicSummaryEmbed(topicSummary({ sentences: [], entities: NO_ENTITIES }));

    expect(embed.title).toBe("Summary: ceasefire monitoring");
    expect(embed.description).toBe(NO_TOPIC_TEXT);
    expect(embed.color).toBe(COLORS.abstain);
    expect(embed.fields).toBeUndefined();
    assertWithinLimits([embed]);
  });

  it("escapes the topic and the titles it cites", () => {
    const embed = topicSummaryEmbed(
      topicSummary({
        topic: "@everyone **ceasefire**",
        sentences: [
          { text: "Fine.", articleId: "x", title: "<@123456789012345678> [x](y)", paragraph: 1 },
        ],
      }),
    );

    assertNoLiveMentions(embedTexts([embed]));
    expect(embed.title).toBe("Summary: @\u200beveryone \\*\\*ceasefire\\*\\*");
    expect(embed.description).toBe("1. Fine. (<\u200b@123456789012345678> \\[x\\]\\(y\\) ¶1)");
  });

  it("stays within Discord's limits with a huge topic, titles and sentences", () => {
    const huge = repeatTo("ceasefire monitoring compliance observers ", 20_000);
    const embed = topicSummaryEmbed(
      topicSummary({
        topic: huge,
        sentences: Array.from({ length: 10 }, (_, i) => ({
          text: huge,
          articleId: `a${i}`,
          title: huge,
          paragraph: 300 + i,
        })),
      }),
      () => ({ url: URL }),
    );

    assertWithinLimits([embed]);
    expect(lines(embed)).toHaveLength(10);
    expect(lines(embed)[9]).toMatch(/^10\. ceasefire .*… \(\[ceasefire .*… ¶309\]\(https:/);
    const empty = topicSummaryEmbed(topicSummary({ topic: huge, sentences: [] }));
    assertWithinLimits([empty]);
    expect(empty.title?.startsWith("Summary: ceasefire")).toBe(true);
  });
});
