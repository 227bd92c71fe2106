/**
 * What a question asked in a server gets, whatever surface shows it: the rule "a moderator's
 * pinned answer first, then the articles' excerpts it does not already quote; a question the
 * articles cannot answer, or answer only with low confidence, is recorded for the moderators; a
 * public answer is kept so that its message can be pinned; a question asked in a conversation (a
 * thread) is read with the conversation's earlier turns, and its turn is kept for the next".
 * {@link planAnswer} decides what to show and what to record; the surface acknowledges the
 * question first (Discord gives 3 s), formats and sends the reply, then calls
 * {@link recordAfterReply}, so that nothing is stored before the asker has the answer, and a
 * store that fails never costs the answer.
 *
 * The store calls before the reply are reads: the pinned-answer lookup and, in a thread, its
 * conversation's turns. SQLite's WAL mode lets them run while another process writes, and the
 * store bounds any wait to a few milliseconds; when one fails, the answer goes out without the
 * pin (or read without the conversation) and the failure is logged. The records after the reply
 * never block on a lock: the pin store queues them (see src/store/RecordQueue.ts), and a conversation's
 * turn is written in the background, retrying a lock for a while (ConversationStore.ts).
 */
import type { Logger } from "../log.js";
import type { PinnedAnswer, PinStore, SentAnswer, UnansweredQuestion } from "../pins/types.js";
import type { LoggedQuestion } from "../votes/types.js";
import type { VoteStore } from "../votes/VoteStore.js";
import type { AnswerService } from "./answerService.js";
import { AnswerError, type AnswerErrorCode } from "./errors.js";
import type { Answer, Citation, ConversationTurn } from "./types.js";

/** Citations asked of the answer service: what a surface can page through ("More sources"). */
export const CITATIONS_KEPT = 10;

/** Articles an abstention suggests. */
export const SUGGESTIONS = 3;

/** The pin store calls an answer makes: a lookup before, records after. */
export type AnswerRecords = Pick<
  PinStore,
  "findPinnedAnswer" | "recordUnanswered" | "recordAnswer"
>;

/** The conversation calls an answer in a thread makes: its turns before, its own turn after. */
export interface ConversationRecords {
  /** The thread's last turns, oldest first (none when idle or unknown). */
  turns(guildId: string, threadId: string, now: number): Promise<readonly ConversationTurn[]>;
  /** Stores a turn; rejects when it is not kept. */
  recordTurn(record: {
    readonly guildId: string;
    readonly threadId: string;
    readonly turn: ConversationTurn;
    readonly at: number;
  }): Promise<void>;
}
/** The question log's call after a reply (see src/votes/). */
export type QuestionRecords = Pick<VoteStore, "recordQuestion">;

/** What {@link planAnswer} and {@link recordAfterReply} work with. */
export interface AnswerPolicyContext {
  readonly answers: AnswerService;
  readonly pins: AnswerRecords;
  /** The conversations of threads; absent where there are none (the command line). */
  readonly conversations?: ConversationRecords;
  /** Where every question asked in a server is logged, with what it got. */
  readonly questions: QuestionRecords;
  /** Where a failing store is logged. */
  readonly log: Logger;
  /** The clock of the records (epoch milliseconds). */
  readonly now: () => number;
}

/** Where a question was asked, and who sees the answer. */
export interface AskedWhere {
  /** null outside a server: no pins, nothing recorded. */
  readonly guildId: string | null;
  readonly channelId: string;
  /** Only search this article. */
  readonly articleId?: string;
  /** Only the asker sees the answer: it cannot be pinned, so it is not kept. */
  readonly private?: boolean;
  /**
   * The thread (or forum post) the question is asked in, when it is a conversation: its earlier
   * turns go to the answer service with the question, and a public answer's turn is kept.
   */
  readonly conversationId?: string;
}

/** An article to suggest when the articles do not answer. */
export interface ArticleSuggestion {
  readonly id: string;
  readonly title: string;
}

/** One thing to store once the reply is sent (see {@link recordAfterReply}). */
export type AnswerRecord =
  | { readonly kind: "unanswered"; readonly question: UnansweredQuestion }
  | {
      readonly kind: "answer";
      readonly guildId: string;
      readonly question: string;
      readonly citations: readonly Citation[];
    }
  | {
      /** The question's turn in its thread's conversation. */
      readonly kind: "turn";
      readonly guildId: string;
      readonly threadId: string;
      readonly turn: ConversationTurn;
    };

/**
 * A question asked in a server, for the question log: all but the reply's message and the time,
 * which {@link recordAfterReply} adds. Its citations are all the reply may show (the pin's, then
 * the articles'); the surface says how many it showed.
 */
export type AskedEntry = Omit<LoggedQuestion, "messageId" | "at" | "citations"> & {
  readonly pinCitations: readonly Citation[];
  readonly answerCitations: readonly Citation[];
};

/** What to show for a question, and what to record after. */
export type AnswerPlan =
  | {
      readonly kind: "answered";
      /** The moderators' pinned answer to lead with, if one matched. */
      readonly pinned?: PinnedAnswer;
      /**
       * The articles' answer: with a pin, only the citations the pin does not quote (perhaps
       * none). Its `question` is the asker's.
       */
      readonly answer: Answer;
      readonly articlesSearched: number;
      /** Whether the reply offers to pin it: public, in a server, not led by a pin. */
      readonly pinnable: boolean;
      /** What to store once the reply is sent. */
      readonly records: readonly AnswerRecord[];
      /** What to log once the reply is sent; undefined outside a server. */
      readonly asked?: AskedEntry;
    }
  | {
      readonly kind: "abstained";
      readonly answer: Answer;
      readonly articlesSearched: number;
      /** The closest articles, so the asker knows where to look. */
      readonly suggestions: readonly ArticleSuggestion[];
      /** What to store once the reply is sent. */
      readonly records: readonly AnswerRecord[];
      /** What to log once the reply is sent; undefined outside a server. */
      readonly asked?: AskedEntry;
    }
  | {
      /** No words, or an unknown article: the surface tells the asker. */
      readonly kind: "invalid";
      readonly code: AnswerErrorCode;
    };

const sameParagraph = (a: Citation, b: Citation) =>
  a.articleId === b.articleId && a.paragraph === b.paragraph;

/**
 * Decides the reply to `question`: the server's matching pinned answer first, if any, then the
 * citations from the articles (or one article); with neither, an abstention with the closest
 * articles. Reads the pin store (a failing or locked store is logged and answered around: the
 * answer goes out without the pin), writes nothing.
 *
 * @param question - as the asker wrote it
 * @param where - see {@link AskedWhere}
 */
export async function planAnswer(
  ctx: AnswerPolicyContext,
  question: string,
  where: AskedWhere,
): Promise<AnswerPlan> {
  const { articleId, guildId } = where;
  const conversation = await earlierTurns(ctx, where);
  let answer: Answer;
  try {
    answer = ctx.answers.ask(question, {
      top: CITATIONS_KEPT,
      ...(articleId === undefined ? {} : { articleId }),
      ...(guildId === null ? {} : { guildId }),
      ...(conversation.length === 0 ? {} : { conversation }),
    });
  } catch (error) {
    if (error instanceof AnswerError) return { kind: "invalid", code: error.code };
    throw error;
  }
  const turn = turnRecord(where, question, answer);
  const articlesSearched =
    articleId === undefined ? ctx.answers.library.count(guildId ?? undefined) : 1;
  const pinned = guildId === null ? undefined : await findPinned(ctx, guildId, question, articleId);
  if (pinned) {
    const rest = answer.citations.filter(
      (citation) => !pinned.pin.citations.some((quoted) => sameParagraph(citation, quoted)),
    );
    const shown: Answer = {
      question,
      answered: rest.length > 0,
      confidence: rest.length > 0 ? answer.confidence : "none",
      citations: rest,
    };
    return {
      kind: "answered",
      pinned,
      answer: shown,
      articlesSearched,
      pinnable: false,
      records: turn ? [turn] : [],
      asked: {
        guildId: pinned.pin.guildId,
        channelId: where.channelId,
        question,
        outcome: "pinned",
        confidence: shown.confidence,
        pinId: pinned.pin.id,
        pinCitations: pinned.pin.citations,
        answerCitations: rest,
      },
    };
  }
  if (!answer.answered) {
    return {
      kind: "abstained",
      answer,
      articlesSearched,
      suggestions: ctx.answers.closestArticles(question, SUGGESTIONS, guildId ?? undefined),
      records: [
        ...(guildId === null
          ? []
          : [unanswered(ctx, { guildId, channelId: where.channelId }, question)]),
        ...(turn ? [turn] : []),
      ],
      ...(guildId === null
        ? {}
        : { asked: askedEntry(guildId, where.channelId, question, answer, "abstained") }),
    };
  }
  const pinnable = guildId !== null && !where.private;
  const records: AnswerRecord[] = [];
  if (pinnable) records.push({ kind: "answer", guildId, question, citations: answer.citations });
  // A low-confidence answer may not really answer: the moderators see it with the unanswered.
  if (guildId !== null && answer.confidence === "low") {
    records.push(unanswered(ctx, { guildId, channelId: where.channelId }, question, true));
  }
  if (turn) records.push(turn);
  const outcome = answer.confidence === "low" ? "low" : "high";
  return {
    kind: "answered",
    answer,
    articlesSearched,
    pinnable,
    records,
    ...(guildId === null
      ? {}
      : { asked: askedEntry(guildId, where.channelId, question, answer, outcome) }),
  };
}

function askedEntry(
  guildId: string,
  channelId: string,
  question: string,
  answer: Answer,
  outcome: "high" | "low" | "abstained",
): AskedEntry {
  return {
    guildId,
    channelId,
    question,
    outcome,
    confidence: answer.confidence,
    pinCitations: [],
    answerCitations: answer.citations,
  };
}

/**
 * The earlier turns of the conversation the question is asked in (none outside one). A store
 * that fails is logged and answered around: the question is then read on its own.
 */
async function earlierTurns(
  ctx: AnswerPolicyContext,
  where: AskedWhere,
): Promise<readonly ConversationTurn[]> {
  const { conversationId, guildId } = where;
  const store = ctx.conversations;
  if (conversationId === undefined || guildId === null || store === undefined) return [];
  return (
    (await safelyRead(ctx, "reading a conversation", () =>
      store.turns(guildId, conversationId, ctx.now()),
    )) ?? []
  );
}

/**
 * The turn to keep for a question asked in a conversation, as the service read it; none for a
 * private answer (the thread did not see it) or outside a conversation.
 */
function turnRecord(where: AskedWhere, question: string, answer: Answer): AnswerRecord | undefined {
  const { conversationId, guildId } = where;
  if (conversationId === undefined || guildId === null || where.private) return undefined;
  return {
    kind: "turn",
    guildId,
    threadId: conversationId,
    turn: {
      question,
      searched: answer.followUp?.searched ?? question,
      citations: answer.citations.map(({ articleId, paragraph }) => ({ articleId, paragraph })),
      answered: answer.answered,
    },
  };
}

function unanswered(
  ctx: AnswerPolicyContext,
  where: { readonly guildId: string; readonly channelId: string },
  question: string,
  uncertain = false,
): AnswerRecord {
  return {
    kind: "unanswered",
    question: { ...where, question, at: ctx.now(), ...(uncertain ? { uncertain } : {}) },
  };
}

/**
 * Stores what `plan` says to store, once its reply is sent: an unanswered (or uncertainly
 * answered) question, the sent answer under its message (so a moderator can pin it), and the
 * question in the question log (what votes refer to). The stores write them at once or retry
 * them while the database is locked; a failure is logged, never thrown: the asker already has
 * the answer.
 *
 * @param sent - the reply's message; a public answer without one is not kept
 * @param citationsShown - how many of the pin's and of the articles' citations the reply showed
 *   (default: all), which is what the question log keeps
 */
export function recordAfterReply(
  ctx: AnswerPolicyContext,
  plan: AnswerPlan,
  sent?: { readonly channelId: string; readonly messageId: string },
  citationsShown: number = CITATIONS_KEPT,
): void {
  if (plan.kind === "invalid") return;
  if (plan.asked !== undefined) {
    const { pinCitations, answerCitations, ...entry } = plan.asked;
    const logged: LoggedQuestion = {
      ...entry,
      ...(sent === undefined ? {} : { channelId: sent.channelId, messageId: sent.messageId }),
      citations: [
        ...pinCitations.slice(0, citationsShown),
        ...answerCitations.slice(0, citationsShown),
      ],
      at: ctx.now(),
    };
    safely(ctx, "logging a question", () => ctx.questions.recordQuestion(logged));
  }
  for (const record of plan.records) {
    if (record.kind === "unanswered") {
      safely(ctx, "recording an unanswered question", () =>
        ctx.pins.recordUnanswered(record.question),
      );
      continue;
    }
    if (record.kind === "turn") {
      recordTurn(ctx, record);
      continue;
    }
    if (sent === undefined) continue;
    const kept: SentAnswer = {
      guildId: record.guildId,
      channelId: sent.channelId,
      messageId: sent.messageId,
      question: record.question,
      citations: record.citations,
      answeredAt: ctx.now(),
    };
    safely(ctx, "recording a sent answer", () => ctx.pins.recordAnswer(kept));
  }
}

/**
 * The guild's pinned answer for `question`, if one matches (and, when the question is about one
 * article, cites that article).
 */
async function findPinned(
  ctx: AnswerPolicyContext,
  guildId: string,
  question: string,
  articleId: string | undefined,
): Promise<PinnedAnswer | undefined> {
  const found = await safelyRead(ctx, "looking up pinned answers", () =>
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

/** Stores a conversation's turn in the background; a failure is logged, never thrown. */
function recordTurn(
  ctx: AnswerPolicyContext,
  record: Extract<AnswerRecord, { kind: "turn" }>,
): void {
  const store = ctx.conversations;
  if (store === undefined) return;
  const { guildId, threadId, turn } = record;
  const failed = (error: unknown) =>
    ctx.log.error({ err: error, threadId }, "conversations: failed recording a turn");
  try {
    store.recordTurn({ guildId, threadId, turn, at: ctx.now() }).catch(failed);
  } catch (error) {
    failed(error);
  }
}

/**
 * Runs a store read; logs and resolves undefined when it fails (a failing disk, a lock, a
 * database server restarting): the question is answered around it.
 */
async function safelyRead<T>(
  ctx: AnswerPolicyContext,
  doing: string,
  read: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    ctx.log.error({ err: error }, `pins: failed ${doing}`);
    return undefined;
  }
}

/** Runs a store call; logs and returns undefined when it throws (a failing disk, a lock). */
function safely<T>(ctx: AnswerPolicyContext, doing: string, call: () => T): T | undefined {
  try {
    return call();
  } catch (error) {
    ctx.log.error({ err: error }, `pins: failed ${doing}`);
    return undefined;
  }
}
