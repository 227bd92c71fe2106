/**
 * How a feed item becomes an article: the linked page's article when it can be read, else the
 * item's own content. Pure but for the id's hash: the poller does the fetching.
 */
import { createHash } from "node:crypto";
import type { Article } from "../corpus/article.js";
import type { ExtractedArticle } from "../ingest/extractArticle.js";
import type { FeedItem } from "../ingest/feed.js";
import type { Scope } from "../library/Library.js";

/** What a fetched article came from: a feed's item or a link a moderator gave. */
export type FetchedKind = "feed" | "link";

/**
 * A fetched article's id: its kind (`feed-` or `link-`) and 16 hex digits of a hash of its
 * scope and identity key. The same item or link seen again in the same scope (another feed of
 * the server, a restart, the link given again) gets the same id, so it is found in the library
 * instead of added twice; the same item in two servers gets two ids, as the library's ids are
 * unique across scopes.
 *
 * @param scope - the feed's or link's scope
 * @param identity - the item's strongest dedup key (see `identityKey`), or the link's
 *   canonical URL
 * @param kind - the id's prefix (default "feed")
 */
export function fetchedArticleId(
  scope: Scope,
  identity: string,
  kind: FetchedKind = "feed",
): string {
  const where = scope === "global" ? "global" : `guild:${scope.guildId}`;
  return `${kind}-${createHash("sha256").update(`${where}\n${identity}`).digest("hex").slice(0, 16)}`;
}

/**
 * The article of a page read with `extractArticle` (a feed item's link, or a link given).
 *
 * @param id - from {@link fetchedArticleId}
 * @param page - the extracted page
 * @param fallback - the feed item's title and date, used when the page has none
 */
export function articleFromPage(
  id: string,
  page: ExtractedArticle,
  fallback: { readonly title?: string; readonly published?: string } = {},
): Article {
  const published = page.published ?? fallback.published;
  return {
    id,
    title: page.title || fallback.title || page.url,
    url: page.url,
    source: page.siteName,
    ...(published === undefined ? {} : { published }),
    paragraphs: page.paragraphs,
  };
}

/**
 * The item's own text as paragraphs (the feed parser separates them with a blank line).
 * @returns an empty list when the item has no content
 */
export function itemParagraphs(item: FeedItem): string[] {
  return (item.content ?? "")
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.replace(/\s+/g, " ").trim())
    .filter((paragraph) => paragraph !== "");
}

/** Where the article's text came from. */
export type ArticleSource =
  | { readonly kind: "page"; readonly page: ExtractedArticle }
  | { readonly kind: "item" };

/**
 * The article made from `item`, or undefined when it has no text (no page article and no
 * content).
 *
 * @param id - from {@link fetchedArticleId}
 * @param item - the feed item
 * @param from - the extracted page, or the item's own content
 * @param feedTitle - the feed's title, the source when the page gave no site name
 */
export function articleFromItem(
  id: string,
  item: FeedItem,
  from: ArticleSource,
  feedTitle: string | undefined,
): Article | undefined {
  if (from.kind === "page") {
    return articleFromPage(id, from.page, {
      ...(item.title === undefined ? {} : { title: item.title }),
      ...(item.published === undefined ? {} : { published: item.published }),
    });
  }
  const paragraphs = itemParagraphs(item);
  if (paragraphs.length === 0) return undefined;
  const title = item.title ?? item.link ?? paragraphs[0]?.slice(0, 80) ?? id;
  const source = feedTitle ?? hostOf(item.link);
  return {
    id,
    title,
    ...(item.link === undefined ? {} : { url: item.link }),
    ...(source === undefined ? {} : { source }),
    ...(item.published === undefined ? {} : { published: item.published }),
    paragraphs,
  };
}

function hostOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}
