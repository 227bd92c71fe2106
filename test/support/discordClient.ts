/**
 * Helpers to run the real discord.js client against the fake Discord server in tests.
 */
import {
  Client,
  type ClientEvents,
  type ClientOptions,
  Events,
  type IIdentifyThrottler,
  type WebSocketOptions,
} from "discord.js";
import type { FakeDiscord } from "./fakeDiscord.js";

/**
 * Resolves with the arguments of the next `event` (that passes `filter`), or rejects after
 * `timeoutMs`. Never leaves a listener or a timer behind.
 */
export function nextEvent<E extends keyof ClientEvents>(
  client: Client,
  event: E,
  options: {
    timeoutMs?: number;
    filter?: (...args: ClientEvents[E]) => boolean;
    signal?: AbortSignal;
  } = {},
): Promise<ClientEvents[E]> {
  const { timeoutMs = 5000, filter, signal } = options;
  return new Promise((resolve, reject) => {
    const listener = (...args: ClientEvents[E]) => {
      if (filter && !filter(...args)) return;
      done();
      resolve(args);
    };
    const onAbort = () => {
      done();
      reject(new Error(`nextEvent: stopped waiting for ${String(event)}`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`nextEvent: no ${String(event)} within ${timeoutMs} ms`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      client.off(event, listener);
      signal?.removeEventListener("abort", onAbort);
    };
    client.on(event, listener);
    signal?.addEventListener("abort", onAbort);
  });
}

/**
 * Creates a discord.js client pointed at the fake (`rest.api`), logs it in and waits for
 * `ClientReady`. The caller destroys it (`await client.destroy()`).
 */
export async function loginClient(
  fake: FakeDiscord,
  options: ClientOptions,
  token = "fake-bot-token",
): Promise<Client<true>> {
  const client = new Client({ ...options, rest: { ...options.rest, api: fake.apiUrl } });
  const abort = new AbortController();
  const ready = nextEvent(client, Events.ClientReady, { signal: abort.signal });
  try {
    await client.login(token);
    const [readyClient] = await ready;
    return readyClient;
  } catch (cause) {
    abort.abort();
    await ready.catch(() => undefined);
    await client.destroy();
    throw cause;
  }
}

/**
 * Client `ws` options without discord.js's identify throttle, which otherwise holds a second
 * IDENTIFY (after a non-resumable close) for 5 to 6.5 s after the first.
 */
export const noIdentifyThrottle = {
  buildIdentifyThrottler: (): IIdentifyThrottler => ({ waitForIdentify: async () => undefined }),
} as const satisfies WebSocketOptions;
