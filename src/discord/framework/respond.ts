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
 * "thinking…" that a deferred reply left, so it does not think forever).
 *
 * A deferred reply (`deferReply`, of a command, a button or a modal submit) made a message of
 * its own and set `ephemeral`; a button's or modal's `deferUpdate` leaves `ephemeral` null and
 * stands for the message the button is on, which is never edited nor deleted here.
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
  if (interaction.deferred && !interaction.replied && interaction.ephemeral !== null) {
    if (interaction.ephemeral) {
      await interaction.editReply({ ...body, embeds: [], components: [] });
      return;
    }
    await interaction.deleteReply();
  }
  await interaction.followUp({ ...body, flags: MessageFlags.Ephemeral });
}
