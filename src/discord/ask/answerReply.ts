/**
 * A question in, the Discord message that answers it out: shared by `/ask`, questions in
 * messages and the "More sources" button, so all three answer and paginate the same way. What
 * to show and what to record is decided by `planAnswer` (src/answer/answerPolicy.ts); this file
 * formats it (the pinned answer's embed first, the excerpts, "More sources" and "📌 Pin
 * answer" buttons, and in a server a last row of 👍/👎) and, once the caller has sent it, has the
 * policy record it.
 */
import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  ButtonStyle,
  ComponentType,
} from "discord.js";
import {
  type AnswerPlan,
  type AnswerPolicyContext,
  type AskedWhere,
  planAnswer,
  recordAfterReply,
} from "../../answer/answerPolicy.js";
import type { AnswerErrorCode } from "../../answer/errors.js";
import type { Citation } from "../../answer/types.js";
import { followUpLine } from "../format/followUp.js";
import { abstainEmbeds, answerEmbeds, fitEmbeds, pinnedAnswerEmbed } from "../format/format.js";
import { replies } from "../format/replies.js";
import type { CommandContext } from "../framework/command.js";
import { pinAnswerButton } from "../pins/pinning.js";
import { followUpButton } from "../threads/followUp.js";
import { voteRow } from "../votes/voteButtons.js";
import type { CachedAnswer } from "./AnswerCache.js";

/** Where a question was asked, as the policy needs it, and whether that is a thread. */
export interface AskedIn extends AskedWhere {
  /** Asked in a thread: no thread can be opened on its answer ("Follow up" is not offered). */
  readonly inThread?: boolean;
}

export type { AskedWhere };

/** Citations in the answer itself; the rest are behind "More sources", this many a click. */
export const CITATIONS_SHOWN = 3;

/** custom_id of "More sources": `ask:more:<cache key>:<offset of the first citation to show>`. */
export const MORE_SOURCES_PREFIX = "ask:more";

/**
 * A message to send: embeds, maybe a row of buttons ("More sources", "Pin answer", "Follow
 * up"), and in a conversation the line saying how the follow-up was read.
 */
export interface AnswerMessage {
  readonly content?: string;
  readonly embeds: APIEmbed[];
  readonly components: APIActionRowComponent<APIButtonComponent>[];
}

export type QuestionReply =
  | (AnswerMessage & {
      readonly outcome: "ok" | "abstained";
      /** What the policy decided: the pinned answer, the citations, what to record. */
      readonly plan: AnswerPlan;
    })
  | {
      readonly outcome: "invalid";
      readonly code: AnswerErrorCode;
      /** Why, for the asker only. */
      readonly content: string;
    };

/** The answer policy's view of a handler's context. */
function policy(ctx: CommandContext): AnswerPolicyContext {
  return {
    answers: ctx.services.answers,
    pins: ctx.pins,
    conversations: ctx.conversations,
    questions: ctx.votes,
    log: ctx.log,
    now: ctx.now,
  };
}

/**
 * The reply to `question`, formatted: the guild's matching pinned answer first, if any, then the
 * citations (with "More sources" when there are more, and "📌 Pin answer" when it can be
 * pinned), or an abstention with the closest articles. Expected failures (no words, unknown
 * article) come back as "invalid". Nothing is stored yet: see {@link recordReply}.
 */
export async function answerQuestion(
  ctx: CommandContext,
  question: string,
  where: AskedIn,
): Promise<QuestionReply> {
  const plan = await planAnswer(policy(ctx), question, where);
  if (plan.kind === "invalid") {
    const content =
      plan.code === "UNKNOWN_ARTICLE"
        ? replies.unknownArticle(where.articleId ?? "")
        : replies.emptyQuestion;
    return { outcome: "invalid", code: plan.code, content };
  }
  const content = followUpLine(plan.answer.followUp);
  const reading = content === undefined ? {} : { content };
  if (plan.kind === "abstained") {
    return {
      outcome: "abstained",
      plan,
      ...reading,
      embeds: abstainEmbeds(question, plan.articlesSearched, plan.suggestions),
      components: [],
    };
  }
  const retrieved: AnswerMessage = plan.answer.answered
    ? citationsMessage(ctx, plan, 0)
    : { embeds: [], components: [] };
  const lead = plan.pinned ? [pinnedAnswerEmbed(plan.pinned.pin)] : [];
  // "Follow up" opens its thread from the kept answer (its question): only a pinnable one is.
  const followable = plan.pinnable && !where.inThread;
  const rows = plan.pinnable
    ? withAnswerButtons(retrieved.components, followable)
    : retrieved.components;
  return {
    outcome: "ok",
    plan,
    ...reading,
    embeds: lead.length === 0 ? retrieved.embeds : fitEmbeds([...lead, ...retrieved.embeds]),
    // Votes need the question log, kept only in a server: elsewhere there is nothing to count on.
    components: plan.asked === undefined ? rows : [...rows, voteRow({ up: 0, down: 0 })],
  };
}

/**
 * Once `reply` is sent, stores what its plan says (an unanswered question; a public answer under
 * its message, so it can be pinned). Failures are logged, never shown: the answer is sent.
 *
 * @param message - the sent message, when there is one to keep
 */
export function recordReply(
  ctx: CommandContext,
  reply: QuestionReply,
  message?: { readonly id: string; readonly channelId: string },
): void {
  if (reply.outcome === "invalid") return;
  const sent = message && { channelId: message.channelId, messageId: message.id };
  recordAfterReply(policy(ctx), reply.plan, sent, CITATIONS_SHOWN);
}

/** How a surface delivers an answer: the message itself, or a refusal only the asker sees. */
export interface AnswerSender {
  /** Sends the answer; resolves with the sent message (the one a moderator may pin). */
  answer(message: AnswerMessage): Promise<{ readonly id: string; readonly channelId: string }>;
  /** Tells the asker why there is no answer (no words, an unknown article). */
  refuse(content: string): Promise<void>;
}

/**
 * Answers `question` through `send` and, once the answer is sent, records what the policy says:
 * the one path of `/ask` and of questions asked in messages.
 *
 * @returns the outcome to log
 */
export async function sendAnswer(
  ctx: CommandContext,
  question: string,
  where: AskedIn,
  send: AnswerSender,
): Promise<"ok" | "abstained" | "invalid"> {
  const reply = await answerQuestion(ctx, question, where);
  if (reply.outcome === "invalid") {
    await send.refuse(reply.content);
    return "invalid";
  }
  const sent = await send.answer({
    ...(reply.content === undefined ? {} : { content: reply.content }),
    embeds: reply.embeds,
    components: reply.components,
  });
  recordReply(ctx, reply, sent);
  return reply.outcome;
}

/**
 * The buttons of an answer with "📌 Pin answer" and, when `followable`, "💬 Follow up" added to
 * its first row (or as the only ones).
 */
function withAnswerButtons(
  rows: APIActionRowComponent<APIButtonComponent>[],
  followable: boolean,
): APIActionRowComponent<APIButtonComponent>[] {
  const [first, ...others] = rows;
  const buttons = [
    ...(first?.components ?? []),
    pinAnswerButton(),
    ...(followable ? [followUpButton()] : []),
  ];
  return [{ type: ComponentType.ActionRow, components: buttons }, ...others];
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

/**
 * The cached answer without the citations, from `offset` on, of articles that are gone (removed
 * from the library since, or no longer visible here): "More sources" must not quote an article a
 * moderator removed. Those before `offset` were shown already and keep the offsets valid.
 * @returns `cached` itself when every citation is live
 */
export function withoutRemovedCitations(
  cached: CachedAnswer,
  offset: number,
  isLive: (citation: Citation) => boolean,
): CachedAnswer {
  const { citations } = cached.answer;
  const later = citations.slice(offset);
  const live = later.filter(isLive);
  if (live.length === later.length) return cached;
  return {
    ...cached,
    answer: { ...cached.answer, citations: [...citations.slice(0, offset), ...live] },
  };
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
