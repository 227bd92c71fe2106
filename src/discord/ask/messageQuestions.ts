/**
 * Questions asked in plain messages: a message that mentions the bot (`<@bot> question`), or,
 * in the configured Q&A channels, any message ending with "?". The answer comes as a reply that
 * pings nobody, the author included.
 */
import type { Message } from "discord.js";
import { NO_MENTIONS_REPLY } from "../format/format.js";
import { replies } from "../format/replies.js";
import type { CommandContext, HandlerOutcome } from "../framework/command.js";
import { checkPreconditions, type Preconditions } from "../framework/preconditions.js";
import { sendAnswer } from "./answerReply.js";

/** How a message asked: by mentioning the bot, or by ending with "?" in a Q&A channel. */
export type AskedBy = "mention" | "qa-channel";

/** A question found in a message; `question` is empty when the mention came without words. */
export interface MessageQuestion {
  readonly askedBy: AskedBy;
  readonly question: string;
}

/** A question in a message counts against the asker's cooldown, as `/ask` does. */
const MESSAGE_QUESTION: Preconditions = { cooldown: true };

/** Reacted to a refused question after the one "slow down" reply of a window. */
const COOLDOWN_REACTION = "⏳";

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
  const mention = new RegExp(`<@!?${botUserId}>`, "g");
  if (mention.test(content)) {
    const question = content.replace(mention, " ").replace(/\s+/g, " ").trim();
    return { askedBy: "mention", question: /[\p{L}\p{N}]/u.test(question) ? question : "" };
  }
  const text = content.trim();
  if (inQaChannel && text.endsWith("?") && /[\p{L}\p{N}]/u.test(text)) {
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
  if (!message.mentions.users.has(botUserId) && !qaChannelIds.includes(message.channelId)) {
    return undefined;
  }
  return questionIn(message.content, botUserId, qaChannelIds.includes(message.channelId));
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
  const where = { guildId: message.guildId, channelId: message.channelId };
  return sendAnswer(ctx, asked.question, where, {
    answer: (body) => message.reply({ ...body, allowedMentions: NO_MENTIONS_REPLY }),
    refuse: async (content) => {
      await message.reply({ content, allowedMentions: NO_MENTIONS_REPLY });
    },
  });
}
