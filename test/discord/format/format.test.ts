import { type APIEmbed, embedLength as discordEmbedLength } from "discord.js";
import { describe, expect, it } from "vitest";
import type { Answer, Citation } from "../../../src/answer/types.js";
import {
  abstainEmbeds,
  answerEmbeds,
  articleListEmbed,
  COLORS,
  choice,
  cooldownContent,
  embedLength,
  errorContent,
  fitEmbeds,
  helpEmbed,
  LIMITS,
  paragraphEmbed,
} from "../../../src/discord/format/format.js";
import { pageOf } from "../../../src/page.js";
import {
  assertChoicesWithinLimits,
  assertMessageWithinLimits,
  assertNoLiveMentions,
  assertWithinLimits,
  embedTexts,
} from "../limitsAssert.js";

const ZWSP = "\u200b";
const TITLE =
  "Kremlin Confirms Putin’s Message to Trump on Ukraine Ceasefire, Expresses Cautious Optimism";
const URL = "https://example.com/news/kremlin-ceasefire";

/** [start, end) of each word in `text` (its first occurrence), as the retrieval core marks them. */
function marks(text: string, ...words: string[]): [number, number][] {
  return words.map((word) => {
    const start = text.indexOf(word);
    if (start < 0) throw new Error(`"${word}" is not in "${text}"`);
    return [start, start + word.length];
  });
}

function citation(overrides: Partial<Citation> = {}): Citation {
  const excerpt =
    "The ceasefire proposal, jointly agreed upon by the US and Ukraine in recent negotiations in Saudi Arabia, calls for a 30-day halt to fighting.";
  return {
    articleId: "kremlin-putin-message-trump-ceasefire",
    title: TITLE,
    url: URL,
    paragraph: 4,
    score: 4.2,
    excerpt,
    highlights: marks(excerpt, "ceasefire", "30-day"),
    text: `${excerpt} It focuses on humanitarian measures.`,
    ...overrides,
  };
}

/** The seed article's answer to "How long would the ceasefire last?", by hand. */
function seedAnswer(): Answer {
  const second =
    "The Kremlin has confirmed that Russian President Vladimir Putin sent a message to US President Donald Trump regarding a proposed ceasefire in Ukraine.";
  const third =
    "He specifically raised concerns about the status of Ukrainian forces in Russia’s Kursk region, the potential for Ukraine to use the ceasefire period to mobilize new troops, and the mechanisms for monitoring compliance.";
  return {
    question: "How long would the ceasefire last?",
    answered: true,
    confidence: "high",
    citations: [
      citation(),
      citation({
        paragraph: 1,
        score: 2.1,
        excerpt: second,
        highlights: marks(second, "ceasefire"),
      }),
      citation({ paragraph: 5, score: 1.7, excerpt: third, highlights: marks(third, "ceasefire") }),
    ],
  };
}

describe("answerEmbeds", () => {
  it("says a low-confidence answer may answer it, in a paler colour", () => {
    const [embed] = answerEmbeds({
      answer: { ...seedAnswer(), confidence: "low" },
      articlesSearched: 1,
    });
    const [sure] = answerEmbeds({ answer: seedAnswer(), articlesSearched: 1 });
    expect(embed?.description).toBe(`This may answer it:\n${sure?.description}`);
    expect(embed?.color).toBe(COLORS.uncertain);
    expect(sure?.color).toBe(COLORS.answer);
  });

  it("renders the seed answer: question, quoted excerpt in bold, sources, further excerpts", () => {
    const embeds = answerEmbeds({ answer: seedAnswer(), articlesSearched: 1 });
    expect(embeds).toEqual([
      {
        title: "How long would the ceasefire last?",
        description: [
          "> The **ceasefire** proposal, jointly agreed upon by the US and Ukraine in recent negotiations in Saudi Arabia, calls for a **30-day** halt to fighting.",
          "",
          "**Sources**",
          `\\[1\\] [${TITLE} ¶4](${URL})`,
          `\\[2\\] [${TITLE} ¶1](${URL})`,
          `\\[3\\] [${TITLE} ¶5](${URL})`,
        ].join("\n"),
        color: COLORS.answer,
        fields: [
          {
            name: `\\[2\\] ${TITLE} ¶1`,
            value:
              "> The Kremlin has confirmed that Russian President Vladimir Putin sent a message to US President Donald Trump regarding a proposed **ceasefire** in Ukraine.",
          },
          {
            name: `\\[3\\] ${TITLE} ¶5`,
            value:
              "> He specifically raised concerns about the status of Ukrainian forces in Russia’s Kursk region, the potential for Ukraine to use the **ceasefire** period to mobilize new troops, and the mechanisms for monitoring compliance.",
          },
        ],
        footer: { text: "Searched 1 article" },
      },
    ]);
  });

  it("says articles in the plural, and shows which sources a page holds", () => {
    const [embed] = answerEmbeds({
      answer: seedAnswer(),
      articlesSearched: 1204,
      offset: 1,
      count: 1,
    });
    expect(embed?.footer?.text).toBe("Searched 1,204 articles · source 2 of 3");
    expect(embed?.description).toMatch(/^> The Kremlin has confirmed/);
    expect(embed?.description?.split("\n").slice(-1)).toEqual([`\\[2\\] [${TITLE} ¶1](${URL})`]);
    expect(embed?.fields).toBeUndefined();
    const [firstTwo] = answerEmbeds({ answer: seedAnswer(), articlesSearched: 0, count: 2 });
    expect(firstTwo?.footer?.text).toBe("Searched 0 articles · sources 1–2 of 3");
    // Out-of-range offsets and counts are clamped: the last citation, alone.
    const [last] = answerEmbeds({ answer: seedAnswer(), articlesSearched: 1, offset: 9, count: 0 });
    expect(last?.footer?.text).toBe("Searched 1 article · source 3 of 3");
  });

  it("bolds the highlights and escapes the text around them, ranges counted on the raw excerpt", () => {
    const excerpt = "Prices *rose* to $5_000 in [Q1](x), up 30%.";
    const answer: Answer = {
      question: "q",
      answered: true,
      confidence: "high",
      citations: [citation({ excerpt, highlights: marks(excerpt, "rose", "Q1", "30%") })],
    };
    const description = answerEmbeds({ answer, articlesSearched: 1 })[0]?.description ?? "";
    expect(description.split("\n")[0]).toBe(
      "> Prices \\***rose**\\* to $5\\_000 in \\[**Q1**\\]\\(x\\), up **30%**.",
    );
  });

  it("merges close highlights, ignores bad ones, and reopens bold after a line break", () => {
    const excerpt = "first line\r\nsecond 😀 line";
    const highlights: [number, number][] = [
      [6, 10], // "line"
      [8, 18], // overlaps it, runs over the line break into "second"
      [-5, 0], // empty after clamping
      [20, 21], // the second half of the emoji: widened to all of it
      [22, 200], // "line", and past the end
      [Number.NaN, 3],
    ];
    const answer: Answer = {
      question: "q",
      answered: true,
      confidence: "high",
      citations: [citation({ excerpt, highlights })],
    };
    const description = answerEmbeds({ answer, articlesSearched: 1 })[0]?.description ?? "";
    expect(description.split("\n").slice(0, 2)).toEqual([
      "> first **line**",
      "> **second 😀 line**", // highlights only a space apart make one bold
    ]);
  });

  it("links only plain http(s) URLs without parentheses or white space", () => {
    const bad = [
      "javascript:alert(1)",
      "https://example.com/a)b",
      "https://example.com/a b",
      "ftp://example.com/x",
    ];
    const answer: Answer = {
      question: "q",
      answered: true,
      confidence: "high",
      citations: bad.map((url, i) => citation({ url, paragraph: i + 1 })),
    };
    const [embed] = answerEmbeds({ answer, articlesSearched: 1, count: 4 });
    const sources = embed?.description?.split("**Sources**\n")[1];
    expect(sources).toBe([1, 2, 3, 4].map((n) => `\\[${n}\\] ${TITLE} ¶${n}`).join("\n"));
    expect(embedTexts([embed as APIEmbed]).join("\n")).not.toMatch(/\]\(/);
  });

  it("follows each source with its article's source and date, escaped", () => {
    const answer: Answer = {
      question: "q",
      answered: true,
      confidence: "high",
      citations: [
        citation({ source: "*Daily* Post @everyone", published: "2025-03-03T09:00:00Z" }),
        citation({ paragraph: 1, published: "2025-03-04" }),
        citation({ paragraph: 2 }),
      ],
    };
    const [embed] = answerEmbeds({ answer, articlesSearched: 1 });
    const sources = embed?.description?.split("**Sources**\n")[1]?.split("\n");
    expect(sources).toEqual([
      `\\[1\\] [${TITLE} ¶4](${URL}) · \\*Daily\\* Post @${ZWSP}everyone · 3 Mar 2025`,
      `\\[2\\] [${TITLE} ¶1](${URL}) · 4 Mar 2025`,
      `\\[3\\] [${TITLE} ¶2](${URL})`,
    ]);
    assertNoLiveMentions(embedTexts([embed as APIEmbed]));
    assertMessageWithinLimits({ embeds: [embed as APIEmbed] });
  });

  it("escapes titles in links and field names", () => {
    const title = "**Breaking**: [Kyiv](https://evil.example) _talks_ ~~off~~";
    const answer: Answer = {
      question: "q",
      answered: true,
      confidence: "high",
      citations: [citation({ title }), citation({ title, paragraph: 5 })],
    };
    const [embed] = answerEmbeds({ answer, articlesSearched: 1 });
    const escaped =
      "\\*\\*Breaking\\*\\*: \\[Kyiv\\]\\(https://evil.example\\) \\_talks\\_ \\~\\~off\\~\\~";
    expect(embed?.description).toContain(`\\[1\\] [${escaped} ¶4](${URL})`);
    expect(embed?.fields?.[0]?.name).toBe(`\\[2\\] ${escaped} ¶5`);
  });

  it("cannot ping from the question, the titles or the excerpts", () => {
    const question = "@everyone <@123> <@&456> <#789> @here when is the ceasefire?";
    const excerpt = "Ping @everyone and <@123> about the ceasefire.";
    const answer: Answer = {
      question,
      answered: true,
      confidence: "high",
      citations: [
        citation({ title: "@here news <@&456>", excerpt, highlights: marks(excerpt, "ceasefire") }),
        citation({ title: "<@123>", excerpt, highlights: [] }),
      ],
    };
    const embeds = answerEmbeds({ answer, articlesSearched: 1 });
    assertNoLiveMentions(embedTexts(embeds));
    expect(embeds[0]?.title).toBe(
      `@${ZWSP}everyone <${ZWSP}@123> <${ZWSP}@&456> <${ZWSP}#789> @${ZWSP}here when is the ceasefire?`,
    );
    expect(embeds[0]?.description).toMatch(
      new RegExp(`^> Ping @${ZWSP}everyone and <${ZWSP}@123> about the \\*\\*ceasefire\\*\\*\\.`),
    );
    const abstained = abstainEmbeds(question, 3, [{ title: "@everyone", id: "x" }]);
    assertNoLiveMentions(embedTexts(abstained));
  });

  it("quotes the paragraph when the excerpt is blank", () => {
    const answer: Answer = {
      question: "q",
      answered: true,
      confidence: "high",
      citations: [citation({ excerpt: "  ", highlights: [[0, 2]], text: "Whole paragraph." })],
    };
    expect(answerEmbeds({ answer, articlesSearched: 1 })[0]?.description).toMatch(
      /^> Whole paragraph\.\n/,
    );
  });

  it("shows an unanswered question as an abstention", () => {
    const answer: Answer = {
      question: "Who won?",
      answered: false,
      confidence: "none",
      citations: [],
    };
    expect(
      answerEmbeds({ answer, articlesSearched: 2, suggestions: [{ title: "T", id: "t" }] }),
    ).toEqual(abstainEmbeds("Who won?", 2, [{ title: "T", id: "t" }]));
  });
});

describe("abstainEmbeds", () => {
  it("echoes the question, says so, and suggests articles", () => {
    expect(
      abstainEmbeds("Who won the *match*?", 1, [
        { title: TITLE, id: "kremlin-putin-message-trump-ceasefire" },
        { title: "Tours Resume", id: "tours" },
      ]),
    ).toEqual([
      {
        title: "Who won the \\*match\\*?",
        description: [
          "I couldn't find this in the articles I have.",
          "",
          "These articles might help:",
          `- ${TITLE} · \`kremlin-putin-message-trump-ceasefire\``,
          "- Tours Resume · `tours`",
        ].join("\n"),
        color: COLORS.abstain,
        footer: { text: "Searched 1 article" },
      },
    ]);
  });

  it("has no suggestion list when there are none", () => {
    expect(abstainEmbeds("Who?", 0, [])[0]?.description).toBe(
      "I couldn't find this in the articles I have.",
    );
  });
});

describe("huge inputs stay within every limit", () => {
  const markdownEmoji = "**😀 _Breaking_** ~~🇺🇦~~ `x` ||👨‍👩‍👧|| [a](b) # > - ";

  it("a 100,000-character question", () => {
    const question = "why ".repeat(25_000);
    const answer: Answer = {
      question,
      answered: true,
      confidence: "high",
      citations: [citation()],
    };
    const embeds = answerEmbeds({ answer, articlesSearched: 1 });
    assertWithinLimits(embeds);
    expect(embeds[0]?.title).toHaveLength(LIMITS.embedTitle); // 255 fall right after a "why"
    expect(embeds[0]?.title?.endsWith("why…")).toBe(true);
    assertWithinLimits(abstainEmbeds(question, 1, []));
    assertWithinLimits(abstainEmbeds(markdownEmoji.repeat(3000), 1, []));
  });

  it("a 50,000-character excerpt", () => {
    const excerpt = "The ceasefire holds. ".repeat(2_500);
    const answer: Answer = {
      question: "Does the ceasefire hold?",
      answered: true,
      confidence: "high",
      citations: [
        citation({ excerpt, highlights: [[4, 13]] }),
        citation({ excerpt, highlights: [[4, 13]] }),
      ],
    };
    const [embed] = answerEmbeds({ answer, articlesSearched: 1 });
    assertWithinLimits([embed as APIEmbed]);
    expect(embed?.description).toMatch(/^> The \*\*ceasefire\*\* holds\. The ceasefire/);
    expect(embed?.description).toMatch(/holds\.…\n\n\*\*Sources\*\*\n/);
    expect(embed?.fields?.[0]?.value).toMatch(/…$/);
  });

  it("ten citations with 5,000-character titles full of markdown and emoji", () => {
    const title = markdownEmoji.repeat(200).slice(0, 5_000);
    const excerpt = `${markdownEmoji.repeat(400)} ceasefire`;
    const answer: Answer = {
      question: markdownEmoji.repeat(4000),
      answered: true,
      confidence: "high",
      citations: Array.from({ length: 10 }, (_, i) =>
        citation({
          title,
          excerpt,
          paragraph: i + 1,
          highlights: [
            [0, 20],
            [excerpt.length - 9, excerpt.length],
          ],
        }),
      ),
    };
    for (const count of [1, 3, 10, 50]) {
      const embeds = answerEmbeds({ answer, articlesSearched: 10, count });
      assertWithinLimits(embeds);
      expect(embeds[0]?.description).toContain("**Sources**");
    }
    const all = answerEmbeds({ answer, articlesSearched: 10, count: 10 });
    expect(all[0]?.fields).toHaveLength(9);
  });

  it("an unanswered question with many suggestions of huge titles", () => {
    const suggestions = Array.from({ length: 40 }, (_, i) => ({
      title: markdownEmoji.repeat(100),
      id: `article-${i}`,
    }));
    assertWithinLimits(abstainEmbeds(markdownEmoji.repeat(100), 40, suggestions));
  });
});

describe("embedLength and fitEmbeds", () => {
  const big = (i: number): APIEmbed => ({
    title: `Title ${i} `.repeat(100),
    description: `Description ${i} `.repeat(1_000),
    fields: Array.from({ length: 30 }, (_, f) => ({
      name: `Field ${f} `.repeat(100),
      value: `Value ${f} `.repeat(500),
    })),
    footer: { text: "Footer ".repeat(1_000) },
    author: { name: "Author ".repeat(100) },
  });

  it("counts as discord.js counts", () => {
    const embed = big(1);
    expect(embedLength(embed)).toBe(discordEmbedLength(embed));
    expect(embedLength({ title: "😀" })).toBe(2);
    expect(embedLength({})).toBe(0);
  });

  it("makes twelve oversized embeds fit one message", () => {
    const input = Array.from({ length: 12 }, (_, i) => big(i));
    const before = JSON.stringify(input);
    const fitted = fitEmbeds(input);
    assertWithinLimits(fitted);
    expect(JSON.stringify(input)).toBe(before); // the input is not modified
  });

  it("cuts from the last embed first", () => {
    const input = Array.from({ length: 12 }, (_, i) => ({ description: `${i} `.repeat(3_000) }));
    const fitted = fitEmbeds(input);
    assertWithinLimits(fitted);
    expect(fitted.map((embed) => embed.description?.length)).toEqual([
      LIMITS.embedDescription,
      LIMITS.embedTotal - LIMITS.embedDescription,
    ]);
  });

  it("keeps embeds that fit as they are", () => {
    const small: APIEmbed[] = [
      { title: "a", description: "b", fields: [{ name: "c", value: "d" }] },
    ];
    expect(fitEmbeds(small)).toEqual(small);
  });

  it("shrinks the last field first, and drops what would shrink to a stub", () => {
    const embed: APIEmbed = {
      title: "T",
      description: "word ".repeat(800).trim(), // 3,999
      fields: [
        { name: "one", value: "x ".repeat(500).trim() }, // 3 + 999
        { name: "two", value: "y ".repeat(500).trim() }, // 3 + 999: 6,004 in all
      ],
    };
    const [fitted] = fitEmbeds([embed]);
    expect(fitted?.description).toBe(embed.description);
    expect(fitted?.fields?.[0]).toEqual(embed.fields?.[0]);
    expect(fitted?.fields?.[1]?.value).toBe(`${"y ".repeat(497).trim()}…`); // 994 <= 995
    // A second embed of 999 more: it goes entirely, then the last field shrinks as above.
    const two = fitEmbeds([embed, { description: "z ".repeat(500).trim() }]);
    assertWithinLimits(two);
    expect(two).toEqual([fitted]);
  });

  it("fills blank field names and values, which Discord refuses", () => {
    const [fitted] = fitEmbeds([{ fields: [{ name: " ", value: "" }] }]);
    expect(fitted?.fields).toEqual([{ name: ZWSP, value: ZWSP }]);
  });
});

describe("paragraphEmbed", () => {
  const article = {
    id: "kremlin-putin-message-trump-ceasefire",
    title: TITLE,
    url: URL,
    published: "2025-03-14",
    source: "Reuters",
  };

  it("shows the paragraph cited as `Title ¶p`, linked, with source and date", () => {
    expect(paragraphEmbed(article, 4, "The ceasefire proposal calls for a *30-day* halt.")).toEqual(
      {
        title: `${TITLE} ¶4`,
        description: "The ceasefire proposal calls for a \\*30-day\\* halt.",
        color: COLORS.info,
        url: URL,
        footer: { text: "Reuters · 2025-03-14" },
      },
    );
  });

  it("cuts a 20,000-character paragraph at 4,096 and a 5,000-character title at 256", () => {
    const text = "Talks continue in Riyadh. ".repeat(770); // 20,020
    const embed = paragraphEmbed({ ...article, title: "Long ".repeat(1_000) }, 12, text);
    assertWithinLimits([embed]);
    expect(embed.description?.length).toBeLessThanOrEqual(LIMITS.embedDescription);
    expect(embed.description?.length).toBeGreaterThan(LIMITS.embedDescription - 30);
    expect(embed.description).toMatch(/^Talks continue in Riyadh\. .*\S…$/s);
    expect(embed.title).toMatch(/^Long Long .*Long… ¶12$/);
  });

  it("leaves out an unsafe URL and a missing footer", () => {
    const embed = paragraphEmbed({ id: "a", title: "A", url: "javascript:alert(1)" }, 1, "Text.");
    expect(embed).toEqual({ title: "A ¶1", description: "Text.", color: COLORS.info });
  });
});

describe("articleListEmbed", () => {
  const items = Array.from({ length: 23 }, (_, i) => ({
    id: `article-${i + 1}`,
    title: `Article *${i + 1}*`,
    ...(i % 2 === 0 ? { published: `2025-03-${String(i + 1).padStart(2, "0")}` } : {}),
    ...(i % 3 === 0 ? { source: `News_${i + 1}` } : {}),
    paragraphs: i === 0 ? 1 : 8,
  }));

  it("lists one article a line, with source, date, paragraphs and id, and the page in the footer", () => {
    const page = { items: items.slice(0, 4), total: 23, page: 1, pageCount: 3 };
    expect(articleListEmbed(page, 10)).toEqual({
      title: "Articles",
      description: [
        "**Article \\*1\\*** — News\\_1 · 1 Mar 2025 · 1 paragraph · `article-1`",
        "**Article \\*2\\*** — 8 paragraphs · `article-2`",
        "**Article \\*3\\*** — 3 Mar 2025 · 8 paragraphs · `article-3`",
        "**Article \\*4\\*** — News\\_4 · 8 paragraphs · `article-4`",
      ].join("\n"),
      color: COLORS.info,
      footer: { text: "Page 1 of 3 · 23 articles" },
    });
  });

  it("pages, from 1, as the pin lists do", () => {
    const last = articleListEmbed(pageOf(items, { page: 3, pageSize: 10 }), 10);
    expect(last.description?.split("\n")).toHaveLength(3);
    expect(last.footer?.text).toBe("Page 3 of 3 · 23 articles");
    // A page past the end says where the list ends; more items than a page are cut.
    expect(articleListEmbed(pageOf(items, { page: 8, pageSize: 10 }), 10)).toMatchObject({
      description: "There is no page 8; the articles end at page 3.",
      footer: { text: "Page 8 of 3 · 23 articles" },
    });
    const overfull = { items, total: 23, page: 1, pageCount: 3 };
    expect(articleListEmbed(overfull, 10).description?.split("\n")).toHaveLength(10);
    expect(articleListEmbed(pageOf([], { page: 1, pageSize: 10 }), 10)).toMatchObject({
      description: "No articles yet.",
      footer: { text: "Page 1 of 1 · 0 articles" },
    });
  });

  it("stays within limits with 25 huge titles", () => {
    const huge = Array.from({ length: 25 }, (_, i) => ({
      id: `a${i}`,
      title: "**😀 Breaking** ".repeat(500),
      published: "2025-03-14",
      paragraphs: 3,
    }));
    assertWithinLimits([articleListEmbed(pageOf(huge, { page: 1, pageSize: 25 }), 25)]);
  });
});

describe("help, errors, cooldowns and choices", () => {
  it("explains how to ask, with the Q&A channels only when there are some", () => {
    const withChannels = helpEmbed({
      articles: 1,
      qaChannels: true,
      cooldown: { questions: 3, perSeconds: 60 },
    });
    assertWithinLimits([withChannels]);
    const text = embedTexts([withChannels]).join("\n");
    const parts = [
      "/ask",
      "/articles list",
      "/articles add url:",
      "/source",
      "/summary",
      "/help",
      "/feeds add url:",
      "/feeds list",
      "/feeds remove",
      "Mention me",
      "Q&A channels",
      "👍 or 👎 under an answer",
    ];
    for (const part of parts) {
      expect(text).toContain(part);
    }
    expect(text).toContain("1 news article I have");
    expect(text).toContain("3 questions every 60 seconds");
    const without = helpEmbed({
      articles: 2,
      qaChannels: false,
      cooldown: { questions: 1, perSeconds: 1 },
    });
    expect(embedTexts([without]).join("\n")).not.toContain("Q&A channels");
    expect(embedTexts([without]).join("\n")).toContain("1 question every 1 second.");
  });

  it("gives the error reference as inline code", () => {
    expect(errorContent("e7f3a9")).toBe(
      "Something went wrong on my side. If it keeps happening, tell a moderator this reference: `e7f3a9`",
    );
    assertMessageWithinLimits({ content: errorContent("x".repeat(5_000)) });
  });

  it("says when one may ask again with a relative timestamp", () => {
    expect(cooldownContent(1_700_000_000.2)).toBe(
      "You're asking faster than I can answer. You can ask again <t:1700000001:R>.",
    );
    expect(cooldownContent(Number.NaN)).toContain("in a few seconds");
  });

  it("cuts choices to 100, the name with an ellipsis, the value without", () => {
    const long = choice(`${"😀".repeat(60)}\nmore`, `${"v".repeat(99)}😀`);
    assertChoicesWithinLimits([long]);
    expect(long.name).toBe(`${"😀".repeat(49)}…`);
    expect(long.value).toBe("v".repeat(99));
    expect(choice("Kremlin *Confirms*", "kremlin")).toEqual({
      name: "Kremlin *Confirms*",
      value: "kremlin",
    });
    expect(choice("  ", "kremlin").name).toBe("kremlin");
  });
});
