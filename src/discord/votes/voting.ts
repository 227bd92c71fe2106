/**
 * 👍/👎 under an answer, the Discord side: a click is acknowledged first (a deferred update:
 * Discord gives 3 s, a locked database may take longer), stored (kept or refused: see
 * VoteStore), and only then shown, by editing the answer's vote counts. A refusal is told to the
 * voter alone, and the counts stay as they were. A 👎 then offers, in an ephemeral follow-up
 * only the voter sees, what was wrong.
 *
 * Clicking the vote one already cast takes it back (as clicking one's own reaction does);
 * clicking the other moves it.
 */
import type { ButtonInteraction } from "discord.js";
import { MessageFlags } from "discord.js";
import { NO_MENTIONS } from "../format/format.js";
import { replies } from "../format/replies.js";
import type { CommandContext, HandlerOutcome } from "../framework/command.js";
import { replyPrivately } from "../framework/respond.js";
import { keptOrTold } from "../framework/storeRefusal.js";
import { parseReason, parseVote, REASON_LABELS, reasonRow, withTally } from "./voteButtons.js";

/**
 * The count edits under way, by message: each waits for the one before, then reads the counts
 * afresh, so the last edit shows the last counts even when two members click at once (their
 * edits go through different interaction tokens, which Discord does not order).
 */
const edits = new Map<string, Promise<void>>();

/** Edits the counts of the answer the button is on, after the edits of it already under way. */
async function showTally(
  interaction: ButtonInteraction,
  ctx: CommandContext,
  guildId: string,
): Promise<void> {
  const messageId = interaction.message.id;
  const before = edits.get(messageId) ?? Promise.resolve();
  const edit = before.then(async () => {
    const tally = await ctx.votes.tallyOf(guildId, messageId);
    if (tally === undefined) return;
    const rows = interaction.message.components.map((row) => row.toJSON());
    await interaction.editReply({
      components: withTally(rows, tally),
      allowedMentions: NO_MENTIONS,
    });
  });
  const settled = edit.catch(() => undefined);
  edits.set(messageId, settled);
  try {
    await edit;
  } finally {
    if (edits.get(messageId) === settled) edits.delete(messageId);
  }
}

/** A click on 👍 or 👎 under an answer. */
export async function handleVote(
  interaction: ButtonInteraction,
  ctx: CommandContext,
): Promise<HandlerOutcome> {
  const vote = parseVote(interaction.customId);
  const guildId = interaction.guildId;
  if (vote === undefined || guildId === null) {
    await replyPrivately(interaction, replies.voteNoRecord);
    return "invalid";
  }
  await interaction.deferUpdate();
  const cast = await keptOrTold(interaction, ctx, replies.voteNotKept, () =>
    ctx.votes.castVote(guildId, interaction.message.id, interaction.user.id, vote, ctx.now()),
  );
  if (cast === undefined) return "invalid";
  if (cast.kind === "unknown") {
    await replyPrivately(interaction, replies.voteNoRecord);
    return "invalid";
  }
  ctx.log.info({ askedId: cast.askedId, vote: cast.vote ?? "none" }, "vote counted");
  await showTally(interaction, ctx, guildId);
  if (cast.vote === "down") {
    await interaction.followUp({
      content: replies.whatWasWrong,
      components: [reasonRow(cast.askedId)],
      flags: MessageFlags.Ephemeral,
      allowedMentions: NO_MENTIONS,
    });
  }
  return "ok";
}

/** A click on one of the "what was wrong" buttons a 👎 offered. */
export async function handleReason(
  interaction: ButtonInteraction,
  ctx: CommandContext,
): Promise<HandlerOutcome> {
  const parsed = parseReason(interaction.customId);
  const guildId = interaction.guildId;
  if (parsed === undefined || guildId === null) {
    await replyPrivately(interaction, replies.voteNoRecord);
    return "invalid";
  }
  await interaction.deferUpdate();
  const noted = await keptOrTold(interaction, ctx, replies.reasonNotKept, () =>
    ctx.votes.setReason(guildId, parsed.askedId, interaction.user.id, parsed.reason),
  );
  if (noted === undefined) return "invalid";
  // The choice is made: the buttons go, so it is not made twice from the same message.
  await interaction.editReply({
    content: noted ? replies.reasonKept(REASON_LABELS[parsed.reason]) : replies.reasonWithoutVote,
    components: [],
    allowedMentions: NO_MENTIONS,
  });
  return noted ? "ok" : "invalid";
}
