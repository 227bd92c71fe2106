/**
 * The feeds, their poll state, the items seen and the articles fetched, on the store contract
 * (src/store/database.ts): the same SQL on SQLite and on PostgreSQL, written once with `?`
 * placeholders; where the dialects differ, both variants stand side by side (`sql.dialect`).
 *
 * Every write is a kept write (`db.keep`): kept or refused with a `StoreError`, never confirmed
 * and lost. A write that changes the fetched articles tells the other processes on the database
 * in its transaction (`sql.notify` on {@link ARTICLES_CHANNEL}, the article's id as payload), so
 * that their libraries follow (StoreFollower.ts). Pruning, which may remove thousands at once,
 * sends one notification without payload instead: each follower compares everything once.
 *
 * Scope is stored as `guild_id`: NULL for the operator's feeds (FEEDS_FILE) and the articles
 * everyone sees, a server id otherwise.
 */
import { type Article, sameArticle } from "../corpus/article.js";
import type { Scope } from "../library/Library.js";
import type { Database, Dialect, Sql } from "../store/database.js";
import { FeedStoreError } from "./errors.js";
import type { FeedPollState } from "./pollSchedule.js";

/**
 * The channel of {@link Sql.notify} for fetched articles: the payload is the id of the article
 * saved or removed, or empty when what changed is not said (a follower then compares all).
 */
export const ARTICLES_CHANNEL = "articles";

/**
 * The channel of {@link Sql.notify} for a feed added (its id as payload): a process whose poller
 * waits looks at the due feeds at once, as a new feed is due at once.
 */
export const FEEDS_CHANNEL = "feeds";

/** The operator's feeds are added by this name (not a Discord user id). */
export const OPERATOR = "operator";

/** A feed as stored. */
export interface StoredFeed {
  readonly id: number;
  /** `"global"` for an operator's feed, else the server that follows it. */
  readonly scope: Scope;
  readonly url: string;
  /** Where its new articles are announced; absent for operator feeds and unannounced ones. */
  readonly channelId?: string;
  /** Where its moderators are told when it fails (the channel /feeds add was run in). */
  readonly noticeChannelId?: string;
  /** The feed's own title, from its last good poll (or the check when it was added). */
  readonly title?: string;
  readonly etag?: string;
  readonly lastModified?: string;
  /** Epoch ms. */
  readonly nextPollAt: number;
  readonly lastSuccessAt?: number;
  readonly state: FeedPollState;
  /** A Discord user id, or {@link OPERATOR}. */
  readonly addedBy: string;
  readonly addedAt: number;
}

/** A feed to add. */
export interface NewFeed {
  readonly scope: Scope;
  readonly url: string;
  readonly channelId?: string;
  readonly noticeChannelId?: string;
  readonly title?: string;
  readonly addedBy: string;
  /** Epoch ms; the feed is due at once. */
  readonly addedAt: number;
}

/** What a poll leaves for the next one. */
export interface PollRecord {
  readonly etag?: string;
  readonly lastModified?: string;
  readonly nextPollAt: number;
  readonly state: FeedPollState;
  /** The feed's title as this poll read it (kept when absent). */
  readonly title?: string;
  /** When the poll worked (epoch ms); absent for a failed one. */
  readonly succeededAt?: number;
}

/** Where a fetched article came from. */
export type ArticleOrigin =
  | { readonly kind: "feed"; readonly feedId: number }
  | { readonly kind: "link" }
  /**
   * A host's articles folder, on a database the hosts share (src/feeds/FolderShare.ts): `host`
   * names the host and folder that wrote it (see `folderHost`).
   */
  | { readonly kind: "folder"; readonly host: string };

/** An article fetched from a feed or a link, or shared from a host's folder, as stored. */
export interface StoredArticle {
  readonly article: Article;
  readonly scope: Scope;
  readonly origin: ArticleOrigin;
  /** Epoch ms. */
  readonly addedAt: number;
}

/** A stored article's version, as {@link FeedStore.articleVersions} lists it. */
export interface ArticleVersion {
  /** When it was saved (epoch ms): a new save is a new version. */
  readonly savedAt: number;
  /** Shared from a host's articles folder (origin "folder"). */
  readonly folder: boolean;
}

/** What {@link FeedStore.shareFolderArticles} did. */
export interface FolderShareResult {
  /** The ids written: new to the store, or another version than it held. */
  readonly saved: readonly string[];
  /** How many the store held as they are. */
  readonly unchanged: number;
  /** The ids left out because a feed's or a link's article has them. */
  readonly taken: readonly string[];
}

/** What {@link FeedStore.syncOperatorFeeds} changed. */
export interface OperatorFeedsSync {
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

interface FeedRow {
  id: number;
  guild_id: string | null;
  url: string;
  channel_id: string | null;
  notice_channel_id: string | null;
  title: string | null;
  etag: string | null;
  last_modified: string | null;
  next_poll_at: number;
  last_success_at: number | null;
  failures: number;
  failing_since: number | null;
  last_error: string | null;
  added_by: string;
  added_at: number;
}

interface ArticleRow {
  id: string;
  guild_id: string | null;
  origin: "feed" | "link" | "folder";
  feed_id: number | null;
  url: string | null;
  title: string;
  source: string | null;
  published: string | null;
  paragraphs: string;
  added_at: number;
  host: string | null;
}

const FEED_COLUMNS = `id, guild_id, url, channel_id, notice_channel_id, title, etag, last_modified, next_poll_at,
  last_success_at, failures, failing_since, last_error, added_by, added_at`;
const ARTICLE_COLUMNS =
  "id, guild_id, origin, feed_id, url, title, source, published, paragraphs, added_at, host";

/**
 * Whether a pin cites the fetched article: pins keep their citations as JSON, each with its
 * `articleId`, and ids compare without case (SQLite: the column's NOCASE collation applies to
 * the comparison; PostgreSQL: jsonb's text is plain text, so both sides are lowered).
 */
const PINNED: Readonly<Record<Dialect, string>> = {
  sqlite: `EXISTS (
    SELECT 1 FROM pins, json_each(pins.citations) AS c
    WHERE json_extract(c.value, '$.articleId') = fetched_articles.id
  )`,
  postgres: `EXISTS (
    SELECT 1 FROM pins, jsonb_array_elements(pins.citations) AS c(value)
    WHERE lower(c.value->>'articleId') = lower(fetched_articles.id)
  )`,
};

/** The larger of two numbers (SQLite's two-argument max is PostgreSQL's greatest). */
const GREATEST: Readonly<Record<Dialect, string>> = { sqlite: "max", postgres: "greatest" };

/** The `guild_id` of a scope. */
function guildOf(scope: Scope): string | null {
  return scope === "global" ? null : scope.guildId;
}

function scopeOf(guildId: string | null): Scope {
  return guildId === null ? "global" : { guildId };
}

/** Spreads `{ [key]: value }` only when the value is not null (exactOptionalPropertyTypes). */
function optional<K extends string, V>(key: K, value: V | null): { [P in K]?: V } {
  return (value === null ? {} : { [key]: value }) as { [P in K]?: V };
}

function toFeed(row: FeedRow): StoredFeed {
  return {
    id: row.id,
    scope: scopeOf(row.guild_id),
    url: row.url,
    ...optional("channelId", row.channel_id),
    ...optional("noticeChannelId", row.notice_channel_id),
    ...optional("title", row.title),
    ...optional("etag", row.etag),
    ...optional("lastModified", row.last_modified),
    nextPollAt: row.next_poll_at,
    ...optional("lastSuccessAt", row.last_success_at),
    state: {
      failures: row.failures,
      ...optional("failingSince", row.failing_since),
      ...optional("lastError", row.last_error),
    },
    addedBy: row.added_by,
    addedAt: row.added_at,
  };
}

function toStoredArticle(row: ArticleRow): StoredArticle {
  return {
    article: {
      id: row.id,
      title: row.title,
      ...optional("url", row.url),
      ...optional("source", row.source),
      ...optional("published", row.published),
      paragraphs: JSON.parse(row.paragraphs) as string[],
    },
    scope: scopeOf(row.guild_id),
    origin: originOf(row),
    addedAt: row.added_at,
  };
}

function originOf(row: ArticleRow): ArticleOrigin {
  if (row.origin === "folder") return { kind: "folder", host: row.host ?? "" };
  if (row.origin === "feed" && row.feed_id !== null) return { kind: "feed", feedId: row.feed_id };
  return { kind: "link" };
}

const INSERT_FEED = `INSERT INTO feeds (guild_id, url, channel_id, notice_channel_id, title,
    next_poll_at, added_by, added_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${FEED_COLUMNS}`;
/** A scope's feeds: `guild_id` NULL is the operator's, and NULL = NULL is not true in SQL. */
const IN_SCOPE = "coalesce(guild_id, '') = coalesce(?, '')";
const LIST_FEEDS = `SELECT ${FEED_COLUMNS} FROM feeds WHERE ${IN_SCOPE} ORDER BY id`;
const DELETE_FEED = `DELETE FROM feeds WHERE ${IN_SCOPE} AND id = ? RETURNING ${FEED_COLUMNS}`;
const UPSERT_ARTICLE = `INSERT INTO fetched_articles (${ARTICLE_COLUMNS})
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (id) DO UPDATE SET id = excluded.id, guild_id = excluded.guild_id,
    origin = excluded.origin,
    feed_id = excluded.feed_id, url = excluded.url, title = excluded.title,
    source = excluded.source, published = excluded.published,
    paragraphs = excluded.paragraphs, added_at = excluded.added_at, host = excluded.host`;
const GET_ARTICLE = `SELECT ${ARTICLE_COLUMNS} FROM fetched_articles WHERE id = ?`;
const COUNT_ARTICLES = `SELECT count(*) AS n FROM fetched_articles WHERE ${IN_SCOPE}`;
const DELETE_ARTICLE = "DELETE FROM fetched_articles WHERE id = ?";

/**
 * An epoch-ms time as the integer columns take it: jitter makes fractions, which SQLite's STRICT
 * integers and PostgreSQL's bigint refuse.
 */
const ms = Math.round;

/**
 * The articles a store remembers saving (see {@link FeedStore.savedHere}): a follower hears of
 * a save within moments, so the last thousand are plenty.
 */
const OWN_SAVES_KEPT = 1000;

/**
 * Folder articles shared or withdrawn in one transaction: a start-up with thousands writes in
 * steps that each commit (and stay under PostgreSQL's 65,535 parameters per statement).
 */
const FOLDER_BATCH = 200;

/** `?, ?, ?` for a portable IN list of `values`. */
function placeholders(values: readonly unknown[]): string {
  return values.map(() => "?").join(", ");
}

/** The feed store; see the file comment. */
export class FeedStore {
  readonly #db: Database;
  /** Article id (lower case) → save time, of the articles this store saved, newest last. */
  readonly #ownSaves = new Map<string, number>();

  /** @param db - the open database (migrated to version 6 or later), closed by its owner */
  constructor(db: Database) {
    this.#db = db;
  }

  /** The database this store is on: what a follower of its changes listens to. */
  get database(): Database {
    return this.#db;
  }

  /**
   * Adds a feed, due at once. A server's feed counts against `limit`; an operator's does not.
   * @param limit - the most feeds a server may follow (FEEDS_PER_SERVER)
   * @throws FeedStoreError TOO_MANY_FEEDS or DUPLICATE_FEED; StoreError when not kept
   */
  addFeed(feed: NewFeed, limit: number): Promise<StoredFeed> {
    const guildId = guildOf(feed.scope);
    return this.#db.keep(async (sql) => {
      // Checked in the transaction that inserts: two adds at once cannot pass the limit together.
      const same = await sql.get<FeedRow>(
        `SELECT ${FEED_COLUMNS} FROM feeds WHERE ${IN_SCOPE} AND url = ?`,
        [guildId, feed.url],
      );
      if (same !== undefined) {
        throw new FeedStoreError(
          "DUPLICATE_FEED",
          `feeds: ${feed.url} is followed here already; /feeds list shows it`,
        );
      }
      if (guildId !== null) {
        const count = await sql.get<{ n: number }>(
          "SELECT count(*) AS n FROM feeds WHERE guild_id = ?",
          [guildId],
        );
        if ((count?.n ?? 0) >= limit) {
          throw new FeedStoreError(
            "TOO_MANY_FEEDS",
            `feeds: this server follows ${limit} feeds, the most allowed (FEEDS_PER_SERVER); remove one before adding another`,
          );
        }
      }
      const row = await sql.get<FeedRow>(INSERT_FEED, [
        guildId,
        feed.url,
        feed.channelId ?? null,
        feed.noticeChannelId ?? null,
        feed.title ?? null,
        ms(feed.addedAt),
        feed.addedBy,
        ms(feed.addedAt),
      ]);
      if (row === undefined) throw new Error("feeds: insert returned no row");
      await sql.notify(FEEDS_CHANNEL, String(row.id));
      return toFeed(row);
    });
  }

  /**
   * Removes feed `id` of `scope` (with its seen items; its articles stay until retention).
   * @returns the removed feed, or undefined when `scope` has no such feed
   */
  removeFeed(scope: Scope, id: number): Promise<StoredFeed | undefined> {
    return this.#db.keep(async (sql) => {
      const row = await sql.get<FeedRow>(DELETE_FEED, [guildOf(scope), id]);
      return row && toFeed(row);
    });
  }

  /**
   * Whether this store (this process) saved article `id` with save time `addedAt` lately: a
   * change its follower hears of (PostgreSQL tells every listener, the writer's too) that the
   * process applies to its library itself, after the write. Were the follower to apply it first,
   * the poller's own add would find the id taken and not announce the article.
   */
  savedHere(id: string, addedAt: number): boolean {
    return this.#ownSaves.get(id.toLowerCase()) === ms(addedAt);
  }

  /** Feed `id`, whatever its scope. */
  getFeed(id: number): Promise<StoredFeed | undefined> {
    return this.#db.read(async (sql) => {
      const row = await sql.get<FeedRow>(`SELECT ${FEED_COLUMNS} FROM feeds WHERE id = ?`, [id]);
      return row && toFeed(row);
    });
  }

  /** The feeds of `scope` (a server's, or the operator's for `"global"`), oldest first. */
  listFeeds(scope: Scope): Promise<StoredFeed[]> {
    return this.#db.read(async (sql) =>
      (await sql.all<FeedRow>(LIST_FEEDS, [guildOf(scope)])).map(toFeed),
    );
  }

  /** The feeds due at `now` (epoch ms), the longest overdue first. */
  dueFeeds(now: number): Promise<StoredFeed[]> {
    return this.#db.read(async (sql) =>
      (
        await sql.all<FeedRow>(
          `SELECT ${FEED_COLUMNS} FROM feeds WHERE next_poll_at <= ? ORDER BY next_poll_at, id`,
          [ms(now)],
        )
      ).map(toFeed),
    );
  }

  /** When the next feed is due (epoch ms), or undefined with no feed. */
  nextPollAt(): Promise<number | undefined> {
    return this.#db.read(async (sql) => {
      const row = await sql.get<{ at: number | null }>(
        `SELECT min(next_poll_at) AS "at" FROM feeds`,
      );
      return row?.at ?? undefined;
    });
  }

  /** Saves what a poll of feed `id` leaves for the next one. */
  async recordPoll(id: number, record: PollRecord): Promise<void> {
    await this.#db.keep((sql) =>
      sql.run(
        `UPDATE feeds SET etag = ?, last_modified = ?, next_poll_at = ?,
           last_success_at = coalesce(?, last_success_at), failures = ?, failing_since = ?,
           last_error = ?, title = coalesce(?, title)
         WHERE id = ?`,
        [
          record.etag ?? null,
          record.lastModified ?? null,
          ms(record.nextPollAt),
          record.succeededAt === undefined ? null : ms(record.succeededAt),
          record.state.failures,
          record.state.failingSince === undefined ? null : ms(record.state.failingSince),
          record.state.lastError ?? null,
          record.title ?? null,
          id,
        ],
      ),
    );
  }

  /** Whether feed `feedId` has seen an item with any of `keys` (see `dedupKeys`). */
  hasSeen(feedId: number, keys: readonly string[]): Promise<boolean> {
    if (keys.length === 0) return Promise.resolve(false);
    // One placeholder a key: a portable IN list (an item has a handful of keys).
    const list = placeholders(keys);
    return this.#db.read(async (sql) => {
      const row = await sql.get<{ n: number }>(
        `SELECT count(*) AS n FROM seen_items WHERE feed_id = ? AND item_key IN (${list})`,
        [feedId, ...keys],
      );
      return (row?.n ?? 0) > 0;
    });
  }

  /**
   * Records an item of feed `feedId` as seen under all its `keys`, with the article made from
   * it (saved in the same transaction), or none (an item skipped or already in the library).
   */
  async saveItem(
    feedId: number,
    keys: readonly string[],
    seenAt: number,
    article?: StoredArticle,
  ): Promise<void> {
    await this.#db.keep(async (sql) => {
      if (article !== undefined) await this.#upsert(sql, article);
      for (const key of keys) {
        await sql.run(
          `INSERT INTO seen_items (feed_id, item_key, article_id, seen_at) VALUES (?, ?, ?, ?)
           ON CONFLICT DO NOTHING`,
          [feedId, key, article?.article.id ?? null, ms(seenAt)],
        );
      }
    });
  }

  /** Saves (or replaces, by id) a fetched article. */
  async saveArticle(article: StoredArticle): Promise<void> {
    await this.#db.keep((sql) => this.#upsert(sql, article));
  }

  /** Saves (or replaces, by id) a fetched article, and says so to the other processes. */
  async #upsert(sql: Sql, stored: StoredArticle): Promise<void> {
    const key = stored.article.id.toLowerCase();
    // Before the commit: the notification may be heard as soon as it is done.
    this.#ownSaves.delete(key);
    this.#ownSaves.set(key, ms(stored.addedAt));
    for (const oldest of this.#ownSaves.keys()) {
      if (this.#ownSaves.size <= OWN_SAVES_KEPT) break;
      this.#ownSaves.delete(oldest);
    }
    const { article, scope, origin, addedAt } = stored;
    await sql.run(UPSERT_ARTICLE, [
      article.id,
      guildOf(scope),
      origin.kind,
      origin.kind === "feed" ? origin.feedId : null,
      article.url ?? null,
      article.title,
      article.source ?? null,
      article.published ?? null,
      // JSON text: SQLite checks it (json_valid), PostgreSQL's jsonb parses it.
      JSON.stringify(article.paragraphs),
      ms(addedAt),
      origin.kind === "folder" ? origin.host : null,
    ]);
    await sql.notify(ARTICLES_CHANNEL, article.id);
  }

  /** The fetched article with `id` (ignoring case). */
  getArticle(id: string): Promise<StoredArticle | undefined> {
    return this.#db.read(async (sql) => {
      const row = await sql.get<ArticleRow>(GET_ARTICLE, [id]);
      return row && toStoredArticle(row);
    });
  }

  /** Every fetched article, oldest first: what start-up puts in the library. */
  listArticles(): Promise<StoredArticle[]> {
    return this.#db.read(async (sql) =>
      (
        await sql.all<ArticleRow>(
          `SELECT ${ARTICLE_COLUMNS} FROM fetched_articles ORDER BY added_at, id`,
        )
      ).map(toStoredArticle),
    );
  }

  /** How many fetched articles `scope` has. */
  countArticles(scope: Scope): Promise<number> {
    return this.#db.read(
      async (sql) => (await sql.get<{ n: number }>(COUNT_ARTICLES, [guildOf(scope)]))?.n ?? 0,
    );
  }

  /** Removes the fetched article `id`; whether there was one. */
  removeArticle(id: string): Promise<boolean> {
    return this.#db.keep(async (sql) => {
      const removed = (await sql.run(DELETE_ARTICLE, [id])) > 0;
      if (removed) await sql.notify(ARTICLES_CHANNEL, id);
      return removed;
    });
  }

  /**
   * Saves an article from a link a member gave (origin "link"): added when the server has fewer
   * than `limit` fetched articles, or put in place of the one with its id (the same link given
   * again: its fresh text), in one transaction so two adds at once cannot pass the limit
   * together. Links are never trimmed like feed articles, so the limit refuses instead.
   * @param limit - ARTICLES_PER_SERVER
   * @returns "added", or "updated" when its id was stored already
   * @throws FeedStoreError TOO_MANY_ARTICLES; StoreError when not kept
   */
  addLinkArticle(stored: StoredArticle, limit: number): Promise<"added" | "updated"> {
    return this.#db.keep(async (sql) => {
      if ((await sql.get<ArticleRow>(GET_ARTICLE, [stored.article.id])) !== undefined) {
        await this.#upsert(sql, stored);
        return "updated";
      }
      const guildId = guildOf(stored.scope);
      if (guildId !== null) {
        const count = await sql.get<{ n: number }>(COUNT_ARTICLES, [guildId]);
        if ((count?.n ?? 0) >= limit) {
          throw new FeedStoreError(
            "TOO_MANY_ARTICLES",
            `feeds: this server has ${limit} fetched articles, the most allowed (ARTICLES_PER_SERVER); remove one with /articles remove before adding another`,
          );
        }
      }
      await this.#upsert(sql, stored);
      return "added";
    });
  }

  /**
   * Removes the fetched article `id` unless a pin cites it (checked in the same transaction, so
   * a pin added meanwhile cannot lose its article).
   * @returns "removed", "pinned" (kept: remove the pins citing it first) or "absent"
   */
  removeUnpinnedArticle(id: string): Promise<"removed" | "pinned" | "absent"> {
    return this.#db.keep(async (sql) => {
      // SQLite gives 0 or 1, PostgreSQL a boolean.
      const row = await sql.get<{ pinned: number | boolean }>(
        `SELECT ${PINNED[sql.dialect]} AS pinned FROM fetched_articles WHERE id = ?`,
        [id],
      );
      if (row === undefined) return "absent";
      if (row.pinned) return "pinned";
      await sql.run(DELETE_ARTICLE, [id]);
      await sql.notify(ARTICLES_CHANNEL, id);
      return "removed";
    });
  }

  /**
   * Removes the feed articles added before `before` (epoch ms) that no pin cites
   * (FEED_RETENTION_DAYS), and the items seen before it (a feed that still offered one would
   * have it taken again). Articles from links are kept.
   * @returns the removed ids, to take out of the library
   */
  pruneArticles(before: number): Promise<string[]> {
    return this.#db.keep(async (sql) => {
      // Items seen before the retention: a feed lists its newest items, so one seen a year ago
      // is not offered again; the table stays bounded with the articles.
      await sql.run("DELETE FROM seen_items WHERE seen_at < ?", [ms(before)]);
      // A pin's citations name the article; a cited article stays whatever its age.
      const rows = await sql.all<{ id: string }>(
        `DELETE FROM fetched_articles
         WHERE origin = 'feed' AND added_at < ? AND NOT ${PINNED[sql.dialect]}
         RETURNING id`,
        [ms(before)],
      );
      // Maybe thousands (a year's backlog): one notification, and the followers compare all.
      if (rows.length > 0) await sql.notify(ARTICLES_CHANNEL, "");
      return rows.map((row) => row.id);
    });
  }

  /**
   * Keeps a server's fetched articles to `limit` (ARTICLES_PER_SERVER) by removing its oldest
   * feed articles that no pin cites; articles from links are not removed.
   * @returns the removed ids, to take out of the library
   */
  trimArticles(guildId: string, limit: number): Promise<string[]> {
    return this.#db.keep(async (sql) => {
      const rows = await sql.all<{ id: string }>(
        `DELETE FROM fetched_articles WHERE id IN (
           SELECT id FROM fetched_articles
           WHERE guild_id = ? AND origin = 'feed' AND NOT ${PINNED[sql.dialect]}
           ORDER BY added_at, id
           LIMIT ${GREATEST[sql.dialect]}(0,
             (SELECT count(*) FROM fetched_articles WHERE guild_id = ?) - ?)
         )
         RETURNING id`,
        [guildId, guildId, limit],
      );
      // A poll's new article pushes out one or two: each is said.
      for (const { id } of rows) await sql.notify(ARTICLES_CHANNEL, id);
      return rows.map((row) => row.id);
    });
  }

  /**
   * Every stored article's id with the time it was saved (a link saved again gets a new one)
   * and whether a host's folder shared it, without the text: what a process compares with its
   * library to follow another's changes.
   */
  articleVersions(): Promise<Map<string, ArticleVersion>> {
    return this.#db.read(async (sql) => {
      const rows = await sql.all<{ id: string; added_at: number; origin: ArticleRow["origin"] }>(
        "SELECT id, added_at, origin FROM fetched_articles",
      );
      return new Map(
        rows.map(
          (row) => [row.id, { savedAt: row.added_at, folder: row.origin === "folder" }] as const,
        ),
      );
    });
  }

  /**
   * Shares articles of host `host`'s articles folder with the other hosts (origin "folder",
   * scope global): each is written when the store lacks it or holds another version of it, and
   * said on {@link ARTICLES_CHANNEL}; one the store holds as it is stays untouched (whichever
   * host wrote it). An id a feed's or a link's article has is left to that article.
   * Written in transactions of {@link FOLDER_BATCH} articles (a folder of thousands at start-up).
   * @param now - the save time given to what is written (epoch ms)
   * @throws StoreError when not kept (the batches before were)
   */
  async shareFolderArticles(
    host: string,
    articles: readonly Article[],
    now: number,
  ): Promise<FolderShareResult> {
    const saved: string[] = [];
    const taken: string[] = [];
    let unchanged = 0;
    for (let at = 0; at < articles.length; at += FOLDER_BATCH) {
      const batch = articles.slice(at, at + FOLDER_BATCH);
      await this.#db.keep(async (sql) => {
        const rows = await sql.all<ArticleRow>(
          `SELECT ${ARTICLE_COLUMNS} FROM fetched_articles WHERE id IN (${placeholders(batch)})`,
          batch.map((article) => article.id),
        );
        const present = new Map(rows.map((row) => [row.id.toLowerCase(), row] as const));
        for (const article of batch) {
          const row = present.get(article.id.toLowerCase());
          if (row !== undefined && row.origin !== "folder") {
            taken.push(article.id);
          } else if (row !== undefined && sameArticle(toStoredArticle(row).article, article)) {
            unchanged++;
          } else {
            const origin = { kind: "folder", host } as const;
            await this.#upsert(sql, { article, scope: "global", origin, addedAt: now });
            saved.push(article.id);
          }
        }
      });
    }
    return { saved, unchanged, taken };
  }

  /**
   * Takes the folder articles `ids` out of the shared store (a file removed from a host's
   * folder), whichever host shared them; another host whose folder still has one shares it
   * again when it hears (FolderShare.ts). Ids stored from a feed or a link are not touched.
   * @returns the ids removed
   */
  async withdrawFolderArticles(ids: readonly string[]): Promise<string[]> {
    const removed: string[] = [];
    for (let at = 0; at < ids.length; at += FOLDER_BATCH) {
      const batch = ids.slice(at, at + FOLDER_BATCH);
      await this.#db.keep(async (sql) => {
        const rows = await sql.all<{ id: string }>(
          `DELETE FROM fetched_articles WHERE origin = 'folder' AND id IN (${placeholders(batch)})
           RETURNING id`,
          batch,
        );
        for (const { id } of rows) await sql.notify(ARTICLES_CHANNEL, id);
        removed.push(...rows.map((row) => row.id));
      });
    }
    return removed;
  }

  /**
   * The ids of the folder articles host `host` shared (what it wrote last): at start-up, those
   * its folder no longer has were removed while it was down, and are withdrawn.
   */
  folderArticlesOf(host: string): Promise<string[]> {
    return this.#db.read(async (sql) =>
      (
        await sql.all<{ id: string }>(
          "SELECT id FROM fetched_articles WHERE origin = 'folder' AND host = ? ORDER BY id",
          [host],
        )
      ).map((row) => row.id),
    );
  }

  /**
   * Makes the operator's feeds (scope global) those of `urls` (FEEDS_FILE): new ones are added,
   * due at `now`; those no longer listed are removed. Listed ones keep their state.
   */
  syncOperatorFeeds(urls: readonly string[], now: number): Promise<OperatorFeedsSync> {
    return this.#db.keep(async (sql) => {
      const wanted = new Set(urls);
      const present = await sql.all<FeedRow>(LIST_FEEDS, [null]);
      const removed: string[] = [];
      for (const row of present) {
        if (wanted.has(row.url)) continue;
        await sql.run(DELETE_FEED, [null, row.id]);
        removed.push(row.url);
      }
      const have = new Set(present.map((row) => row.url));
      const added: string[] = [];
      for (const url of wanted) {
        if (have.has(url)) continue;
        await sql.run(INSERT_FEED, [null, url, null, null, null, ms(now), OPERATOR, ms(now)]);
        added.push(url);
      }
      if (added.length > 0) await sql.notify(FEEDS_CHANNEL, "");
      return { added, removed };
    });
  }
}
