/**
 * Retry-After (RFC 9110 section 10.2.3), so that a poller waits as long as a site asked. Pure.
 */

/**
 * The seconds a Retry-After header asks to wait.
 *
 * @param header - delay-seconds (`120`) or an HTTP date (`Wed, 21 Oct 2026 07:28:00 GMT`)
 * @param now - the time to count a date from, in ms since the epoch
 * @returns whole seconds, 0 for a date in the past, or undefined when the header is absent or
 *   unreadable
 */
export function parseRetryAfter(header: string | undefined, now: number): number | undefined {
  const text = header?.trim();
  if (text === undefined || text === "") return undefined;
  if (/^\d+$/.test(text)) return Number(text);
  // An HTTP date names its weekday; a bare number with a sign or a point is not one.
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}
