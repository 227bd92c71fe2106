/**
 * A question in, the message that answers it out: shared by `/ask`, questions in messages and
 * the "More sources" button, so all three answer and paginate the same way.
 */
import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  ButtonStyle,
  ComponentType,
} from "discord.js";
import { AnswerError } from "../answer/errors.js";
import type { CachedAnswer } from "./AnswerCache.js";
import type { CommandContext } from "./command.js";
import { abstainEmbeds, answerEmbeds } from "./format.js";
import { replies } from "./replies.js";

/** Citations in the answer itself; the rest are behind "More sources", this many a click. */
export const CITATIONS_SHOWN = 3;

/** Citations asked of the answer service: what "More sources" can page through. */
export const CITATIONS_KEPT = 10;

/** Articles an abstention suggests. */
export const SUGGESTIONS = 3;

/** custom_id of "More sources": `ask:more:<cache key>:<offset of the first citation to show>`. */
export const MORE_SOURCES_PREFIX = "ask:more";

/** A message to send: embeds and maybe a "More sources" row. */
export interface AnswerMessage {
  readonly embeds: APIEmbed[];
  readonly components: APIActionRowComponent<APIButtonComponent>[];
}

export type QuestionReply =
  | (AnswerMessage & { readonly outcome: "ok" | "abstained" })
  | {
      readonly outcome: "invalid";
      readonly code: AnswerError["code"];
      /** Why, for the asker only. */
      readonly content: string;
    };

/**
 * Answers `question` from the corpus (or one article) and formats the reply: the first
 * citations with a "More sources" button when there are more, or an abstention with the
 * closest articles. Expected failures (no words, unknown article) come back as "invalid".
 */
export function answerQuestion(
  ctx: CommandContext,
  question: string,
  articleId?: string,
): QuestionReply {
  const { answers } = ctx.services;
  let answer: ReturnType<typeof answers.ask>;
  try {
    answer = answers.ask(question, {
      top: CITATIONS_KEPT,
      ...(articleId === undefined ? {} : { articleId }),
    });
  } catch (error) {
    if (!(error instanceof AnswerError)) throw error;
    const content =
      error.code === "UNKNOWN_ARTICLE"
        ? replies.unknownArticle(articleId ?? "")
        : replies.emptyQuestion;
    return { outcome: "invalid", code: error.code, content };
  }
  const articlesSearched = articleId === undefined ? answers.articles.length : 1;
  if (!answer.answered) {
    const suggestions = ctx.suggestArticles(question, SUGGESTIONS);
    return {
      outcome: "abstained",
      embeds: abstainEmbeds(question, articlesSearched, suggestions),
      components: [],
    };
  }
  return { outcome: "ok", ...citationsMessage(ctx, { answer, articlesSearched }, 0) };
}

/**
 * The citations of a cached answer from `offset` on (the "More sources" reply), with a button
 * to the next ones when there are more.
 */
export function citationsMessage(
  ctx: CommandContext,
  cached: CachedAnswer,
  offset: number,
  key?: string,
): AnswerMessage {
  const embeds = answerEmbeds({ ...cached, offset, count: CITATIONS_SHOWN });
  const next = offset + CITATIONS_SHOWN;
  if (next >= cached.answer.citations.length) return { embeds, components: [] };
  const cacheKey = key ?? ctx.answerCache.put(cached);
  return { embeds, components: [moreSourcesRow(cacheKey, next)] };
}

function moreSourcesRow(key: string, offset: number): APIActionRowComponent<APIButtonComponent> {
  return {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.Button,
        style: ButtonStyle.Secondary,
        label: "More sources",
        custom_id: `${MORE_SOURCES_PREFIX}:${key}:${offset}`,
      },
    ],
  };
}

const MORE_SOURCES_ID = new RegExp(`^${MORE_SOURCES_PREFIX}:([\\w-]{1,32}):(\\d{1,3})$`);

/** The cache key and offset of a "More sources" custom_id, or undefined when malformed. */
export function parseMoreSources(customId: string): { key: string; offset: number } | undefined {
  const match = MORE_SOURCES_ID.exec(customId);
  if (!match?.[1] || match[2] === undefined) return undefined;
  return { key: match[1], offset: Number(match[2]) };
}
