/**
 * An autocomplete's read of a store: Discord gives an autocomplete 3 s and it cannot be
 * deferred, so a locked, slow or unreachable database gives no choices, not a late answer that
 * Discord would drop.
 */
import { StoreError } from "../../store/errors.js";
import { TimeoutError, withinTime } from "../../withinTime.js";
import type { CommandContext } from "./command.js";

/** How long an autocomplete waits for the store. */
export const CHOICES_WITHIN_MS = 1_500;

/**
 * What `read` gives within {@link CHOICES_WITHIN_MS}, or undefined (logged as
 * `<what> choices unavailable`) when the store refuses or does not answer in time. Anything
 * else is thrown on.
 */
export async function storeChoices<T>(
  ctx: CommandContext,
  read: Promise<T>,
  what: string,
): Promise<T | undefined> {
  try {
    return await withinTime(read, CHOICES_WITHIN_MS);
  } catch (error) {
    if (!(error instanceof StoreError) && !(error instanceof TimeoutError)) throw error;
    ctx.log.warn({ err: error }, `${what} choices unavailable`);
    return undefined;
  }
}
