/**
 * A question in, the message that answers it out: shared by `/ask`, questions in messages and
 * the "More sources" button, so all three answer and paginate the same way. A question that a
 * moderator's pinned answer matches gets that answer first; a question the articles cannot
 * answer is recorded for `/unanswered`; a public answer is recorded so that its message can be
 * pinned.
 */
import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  ButtonStyle,
  ComponentType,
} from "discord.js";
import { AnswerError } from "../../answer/errors.js";
import type { Answer, Citation } from "../../answer/types.js";
import type { PinnedAnswer } from "../../pins/types.js";
import { abstainEmbeds, answerEmbeds, fitEmbeds, pinnedAnswerEmbed } from "../format/format.js";
import { replies } from "../format/replies.js";
import type { CommandContext } from "../framework/command.js";
import { pinAnswerButton } from "../pins/pinning.js";
import type { CachedAnswer } from "./AnswerCache.js";

/** Citations in the answer itself; the rest are behind "More sources", this many a click. */
export const CITATIONS_SHOWN = 3;

/** Citations asked of the answer service: what "More sources" can page through. */
export const CITATIONS_KEPT = 10;

/** Articles an abstention suggests. */
export const SUGGESTIONS = 3;

/** custom_id of "More sources": `ask:more:<cache key>:<offset of the first citation to show>`. */
export const MORE_SOURCES_PREFIX = "ask:more";

/** A message to send: embeds and maybe a row of buttons ("More sources", "Pin answer"). */
export interface AnswerMessage {
  readonly embeds: APIEmbed[];
  readonly components: APIActionRowComponent<APIButtonComponent>[];
}

/** Where a question was asked, and how the answer is shown. */
export interface AskedWhere {
  /** null outside a server (no pins, nothing recorded). */
  readonly guildId: string | null;
  readonly channelId: string;
  /** Only search this article. */
  readonly articleId?: string;
  /** Only the asker sees the answer: it has no Pin button and is not kept for pinning. */
  readonly private?: boolean;
}

export type QuestionReply =
  | (AnswerMessage & {
      readonly outcome: "ok" | "abstained";
      /** The moderators' pinned answer the reply leads with, if one matched. */
      readonly pinned?: PinnedAnswer;
      /**
       * The answer to keep once the message is sent, so it can be pinned from the message
       * (see {@link rememberSentAnswer}): public answers in a server that no pin led.
       */
      readonly pinnable?: Answer;
    })
  | {
      readonly outcome: "invalid";
      readonly code: AnswerError["code"];
      /** Why, for the asker only. */
      readonly content: string;
    };

/**
 * Answers `question`: the guild's matching pinned answer first, if any, then the citations
 * from the corpus (or one article) with a "More sources" button when there are more, or, with
 * neither, an abstention with the closest articles (recorded for `/unanswered`). Expected
 * failures (no words, unknown article) come back as "invalid".
 */
export function answerQuestion(
  ctx: CommandContext,
  question: string,
  where: AskedWhere,
): QuestionReply {
  const { answers } = ctx.services;
  const { articleId, guildId } = where;
  let answer: Answer;
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
  const pinned = guildId === null ? undefined : findPinned(ctx, guildId, question, articleId);
  if (pinned) return pinnedReply(ctx, pinned, { answer, articlesSearched });

  if (!answer.answered) {
    if (guildId !== null) {
      safely(ctx, "recording an unanswered question", () =>
        ctx.pins.recordUnanswered({
          guildId,
          channelId: where.channelId,
          question,
          at: ctx.now(),
        }),
      );
    }
    const suggestions = ctx.suggestArticles(question, SUGGESTIONS);
    return {
      outcome: "abstained",
      embeds: abstainEmbeds(question, articlesSearched, suggestions),
      components: [],
    };
  }
  const message = citationsMessage(ctx, { answer, articlesSearched }, 0);
  if (where.private || guildId === null) return { outcome: "ok", ...message };
  return {
    outcome: "ok",
    embeds: message.embeds,
    components: withPinButton(message.components),
    pinnable: answer,
  };
}

/**
 * Keeps a sent public answer (`reply.pinnable`) under its message id, so that a moderator can
 * pin that message later. A failure is logged, never shown: the answer is already sent.
 */
export function rememberSentAnswer(
  ctx: CommandContext,
  reply: QuestionReply,
  message: { readonly id: string; readonly channelId: string; readonly guildId: string | null },
): void {
  if (reply.outcome === "invalid" || !reply.pinnable || message.guildId === null) return;
  const { question, citations } = reply.pinnable;
  const guildId = message.guildId;
  safely(ctx, "recording a sent answer", () =>
    ctx.pins.recordAnswer({
      guildId,
      channelId: message.channelId,
      messageId: message.id,
      question,
      citations,
      answeredAt: ctx.now(),
    }),
  );
}

/**
 * The guild's pinned answer for `question`, if one matches (and, when the question is about one
 * article, cites that article). A store that fails is logged and answered around: the articles
 * still answer.
 */
function findPinned(
  ctx: CommandContext,
  guildId: string,
  question: string,
  articleId: string | undefined,
): PinnedAnswer | undefined {
  const found = safely(ctx, "looking up pinned answers", () =>
    ctx.pins.findPinnedAnswer(guildId, question),
  );
  if (!found) return undefined;
  const wanted = articleId?.trim().toLowerCase();
  if (wanted && !found.pin.citations.some((c) => c.articleId.toLowerCase() === wanted)) {
    return undefined;
  }
  ctx.log.debug({ pinId: found.pin.id, similarity: found.similarity }, "pinned answer matched");
  return found;
}

const sameParagraph = (a: Citation, b: Citation) =>
  a.articleId === b.articleId && a.paragraph === b.paragraph;

/**
 * The pinned answer, then the retrieved citations it does not already quote (with "More
 * sources" for the rest). No Pin button: this question already has a pinned answer.
 */
function pinnedReply(
  ctx: CommandContext,
  pinned: PinnedAnswer,
  cached: CachedAnswer,
): QuestionReply {
  const lead = pinnedAnswerEmbed(pinned.pin);
  const rest = cached.answer.citations.filter(
    (citation) => !pinned.pin.citations.some((quoted) => sameParagraph(citation, quoted)),
  );
  if (rest.length === 0) return { outcome: "ok", pinned, embeds: [lead], components: [] };
  const retrieved = citationsMessage(
    ctx,
    { ...cached, answer: { ...cached.answer, answered: true, citations: rest } },
    0,
  );
  return {
    outcome: "ok",
    pinned,
    embeds: fitEmbeds([lead, ...retrieved.embeds]),
    components: retrieved.components,
  };
}

/** The buttons of an answer with "📌 Pin answer" added to its row (or as the only one). */
function withPinButton(
  rows: APIActionRowComponent<APIButtonComponent>[],
): APIActionRowComponent<APIButtonComponent>[] {
  const [first, ...others] = rows;
  const buttons = [...(first?.components ?? []), pinAnswerButton()];
  return [{ type: ComponentType.ActionRow, components: buttons }, ...others];
}

/** Runs a store call; logs and returns undefined when it throws (a failing disk, a lock). */
function safely<T>(ctx: CommandContext, doing: string, call: () => T): T | undefined {
  try {
    return call();
  } catch (error) {
    ctx.log.error({ err: error }, `pins: failed ${doing}`);
    return undefined;
  }
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
