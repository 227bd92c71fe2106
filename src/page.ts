/**
 * Pages of a list, 1-based everywhere: what the pin store returns, what `/articles list`,
 * `/pins list` and `/unanswered` show, and what their page buttons carry. Imports nothing.
 */

/** A page of a list, 1-based. */
export interface PageRequest {
  /** 1 for the first page. */
  readonly page: number;
  /** Items per page, 1 to {@link MAX_PAGE_SIZE}. */
  readonly pageSize: number;
}

/** The largest page size a list accepts. */
export const MAX_PAGE_SIZE = 100;

/** One page of a list: an empty `items` when `page` is past the last page. */
export interface Page<T> {
  readonly items: readonly T[];
  /** How many items all pages hold together. */
  readonly total: number;
  readonly page: number;
  /** How many pages there are (0 when `total` is 0). */
  readonly pageCount: number;
}

/**
 * Page `request.page` of `items` held in memory, with the same shape the pin store gives. A
 * page past the last is empty; a page below 1 or a size outside 1..MAX_PAGE_SIZE is clamped.
 */
export function pageOf<T>(items: readonly T[], request: PageRequest): Page<T> {
  const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(request.pageSize) || 1));
  const page = Math.max(1, Math.floor(request.page) || 1);
  const start = (page - 1) * pageSize;
  return {
    items: items.slice(start, start + pageSize),
    total: items.length,
    page,
    pageCount: Math.ceil(items.length / pageSize),
  };
}
