/**
 * The feeds, their poll state, the items seen and the articles fetched, in the pin database.
 *
 * Design: one SQLite connection per process (see `src/pins/storeConnection.ts`). The pin store
 * opens it (checks, WAL, migrations, among them the feed tables of migration 5) and exposes it
 * as `SqlitePinStore.connection`; this store is built on that object instead of opening a second
 * connection (whose locks would wait on the first's) or growing the pin store's file. Its writes
 * go through `connection.keep`, the pin store's kept-or-refused path: the file is checked before
 * and after, the transaction synced, a locked database retried for a while and then refused with
 * a `StoreError`. Reads go through `connection.read`. It closes with the pin store.
 *
 * Scope is stored as `guild_id`: NULL for the operator's feeds (FEEDS_FILE) and the articles
 * everyone sees, a server id otherwise.
 */
import type { Article } from "../corpus/article.js";
import type { Scope } from "../library/Library.js";
import type { StoreConnection } from "../pins/storeConnection.js";
import { FeedStoreError } from "./errors.js";
import type { FeedPollState } from "./pollSchedule.js";

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
  | { readonly kind: "link" };

/** An article fetched from a feed or a link, as stored. */
export interface StoredArticle {
  readonly article: Article;
  readonly scope: Scope;
  readonly origin: ArticleOrigin;
  /** Epoch ms. */
  readonly addedAt: number;
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
  origin: "feed" | "link";
  feed_id: number | null;
  url: string | null;
  title: string;
  source: string | null;
  published: string | null;
  paragraphs: string;
  added_at: number;
}

const FEED_COLUMNS = `id, guild_id, url, channel_id, notice_channel_id, title, etag, last_modified, next_poll_at,
  last_success_at, failures, failing_since, last_error, added_by, added_at`;
const ARTICLE_COLUMNS =
  "id, guild_id, origin, feed_id, url, title, source, published, paragraphs, added_at";

/**
 * A fetched article no pin cites: pins keep their citations as JSON, each with its `articleId`
 * (the column's NOCASE collation applies to the comparison, as ids ignore case).
 */
const PINNED = `EXISTS (
  SELECT 1 FROM pins, json_each(pins.citations) AS c
  WHERE json_extract(c.value, '$.articleId') = fetched_articles.id
)`;
const NOT_PINNED = `NOT ${PINNED}`;

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
    origin:
      row.origin === "feed" && row.feed_id !== null
        ? { kind: "feed", feedId: row.feed_id }
        : { kind: "link" },
    addedAt: row.added_at,
  };
}

/** The feed store; see the file comment. Built on the pin store's connection. */
export class FeedStore {
  readonly #connection: StoreConnection;
  readonly #statements;

  /** @param connection - `SqlitePinStore.connection` (migrated to version 5 or later) */
  constructor(connection: StoreConnection) {
    this.#connection = connection;
    const db = connection.db;
    this.#statements = {
      insertFeed: db.prepare<unknown[], FeedRow>(
        `INSERT INTO feeds (guild_id, url, channel_id, notice_channel_id, title, next_poll_at,
           added_by, added_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${FEED_COLUMNS}`,
      ),
      feedByUrl: db.prepare<unknown[], FeedRow>(
        `SELECT ${FEED_COLUMNS} FROM feeds WHERE ifnull(guild_id, '') = ifnull(?, '') AND url = ?`,
      ),
      countFeeds: db
        .prepare<unknown[], number>("SELECT count(*) FROM feeds WHERE guild_id = ?")
        .pluck(),
      getFeed: db.prepare<unknown[], FeedRow>(`SELECT ${FEED_COLUMNS} FROM feeds WHERE id = ?`),
      listFeeds: db.prepare<unknown[], FeedRow>(
        `SELECT ${FEED_COLUMNS} FROM feeds WHERE ifnull(guild_id, '') = ifnull(?, '') ORDER BY id`,
      ),
      deleteFeed: db.prepare<unknown[], FeedRow>(
        `DELETE FROM feeds WHERE ifnull(guild_id, '') = ifnull(?, '') AND id = ?
         RETURNING ${FEED_COLUMNS}`,
      ),
      dueFeeds: db.prepare<unknown[], FeedRow>(
        `SELECT ${FEED_COLUMNS} FROM feeds WHERE next_poll_at <= ? ORDER BY next_poll_at, id`,
      ),
      nextPollAt: db
        .prepare<unknown[], number | null>("SELECT min(next_poll_at) FROM feeds")
        .pluck(),
      recordPoll: db.prepare(
        `UPDATE feeds SET etag = ?, last_modified = ?, next_poll_at = ?,
           last_success_at = coalesce(?, last_success_at), failures = ?, failing_since = ?,
           last_error = ?, title = coalesce(?, title)
         WHERE id = ?`,
      ),
      seen: db
        .prepare<unknown[], number>(
          "SELECT count(*) FROM seen_items WHERE feed_id = ? AND item_key IN (SELECT value FROM json_each(?))",
        )
        .pluck(),
      insertSeen: db.prepare(
        `INSERT INTO seen_items (feed_id, item_key, article_id, seen_at) VALUES (?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
      ),
      upsertArticle: db.prepare(
        `INSERT INTO fetched_articles (${ARTICLE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, json(?), ?)
         ON CONFLICT (id) DO UPDATE SET guild_id = excluded.guild_id, origin = excluded.origin,
           feed_id = excluded.feed_id, url = excluded.url, title = excluded.title,
           source = excluded.source, published = excluded.published,
           paragraphs = excluded.paragraphs, added_at = excluded.added_at`,
      ),
      getArticle: db.prepare<unknown[], ArticleRow>(
        `SELECT ${ARTICLE_COLUMNS} FROM fetched_articles WHERE id = ?`,
      ),
      allArticles: db.prepare<unknown[], ArticleRow>(
        `SELECT ${ARTICLE_COLUMNS} FROM fetched_articles ORDER BY added_at, id`,
      ),
      articleVersions: db.prepare<unknown[], { id: string; added_at: number }>(
        "SELECT id, added_at FROM fetched_articles",
      ),
      countArticles: db
        .prepare<unknown[], number>(
          "SELECT count(*) FROM fetched_articles WHERE ifnull(guild_id, '') = ifnull(?, '')",
        )
        .pluck(),
      deleteArticle: db.prepare("DELETE FROM fetched_articles WHERE id = ?"),
      // undefined: no such article; 0 or 1: whether a pin cites it.
      articlePinned: db
        .prepare<unknown[], number>(`SELECT ${PINNED} FROM fetched_articles WHERE id = ?`)
        .pluck(),
      // A pin's citations are JSON with the article ids; a cited article stays whatever its age.
      pruneArticles: db
        .prepare<unknown[], string>(
          `DELETE FROM fetched_articles
           WHERE origin = 'feed' AND added_at < ? AND ${NOT_PINNED}
           RETURNING id`,
        )
        .pluck(),
      // Items seen before the retention: a feed lists its newest items, so one seen a year ago
      // is not offered again; the table stays bounded with the articles.
      pruneSeen: db.prepare("DELETE FROM seen_items WHERE seen_at < ?"),
      // The oldest of a server's unpinned feed articles beyond its limit.
      trimArticles: db
        .prepare<unknown[], string>(
          `DELETE FROM fetched_articles WHERE id IN (
             SELECT id FROM fetched_articles
             WHERE guild_id = ? AND origin = 'feed' AND ${NOT_PINNED}
             ORDER BY added_at, id
             LIMIT max(0, (SELECT count(*) FROM fetched_articles WHERE guild_id = ?) - ?)
           )
           RETURNING id`,
        )
        .pluck(),
    };
  }

  /**
   * Adds a feed, due at once. A server's feed counts against `limit`; an operator's does not.
   * @param limit - the most feeds a server may follow (FEEDS_PER_SERVER)
   * @throws FeedStoreError TOO_MANY_FEEDS or DUPLICATE_FEED; StoreError when not kept
   */
  async addFeed(feed: NewFeed, limit: number): Promise<StoredFeed> {
    const guildId = guildOf(feed.scope);
    // A refusal is returned out of the guarded write, not thrown in it: `keep` reports whatever
    // is thrown inside as a database failure.
    const result = await this.#connection.keep(() =>
      this.#connection.db
        .transaction((): StoredFeed | FeedStoreError => {
          if (this.#statements.feedByUrl.get(guildId, feed.url)) {
            return new FeedStoreError(
              "DUPLICATE_FEED",
              `feeds: ${feed.url} is followed here already; /feeds list shows it`,
            );
          }
          if (guildId !== null && (this.#statements.countFeeds.get(guildId) ?? 0) >= limit) {
            return new FeedStoreError(
              "TOO_MANY_FEEDS",
              `feeds: this server follows ${limit} feeds, the most allowed (FEEDS_PER_SERVER); remove one before adding another`,
            );
          }
          const row = this.#statements.insertFeed.get(
            guildId,
            feed.url,
            feed.channelId ?? null,
            feed.noticeChannelId ?? null,
            feed.title ?? null,
            Math.round(feed.addedAt),
            feed.addedBy,
            Math.round(feed.addedAt),
          );
          if (!row) throw new Error("feeds: insert returned no row");
          return toFeed(row);
        })
        .immediate(),
    );
    if (result instanceof FeedStoreError) throw result;
    return result;
  }

  /**
   * Removes feed `id` of `scope` (with its seen items; its articles stay until retention).
   * @returns the removed feed, or undefined when `scope` has no such feed
   */
  removeFeed(scope: Scope, id: number): Promise<StoredFeed | undefined> {
    return this.#connection.keep(() => {
      const row = this.#statements.deleteFeed.get(guildOf(scope), id);
      return row && toFeed(row);
    });
  }

  /** Feed `id`, whatever its scope. */
  getFeed(id: number): StoredFeed | undefined {
    return this.#connection.read(() => {
      const row = this.#statements.getFeed.get(id);
      return row && toFeed(row);
    });
  }

  /** The feeds of `scope` (a server's, or the operator's for `"global"`), oldest first. */
  listFeeds(scope: Scope): StoredFeed[] {
    return this.#connection.read(() => this.#statements.listFeeds.all(guildOf(scope)).map(toFeed));
  }

  /** The feeds due at `now` (epoch ms), the longest overdue first. */
  dueFeeds(now: number): StoredFeed[] {
    return this.#connection.read(() => this.#statements.dueFeeds.all(now).map(toFeed));
  }

  /** When the next feed is due (epoch ms), or undefined with no feed. */
  nextPollAt(): number | undefined {
    return this.#connection.read(() => this.#statements.nextPollAt.get() ?? undefined);
  }

  /** Saves what a poll of feed `id` leaves for the next one. */
  recordPoll(id: number, record: PollRecord): Promise<void> {
    return this.#connection.keep(() => {
      this.#statements.recordPoll.run(
        record.etag ?? null,
        record.lastModified ?? null,
        // Jitter makes fractions; the columns are STRICT integers.
        Math.round(record.nextPollAt),
        record.succeededAt === undefined ? null : Math.round(record.succeededAt),
        record.state.failures,
        record.state.failingSince ?? null,
        record.state.lastError ?? null,
        record.title ?? null,
        id,
      );
    });
  }

  /** Whether feed `feedId` has seen an item with any of `keys` (see `dedupKeys`). */
  hasSeen(feedId: number, keys: readonly string[]): boolean {
    return this.#connection.read(
      () => (this.#statements.seen.get(feedId, JSON.stringify(keys)) ?? 0) > 0,
    );
  }

  /**
   * Records an item of feed `feedId` as seen under all its `keys`, with the article made from
   * it (saved in the same transaction), or none (an item skipped or already in the library).
   */
  saveItem(
    feedId: number,
    keys: readonly string[],
    seenAt: number,
    article?: StoredArticle,
  ): Promise<void> {
    return this.#connection.keep(() =>
      this.#connection.db
        .transaction(() => {
          if (article !== undefined) this.#upsertArticle(article);
          for (const key of keys) {
            this.#statements.insertSeen.run(
              feedId,
              key,
              article?.article.id ?? null,
              Math.round(seenAt),
            );
          }
        })
        .immediate(),
    );
  }

  /** Saves (or replaces, by id) a fetched article. */
  saveArticle(article: StoredArticle): Promise<void> {
    return this.#connection.keep(() => this.#upsertArticle(article));
  }

  #upsertArticle({ article, scope, origin, addedAt }: StoredArticle): void {
    this.#statements.upsertArticle.run(
      article.id,
      guildOf(scope),
      origin.kind,
      origin.kind === "feed" ? origin.feedId : null,
      article.url ?? null,
      article.title,
      article.source ?? null,
      article.published ?? null,
      JSON.stringify(article.paragraphs),
      Math.round(addedAt),
    );
  }

  /** The fetched article with `id` (ignoring case). */
  getArticle(id: string): StoredArticle | undefined {
    return this.#connection.read(() => {
      const row = this.#statements.getArticle.get(id);
      return row && toStoredArticle(row);
    });
  }

  /** Every fetched article, oldest first: what start-up puts in the library. */
  listArticles(): StoredArticle[] {
    return this.#connection.read(() => this.#statements.allArticles.all().map(toStoredArticle));
  }

  /** How many fetched articles `scope` has. */
  countArticles(scope: Scope): number {
    return this.#connection.read(() => this.#statements.countArticles.get(guildOf(scope)) ?? 0);
  }

  /** Removes the fetched article `id`; whether there was one. */
  removeArticle(id: string): Promise<boolean> {
    return this.#connection.keep(() => this.#statements.deleteArticle.run(id).changes > 0);
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
  async addLinkArticle(stored: StoredArticle, limit: number): Promise<"added" | "updated"> {
    const result = await this.#connection.keep(() =>
      this.#connection.db
        .transaction((): "added" | "updated" | FeedStoreError => {
          if (this.#statements.getArticle.get(stored.article.id)) {
            this.#upsertArticle(stored);
            return "updated";
          }
          const guildId = guildOf(stored.scope);
          if (guildId !== null && (this.#statements.countArticles.get(guildId) ?? 0) >= limit) {
            return new FeedStoreError(
              "TOO_MANY_ARTICLES",
              `feeds: this server has ${limit} fetched articles, the most allowed (ARTICLES_PER_SERVER); remove one with /articles remove before adding another`,
            );
          }
          this.#upsertArticle(stored);
          return "added";
        })
        .immediate(),
    );
    if (result instanceof FeedStoreError) throw result;
    return result;
  }

  /**
   * Removes the fetched article `id` unless a pin cites it (checked in the same transaction, so
   * a pin added meanwhile cannot lose its article).
   * @returns "removed", "pinned" (kept: remove the pins citing it first) or "absent"
   */
  removeUnpinnedArticle(id: string): Promise<"removed" | "pinned" | "absent"> {
    return this.#connection.keep(() =>
      this.#connection.db
        .transaction((): "removed" | "pinned" | "absent" => {
          const pinned = this.#statements.articlePinned.get(id);
          if (pinned === undefined) return "absent";
          if (pinned) return "pinned";
          this.#statements.deleteArticle.run(id);
          return "removed";
        })
        .immediate(),
    );
  }

  /**
   * Removes the feed articles added before `before` (epoch ms) that no pin cites
   * (FEED_RETENTION_DAYS), and the items seen before it (a feed that still offered one would
   * have it taken again). Articles from links are kept.
   * @returns the removed ids, to take out of the library
   */
  pruneArticles(before: number): Promise<string[]> {
    return this.#connection.keep(() =>
      this.#connection.db
        .transaction(() => {
          this.#statements.pruneSeen.run(Math.round(before));
          return this.#statements.pruneArticles.all(before);
        })
        .immediate(),
    );
  }

  /**
   * Keeps a server's fetched articles to `limit` (ARTICLES_PER_SERVER) by removing its oldest
   * feed articles that no pin cites; articles from links are not removed.
   * @returns the removed ids, to take out of the library
   */
  trimArticles(guildId: string, limit: number): Promise<string[]> {
    return this.#connection.keep(() => this.#statements.trimArticles.all(guildId, guildId, limit));
  }

  /**
   * A number that changes when another connection (another process: a shard, a second bot on
   * the file) commits to the database; this connection's own writes leave it as it is. SQLite's
   * `PRAGMA data_version`: a cheap way to know whether to look at the tables again.
   */
  dataVersion(): number {
    return this.#connection.read(
      () => this.#connection.db.pragma("data_version", { simple: true }) as number,
    );
  }

  /**
   * Every fetched article's id with the time it was saved (a link saved again gets a new one),
   * without the text: what a process compares with its library to follow another's changes.
   */
  articleVersions(): Map<string, number> {
    return this.#connection.read(
      () =>
        new Map(
          this.#statements.articleVersions.all().map((row) => [row.id, row.added_at] as const),
        ),
    );
  }

  /**
   * Makes the operator's feeds (scope global) those of `urls` (FEEDS_FILE): new ones are added,
   * due at `now`; those no longer listed are removed. Listed ones keep their state.
   */
  syncOperatorFeeds(urls: readonly string[], now: number): Promise<OperatorFeedsSync> {
    return this.#connection.keep(() =>
      this.#connection.db
        .transaction(() => {
          const wanted = new Set(urls);
          const present = this.#statements.listFeeds.all(null);
          const removed: string[] = [];
          for (const row of present) {
            if (wanted.has(row.url)) continue;
            this.#statements.deleteFeed.get(null, row.id);
            removed.push(row.url);
          }
          const have = new Set(present.map((row) => row.url));
          const added: string[] = [];
          for (const url of wanted) {
            if (have.has(url)) continue;
            this.#statements.insertFeed.get(null, url, null, null, null, now, OPERATOR, now);
            added.push(url);
          }
          return { added, removed };
        })
        .immediate(),
    );
  }
}
