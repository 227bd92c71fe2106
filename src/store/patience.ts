/**
 * How long the stores wait for a database that is locked or cannot be reached, the same on both
 * engines (the contract of `Database.keep`, and the record queues' pauses).
 */

/** How long a kept write (a pin, a vote) retries a locked or unreachable database. */
export const PIN_WRITE_PATIENCE_MS = 10_000;

/** The first pause before a retry; it doubles up to {@link MAX_RETRY_MS}. */
export const FIRST_RETRY_MS = 25;

/** The longest pause between retries. */
export const MAX_RETRY_MS = 1_000;
