/**
 * The database engines the store contract suites run on: each test gets a fresh, empty database
 * of the engine, which it may open more than once (a second connection is another shard or
 * host on the same data).
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { inject } from "vitest";
import { createLogger, type Logger } from "../../src/log.js";
import type { Database, Dialect } from "../../src/store/database.js";
import type { DatabaseSettings } from "../../src/store/openDatabase.js";
import { openPostgres } from "../../src/store/postgres/PostgresDatabase.js";
import { openSqlite } from "../../src/store/sqlite/SqliteDatabase.js";
import { dropDatabase, freshDatabaseUrl } from "./postgres.js";

/** A fresh database of one engine. */
export interface TestDatabase {
  /** Where it is, as the configuration names it: for `openDatabase`, or a child process. */
  readonly settings: DatabaseSettings;
  /** Opens a connection (a pool on PostgreSQL) to it, migrated. */
  open(options?: { readonly log?: Logger }): Promise<Database>;
  /** Closes what {@link open} opened and removes the database. */
  remove(): Promise<void>;
}

export interface Engine {
  readonly name: Dialect;
  /** A fresh empty database. */
  fresh(): Promise<TestDatabase>;
}

const quiet = createLogger({ level: "error" });

/** SQLite: a file in a new temp folder. */
export const sqliteEngine: Engine = {
  name: "sqlite",
  async fresh() {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "newsdesk-store-"));
    const file = path.join(dir, "newsdesk.sqlite");
    return withConnections(
      { databasePath: file },
      (log) => openSqlite(file, { log }),
      () => fs.rm(dir, { recursive: true, force: true }),
    );
  },
};

/** PostgreSQL: a new database on the run's server (test/support/postgresSetup.ts). */
const postgresEngine: Engine = {
  name: "postgres",
  async fresh() {
    const url = await freshDatabaseUrl(inject("postgresUrl"));
    return withConnections(
      { databasePath: "unused.sqlite", databaseUrl: url },
      (log) => openPostgres(url, { log, poolSize: 4 }),
      () => dropDatabase(url),
    );
  },
};

/** The engines every contract suite runs on. */
export const ENGINES: readonly Engine[] = [sqliteEngine, postgresEngine];

/** A {@link TestDatabase} whose connections are closed before `removeAll`. */
function withConnections(
  settings: DatabaseSettings,
  open: (log: Logger) => Promise<Database>,
  removeAll: () => Promise<unknown>,
): TestDatabase {
  const opened: Database[] = [];
  return {
    settings,
    async open(options = {}) {
      const db = await open(options.log ?? quiet);
      opened.push(db);
      return db;
    },
    async remove() {
      await Promise.all(opened.map((db) => db.close()));
      await removeAll();
    },
  };
}
