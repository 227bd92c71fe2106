/**
 * What the log says about rate limits: each 429 Discord actually answered, once, as a warning
 * (the route without ids or tokens, how long Discord asked to wait, and which limit); a request
 * that @discordjs/rest holds back on its own, before sending it, only at debug level, since that
 * is the client pacing itself, not Discord refusing anything.
 */
import type { REST } from "discord.js";
import type { Logger } from "../../log.js";
import { callbackInteractionId } from "./InteractionRest.js";

/**
 * Logs `rest`'s rate limits to `log`.
 * @param rest - the client's REST manager
 */
export function logRateLimits(rest: REST, log: Logger): void {
  rest.on("response", (request, response) => {
    if (response.status !== 429) return;
    const headers = response.headers;
    const retryAfter = Number(headers.get("retry-after"));
    const interactionId = callbackInteractionId(request.path);
    log.warn(
      {
        method: request.method.toUpperCase(),
        route: request.route,
        ...(interactionId === undefined ? {} : { interactionId }),
        retryAfterMs: Number.isFinite(retryAfter) ? Math.round(retryAfter * 1000) : undefined,
        scope: headers.get("x-ratelimit-scope") ?? "user",
        global: headers.has("x-ratelimit-global"),
      },
      "rate limited by Discord (429)",
    );
  });
  rest.on("rateLimited", (info) =>
    log.debug(
      { route: info.route, waitMs: Math.round(info.timeToReset), global: info.global },
      "request held by the client-side rate limiter",
    ),
  );
}
