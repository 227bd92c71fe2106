/**
 * The Discord formatter: pure functions from newsdesk's platform-neutral values to Discord message
 * payloads (API JSON embeds, message text, autocomplete choices), always within Discord's limits
 * and with user and article text escaped. The one module command handlers import to format.
 */
import type { APIEmbed } from "discord.js";
import { byline } from "../../answer/byline.js";
import type { Page } from "../../page.js";
import { inlineCode, plainText, safeLinkUrl } from "./escape.js";
import { fitEmbeds, LIMITS, truncate } from "./limits.js";
import { listDescription, pagePosition } from "./lists.js";
import { COLORS, citationLabel, counted, escapedBlock, escapedLine } from "./parts.js";

export {
  ABSTAIN_TEXT,
  type AnswerView,
  type ArticleSuggestion,
  abstainEmbeds,
  answerEmbeds,
  DEFAULT_CITATIONS_SHOWN,
  MAX_CITATIONS_SHOWN,
} from "./answer.js";
export { addedArticleEmbed } from "./articles.js";
export {
  escapeText,
  inlineCode,
  NO_MENTIONS,
  NO_MENTIONS_REPLY,
  plainText,
  safeLinkUrl,
} from "./escape.js";
export { feedChoice, feedListEmbed, feedName } from "./feeds.js";
export { embedLength, fitEmbeds, LIMITS, truncate } from "./limits.js";
export { pageButtons } from "./lists.js";
export { COLORS } from "./parts.js";
export {
  messageLink,
  PINNED_LABEL,
  type PinnedAnswerOptions,
  pinFooter,
  pinListEmbed,
  pinnedAnswerEmbed,
  removedPinFooter,
  unansweredEmbed,
} from "./pins.js";
export {
  type ArticleLookup,
  articleSummaryEmbed,
  MAX_NAMES_SHOWN,
  NO_TOPIC_TEXT,
  type SummaryArticleRef,
  topicSummaryEmbed,
} from "./summary.js";

/** What `paragraphEmbed` needs of an article. */
export interface ArticleRef {
  readonly id: string;
  readonly title: string;
  readonly url?: string;
  readonly published?: string;
  readonly source?: string;
}

/** One line of `articleListEmbed`. */
export interface ArticleListItem {
  readonly id: string;
  readonly title: string;
  /** The site or feed it came from. */
  readonly source?: string;
  readonly published?: string;
  /** How many paragraphs the article has. */
  readonly paragraphs: number;
}

/** Titles in the article list: one line each. */
const LIST_TITLE_MAX = 150;
/** Source and date in the article list. */
const LIST_BYLINE_MAX = 80;

/** The one embed of a formatter, fitted (formatters build within limits; this is the guard). */
function fitted(embed: APIEmbed): APIEmbed {
  return fitEmbeds([embed])[0] ?? { description: "…" };
}

/**
 * A paragraph in full, for /source: title `Title ¶p` linking to the article when its URL is safe,
 * the paragraph escaped as the description (cut at 4,096 with "…"), source and date in the footer.
 * @param article - the article the paragraph is from
 * @param paragraph - 1-based paragraph number
 * @param text - the paragraph's raw text
 */
export function paragraphEmbed(article: ArticleRef, paragraph: number, text: string): APIEmbed {
  const embed: APIEmbed = {
    title: citationLabel(article.title, paragraph, LIMITS.embedTitle - ` ¶${paragraph}`.length),
    description: escapedBlock(text, LIMITS.embedDescription) || "*(This paragraph is empty.)*",
    color: COLORS.info,
  };
  const url = safeLinkUrl(article.url);
  if (url !== undefined) embed.url = url;
  const footer = [article.source, article.published]
    .map((part) => (part === undefined ? "" : plainText(part)))
    .filter((part) => part !== "")
    .join(" · ");
  if (footer !== "") embed.footer = { text: truncate(footer, LIMITS.footerText) };
  return fitted(embed);
}

/**
 * One page of the article list, for /articles list: a line per article,
 * `**Title** — Source · 3 Mar 2025 · N paragraphs · \`id\`` (the byline of its citations), and
 * "Page x of y · N articles" in the footer.
 * @param page - the page (from `pageOf`; more items than `pageSize` are cut)
 * @param pageSize - articles per page
 */
export function articleListEmbed(page: Page<ArticleListItem>, pageSize: number): APIEmbed {
  const size = Math.max(1, Math.floor(pageSize) || 1);
  const lines = page.items.slice(0, size).map((item) => {
    const title = escapedLine(item.title, LIST_TITLE_MAX) || "Untitled";
    const by = byline(item);
    const details = [
      by === undefined ? undefined : escapedLine(by, LIST_BYLINE_MAX),
      counted(item.paragraphs, "paragraph"),
      inlineCode(item.id),
    ].filter((part) => part !== undefined && part !== "");
    return [`**${title}** — ${details.join(" · ")}`];
  });
  const { current, pages } = pagePosition(page);
  return fitted({
    title: "Articles",
    description: listDescription(lines, page, "No articles yet.", "articles"),
    color: COLORS.info,
    footer: {
      text: `Page ${current} of ${pages} · ${counted(Math.max(0, page.total), "article")}`,
    },
  });
}

export interface HelpOptions {
  /** How many articles the bot has. */
  readonly articles: number;
  /** Whether some channels answer every message as a question. */
  readonly qaChannels: boolean;
  /** At most `questions` questions per user every `perSeconds` seconds. */
  readonly cooldown: { readonly questions: number; readonly perSeconds: number };
}

/**
 * What the bot does and how to ask it: /ask, mentioning the bot, the Q&A channels when there are
 * some, voting on answers, /articles list, /source, /summary, /help, pinned answers, the feeds a
 * server follows, and how often one may ask.
 */
export function helpEmbed(options: HelpOptions): APIEmbed {
  const ask = [
    "`/ask question:` — ask in any channel I can read.",
    "Mention me with your question — I reply to your message.",
  ];
  if (options.qaChannels) ask.push("In the Q&A channels, just write your question.");
  ask.push(
    "👍 or 👎 under an answer tells the moderators how it did; click it again to take it back.",
  );
  const { questions, perSeconds } = options.cooldown;
  const rate = `${counted(questions, "question")} every ${counted(perSeconds, "second")}`;
  return fitted({
    title: "How to ask newsdesk",
    description: [
      `I answer questions about the ${counted(options.articles, "news article")} I have,`,
      "quoting the paragraphs my answer comes from, with links to the articles.",
      "When the articles do not say, I tell you so rather than guess.",
    ].join(" "),
    color: COLORS.info,
    fields: [
      { name: "Ask", value: ask.map((line) => `- ${line}`).join("\n") },
      {
        name: "Read",
        value: [
          "- `/articles list` — the articles I have, newest first, with their ids.",
          "- Members with Manage Server: `/articles add url:` adds a news page for this server, `/articles remove` takes one out.",
          "- `/source article: paragraph:` — a cited paragraph in full.",
          "- `/summary article:` or `/summary topic:` — the short version, each sentence cited.",
          "- `/help` — this message.",
        ].join("\n"),
      },
      {
        name: "Pinned answers",
        value: [
          "- An answer marked 📌 was pinned by the moderators for questions like yours.",
          "- `/pins list` — the answers pinned in this server.",
          "- Moderators: the 📌 Pin answer button (or Apps → Pin answer), `/pins add`, `/pins remove`, `/unanswered` for what the articles could not answer, and `/insights` for what this server asked, the answers voted 👎 and a CSV of every question.",
        ].join("\n"),
      },
      {
        name: "News sources",
        value: [
          "- Members with Manage Server: `/feeds add url:` follows a news feed, whose articles I can then answer from here (with `channel:`, its new ones are posted there); `/feeds list` shows how each is doing; `/feeds remove` stops one.",
        ].join("\n"),
      },
      {
        name: "Limits",
        value: `You can ask ${rate}. A summary counts as a question.`,
      },
    ],
  });
}

/**
 * The ephemeral reply to an unexpected failure, with the reference logged beside it.
 * @param reference - the log reference (shown as inline code, at most 100 characters)
 */
export function errorContent(reference: string): string {
  const ref = inlineCode(reference) || "`unknown`";
  return truncate(
    `Something went wrong on my side. If it keeps happening, tell a moderator this reference: ${ref}`,
    LIMITS.content,
  );
}

/**
 * The reply to someone asking faster than the cooldown allows, with Discord's relative timestamp
 * ("in 12 seconds", counting down in each reader's client).
 * @param retryAtUnixSeconds - when they may ask again, in Unix seconds
 */
export function cooldownContent(retryAtUnixSeconds: number): string {
  const when = Number.isFinite(retryAtUnixSeconds)
    ? `<t:${Math.max(0, Math.ceil(retryAtUnixSeconds))}:R>`
    : "in a few seconds";
  return `You're asking faster than I can answer. You can ask again ${when}.`;
}

/** What an autocomplete choice shows: plain text, one line, cut at 100 with "…". */
export function choiceName(name: string): string {
  return truncate(plainText(name), LIMITS.choiceName);
}

/**
 * An autocomplete or option choice within Discord's limits. The name is shown as plain text (one
 * line, cut at 100 with "…"); the value is an identifier and is cut at 100 without "…", at a code
 * point boundary (article ids are at most 100 characters, so theirs are never cut).
 * @param name - what the user sees
 * @param value - what the bot receives
 */
export function choice(name: string, value: string): { name: string; value: string } {
  const shown = choiceName(name);
  let end = Math.min(value.length, LIMITS.choiceValue);
  const code = value.charCodeAt(end - 1);
  if (end < value.length && code >= 0xd800 && code <= 0xdbff) end--;
  const cutValue = value.slice(0, end);
  return {
    name: shown === "" ? truncate(plainText(cutValue), LIMITS.choiceName) || "…" : shown,
    value: cutValue,
  };
}
