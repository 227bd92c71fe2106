/**
 * Dates as pages and feeds write them, normalized to ISO 8601. Pure.
 */

/** Years outside this range are typos or placeholders (`0001-01-01`), not publication dates. */
const YEARS = { min: 1900, max: 2200 } as const;

/**
 * A date written in any of the usual ways, as ISO 8601: a date alone stays a date
 * (`2026-02-04`), anything with a time becomes UTC (`2026-03-14T07:30:00Z`).
 *
 * @param text - ISO 8601 (`2026-03-14T08:30:00+01:00`), RFC 822 as in RSS (`Sat, 14 Mar 2026
 *   07:30:00 GMT`), or a date alone
 * @returns undefined when the text is not a date
 */
export function toIsoDate(text: string | undefined | null): string | undefined {
  const trimmed = text?.trim();
  if (trimmed === undefined || trimmed === "") return undefined;
  const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(trimmed);
  if (dateOnly !== null) {
    const at = new Date(`${trimmed}T00:00:00Z`);
    const valid = !Number.isNaN(at.getTime()) && at.toISOString().startsWith(trimmed);
    return valid && inRange(at) ? trimmed : undefined;
  }
  // Date.parse reads ISO 8601 and RFC 822/1123; a bare number would be read as a year.
  if (!/\d{4}/.test(trimmed) || /^\d+$/.test(trimmed)) return undefined;
  const at = new Date(trimmed);
  if (Number.isNaN(at.getTime()) || !inRange(at)) return undefined;
  return at.toISOString().replace(".000Z", "Z");
}

function inRange(date: Date): boolean {
  const year = date.getUTCFullYear();
  return year >= YEARS.min && year <= YEARS.max;
}
