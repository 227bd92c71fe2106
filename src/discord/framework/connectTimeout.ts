/**
 * How long start-up and `deploy-commands` wait for Discord's API before giving up. discord.js's
 * REST client waits 15 s a request and retries a timed-out request three times, so a server
 * that accepts the connection and never answers kept `npm start` silent for about 65 s, ending
 * with "This operation was aborted". One stated deadline instead, and a message that says what
 * to check.
 */

/** The deadline, for the connection at start-up and for the deploy's PUT. */
export const CONNECT_TIMEOUT_MS = 15_000;

/** Discord's API gave no answer within the deadline. */
export class ConnectTimeoutError extends Error {
  /**
   * @param apiUrl - the REST base that did not answer (DISCORD_API_URL)
   * @param timeoutMs - the deadline that passed
   */
  constructor(
    readonly apiUrl: string,
    readonly timeoutMs: number,
  ) {
    super(
      `timed out: ${apiUrl} gave no answer within ${formatSeconds(timeoutMs)}; check DISCORD_API_URL, this machine's network (a proxy or firewall) and https://discordstatus.com`,
    );
    this.name = "ConnectTimeoutError";
  }
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}

/**
 * Subscribes `touch` to signs of life from the API (a REST response, a gateway event); returns
 * the unsubscribe.
 */
export type ActivitySource = (touch: () => void) => () => void;

/**
 * `work`, or a {@link ConnectTimeoutError} once the API has been silent for `timeoutMs`: the
 * deadline starts again at every sign of life `activity` reports, so a slow but answering API
 * (a rate limit's wait, many guilds) is not mistaken for a silent one. The work is not
 * cancelled: the caller stops what it started (destroys the client) on that error.
 */
export async function withConnectDeadline<T>(
  work: Promise<T>,
  apiUrl: string,
  timeoutMs: number = CONNECT_TIMEOUT_MS,
  activity: ActivitySource = () => () => undefined,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let fail: (error: ConnectTimeoutError) => void = () => undefined;
  const deadline = new Promise<never>((_, reject) => {
    fail = reject;
  });
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => fail(new ConnectTimeoutError(apiUrl, timeoutMs)), timeoutMs);
  };
  arm();
  const unsubscribe = activity(arm);
  try {
    return await Promise.race([work, deadline]);
  } finally {
    unsubscribe();
    clearTimeout(timer);
  }
}
