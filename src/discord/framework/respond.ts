/**
 * Answering only the person who asked, whatever state the interaction is in: the one place
 * that knows a deferred public reply cannot turn ephemeral (it is deleted and followed up
 * instead) and that a button's message must never be edited by an error.
 */
import { MessageFlags, type RepliableInteraction } from "discord.js";
import { NO_MENTIONS } from "../format/format.js";

/**
 * Sends `content` so that only the user of `interaction` sees it: a reply if nothing was sent
 * yet; the edit of an ephemeral deferral; else an ephemeral follow-up (after deleting a public
 * "thinking…" a slash command left, so it does not think forever).
 */
export async function replyPrivately(
  interaction: RepliableInteraction,
  content: string,
): Promise<void> {
  const body = { content, allowedMentions: NO_MENTIONS };
  if (!interaction.deferred && !interaction.replied) {
    await interaction.reply({ ...body, flags: MessageFlags.Ephemeral });
    return;
  }
  if (interaction.isCommand() && interaction.deferred && !interaction.replied) {
    if (interaction.ephemeral) {
      await interaction.editReply({ ...body, embeds: [], components: [] });
      return;
    }
    await interaction.deleteReply();
  }
  await interaction.followUp({ ...body, flags: MessageFlags.Ephemeral });
}
