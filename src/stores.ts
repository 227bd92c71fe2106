/**
 * The stores the bot keeps its state in (pins and the records that follow answers, feeds and
 * fetched articles, the question log and votes, conversations), opened in one place on one
 * database: the engine is chosen here, from the configuration, and nothing above the stores
 * knows which one runs. Closing them is one call too, in the order that loses nothing: the
 * stores' queues are written, then the database closes.
 */
import { FeedStore } from "./feeds/FeedStore.js";
import type { Logger } from "./log.js";
import { SqlPinStore } from "./pins/SqlPinStore.js";
import type { PinStore } from "./pins/types.js";
import type { Database } from "./store/database.js";
import { type DatabaseSettings, openDatabase } from "./store/openDatabase.js";
import { ConversationStore } from "./threads/ConversationStore.js";
import { VoteStore } from "./votes/VoteStore.js";

/** How long a close lets conversation turns being written finish. */
const CLOSE_TIMEOUT_MS = 5_000;

/** The open stores, all on {@link Stores.database}. */
export interface Stores {
  readonly database: Database;
  readonly pins: PinStore;
  readonly feeds: FeedStore;
  readonly votes: VoteStore;
  readonly conversations: ConversationStore;
  /**
   * Resolves once what the stores still queue is written (or dropped with a log line), or
   * after `timeoutMs`: a stop's last chance to write in the background. Never rejects.
   */
  flush(timeoutMs: number): Promise<void>;
  /**
   * Writes what is still queued (waiting its turn), then closes the database. Calling it again
   * does nothing more.
   */
  close(): Promise<void>;
}

/**
 * Opens the database `settings` name (PostgreSQL when `databaseUrl` is set, else the SQLite file
 * at `databasePath`), migrated, with every store on it.
 * @throws StoreError with a one-line message naming the database and what to do
 */
export async function openStores(settings: DatabaseSettings, log: Logger): Promise<Stores> {
  return storesOn(await openDatabase(settings, log), log);
}

/** The stores on a database already open (tests open their own). */
export function storesOn(database: Database, log: Logger): Stores {
  const pins = new SqlPinStore(database, log);
  const votes = new VoteStore(database, log);
  const conversations = new ConversationStore(database);
  let closing: Promise<void> | undefined;
  return {
    database,
    pins,
    feeds: new FeedStore(database),
    votes,
    conversations,
    async flush(timeoutMs) {
      await Promise.all([
        pins.flush(timeoutMs),
        votes.flush(timeoutMs),
        conversations.flush(timeoutMs),
      ]);
    },
    close() {
      closing ??= (async () => {
        try {
          await Promise.all([pins.close(), votes.close(), conversations.flush(CLOSE_TIMEOUT_MS)]);
        } finally {
          await database.close();
        }
      })();
      return closing;
    },
  };
}
