/**
 * One news article as newsdesk knows it, whatever file format it came from.
 * Pure data: no fs here, so the retrieval core may import this type.
 */
export interface Article {
  /**
   * Stable id: the file name without extension, or the `id` field of a JSON article (an id-less
   * item of a JSON array or JSON Lines file gets `<file name>-<n>`, see `parseArticle.ts`).
   * Trimmed, non-empty, no whitespace or control characters, at most 100 characters (Discord's
   * option value limit), and unique in the corpus ignoring letter case.
   */
  readonly id: string;
  readonly title: string;
  readonly url?: string;
  readonly source?: string;
  /** As written in the file (ISO 8601 date expected, e.g. "2025-03-14"). */
  readonly published?: string;
  /** Paragraph texts in reading order; paragraph n (1-based) is `paragraphs[n - 1]`. */
  readonly paragraphs: readonly string[];
}

/** Whether two versions of an article say the same (no need to index it again). */
export function sameArticle(a: Article, b: Article): boolean {
  return (
    a.id === b.id &&
    a.title === b.title &&
    a.url === b.url &&
    a.source === b.source &&
    a.published === b.published &&
    a.paragraphs.length === b.paragraphs.length &&
    a.paragraphs.every((text, i) => text === b.paragraphs[i])
  );
}
