/**
 * The client's REST manager, tuned to Discord's documented limits for interactions.
 *
 * - @discordjs/rest spaces every request it sends through one client-side global limiter (50 a
 *   second by default). Discord documents that interaction responses and follow-ups are not
 *   bound to the bot's global rate limit: the callback already bypasses the limiter
 *   (@discordjs/rest's burst handler), but the edits and follow-ups of an interaction's webhook
 *   (`/webhooks/{applicationId}/{token}...`, sent without the bot token) queued behind it, so the
 *   500th answer of a burst waited ten seconds. They go through a second manager without a
 *   client-side global limit; each token keeps its own bucket, and a real 429 (global or not)
 *   still makes that manager wait as Discord says.
 * - The callback must reach Discord within 3 s of the interaction; a callback that hangs is given
 *   up after {@link CALLBACK_TIMEOUT_MS} instead of the 15 s every other request may take, and
 *   fails with an {@link InteractionCallbackTimeoutError} naming the interaction.
 * - What follows a callback (the handler's search, its edit) waits for its own turn of the event
 *   loop ({@link TurnQueue}), so that in a burst every interaction is acknowledged first.
 */
import { type InternalRequest, REST, type RESTOptions, type ResponseLike } from "discord.js";
import { TurnQueue } from "./TurnQueue.js";

/** How long an interaction's callback may take: under Discord's 3-second deadline. */
export const CALLBACK_TIMEOUT_MS = 2_500;

const CALLBACK = /^\/interactions\/(\d+)\/[^/]+\/callback$/;
const INTERACTION_WEBHOOK = /^\/webhooks\/\d+\/[^/]+(?:\/|$)/;

/** The events of the webhook manager that the client's listeners must hear too. */
const FORWARDED = ["response", "rateLimited", "restDebug", "invalidRequestWarning"] as const;

/** An interaction's callback got no answer in time; Discord has most likely forgotten it. */
export class InteractionCallbackTimeoutError extends Error {
  override readonly name = "InteractionCallbackTimeoutError";

  constructor(
    /** The interaction whose callback timed out. */
    readonly interactionId: string,
    /** How long it waited. */
    readonly timeoutMs: number,
  ) {
    super(
      `discord: the callback of interaction ${interactionId} got no answer within ${timeoutMs} ms (Discord's deadline is 3 s); the user may see "This interaction failed"`,
    );
  }
}

/** The interaction id in a callback route, or undefined for any other route. */
export function callbackInteractionId(route: string): string | undefined {
  return CALLBACK.exec(route)?.[1];
}

/**
 * A REST manager for the bot: interaction webhooks bypass the client-side global limit, and
 * callbacks time out before Discord's deadline.
 */
export class InteractionRest extends REST {
  readonly #webhooks: REST;
  readonly #callbackTimeoutMs: number;
  readonly #turns = new TurnQueue();

  /**
   * @param options - the client's REST options (`client.options.rest`)
   * @param callbackTimeoutMs - how long a callback may take (default {@link CALLBACK_TIMEOUT_MS})
   */
  constructor(options: Partial<RESTOptions>, callbackTimeoutMs = CALLBACK_TIMEOUT_MS) {
    super(options);
    this.#callbackTimeoutMs = callbackTimeoutMs;
    // Infinity: no client-side spacing. A real global 429 still stops this manager until reset.
    this.#webhooks = new REST({ ...options, globalRequestsPerSecond: Number.POSITIVE_INFINITY });
    for (const event of FORWARDED) {
      this.#webhooks.on(event, (...args: unknown[]) =>
        (this.emit as (name: string, ...rest: unknown[]) => boolean)(event, ...args),
      );
    }
  }

  override setToken(token: string): this {
    super.setToken(token);
    this.#webhooks.setToken(token);
    return this;
  }

  override clearHashSweeper(): void {
    super.clearHashSweeper();
    this.#webhooks.clearHashSweeper();
  }

  override clearHandlerSweeper(): void {
    super.clearHandlerSweeper();
    this.#webhooks.clearHandlerSweeper();
  }

  override async queueRequest(request: InternalRequest): Promise<ResponseLike> {
    const interactionId = callbackInteractionId(request.fullRoute);
    if (interactionId !== undefined) return this.#callback(request, interactionId);
    if (request.auth === false && INTERACTION_WEBHOOK.test(request.fullRoute)) {
      return this.#webhooks.queueRequest(request);
    }
    return super.queueRequest(request);
  }

  async #callback(request: InternalRequest, interactionId: string): Promise<ResponseLike> {
    const deadline = new AbortController();
    // Aborted in the check phase after the timer: an answer that already arrived while the event
    // loop was busy is read first (the poll phase comes between), and is not thrown away.
    const timer = setTimeout(
      () => setImmediate(() => deadline.abort()),
      this.#callbackTimeoutMs,
    ).unref();
    const signal = request.signal
      ? AbortSignal.any([request.signal, deadline.signal])
      : deadline.signal;
    let response: ResponseLike;
    try {
      response = await super.queueRequest({ ...request, signal });
    } catch (error) {
      if (deadline.signal.aborted && !request.signal?.aborted) {
        throw new InteractionCallbackTimeoutError(interactionId, this.#callbackTimeoutMs);
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
    await this.#turns.wait();
    return response;
  }
}
