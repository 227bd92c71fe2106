/**
 * A citation's byline: its source and its published date, as a reader expects them under a
 * news quote ("BBC News · 3 Mar 2025"). Plain text: each surface escapes it.
 */

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** The longest published text shown as written when it is not an ISO date. */
const RAW_DATE_MAX = 30;

/**
 * A published date as "3 Mar 2025" when it starts with an ISO 8601 date (`2025-03-03`,
 * `2025-03-03T07:30:00Z`: the calendar date as written, no time-zone shift); otherwise the text
 * as written, on one line and cut to 30 characters; undefined when blank.
 */
export function formatPublished(published: string | undefined): string | undefined {
  const text = published?.replace(/\s+/g, " ").trim();
  if (!text) return undefined;
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/.exec(text);
  const month = iso ? MONTHS[Number(iso[2]) - 1] : undefined;
  const day = iso ? Number(iso[3]) : 0;
  if (iso && month && day >= 1 && day <= 31) return `${day} ${month} ${iso[1]}`;
  const chars = Array.from(text);
  return chars.length <= RAW_DATE_MAX ? text : `${chars.slice(0, RAW_DATE_MAX - 1).join("")}…`;
}

/** "Source · 3 Mar 2025", either part alone, or undefined when the article has neither. */
export function byline(article: {
  readonly source?: string;
  readonly published?: string;
}): string | undefined {
  const source = article.source?.replace(/\s+/g, " ").trim();
  const parts = [source, formatPublished(article.published)].filter(
    (part): part is string => part !== undefined && part !== "",
  );
  return parts.length === 0 ? undefined : parts.join(" · ");
}
