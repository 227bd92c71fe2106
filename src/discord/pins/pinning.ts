/**
 * Pinning answers, the Discord side: who may pin, pinning and unpinning a message in its channel
 * (and saying why that failed), and pinning one of the bot's answers from its message, shared by
 * the "📌 Pin answer" button and the "Pin answer" context menu. The store decides what a pin is;
 * this file only talks to Discord.
 */
import {
  type APIButtonComponent,
  type APIMessage,
  ButtonStyle,
  type Client,
  ComponentType,
  DiscordAPIError,
  type Message,
  MessageFlags,
  RESTJSONErrorCodes,
  type RepliableInteraction,
  Routes,
} from "discord.js";
import type { Logger } from "../../log.js";
import type { Pin } from "../../pins/types.js";
import { NO_MENTIONS, PINNED_LABEL, pinFooter, removedPinFooter } from "../format/format.js";
import { replies } from "../format/replies.js";
import type { CommandContext, HandlerOutcome } from "../framework/command.js";
import { requireGuildId } from "../framework/preconditions.js";
import { replyPrivately } from "../framework/respond.js";
import { orStoreRefusal } from "../framework/storeRefusal.js";

/** custom_id of the "📌 Pin answer" button on the bot's public answers (handled by `/pins`). */
export const PIN_ANSWER_ID = "pins:answer";

/** The "📌 Pin answer" button. */
export function pinAnswerButton(): APIButtonComponent {
  return {
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    label: "Pin answer",
    emoji: { name: "📌" },
    custom_id: PIN_ANSWER_ID,
  };
}

/** How a channel pin or unpin went: done, or why not, as a sentence for the moderator. */
export type ChannelPinResult =
  | { readonly done: true }
  | {
      readonly done: false;
      readonly reason: string;
      /** Discord's error code, when Discord answered with one (10008: the message is gone). */
      readonly code?: number;
    };

/** Why Discord refused a pin or unpin, in words, from its error code. */
function refusal(error: unknown, channelId: string, pinning: boolean): string {
  const channel = `<#${channelId}>`;
  if (error instanceof DiscordAPIError) {
    switch (error.code) {
      case RESTJSONErrorCodes.MaximumNumberOfPinsReachedForTheChannel:
        return `${channel} has the most pins Discord allows (250): unpin an old message there and pin this one by hand, or leave it pinned only in newsdesk.`;
      case RESTJSONErrorCodes.MissingPermissions:
        return `I lack the Pin Messages permission in ${channel}: give newsdesk's role Pin Messages there (see the README's invite link).`;
      case RESTJSONErrorCodes.MissingAccess:
        return `I cannot see ${channel} any more: give newsdesk's role View Channel there.`;
      case RESTJSONErrorCodes.UnknownMessage:
        return pinning
          ? "the message was deleted, so there is nothing to pin in the channel."
          : "the message was already deleted.";
      case RESTJSONErrorCodes.UnknownChannel:
        return "the channel was deleted.";
      default:
        return `Discord refused (error ${error.code}: ${error.message}).`;
    }
  }
  return `Discord did not answer (${error instanceof Error ? error.message : String(error)}).`;
}

/**
 * Pins (or unpins) a message in its channel. Never throws for what Discord refuses: the pin is
 * stored either way, and the moderator is told why the channel pin failed.
 */
export async function setChannelPin(
  client: Client,
  channelId: string,
  messageId: string,
  pinned: boolean,
  log: Logger,
): Promise<ChannelPinResult> {
  const route = Routes.channelMessagesPin(channelId, messageId);
  try {
    if (pinned)
      await client.rest.put(route, { reason: "newsdesk: a moderator pinned this answer" });
    else await client.rest.delete(route, { reason: "newsdesk: a moderator removed this pin" });
    return { done: true };
  } catch (error) {
    const code = error instanceof DiscordAPIError ? error.code : undefined;
    log.warn({ channelId, messageId, code, err: error }, pinned ? "pin failed" : "unpin failed");
    return {
      done: false,
      reason: refusal(error, channelId, pinned),
      ...(typeof code === "number" ? { code } : {}),
    };
  }
}

/** The footer of a `/pins add` post once its pin is removed. */
/**
 * After a pin is removed, the message that shows it as a pinned answer (what `/pins add`
 * posted) stops saying so: the "📌 Pinned by moderators" line goes and the footer says the pin
 * was removed. Any other message (an answer pinned with its button) is left as it is. Never
 * throws: the pin is gone either way, and a message that cannot be edited is logged.
 */
export async function markPinRemoved(client: Client<true>, pin: Pin, log: Logger): Promise<void> {
  if (pin.messageId === undefined) return;
  const route = Routes.channelMessage(pin.channelId, pin.messageId);
  try {
    const message = (await client.rest.get(route)) as APIMessage;
    const [shown, ...others] = message.embeds;
    const showsThisPin =
      message.author.id === client.user.id &&
      shown?.author?.name === PINNED_LABEL &&
      shown.footer?.text === pinFooter(pin.id);
    if (!showsThisPin) return;
    const { author: _label, ...rest } = shown;
    await client.rest.patch(route, {
      body: {
        embeds: [{ ...rest, footer: { text: removedPinFooter(pin.id) } }, ...others],
        allowed_mentions: NO_MENTIONS,
      },
    });
  } catch (error) {
    const code = error instanceof DiscordAPIError ? error.code : undefined;
    log.warn({ pinId: pin.id, messageId: pin.messageId, code, err: error }, "unmarking failed");
  }
}

/** What the moderator is told after a pin: its id, and how the channel pin went. */
export function pinnedContent(pin: Pin, channel: ChannelPinResult): string {
  const stored = replies.pinStored(pin.id);
  return channel.done ? stored : `${stored}\n${replies.channelPinFailed(channel.reason)}`;
}

/**
 * Pins one of the bot's answers from its message (the button on it, or the context menu on it,
 * both `moderatorOnly`): refuses messages that are not a recorded answer of the bot, and answers
 * pinned already; else stores the pin with the question and citations the message showed, pins the
 * message in its channel, and tells the moderator privately how both went. Acknowledged (an
 * ephemeral deferral) before the store is touched: a locked database must not cost the 3 s
 * Discord gives an interaction. A database that cannot keep the pin is said, with why, before
 * anything else ("no record of this answer" would send the moderator the wrong way).
 */
export async function pinAnswerMessage(
  interaction: RepliableInteraction,
  message: Message,
  ctx: CommandContext,
): Promise<HandlerOutcome> {
  const guildId = requireGuildId(interaction);
  if (message.author.id !== interaction.client.user.id) {
    await replyPrivately(interaction, replies.notAnAnswer);
    return "invalid";
  }
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  return orStoreRefusal(interaction, ctx, replies.pinNotKept, async () => {
    ctx.pins.checkWritable();
    const existing = await ctx.pins.getPinByMessage(guildId, message.id);
    if (existing) {
      await replyPrivately(interaction, replies.alreadyPinned(existing.id));
      return "invalid";
    }
    const sent = await ctx.pins.getAnswer(guildId, message.id);
    if (!sent) {
      await replyPrivately(interaction, replies.noAnswerRecord);
      return "invalid";
    }
    const pin = await ctx.pins.addPin({
      guildId,
      channelId: sent.channelId,
      messageId: sent.messageId,
      question: sent.question,
      citations: sent.citations,
      pinnedBy: interaction.user.id,
      pinnedAt: ctx.now(),
    });
    return confirmAnswerPin(interaction, ctx, pin, sent);
  });
}

/** Once the pin is kept: pins its message in the channel and tells the moderator both results. */
async function confirmAnswerPin(
  interaction: RepliableInteraction,
  ctx: CommandContext,
  pin: Pin,
  sent: { readonly channelId: string; readonly messageId: string },
): Promise<HandlerOutcome> {
  ctx.log.info({ pinId: pin.id, messageId: sent.messageId }, "answer pinned");
  const channel = await setChannelPin(
    interaction.client,
    sent.channelId,
    sent.messageId,
    true,
    ctx.log,
  );
  await interaction.editReply({
    content: pinnedContent(pin, channel),
    allowedMentions: NO_MENTIONS,
  });
  return "ok";
}
