import { type APIEmbed, ButtonStyle, ComponentType, embedLength } from "discord.js";
import { describe, expect, it } from "vitest";
import type { Citation } from "../../../src/answer/types.js";
import {
  COLORS,
  LIMITS,
  messageLink,
  PINNED_LABEL,
  pageButtons,
  pinListEmbed,
  pinnedAnswerEmbed,
  unansweredEmbed,
} from "../../../src/discord/format/format.js";
import type { Page, Pin, UnansweredSummary } from "../../../src/pins/types.js";
import {
  assertMessageWithinLimits,
  assertNoLiveMentions,
  assertWithinLimits,
  embedTexts,
} from "../limitsAssert.js";

const ZWSP = "\u200b";
const TITLE = "Kremlin Confirms Putin’s Message to Trump on Ukraine Ceasefire";
const URL = "https://example.com/news/kremlin-ceasefire";
const LINK = "https://discord.com/channels/100/200/300";
const PINNED_AT = Date.UTC(2025, 2, 14, 12, 30); // 1741955400 s
const EXCERPT =
  "The ceasefire proposal, jointly agreed upon by the US and Ukraine, calls for a 30-day halt to fighting.";

/** [start, end) of each word in `text` (its first occurrence), as the retrieval core marks them. */
function marks(text: string, ...words: string[]): [number, number][] {
  return words.map((word) => {
    const start = text.indexOf(word);
    if (start < 0) throw new Error(`"${word}" is not in "${text}"`);
    return [start, start + word.length];
  });
}

function citation(overrides: Partial<Citation> = {}): Citation {
  return {
    articleId: "kremlin",
    title: TITLE,
    url: URL,
    paragraph: 4,
    score: 4.2,
    excerpt: EXCERPT,
    highlights: marks(EXCERPT, "ceasefire", "30-day"),
    text: `${EXCERPT} It focuses on humanitarian measures.`,
    ...overrides,
  };
}

function pin(overrides: Partial<Pin> = {}): Pin {
  return {
    id: 7,
    guildId: "100",
    channelId: "200",
    messageId: "300",
    question: "How long would the ceasefire last?",
    citations: [
      citation(),
      citation({ paragraph: 1, excerpt: "Putin sent a message.", highlights: [] }),
      citation({
        paragraph: 5,
        url: "javascript:alert(1)",
        excerpt: "Talks go on.",
        highlights: [],
      }),
      citation({ paragraph: 6 }),
    ],
    pinnedBy: "900",
    pinnedAt: PINNED_AT,
    ...overrides,
  };
}

function page<T>(items: readonly T[], total: number, current: number, pageCount: number): Page<T> {
  return { items, total, page: current, pageCount };
}

/** The lines of an embed's description. */
const lines = (embed: APIEmbed) => (embed.description ?? "").split("\n");

/** A question full of what must not render: a mass mention, a user mention, bold, a masked link. */
const HOSTILE = "@everyone <@123> **bold** [x](http://evil) when?";
const HOSTILE_ESCAPED = `@${ZWSP}everyone <${ZWSP}@123> \\*\\*bold\\*\\* \\[x\\]\\(http://evil\\) when?`;

describe("messageLink", () => {
  it("links to a message in a guild channel", () => {
    expect(messageLink("100", "200", "300")).toBe("https://discord.com/channels/100/200/300");
    expect(messageLink("1098765432109876543", "2", "3")).toBe(
      "https://discord.com/channels/1098765432109876543/2/3",
    );
  });
});

describe("pinnedAnswerEmbed", () => {
  it("shows the pin: label, linked question, quote, sources, original answer, fields, footer", () => {
    expect(pinnedAnswerEmbed(pin())).toEqual({
      author: { name: "📌 Pinned by moderators" },
      title: "How long would the ceasefire last?",
      url: LINK,
      description: [
        "> The **ceasefire** proposal, jointly agreed upon by the US and Ukraine, calls for a **30-day** halt to fighting.",
        "",
        "**Sources**",
        `\\[1\\] [${TITLE} ¶4](${URL})`,
        `\\[2\\] [${TITLE} ¶1](${URL})`,
        `\\[3\\] ${TITLE} ¶5`, // javascript: is not linked
        `[Original answer](${LINK})`,
      ].join("\n"),
      color: 0xf1c40f,
      fields: [
        { name: `\\[2\\] ${TITLE} ¶1`, value: "> Putin sent a message." },
        { name: `\\[3\\] ${TITLE} ¶5`, value: "> Talks go on." },
      ],
      footer: { text: "Pin #7" },
      timestamp: "2025-03-14T12:30:00.000Z",
    });
    expect(PINNED_LABEL).toBe("📌 Pinned by moderators");
    expect(COLORS.pinned).toBe(0xf1c40f);
  });

  it("shows `count` citations, 1 to 10", () => {
    const one = pinnedAnswerEmbed(pin(), { count: 1 });
    expect(one.fields).toBeUndefined();
    expect(lines(one).slice(-2)).toEqual([
      `\\[1\\] [${TITLE} ¶4](${URL})`,
      `[Original answer](${LINK})`,
    ]);
    expect(pinnedAnswerEmbed(pin(), { count: 0 }).fields).toBeUndefined(); // at least 1
    expect(pinnedAnswerEmbed(pin(), { count: 4 }).fields).toHaveLength(3);
    const many = pin({
      citations: Array.from({ length: 12 }, (_, i) => citation({ paragraph: i + 1 })),
    });
    const ten = pinnedAnswerEmbed(many, { count: 50 });
    expect(ten.fields).toHaveLength(9);
    expect(ten.fields?.at(-1)?.name).toBe(`\\[10\\] ${TITLE} ¶10`);
    expect(pinnedAnswerEmbed(many, { count: Number.NaN }).fields).toHaveLength(2); // default 3
  });

  it("links nothing when the pin has no message, and says so when it has no citations", () => {
    const unlinked = pinnedAnswerEmbed(pin({ messageId: undefined }));
    expect(unlinked.url).toBeUndefined();
    expect(lines(unlinked).at(-1)).toBe(`\\[3\\] ${TITLE} ¶5`);
    expect(unlinked.description).not.toContain("Original answer");

    expect(pinnedAnswerEmbed(pin({ citations: [] }))).toEqual({
      author: { name: PINNED_LABEL },
      title: "How long would the ceasefire last?",
      url: LINK,
      description: `(no excerpt)\n\n[Original answer](${LINK})`,
      color: COLORS.pinned,
      footer: { text: "Pin #7" },
      timestamp: "2025-03-14T12:30:00.000Z",
    });
    expect(pinnedAnswerEmbed(pin({ citations: [], messageId: undefined })).description).toBe(
      "(no excerpt)",
    );
  });

  it("links only snowflake ids, so a stored id cannot break out of the link", () => {
    for (const bad of [
      { messageId: "300) [x](https://evil" },
      { guildId: "a b" },
      { channelId: "" },
    ]) {
      const embed = pinnedAnswerEmbed(pin(bad));
      expect(embed.url).toBeUndefined();
      expect(embed.description).not.toContain("Original answer");
      expect(embed.description).not.toContain("evil");
    }
  });

  it("quotes the paragraph when the excerpt is blank", () => {
    const embed = pinnedAnswerEmbed(
      pin({
        citations: [citation({ excerpt: " ", highlights: [[0, 1]], text: "Whole *paragraph*." })],
      }),
    );
    expect(lines(embed)[0]).toBe("> Whole \\*paragraph\\*.");
  });

  it("escapes the question: no mention, bold or masked link from it", () => {
    const embed = pinnedAnswerEmbed(
      pin({
        question: HOSTILE,
        citations: [citation({ title: "<@&456> **Breaking** [a](http://evil)" })],
      }),
    );
    expect(embed.title).toBe(HOSTILE_ESCAPED);
    expect(lines(embed)).toContain(
      `\\[1\\] [<${ZWSP}@&456> \\*\\*Breaking\\*\\* \\[a\\]\\(http://evil\\) ¶4](${URL})`,
    );
    assertNoLiveMentions(embedTexts([embed]));
  });

  it("cuts a long question to one title line and leaves out an unusable time", () => {
    const embed = pinnedAnswerEmbed(
      pin({ question: "why\nnot ".repeat(200), pinnedAt: Number.NaN }),
    );
    expect(embed.title).toHaveLength(LIMITS.embedTitle);
    expect(embed.title).toMatch(/^why not why not .* not…$/);
    expect(embed.timestamp).toBeUndefined();
    expect(pinnedAnswerEmbed(pin({ question: "  " })).title).toBe("Pinned answer");
  });

  it("stays within every limit: 1,000-character question, 10,000-character titles, 10 huge excerpts", () => {
    const excerpt = `${"**Ceasefire** [talks](http://x) @here ".repeat(130)}`.slice(0, 5_000);
    const huge = pin({
      question: "q?".repeat(500),
      citations: Array.from({ length: 10 }, (_, i) =>
        citation({
          title: "😀 _Breaking_ [news](http://evil) ".repeat(300).slice(0, 10_000),
          excerpt,
          text: excerpt,
          paragraph: i + 1,
          highlights: [[2, 11]],
        }),
      ),
    });
    expect(huge.question).toHaveLength(1_000);
    for (const count of [1, 3, 10]) {
      const embed = pinnedAnswerEmbed(huge, { count });
      assertWithinLimits([embed]);
      expect(embedLength(embed)).toBeLessThanOrEqual(LIMITS.embedTotal);
      expect(embed.title?.length).toBeLessThanOrEqual(256);
      expect(embed.description?.length).toBeLessThanOrEqual(4096);
      for (const field of embed.fields ?? []) expect(field.value.length).toBeLessThanOrEqual(1024);
      expect(embed.fields ?? []).toHaveLength(count - 1);
      expect(embed.description).toContain("\n\n**Sources**\n\\[1\\] ");
      // The link to the original answer is kept whole, last.
      expect(lines(embed).at(-1)).toBe(`[Original answer](${LINK})`);
      assertNoLiveMentions(embedTexts([embed]));
    }
    const all = pinnedAnswerEmbed(huge, { count: 10 });
    expect(embedLength(all)).toBeGreaterThan(5_000); // the budget is used, not wasted
  });
});

describe("pinListEmbed", () => {
  it("lists one pin a line: id, linked question, first source, date; the page in the footer", () => {
    const pins = [
      pin(),
      pin({ id: 3, messageId: undefined, question: "Who pays?", citations: [] }),
    ];
    expect(pinListEmbed(page(pins, 12, 1, 2), 10)).toEqual({
      title: "Pinned answers",
      description: [
        // The 62-character title is cut to 60.
        `**#7** [“How long would the ceasefire last?”](${LINK}) · Kremlin Confirms Putin’s Message to Trump on Ukraine… ¶4 · <t:1741955400:d>`,
        "**#3** “Who pays?” · <t:1741955400:d>",
      ].join("\n"),
      color: COLORS.pinned,
      footer: { text: "Page 1 of 2 · 12 pins" },
    });
    expect(pinListEmbed(page([pin()], 1, 1, 1), 10).footer?.text).toBe("Page 1 of 1 · 1 pin");
  });

  it("marks the pins given as flagged with their votes, and only those", () => {
    const pins = [
      pin(),
      pin({ id: 3, messageId: undefined, question: "Who pays?", citations: [] }),
    ];
    const flagged = new Map([[3, { up: 1, down: 12_000 }]]);
    expect(lines(pinListEmbed(page(pins, 2, 1, 1), 10, flagged))).toEqual([
      `**#7** [“How long would the ceasefire last?”](${LINK}) · Kremlin Confirms Putin’s Message to Trump on Ukraine… ¶4 · <t:1741955400:d>`,
      "**#3** “Who pays?” · <t:1741955400:d> · ⚠️ 12,000 👎 · 1 👍",
    ]);
  });

  it("cuts questions to about 80 and titles to about 60, escaped", () => {
    const [line] = lines(
      pinListEmbed(
        page(
          [
            pin({
              question: `${HOSTILE} ${"word ".repeat(40)}`,
              citations: [citation({ title: "T ".repeat(100) })],
            }),
          ],
          1,
          1,
          1,
        ),
        10,
      ),
    );
    const question = /“(.*)”/.exec(line ?? "")?.[1] ?? "";
    expect(question.startsWith(HOSTILE_ESCAPED)).toBe(true);
    expect(question.endsWith("word…")).toBe(true);
    expect(question.length).toBeLessThanOrEqual(80);
    const title = /\) · (.*) ¶4 · /.exec(line ?? "")?.[1] ?? "";
    expect(title).toMatch(/^T T .*T…$/);
    expect(title.length).toBeLessThanOrEqual(60);
    assertNoLiveMentions([line ?? ""]);
  });

  it("says when there are no pins, and when the page is past the end", () => {
    expect(pinListEmbed(page([], 0, 1, 0), 10)).toEqual({
      title: "Pinned answers",
      description:
        "No pinned answers yet. A moderator pins an answer with its 📌 Pin answer button, or with `/pins add`.",
      color: COLORS.pinned,
      footer: { text: "Page 1 of 1 · 0 pins" },
    });
    const past = pinListEmbed(page([], 23, 5, 3), 10);
    expect(past.description).toBe("There is no page 5; the pins end at page 3.");
    expect(past.footer?.text).toBe("Page 5 of 3 · 23 pins");
  });

  it("cuts more items than a page, and stays within limits with 100 huge pins", () => {
    const pins = Array.from({ length: 100 }, (_, i) =>
      pin({
        id: i + 1,
        question: "@here **q** ".repeat(100),
        citations: [citation({ title: "😀 [t](http://evil) ".repeat(600) })],
      }),
    );
    expect(lines(pinListEmbed(page(pins, 100, 1, 10), 10))).toHaveLength(10);
    const embed = pinListEmbed(page(pins, 100, 1, 1), 100);
    assertWithinLimits([embed]);
    expect(lines(embed).at(-1)).toMatch(/^…and \d+ more$/);
    assertNoLiveMentions(embedTexts([embed]));
  });
});

describe("unansweredEmbed", () => {
  const item = (overrides: Partial<UnansweredSummary> = {}): UnansweredSummary => ({
    question: "Who won the match?",
    channelId: "200",
    count: 3,
    uncertain: 0,
    lastAskedAt: PINNED_AT,
    ...overrides,
  });

  it("lists how often, where and when each question was asked", () => {
    expect(
      unansweredEmbed(page([item(), item({ count: 1204, question: HOSTILE })], 2, 1, 1), 7),
    ).toEqual({
      title: "Questions the articles could not answer",
      description: [
        "**3×** “Who won the match?” · <#200> · <t:1741955400:R>",
        `**1,204×** “${HOSTILE_ESCAPED}” · <#200> · <t:1741955400:R>`,
      ].join("\n"),
      color: COLORS.info,
      footer: { text: "Last 7 days · Page 1 of 1" },
    });
  });

  it("says how many asks got only a low-confidence answer", () => {
    const embed = unansweredEmbed(
      page([item({ uncertain: 2 }), item({ question: "Who?", count: 1, uncertain: 1 })], 2, 1, 1),
      30,
    );
    expect(lines(embed)).toEqual([
      "**3×** “Who won the match?” · <#200> · <t:1741955400:R> · 2 uncertain answers",
      "**1×** “Who?” · <#200> · <t:1741955400:R> · answered uncertainly",
    ]);
  });

  it("mentions only a snowflake channel, and cuts questions to about 120", () => {
    const [line] = lines(
      unansweredEmbed(
        page([item({ channelId: "1> @everyone <#2", question: "why ".repeat(100) })], 1, 1, 1),
        30,
      ),
    );
    expect(line).toMatch(/^\*\*3×\*\* “why why .*why…” · <t:1741955400:R>$/);
    expect(/“(.*)”/.exec(line ?? "")?.[1]?.length).toBeLessThanOrEqual(120);
    assertNoLiveMentions([line ?? ""]);
  });

  it("says when there are none, and when the page is past the end", () => {
    expect(unansweredEmbed(page([], 0, 1, 0), 30)).toMatchObject({
      description: "No unanswered questions in the last 30 days.",
      footer: { text: "Last 30 days · Page 1 of 1" },
    });
    expect(unansweredEmbed(page([], 0, 1, 0), 1).description).toBe(
      "No unanswered questions in the last 1 day.",
    );
    expect(unansweredEmbed(page([], 41, 9, 3), 7)).toMatchObject({
      description: "There is no page 9; the questions end at page 3.",
      footer: { text: "Last 7 days · Page 9 of 3" },
    });
  });

  it("stays within limits with 100 questions of 1,000 characters", () => {
    const items = Array.from({ length: 100 }, (_, i) =>
      item({ question: "<@123> *why* ".repeat(80), count: i }),
    );
    const embed = unansweredEmbed(page(items, 100, 1, 1), 7);
    assertWithinLimits([embed]);
    expect(lines(embed).at(-1)).toMatch(/^…and \d+ more$/);
  });
});

describe("pageButtons", () => {
  const ids = (rows: ReturnType<typeof pageButtons>) =>
    rows.flatMap((row) =>
      row.components.map((b) => ["custom_id" in b ? b.custom_id : undefined, b.disabled]),
    );

  it("has no buttons for one page or none", () => {
    expect(pageButtons("pins:page", 1, 1)).toEqual([]);
    expect(pageButtons("pins:page", 1, 0)).toEqual([]);
    expect(pageButtons("pins:page", 4, 0)).toEqual([]);
  });

  it("leads back from past the end of a one-page list", () => {
    const rows = pageButtons("p", 5, 1);
    expect(
      rows.flatMap((row) => row.components.map((b) => "custom_id" in b && b.custom_id)),
    ).toEqual(["p:1", "p:6"]);
  });

  it("has Previous and Next, each disabled at its end", () => {
    expect(pageButtons("pins:page", 1, 3)).toEqual([
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.Button,
            style: ButtonStyle.Secondary,
            label: "Previous",
            custom_id: "pins:page:0",
            disabled: true,
          },
          {
            type: ComponentType.Button,
            style: ButtonStyle.Secondary,
            label: "Next",
            custom_id: "pins:page:2",
            disabled: false,
          },
        ],
      },
    ]);
    expect(ids(pageButtons("p", 2, 3))).toEqual([
      ["p:1", false],
      ["p:3", false],
    ]);
    expect(ids(pageButtons("p", 3, 3))).toEqual([
      ["p:2", false],
      ["p:4", true],
    ]);
    // Past the end, Previous goes back to the last page.
    expect(ids(pageButtons("p", 9, 3))).toEqual([
      ["p:3", false],
      ["p:10", true],
    ]);
    assertMessageWithinLimits({ components: pageButtons("unanswered:page", 2, 3) });
  });

  it("refuses a prefix that would make a custom id longer than 100", () => {
    expect(() => pageButtons("x".repeat(99), 1, 2)).toThrow(RangeError);
  });
});
