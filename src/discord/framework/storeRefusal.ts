/**
 * A member's write through a store (a pin, a vote, a feed, a link) that the store refuses: the
 * one place that logs it, counts it for /metrics and tells the member why, privately.
 */
import type { RepliableInteraction } from "discord.js";
import { StoreError } from "../../store/errors.js";
import type { CommandContext, HandlerOutcome } from "./command.js";
import { replyPrivately } from "./respond.js";

/**
 * Runs `write`; when the store refuses (a StoreError: the database gone, read-only, or locked or
 * unreachable past its patience), logs it, counts it, tells the member privately with the
 * store's reason, and gives undefined. Anything else is thrown on, to the router.
 *
 * @param told - the message for the member, from the store's reason
 */
export async function keptOrTold<T>(
  interaction: RepliableInteraction,
  ctx: CommandContext,
  told: (reason: string) => string,
  write: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await write();
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    ctx.log.error({ code: error.code, err: error }, "store refused a member's write");
    ctx.metrics?.storeError(error.code);
    await replyPrivately(interaction, told(error.message));
    return undefined;
  }
}

/** {@link keptOrTold} for a whole handler: a refusal is its "invalid". */
export async function orStoreRefusal(
  interaction: RepliableInteraction,
  ctx: CommandContext,
  told: (reason: string) => string,
  work: () => Promise<HandlerOutcome>,
): Promise<HandlerOutcome> {
  return (await keptOrTold(interaction, ctx, told, work)) ?? "invalid";
}
