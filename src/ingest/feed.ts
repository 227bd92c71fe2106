/**
 * What a parsed feed is, whatever its format (see `parseFeed.ts`). Pure data.
 */

/** The feed formats read. */
export type FeedFormat = "rss2" | "rss1" | "atom" | "jsonfeed";

/** One entry of a feed. Every field is optional: feeds in the wild omit any of them. */
export interface FeedItem {
  /** RSS `guid`, RDF `rdf:about`, Atom `id`, JSON Feed `id`. */
  readonly guid?: string;
  /** The article's address, absolute. */
  readonly link?: string;
  /** Plain text. */
  readonly title?: string;
  /** ISO 8601 (RSS `pubDate` or `dc:date`, Atom `published` else `updated`, JSON Feed `date_published`). */
  readonly published?: string;
  /**
   * The item's own text, for when the page cannot be fetched or yields no article: RSS
   * `content:encoded`, Atom `content`, JSON Feed `content_html`/`content_text`, else the
   * description or summary. HTML becomes text; paragraphs are separated by a blank line.
   */
  readonly content?: string;
}

/** A parsed feed. */
export interface Feed {
  readonly format: FeedFormat;
  readonly title?: string;
  /** The site the feed is about. */
  readonly link?: string;
  /** In the feed's order. */
  readonly items: readonly FeedItem[];
}
