import type { BaseMessageOptions, MessageMentionOptions } from "discord.js";
import { describe, expect, it } from "vitest";
import {
  escapeText,
  inlineCode,
  NO_MENTIONS,
  NO_MENTIONS_REPLY,
  plainText,
  safeLinkUrl,
} from "../../../src/discord/format/escape.js";
import { truncate } from "../../../src/discord/format/limits.js";
import { assertNoLiveMentions } from "../limitsAssert.js";

const ZWSP = "\u200b";
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** What Discord shows of escaped text: backslashes before punctuation dropped, our ZWSPs gone. */
function shown(escaped: string): string {
  return escaped.replace(/\\([^\p{L}\p{N}\s])/gu, "$1").replaceAll(ZWSP, "");
}

/** Inline markdown characters not preceded by an escaping backslash. */
function unescapedMarkdown(escaped: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < escaped.length; i++) {
    if (escaped[i] === "\\") i++;
    else if ("*_~`|[]()".includes(escaped[i] ?? "")) found.push(`${escaped[i]} at ${i}`);
  }
  return found;
}

describe("truncate", () => {
  it("returns a text that fits as it is", () => {
    expect(truncate("The quick brown fox", 19)).toBe("The quick brown fox");
    expect(truncate("", 5)).toBe("");
  });

  it("cuts at a word boundary and adds an ellipsis", () => {
    expect(truncate("The quick brown fox jumps", 12)).toBe("The quick…");
    expect(truncate("The quick brown fox jumps", 16)).toBe("The quick brown…");
    // The cut falls right after a word: that word is kept.
    expect(truncate("The quick brown fox jumps", 10)).toBe("The quick…");
  });

  it("drops white space and line breaks before the ellipsis", () => {
    expect(truncate("one two   \n\n  three four", 14)).toBe("one two…");
  });

  it("cuts inside a word when the last word boundary is too far back", () => {
    expect(truncate("To supercalifragilisticexpialidocious", 12)).toBe("To supercal…");
  });

  it("cuts a single 10,000-character word to exactly the limit", () => {
    const word = "x".repeat(10_000);
    const cut = truncate(word, 256);
    expect(cut).toHaveLength(256);
    expect(cut.endsWith("…")).toBe(true);
    expect(cut.slice(0, -1)).toBe("x".repeat(255));
  });

  it("never cuts a surrogate pair in half", () => {
    const emoji = "😀".repeat(100); // 200 code units
    for (const max of [1, 2, 3, 10, 11, 12, 199]) {
      const cut = truncate(emoji, max);
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(LONE_SURROGATE.test(cut), `max ${max}: ${cut}`).toBe(false);
      expect(cut.endsWith("…")).toBe(true);
    }
    expect(truncate(emoji, 11)).toBe(`${"😀".repeat(5)}…`);
    expect(truncate(emoji, 12)).toBe(`${"😀".repeat(5)}…`);
  });

  it("keeps flags and joined emoji whole", () => {
    expect(truncate("🇫🇷🇺🇦🇯🇵", 7)).toBe("🇫🇷…"); // a flag is 4 code units
    const family = "👨‍👩‍👧"; // 8 code units, one grapheme
    expect(truncate(`${family}${family}`, 12)).toBe(`${family}…`);
  });

  it("never exceeds the limit, whatever the limit", () => {
    const text = "Ünïcödé 😀 words, **markdown** and 🇺🇦 flags — all cut somewhere 👨‍👩‍👧 here.";
    for (let max = 0; max <= text.length + 2; max++) {
      const cut = truncate(text, max);
      expect(cut.length, `max ${max}`).toBeLessThanOrEqual(max);
      expect(LONE_SURROGATE.test(cut), `max ${max}: ${cut}`).toBe(false);
    }
    expect(truncate(text, 0)).toBe("");
    expect(truncate(text, 1)).toBe("…");
  });
});

describe("escapeText", () => {
  it("escapes inline markdown wherever it is", () => {
    expect(escapeText("**bold** _it_ __under__ ~~strike~~ `code` ||spoiler|| a\\b")).toBe(
      "\\*\\*bold\\*\\* \\_it\\_ \\_\\_under\\_\\_ \\~\\~strike\\~\\~ \\`code\\` \\|\\|spoiler\\|\\| a\\\\b",
    );
  });

  it("stops masked links", () => {
    expect(escapeText("[click](https://evil.example)")).toBe(
      "\\[click\\]\\(https://evil.example\\)",
    );
  });

  it("escapes headings, quotes and list markers at line starts only", () => {
    const text =
      "# Title\n## Sub\n> quote\n>>> block\n- item\n* star\n+ plus\n1. one\n  12. twelve\n-# small";
    expect(escapeText(text).split("\n")).toEqual([
      "\\# Title",
      "\\## Sub",
      "\\> quote",
      "\\>>> block",
      "\\- item",
      "\\* star",
      "\\+ plus",
      "1\\. one",
      "  12\\. twelve",
      "\\-# small",
    ]);
    expect(escapeText("a 30-day truce, #1 in 2025. 3 > 2")).toBe(
      "a 30-day truce, #1 in 2025. 3 > 2",
    );
  });

  it("stops mentions with a zero-width space", () => {
    const escaped = escapeText("@everyone @here @Everyone <@123> <@!123> <@&456> <#789> </ask:1>");
    expect(escaped).toBe(
      `@${ZWSP}everyone @${ZWSP}here @${ZWSP}Everyone <${ZWSP}@123> <${ZWSP}@!123> <${ZWSP}@&456> <${ZWSP}#789> <${ZWSP}/ask:1>`,
    );
    assertNoLiveMentions([escaped]);
    expect(escapeText("mail me at a@example.com")).toBe("mail me at a@example.com");
  });

  it("stops emoji and timestamp tags", () => {
    expect(escapeText("<:wave:123> <a:spin:4> <t:1700000000:R>")).toBe(
      `<${ZWSP}:wave:123> <${ZWSP}a:spin:4> <${ZWSP}t:1700000000:R>`,
    );
  });

  it("shows the text as typed once Discord drops the escapes", () => {
    const samples = [
      "**Breaking** news_today ~~old~~ `x` ||secret|| [a](b) back\\slash",
      "# Heading\n> quote\n- list\n1. one\nplain (parenthesis) and [brackets]",
      "Emoji 😀 and flags 🇺🇦 next to *stars* and _underscores_",
    ];
    for (const sample of samples) {
      const escaped = escapeText(sample);
      expect(shown(escaped)).toBe(sample);
      expect(unescapedMarkdown(escaped)).toEqual([]);
    }
  });

  it("trims, normalizes line breaks and replaces control characters", () => {
    expect(escapeText("  \r\nline one\r\nline two\rthree\u2028four  \n")).toBe(
      "line one\nline two\nthree\nfour",
    );
    expect(escapeText("bell\u0007 esc\u001b[31m nul\u0000")).toBe(
      "bell\uFFFD esc\uFFFD\\[31m nul\uFFFD",
    );
    expect(escapeText("lone \ud83d and \ude00 but 😀 stays")).toBe(
      "lone \uFFFD and \uFFFD but 😀 stays",
    );
  });

  it("collapses white space for single-line places (where only the first line start counts)", () => {
    expect(escapeText("  # What  happened\n\n- in\tKyiv?  ", { singleLine: true })).toBe(
      "\\# What happened - in Kyiv?",
    );
  });
});

describe("plainText and inlineCode", () => {
  it("plain text keeps markdown characters but not line breaks or mentions", () => {
    expect(plainText("**Reuters**\n@everyone")).toBe(`**Reuters** @${ZWSP}everyone`);
  });

  it("shows an identifier as inline code, or escaped when it has a backtick", () => {
    expect(inlineCode("kremlin-putin_message")).toBe("`kremlin-putin_message`");
    expect(inlineCode("odd`id")).toBe("odd\\`id");
    expect(inlineCode("x".repeat(150))).toBe(`\`${"x".repeat(99)}…\``);
  });
});

describe("safeLinkUrl", () => {
  it("keeps plain http and https URLs", () => {
    expect(safeLinkUrl("https://example.com/news/a-b_c?x=1#p4")).toBe(
      "https://example.com/news/a-b_c?x=1#p4",
    );
    expect(safeLinkUrl("HTTP://example.com")).toBe("HTTP://example.com");
  });

  it("refuses what could break a masked link or is not a web link", () => {
    for (const url of [
      undefined,
      "",
      "javascript:alert(1)",
      "JavaScript://example.com/%0aalert(1)",
      "https://example.com/a)b",
      "https://example.com/(a)",
      "https://example.com/a b",
      "https://example.com/a\tb",
      "https://example.com/<x>",
      "ftp://example.com/file",
      "data:text/html,hi",
      "//example.com",
      "https://",
      `https://example.com/${"a".repeat(600)}`,
    ]) {
      expect(safeLinkUrl(url), String(url)).toBeUndefined();
    }
  });
});

describe("allowed mentions", () => {
  it("parses nothing, and replies do not ping the author replied to", () => {
    expect(NO_MENTIONS).toEqual({ parse: [] });
    expect(NO_MENTIONS_REPLY).toEqual({ parse: [], repliedUser: false });
    // Both are accepted where discord.js takes allowed mentions.
    const options: MessageMentionOptions = NO_MENTIONS_REPLY;
    const message: BaseMessageOptions = { allowedMentions: NO_MENTIONS };
    expect(options.repliedUser).toBe(false);
    expect(message.allowedMentions?.parse).toEqual([]);
  });
});
