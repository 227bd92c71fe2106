/**
 * The store half of /healthz, on either database engine: the database must take writes for a
 * reason known without asking it (a deleted or read-only SQLite file still answers a query,
 * while every pin and vote is refused) and answer a trivial query.
 */
import type { Database } from "../store/database.js";

/** How long the query may take before the store counts as not answering. */
export const STORE_CHECK_MS = 2_000;

/**
 * Resolves when `database` is writable and answers.
 * @throws StoreError saying why not
 */
export async function storeAnswers(database: Database): Promise<void> {
  database.checkWritable();
  await database.ping(STORE_CHECK_MS);
}
