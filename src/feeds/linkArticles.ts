/**
 * A server's own articles from links: a moderator gives one page's URL and it is fetched, read,
 * stored and answerable in that server; or removes one of the server's fetched articles (from a
 * link or a feed). Platform-neutral: the Discord command formats what these return.
 *
 * Kept first, then served: an article is in the database before it joins the library (a restart
 * loads the database, so what members could ask about is what comes back), and it leaves the
 * database before the library (a failed removal leaves it served and stored, never served and
 * gone).
 */
import type { Article } from "../corpus/article.js";
import { normalizeLink } from "../ingest/links.js";
import { readArticle } from "../ingest/readArticle.js";
import type { Fetcher } from "../ingest/safeFetch.js";
import type { Library } from "../library/Library.js";
import type { PinStore } from "../pins/types.js";
import { FeedStoreError } from "./errors.js";
import type { FeedStore } from "./FeedStore.js";
import { articleFromPage, fetchedArticleId } from "./itemArticle.js";

/** What adding and removing articles of a server work with. */
export interface LinkArticlesDeps {
  readonly fetch: Fetcher;
  readonly store: FeedStore;
  readonly library: Library;
  /** ARTICLES_PER_SERVER: the most fetched articles (feeds and links) one server keeps. */
  readonly articlesPerServer: number;
  /** Epoch ms. */
  readonly now: () => number;
}

/** Why a link gave no article; `reason` is one line a moderator can act on. */
export type LinkRefusal =
  | { readonly ok: false; readonly code: "unreadable"; readonly reason: string }
  | { readonly ok: false; readonly code: "limit"; readonly limit: number; readonly reason: string }
  | {
      readonly ok: false;
      readonly code: "duplicate";
      /** The article already here with the same canonical URL. */
      readonly existing: Article;
      readonly reason: string;
    };

/** What {@link addLink} did. */
export type AddLinkResult =
  | {
      readonly ok: true;
      /** "updated": the same link was added here before; its text is now the page's current one. */
      readonly status: "added" | "updated";
      readonly article: Article;
    }
  | LinkRefusal;

/**
 * Fetches the page at `url`, reads its article and adds it to server `guildId`'s articles.
 *
 * The id is `link-` and a hash of the server and the page's canonical URL, so the same link
 * given again is the same article: its text is replaced by the page's current one ("updated"),
 * since a moderator giving a link again most likely wants the story as it reads now, and
 * nothing else changes (its id, which `/ask article:` and pins name, stays). A page whose
 * canonical URL another article this server sees already has (from a feed, or the articles
 * folder) is refused, naming that article: two copies would only split the citations.
 *
 * @returns the article and whether it was added or updated, or the refusal with its reason
 * @throws StoreError when the database cannot keep it (nothing was added)
 */
export async function addLink(
  deps: LinkArticlesDeps,
  guildId: string,
  url: string,
): Promise<AddLinkResult> {
  const read = await readArticle(deps.fetch, url);
  if (!read.ok) return { ok: false, code: "unreadable", reason: read.error.message };
  const page = read.value;
  const scope = { guildId };
  const id = fetchedArticleId(scope, page.url, "link");
  const existing = sameUrl(deps.library, guildId, page.url, id);
  if (existing !== undefined) {
    return {
      ok: false,
      code: "duplicate",
      existing,
      reason: `articles: ${page.url} is here already as "${existing.id}"`,
    };
  }
  const article = articleFromPage(id, page);
  let status: "added" | "updated";
  try {
    status = await deps.store.addLinkArticle(
      { article, scope, origin: { kind: "link" }, addedAt: deps.now() },
      deps.articlesPerServer,
    );
  } catch (error) {
    if (!(error instanceof FeedStoreError) || error.code !== "TOO_MANY_ARTICLES") throw error;
    return { ok: false, code: "limit", limit: deps.articlesPerServer, reason: error.message };
  }
  if (deps.library.entry(id) === undefined) deps.library.add(article, scope);
  else deps.library.replace(article, scope);
  return { ok: true, status, article };
}

/** Another article `guildId` sees whose URL is `canonical`, if any. */
function sameUrl(
  library: Library,
  guildId: string,
  canonical: string,
  id: string,
): Article | undefined {
  const key = id.toLowerCase();
  return library
    .list(guildId)
    .find(
      (article) =>
        article.id.toLowerCase() !== key &&
        article.url !== undefined &&
        (normalizeLink(article.url) ?? article.url) === canonical,
    );
}

/** What {@link removeServerArticle} did. */
export type RemoveArticleResult =
  | { readonly ok: true; readonly article: Article }
  /** No article of this server has the id (none at all, or another server's: not said which). */
  | { readonly ok: false; readonly code: "unknown" }
  /** The articles folder's: the operator's to remove, by deleting its file. */
  | { readonly ok: false; readonly code: "folder"; readonly article: Article }
  /** Pins of this server cite it: they go first (their numbers, lowest first). */
  | {
      readonly ok: false;
      readonly code: "pinned";
      readonly article: Article;
      readonly pins: readonly number[];
    };

/** The pins of a server looked through for those citing an article. */
const PIN_PAGE = 100;

/**
 * Removes article `id` of server `guildId` (one it took from a link or a feed): from the
 * database, then from the library. Refused for an article a pin of the server cites, for the
 * articles folder's, and for another server's (said as unknown, so one server learns nothing of
 * another's articles).
 *
 * @throws StoreError when the database cannot be changed (nothing was removed)
 */
export async function removeServerArticle(
  deps: Pick<LinkArticlesDeps, "store" | "library">,
  pins: Pick<PinStore, "listPins">,
  guildId: string,
  id: string,
): Promise<RemoveArticleResult> {
  const entry = deps.library.entry(id);
  if (entry === undefined) return { ok: false, code: "unknown" };
  const { article, scope } = entry;
  if (scope === "global") return { ok: false, code: "folder", article };
  if (scope.guildId !== guildId) return { ok: false, code: "unknown" };
  const removed = await deps.store.removeUnpinnedArticle(article.id);
  if (removed === "pinned") {
    return {
      ok: false,
      code: "pinned",
      article,
      pins: await pinsCiting(pins, guildId, article.id),
    };
  }
  // "absent": served but not stored (a restart would not bring it back): only served no more.
  deps.library.remove(article.id);
  return { ok: true, article };
}

/** The numbers of server `guildId`'s pins citing article `id`, lowest first. */
async function pinsCiting(
  pins: Pick<PinStore, "listPins">,
  guildId: string,
  id: string,
): Promise<number[]> {
  const key = id.toLowerCase();
  const found: number[] = [];
  for (let page = 1; ; page++) {
    const { items, pageCount } = await pins.listPins(guildId, { page, pageSize: PIN_PAGE });
    for (const pin of items) {
      if (pin.citations.some((c) => c.articleId.toLowerCase() === key)) found.push(pin.id);
    }
    if (page >= pageCount) break;
  }
  return found.sort((a, b) => a - b);
}
