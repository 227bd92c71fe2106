/**
 * Questions asked in plain messages: a message that mentions the bot (`<@bot> question`); in
 * the configured Q&A channels, any message ending with "?"; in a conversation (a thread opened
 * by "Follow up", a post of a Q&A forum), any member's message with words in it, read in the
 * light of the conversation's earlier turns. The answer comes as a reply that pings nobody, the
 * author included.
 */
import type { Message } from "discord.js";
import { NO_MENTIONS_REPLY } from "../format/format.js";
import { replies } from "../format/replies.js";
import type { CommandContext, HandlerOutcome } from "../framework/command.js";
import { checkPreconditions, type Preconditions } from "../framework/preconditions.js";
import { conversationKind, isPostStarter } from "../threads/followUp.js";
import { sendAnswer } from "./answerReply.js";

/**
 * How a message asked: by mentioning the bot, by ending with "?" in a Q&A channel, or by being
 * said in a conversation: a "Follow up" thread, or a Q&A forum's post.
 */
export type AskedBy = "mention" | "qa-channel" | "thread" | "forum-post";

/** A question found in a message; `question` is empty when the mention came without words. */
export interface MessageQuestion {
  readonly askedBy: AskedBy;
  readonly question: string;
}

/** A question in a message counts against the asker's cooldown, as `/ask` does. */
const MESSAGE_QUESTION: Preconditions = { cooldown: true };

/** Reacted to a refused question after the one "slow down" reply of a window. */
const COOLDOWN_REACTION = "⏳";

/** A letter or a digit: a text without one asks nothing. */
const HAS_WORDS = /[\p{L}\p{N}]/u;

/** A written mention of the bot, `<@id>` or `<@!id>`. */
const mentionOf = (botUserId: string) => new RegExp(`<@!?${botUserId}>`, "g");

/** `content` with the bot's mentions taken out and its spaces made single. */
function withoutMention(content: string, botUserId: string): string {
  return content.replace(mentionOf(botUserId), " ").replace(/\s+/g, " ").trim();
}

/**
 * The question a message asks the bot, or undefined when it asks none. Only a written mention
 * (`<@id>` or `<@!id>`) counts: replying to the bot pings it too, but is not asking it.
 *
 * @param content - the message text
 * @param botUserId - the bot's user id
 * @param inQaChannel - whether the message is in a Q&A channel
 */
export function questionIn(
  content: string,
  botUserId: string,
  inQaChannel: boolean,
): MessageQuestion | undefined {
  if (mentionOf(botUserId).test(content)) {
    const question = withoutMention(content, botUserId);
    return { askedBy: "mention", question: HAS_WORDS.test(question) ? question : "" };
  }
  const text = content.trim();
  if (inQaChannel && text.endsWith("?") && HAS_WORDS.test(text)) {
    return { askedBy: "qa-channel", question: text };
  }
  return undefined;
}

/** The question of `message` for the bot `botUserId`, or undefined when it is not for the bot. */
export function messageQuestion(
  message: Message,
  botUserId: string,
  qaChannelIds: readonly string[],
): MessageQuestion | undefined {
  if (message.author.bot || message.webhookId !== null || message.system) return undefined;
  if (!message.inGuild()) return undefined;
  const conversation = conversationKind(message.channel, botUserId, qaChannelIds);
  if (conversation !== undefined) return conversationQuestion(message, botUserId, conversation);
  if (!message.mentions.users.has(botUserId) && !qaChannelIds.includes(message.channelId)) {
    return undefined;
  }
  return questionIn(message.content, botUserId, qaChannelIds.includes(message.channelId));
}

/**
 * The question of a message said in a conversation: its words (without a mention of the bot);
 * a forum post's first message is asked with the post's title before it. Undefined when it has
 * no words (an emoji, a mention alone): nobody asked anything.
 */
function conversationQuestion(
  message: Message<true>,
  botUserId: string,
  askedBy: "thread" | "forum-post",
): MessageQuestion | undefined {
  const said = withoutMention(message.content, botUserId);
  const title = askedBy === "forum-post" && isPostStarter(message) ? message.channel.name : "";
  const question = [title.trim(), said].filter((part) => part !== "").join("\n");
  return HAS_WORDS.test(question) ? { askedBy, question } : undefined;
}

/**
 * Answers the question found by {@link messageQuestion} with a reply that pings nobody: a hint
 * for an empty mention, a cooldown notice (once a window, then a reaction), or the answer.
 */
export async function handleMessage(
  message: Message,
  ctx: CommandContext,
  asked: MessageQuestion,
): Promise<HandlerOutcome> {
  if (asked.question === "") {
    await message.reply({ content: replies.emptyMention, allowedMentions: NO_MENTIONS_REPLY });
    return "invalid";
  }
  const refusal = checkPreconditions(
    MESSAGE_QUESTION,
    { userId: message.author.id, guildId: message.guildId, permissions: null },
    ctx.cooldown,
  );
  if (refusal) {
    // One notice a window; later questions only get a reaction, so a burst is not a flood.
    if (refusal.firstRefusal) {
      await message.reply({ content: refusal.content, allowedMentions: NO_MENTIONS_REPLY });
    } else {
      await message.react(COOLDOWN_REACTION);
    }
    return refusal.outcome;
  }
  const inConversation = asked.askedBy === "thread" || asked.askedBy === "forum-post";
  const where = {
    guildId: message.guildId,
    channelId: message.channelId,
    inThread: message.channel.isThread(),
    ...(inConversation ? { conversationId: message.channelId } : {}),
  };
  return sendAnswer(ctx, asked.question, where, {
    answer: (body) => message.reply({ ...body, allowedMentions: NO_MENTIONS_REPLY }),
    refuse: async (content) => {
      await message.reply({ content, allowedMentions: NO_MENTIONS_REPLY });
    },
  });
}
