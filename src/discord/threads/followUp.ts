/**
 * Conversations in threads, the Discord side: the "Follow up" button on public answers, the
 * thread it opens on the answer's message (named after the question, its first turn the
 * answer's), and which threads are conversations, where every member's message is a question:
 * the threads newsdesk opened that way, and the posts of the forums listed in QA_CHANNEL_IDS.
 * What a turn holds and when it is kept is the answer policy's (src/answer/answerPolicy.ts); the
 * turns are in the conversation store (src/threads/ConversationStore.ts).
 */
import {
  type APIButtonComponent,
  type ButtonInteraction,
  ButtonStyle,
  type Channel,
  ChannelType,
  ComponentType,
  DiscordAPIError,
  type Message,
  MessageFlags,
  PermissionFlagsBits,
  RESTJSONErrorCodes,
  ThreadAutoArchiveDuration,
} from "discord.js";
import type { SentAnswer } from "../../pins/types.js";
import { threadName } from "../format/followUp.js";
import { NO_MENTIONS } from "../format/format.js";
import { replies } from "../format/replies.js";
import type { CommandContext, HandlerOutcome } from "../framework/command.js";

/** custom_id of the "Follow up" button on public answers (handled by `/ask`). */
export const FOLLOW_UP_ID = "ask:followup";

/** What the bot needs in a channel to open a thread there and answer in it. */
const THREAD_PERMISSIONS = [
  PermissionFlagsBits.CreatePublicThreads,
  PermissionFlagsBits.SendMessagesInThreads,
];

/** The "Follow up" button. */
export function followUpButton(): APIButtonComponent {
  return {
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    label: "Follow up",
    emoji: { name: "💬" },
    custom_id: FOLLOW_UP_ID,
  };
}

/** How a channel takes part in conversations. */
export type ConversationKind =
  /** A thread newsdesk opened on an answer ("Follow up"). */
  | "thread"
  /** A post of a forum listed in QA_CHANNEL_IDS. */
  | "forum-post";

/**
 * Whether `channel` is a conversation, where every member's message is a question: a thread
 * the bot opened (only "Follow up" opens threads), or a post in a Q&A forum. Undefined for
 * any other channel, threads that members opened included.
 */
export function conversationKind(
  channel: Channel | null,
  botUserId: string,
  qaChannelIds: readonly string[],
): ConversationKind | undefined {
  if (!channel?.isThread() || channel.type !== ChannelType.PublicThread) return undefined;
  if (channel.ownerId === botUserId) return "thread";
  const { parentId } = channel;
  if (
    parentId !== null &&
    qaChannelIds.includes(parentId) &&
    channel.parent?.type === ChannelType.GuildForum
  ) {
    return "forum-post";
  }
  return undefined;
}

/** Whether `message` is the first message of a forum post (its id is the post's). */
export function isPostStarter(message: Message): boolean {
  return message.id === message.channelId && message.channel.isThread();
}

/**
 * "Follow up": acknowledges at once (privately), then opens a public thread on the answer's
 * message, named after its question, with the answer as the conversation's first turn, and
 * tells the member where it is. A second click (anyone's) points to the thread already there.
 * Refused with a message: outside a server's text channel, without the permission to open
 * threads, and for an answer too old for newsdesk to know its question.
 */
export async function openFollowUpThread(
  interaction: ButtonInteraction,
  ctx: CommandContext,
): Promise<HandlerOutcome> {
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const tell = (content: string) =>
    interaction.editReply({ content, allowedMentions: NO_MENTIONS }).then(() => undefined);
  const { message } = interaction;
  const guildId = interaction.guildId;
  if (guildId === null || message.channel.isThread() || !message.channel.isTextBased()) {
    await tell(replies.followUpNotHere);
    return "invalid";
  }
  if (message.hasThread || message.thread) {
    await tell(replies.followUpIn(message.id));
    return "ok";
  }
  if (!interaction.appPermissions.has(THREAD_PERMISSIONS)) {
    await tell(replies.followUpNoPermission);
    return "forbidden";
  }
  const sent = await ctx.pins.getAnswer(guildId, message.id);
  if (sent === undefined) {
    await tell(replies.followUpTooOld);
    return "invalid";
  }
  let threadId: string;
  try {
    const thread = await message.startThread({
      name: threadName(sent.question),
      autoArchiveDuration: ThreadAutoArchiveDuration.OneDay,
    });
    threadId = thread.id;
    await recordFirstTurn(ctx, sent, threadId);
    // The thread is open: a welcome line that fails costs nothing the member needs.
    await thread
      .send({ content: replies.threadWelcome, allowedMentions: NO_MENTIONS })
      .catch((error: unknown) => ctx.log.warn({ err: error, threadId }, "thread welcome failed"));
  } catch (error) {
    if (!(error instanceof DiscordAPIError)) throw error;
    if (error.code === RESTJSONErrorCodes.ThreadAlreadyCreatedForMessage) {
      // Another member clicked first: the thread is there.
      await tell(replies.followUpIn(message.id));
      return "ok";
    }
    if (
      error.code === RESTJSONErrorCodes.MissingPermissions ||
      error.code === RESTJSONErrorCodes.MissingAccess
    ) {
      await tell(replies.followUpNoPermission);
      return "forbidden";
    }
    throw error;
  }
  await tell(replies.followUpIn(threadId));
  return "ok";
}

/**
 * The answer the thread opens on is its conversation's first turn. A store that fails is
 * logged: the thread is open all the same, its first follow-up read without that turn.
 */
async function recordFirstTurn(
  ctx: CommandContext,
  sent: SentAnswer,
  threadId: string,
): Promise<void> {
  try {
    await ctx.conversations.recordTurn({
      guildId: sent.guildId,
      threadId,
      turn: {
        question: sent.question,
        searched: sent.question,
        citations: sent.citations.map(({ articleId, paragraph }) => ({ articleId, paragraph })),
        answered: sent.citations.length > 0,
      },
      at: ctx.now(),
    });
  } catch (error) {
    ctx.log.error(
      { err: error, threadId },
      "conversations: failed recording a thread's first turn",
    );
  }
}
