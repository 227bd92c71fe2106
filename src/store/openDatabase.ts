/**
 * Opens the database the configuration names: PostgreSQL when `DATABASE_URL` is set (shared by
 * every host), else the SQLite file at `DATABASE_PATH` (this machine's shards only).
 */
import type { Logger } from "../log.js";
import type { Database } from "./database.js";
import { openSqlite } from "./sqlite/SqliteDatabase.js";

/** Where the database is (the configuration's `databasePath` and `databaseUrl`). */
export interface DatabaseSettings {
  /** DATABASE_PATH: the SQLite file, used when there is no URL. */
  readonly databasePath: string;
  /** DATABASE_URL: a `postgres://` URL; when set, the SQLite file is not used. */
  readonly databaseUrl?: string;
}

/**
 * The open, migrated database.
 * @throws StoreError with a one-line message naming the database and what to do
 */
export async function openDatabase(settings: DatabaseSettings, log: Logger): Promise<Database> {
  if (settings.databaseUrl !== undefined) {
    // Loaded only when used: a SQLite install never loads pg.
    const { openPostgres } = await import("./postgres/PostgresDatabase.js");
    return openPostgres(settings.databaseUrl, { log });
  }
  return openSqlite(settings.databasePath, { log });
}
