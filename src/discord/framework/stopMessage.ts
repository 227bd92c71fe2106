/**
 * Between the sharding manager and its shards (no discord.js here: the bot's entry point reads it
 * before discord.js is loaded).
 */

/**
 * The message that asks a shard to stop gracefully, as SIGTERM would: unlike a signal, a shard
 * that is already stopping (Ctrl+C reached it from the terminal too) takes a second one calmly.
 */
export const STOP_MESSAGE = { newsdesk: "stop" } as const;

/** Whether an IPC message is {@link STOP_MESSAGE}. */
export function isStopMessage(message: unknown): boolean {
  return (
    typeof message === "object" &&
    message !== null &&
    (message as { newsdesk?: unknown }).newsdesk === STOP_MESSAGE.newsdesk
  );
}
