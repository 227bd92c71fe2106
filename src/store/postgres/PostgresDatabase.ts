/**
 * The PostgreSQL engine of the store contract (database.ts), chosen by `DATABASE_URL`: one
 * server shared by every host and shard, reached through node-postgres (`pg`) with a pool of
 * connections. A unit of work holds one pooled connection for its transaction; other units run
 * beside it on other connections, and the server orders them.
 *
 * What the stores see is what SQLite gives them: `?` placeholders (numbered here), integers as
 * numbers (bigint, `count(*)`, sums), blobs as Buffers, and JSON columns as their text (the
 * stores parse it themselves). A server that stops, restarts or cannot be reached is a transient
 * UNAVAILABLE StoreError: the pool drops the broken connections and opens new ones once the
 * server is back, a kept write retries meanwhile, and followers LISTEN again and catch up.
 */
import { setTimeout as delay } from "node:timers/promises";
import pg from "pg";
import { callLogged, createLogger, type Logger } from "../../log.js";
import { TimeoutError, withinTime } from "../../withinTime.js";
import {
  type Database,
  FOLLOWER_HANDLER_FAILED,
  type FollowHandlers,
  type Following,
  type Leadership,
  type LeadHandlers,
  type LeadOptions,
  type Sql,
  type Work,
} from "../database.js";
import { StoreError, type StoreErrorCode } from "../errors.js";
import { startLeadership } from "../leadership.js";
import { applyMigrations, NewerSchemaError, SCHEMA_VERSION } from "../migrations.js";
import { FIRST_RETRY_MS, MAX_RETRY_MS, PIN_WRITE_PATIENCE_MS } from "../patience.js";
import { AdvisoryClaim } from "./advisoryClaim.js";

/** The longest pause between a follower's attempts to reconnect. */
export const MAX_FOLLOW_RETRY_MS = 2_000;

/** Connections in the pool unless told otherwise: a shard's units of work are short. */
export const DEFAULT_POOL_SIZE = 10;
/**
 * How long opening a connection may take. A server that refuses is known at once; this bounds
 * one that does not answer (a host gone from the network), so a kept write still gets a few
 * tries within its patience.
 */
export const CONNECT_TIMEOUT_MS = 5_000;
/** How long {@link PostgresDatabase.ping} waits by default. */
export const PING_TIMEOUT_MS = 2_000;

/**
 * The advisory lock that migrations take: the ASCII bytes of "newsdesk" as a 64-bit key, so
 * that two hosts starting together migrate one after the other (the second finds it done).
 */
export const MIGRATION_LOCK_KEY = "7954895654309163883";

/**
 * The advisory lock every write takes at its start (the ASCII bytes of "nd:write"): one writer at
 * a time across every process and host, as SQLite's BEGIN IMMEDIATE gives, so that a store's
 * check-then-write (a server's feed limit, a duplicate feed, a thread's next turn) cannot
 * interleave with another's. Reads take no lock.
 */
export const WRITE_LOCK_KEY = "7954547126538171493";

/**
 * How long a write waits for {@link WRITE_LOCK_KEY} before it fails as a transient LOCKED (which
 * `keep` retries within its patience and the record queue queues).
 */
export const WRITE_LOCK_WAIT_MS = 2_000;

/** The start of a write: BEGIN, then the write lock, waited for at most WRITE_LOCK_WAIT_MS. */
const BEGIN_WRITE = `BEGIN; SET LOCAL lock_timeout = ${WRITE_LOCK_WAIT_MS};
  SELECT pg_advisory_xact_lock(${WRITE_LOCK_KEY}); SET LOCAL lock_timeout TO DEFAULT`;

/** Options of {@link openPostgres}. */
export interface PostgresOptions {
  /** Where the engine says what went wrong in the background (lost idle connections). */
  readonly log?: Logger;
  /** The most connections the pool opens (default {@link DEFAULT_POOL_SIZE}). */
  readonly poolSize?: number;
  /** The schema version to migrate to (default: the latest); tests build old databases. */
  readonly schemaVersion?: number;
  /** How long a kept write retries (default {@link PIN_WRITE_PATIENCE_MS}); tests shorten it. */
  readonly patienceMs?: number;
  /** How long opening one connection may take (default {@link CONNECT_TIMEOUT_MS}). */
  readonly connectTimeoutMs?: number;
}

/**
 * Connects to the PostgreSQL database at `url` (`postgres://user:password@host:port/database`)
 * and brings its schema to the version this code knows.
 * @throws StoreError with a one-line message naming `host:port/database` (never the password)
 *   and what to do: CANNOT_OPEN (bad URL, login refused, no such database), UNAVAILABLE (the
 *   server cannot be reached now), READ_ONLY (a standby), NEWER_SCHEMA (a newer newsdesk wrote
 *   it)
 */
export async function openPostgres(
  url: string,
  options: PostgresOptions = {},
): Promise<PostgresDatabase> {
  const target = parseUrl(url);
  const database = new PostgresDatabase(target, options);
  try {
    await database.migrate(options.schemaVersion ?? SCHEMA_VERSION);
    database.opened();
    return database;
  } catch (error) {
    await database.close();
    throw database.asStoreError(error);
  }
}

/** What a `DATABASE_URL` names, and the password that messages must never show. */
export interface Target {
  readonly url: string;
  /** `host:port/database`. */
  readonly name: string;
  readonly password: string;
}

/**
 * Parses `url` enough to name its database and to refuse what is not a PostgreSQL URL before
 * any connection: node-postgres reads the rest (user, password, parameters such as `sslmode`).
 */
function parseUrl(url: string): Target {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw badUrl("it is not a URL");
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    throw badUrl(`its scheme is ${parsed.protocol} instead of postgres:`);
  }
  const host = parsed.hostname || "localhost";
  const port = parsed.port || "5432";
  const user = decodeURIComponent(parsed.username);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, "")) || user || "postgres";
  return {
    url,
    name: `${host}:${port}/${database}`,
    password: decodeURIComponent(parsed.password),
  };
}

function badUrl(why: string): StoreError {
  return new StoreError(
    "CANNOT_OPEN",
    "DATABASE_URL",
    `database: DATABASE_URL is not a PostgreSQL URL (${why}); write it as postgres://user:password@host:5432/database, or leave it unset to use SQLite`,
  );
}

/**
 * Turns `?` placeholders into PostgreSQL's `$1`, `$2`... in order, leaving alone a `?` inside a
 * single-quoted literal, a double-quoted identifier or a comment.
 */
export function numberPlaceholders(text: string): string {
  let out = "";
  let index = 0;
  let number = 0;
  while (index < text.length) {
    const char = text[index] as string;
    const next = text[index + 1];
    let end: number;
    if (char === "'" || char === '"') {
      // A doubled quote inside is an escaped one: the scan ends on the next quote and resumes
      // with the following one, which opens the rest of the same literal.
      end = text.indexOf(char, index + 1);
      end = end === -1 ? text.length : end + 1;
    } else if (char === "-" && next === "-") {
      end = text.indexOf("\n", index);
      end = end === -1 ? text.length : end + 1;
    } else if (char === "/" && next === "*") {
      end = text.indexOf("*/", index + 2);
      end = end === -1 ? text.length : end + 2;
    } else if (char === "?") {
      out += `$${++number}`;
      index++;
      continue;
    } else {
      out += char;
      index++;
      continue;
    }
    out += text.slice(index, end);
    index = end;
  }
  return out;
}

/** The numbered form of each statement text; stores write a fixed set of them. */
const numbered = new Map<string, string>();
/** Beyond this many texts (statements built with variable lists), the cache starts over. */
const MAX_NUMBERED = 2_000;

function numberedText(text: string): string {
  let found = numbered.get(text);
  if (found === undefined) {
    if (numbered.size >= MAX_NUMBERED) numbered.clear();
    found = numberPlaceholders(text);
    numbered.set(text, found);
  }
  return found;
}

const INT8 = 20;
const NUMERIC = 1700;
const JSON_OID = 114;
const JSONB = 3802;

/**
 * A bigint as a number, as SQLite returns integers: ids, times in milliseconds and counts are
 * far below 2^53. One that is not exact as a number is refused rather than rounded.
 */
function parseInteger(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`database: the integer ${text} is beyond 2^53 and cannot be a number`);
  }
  return value;
}

/**
 * The result types the stores expect: bigint and numeric (a sum of bigints) as numbers, JSON
 * as its text. The rest as node-postgres parses it (bytea as a Buffer).
 */
const TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if (format === undefined || format === "text") {
      if (oid === INT8) return parseInteger;
      if (oid === NUMERIC) return Number;
      if (oid === JSON_OID || oid === JSONB) return (text: string) => text;
    }
    return pg.types.getTypeParser(oid, format ?? "text");
  }) as pg.CustomTypesConfig["getTypeParser"],
};

/** The SQLSTATE classes and codes of a server that is going away or cannot take us now. */
const UNAVAILABLE_STATES = /^(?:08...|57P0[123]|53300)$/;
/** Serialization failures, deadlocks and a lock not available: another transaction is in the way. */
const LOCKED_STATES = /^(?:40001|40P01|55P03)$/;
/** The system errors of a connection that cannot be made or was lost. */
const UNAVAILABLE_SYSTEM =
  /^(?:ECONNREFUSED|ECONNRESET|ECONNABORTED|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EHOSTDOWN|EAI_AGAIN)$/;
/** node-postgres's own words for a connection that broke or never came. */
const UNAVAILABLE_MESSAGES =
  /^(?:Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable)/;

/** Which StoreError a failure of node-postgres or of the server is, if any. */
function classify(error: unknown): StoreErrorCode | undefined {
  if (error instanceof NewerSchemaError) return "NEWER_SCHEMA";
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string") {
    if (UNAVAILABLE_STATES.test(code) || UNAVAILABLE_SYSTEM.test(code)) return "UNAVAILABLE";
    if (LOCKED_STATES.test(code)) return "LOCKED";
    if (code === "25006") return "READ_ONLY";
    if (code === "28P01" || code === "28000" || code === "3D000" || code === "ENOTFOUND") {
      return "CANNOT_OPEN";
    }
  }
  if (error instanceof Error && UNAVAILABLE_MESSAGES.test(error.message)) return "UNAVAILABLE";
  return undefined;
}

/** Whether `error` broke the connection it happened on (so that it must not be reused). */
function breaksConnection(error: unknown): boolean {
  return classify(error) === "UNAVAILABLE";
}

/** The cause in a message: the code and the server's words, on one line. */
function causeText(error: unknown): string {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const text = typeof message === "string" ? message.trim() : "";
  if (typeof code !== "string") return text || String(error);
  // Node's system errors repeat their code ("connect ECONNREFUSED 127.0.0.1:5432"); a failed
  // connection to both of localhost's addresses has no message at all.
  return text === "" || text.includes(code) ? code : `${code} ${text}`;
}

/**
 * One line per problem: the database first, the remedy last. `opened`: the database was opened
 * (its pool reconnects by itself, which an unreachable one is told); at opening nothing does,
 * the caller stops.
 */
function describe(
  code: StoreErrorCode,
  name: string,
  cause: string,
  waitedMs: number,
  opened: boolean,
): string {
  const waited = waitedMs >= 1000 ? ` for ${waitedMs / 1000} s` : "";
  switch (code) {
    case "UNAVAILABLE": {
      const reconnects = opened ? "; newsdesk reconnects by itself" : "";
      return waited
        ? `database: ${name} stayed unreachable${waited} (${cause}); check that PostgreSQL is running and DATABASE_URL points at it${reconnects}`
        : `database: ${name} is not reachable (${cause}); check that PostgreSQL is running and DATABASE_URL points at it${reconnects}`;
    }
    case "LOCKED":
      return `database: ${name} stayed locked by another transaction${waited} (${cause}); try again in a moment, and if it lasts, look for a long transaction in pg_stat_activity`;
    case "READ_ONLY":
      return `database: ${name} is read-only (${cause}); point DATABASE_URL at the primary server, not a standby, and give its user write access`;
    case "NEWER_SCHEMA":
      return `database: ${name} was written by a newer newsdesk (${cause}); update newsdesk, or point DATABASE_URL at another database`;
    case "CORRUPT":
    case "GONE":
    case "CANNOT_OPEN":
      return /^(?:28P01|28000)/.test(cause)
        ? `database: ${name} refused the login (${cause}); check the user and password in DATABASE_URL and the server's pg_hba.conf`
        : cause.startsWith("3D000")
          ? `database: ${name} does not exist (${cause}); create it (createdb) or correct the database name in DATABASE_URL`
          : cause.startsWith("ENOTFOUND")
            ? `database: ${name} names a host that does not resolve (${cause}); correct the host in DATABASE_URL`
            : `database: cannot open ${name} (${cause}); check DATABASE_URL and the server`;
  }
}

export class PostgresDatabase implements Database {
  readonly dialect = "postgres";
  readonly sharedAcrossHosts = true;
  readonly name: string;
  readonly #target: Target;
  readonly #pool: pg.Pool;
  readonly #log: Logger;
  readonly #patienceMs: number;
  readonly #clientConfig: pg.ClientConfig;
  readonly #followers = new Set<Following>();
  readonly #leaderships = new Set<Leadership>();
  #closing: Promise<void> | undefined;
  /** Set by {@link openPostgres} once migrated: from then on the pool reconnects by itself. */
  #opened = false;

  /** Use {@link openPostgres}, which also migrates. */
  constructor(target: Target, options: PostgresOptions = {}) {
    this.#target = target;
    this.name = target.name;
    this.#log = options.log ?? createLogger({ level: "warn", destination: process.stderr });
    this.#patienceMs = options.patienceMs ?? PIN_WRITE_PATIENCE_MS;
    this.#clientConfig = {
      connectionString: target.url,
      types: TYPES,
      keepAlive: true,
      connectionTimeoutMillis: options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
      application_name: "newsdesk",
    };
    this.#pool = new pg.Pool({ ...this.#clientConfig, max: options.poolSize ?? DEFAULT_POOL_SIZE });
    // An idle connection that the server ends (a restart, an idle timeout) is dropped by the
    // pool, which then emits it here: unheard, it would end the process.
    this.#pool.on("error", (error) => {
      this.#log.warn(
        { database: this.name, error: this.#redact(causeText(error)) },
        "database: an idle connection was lost; the pool opens a new one when needed",
      );
    });
  }

  get isOpen(): boolean {
    return this.#closing === undefined;
  }

  /** Marks the database opened (see {@link openPostgres}). */
  opened(): void {
    this.#opened = true;
  }

  read<T>(work: Work<T>): Promise<T> {
    return this.#unit("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", work);
  }

  write<T>(work: Work<T>): Promise<T> {
    return this.#unit(BEGIN_WRITE, work);
  }

  async keep<T>(work: Work<T>): Promise<T> {
    const started = Date.now();
    const deadline = started + this.#patienceMs;
    for (let wait = FIRST_RETRY_MS; ; wait = Math.min(2 * wait, MAX_RETRY_MS)) {
      try {
        // Durable once it resolves, whatever the server's default for synchronous_commit.
        return await this.#unit(`${BEGIN_WRITE}; SET LOCAL synchronous_commit TO on`, work);
      } catch (error) {
        const retriable = this.isTransient(error) && this.isOpen;
        if (retriable && Date.now() + wait < deadline) {
          await delay(wait);
          continue;
        }
        const cause = error instanceof StoreError ? error.cause : error;
        const code = classify(cause);
        if (!retriable || code === undefined) throw error;
        throw new StoreError(
          code,
          this.name,
          describe(
            code,
            this.name,
            this.#redact(causeText(cause)),
            Date.now() - started,
            this.#opened,
          ),
          { cause },
        );
      }
    }
  }

  checkWritable(): void {
    if (this.#closing !== undefined) {
      throw new StoreError(
        "CANNOT_OPEN",
        this.name,
        `database: ${this.name} is closed (newsdesk is stopping); try again once it is back`,
      );
    }
  }

  isTransient(error: unknown): boolean {
    // Trying it again might apply it twice.
    if (error instanceof UncertainCommit) return false;
    const code = error instanceof StoreError ? error.code : classify(error);
    return code === "UNAVAILABLE" || code === "LOCKED";
  }

  async ping(timeoutMs: number = PING_TIMEOUT_MS): Promise<void> {
    this.checkWritable();
    try {
      await withinTime(this.#pool.query("SELECT 1"), timeoutMs);
    } catch (error) {
      if (!(error instanceof TimeoutError)) throw this.asStoreError(error);
      throw new StoreError(
        "UNAVAILABLE",
        this.name,
        `database: ${this.name} did not answer within ${timeoutMs} ms; check that PostgreSQL is running and not overloaded`,
      );
    }
  }

  /**
   * LISTENs on `channel` on a connection of its own (no polling, so no interval). A lost
   * connection is reported once to `handlers.onError`, then retried with growing pauses (up to
   * {@link MAX_FOLLOW_RETRY_MS}); every connection made is followed by one `onChange()` without
   * payload, for what was missed. Resolves once the first attempt is done, even a failed one.
   */
  async follow(channel: string, handlers: FollowHandlers): Promise<Following> {
    this.checkWritable();
    const follower = new Follower(this.#clientConfig, channel, handlers, this.#log, (error) =>
      this.asStoreError(error),
    );
    const following: Following = {
      stop: async () => {
        this.#followers.delete(following);
        await follower.stop();
      },
    };
    this.#followers.add(following);
    await follower.start();
    return following;
  }

  /**
   * A session advisory lock on a connection of its own, checked every `intervalMs`: see
   * {@link Database.lead} and advisoryClaim.ts.
   */
  async lead(name: string, handlers: LeadHandlers, options: LeadOptions = {}): Promise<Leadership> {
    this.checkWritable();
    return startLeadership(
      name,
      handlers,
      options,
      this.#log,
      this.#leaderships,
      (loop, intervalMs) =>
        new AdvisoryClaim(
          this.#clientConfig,
          name,
          intervalMs,
          (error) => this.#redact(causeText(error)),
          () => loop.wake(),
        ),
    );
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      await Promise.all([
        ...[...this.#followers].map((following) => following.stop()),
        ...[...this.#leaderships].map((leadership) => leadership.stop()),
      ]);
      // Waits for the connections in use to come back, then closes them all.
      await this.#pool.end();
    })();
    return this.#closing;
  }

  /**
   * Brings the schema to version `target` in one transaction under an advisory lock: a second
   * process waits for the first, then finds the work done. Writes the version even when there
   * is nothing to migrate: that write finds a read-only server at start-up, not at the first pin.
   * @returns the version found before migrating
   */
  migrate(target: number = SCHEMA_VERSION): Promise<number> {
    return this.#unit("BEGIN", async (sql) => {
      await sql.get("SELECT pg_advisory_xact_lock(?::bigint)", [MIGRATION_LOCK_KEY]);
      await sql.exec("CREATE TABLE IF NOT EXISTS newsdesk_schema (version integer NOT NULL)");
      const row = await sql.get<{ version: number }>("SELECT version FROM newsdesk_schema");
      const found = row?.version ?? 0;
      await applyMigrations(sql, found, target);
      if (row === undefined) {
        await sql.run("INSERT INTO newsdesk_schema (version) VALUES (?)", [target]);
      } else {
        await sql.run("UPDATE newsdesk_schema SET version = ?", [target]);
      }
      return found;
    });
  }

  /**
   * `error` as a StoreError naming this database and the remedy, when it is the server's or a
   * connection's; any other error (a bug in a statement, a store's own refusal) as it is.
   */
  asStoreError(error: unknown): unknown {
    if (error instanceof StoreError) return error;
    const code = classify(error);
    if (code === undefined) return error;
    const cause =
      error instanceof NewerSchemaError
        ? `schema version ${error.found}; this newsdesk knows up to ${SCHEMA_VERSION}`
        : this.#redact(causeText(error));
    return new StoreError(code, this.name, describe(code, this.name, cause, 0, this.#opened), {
      cause: error,
    });
  }

  /**
   * Runs `work` in one transaction on one pooled connection. A connection found broken at BEGIN
   * (the server restarted while it sat in the pool) is dropped and the unit starts again on
   * another: nothing of it ran yet.
   */
  async #unit<T>(begin: string, work: Work<T>): Promise<T> {
    this.checkWritable();
    for (let attempt = 1; ; attempt++) {
      let client: pg.PoolClient;
      try {
        client = await this.#pool.connect();
      } catch (error) {
        throw this.asStoreError(error);
      }
      // A checked-out connection has no listener of its own: a server going away between two
      // statements would otherwise be an uncaught 'error' event.
      let broken: Error | undefined;
      const onError = (error: Error) => {
        broken ??= error;
      };
      client.on("error", onError);
      let stage: "begin" | "work" | "commit" = "begin";
      try {
        await client.query(begin);
        stage = "work";
        const result = await work(this.#sql(client));
        stage = "commit";
        await client.query("COMMIT");
        return result;
      } catch (error) {
        if (breaksConnection(error)) broken ??= error as Error;
        if (broken === undefined) {
          await client.query("ROLLBACK").catch((rollback: Error) => {
            broken = rollback;
          });
        }
        if (stage === "begin" && broken !== undefined && attempt < 3) continue;
        if (stage === "commit" && broken !== undefined) {
          // The server may have committed before the connection broke: not retried, so that
          // a kept write is never applied twice.
          throw new UncertainCommit(
            this.name,
            `database: ${this.name} went away while committing (${this.#redact(causeText(error))}); it may or may not have been kept: check, then try again`,
            { cause: error },
          );
        }
        throw this.asStoreError(error);
      } finally {
        client.off("error", onError);
        client.release(broken ?? false);
      }
    }
  }

  #sql(client: pg.PoolClient): Sql {
    const query = (text: string, params: readonly unknown[] = []) =>
      client.query({ text: numberedText(text), values: params as unknown[] });
    return {
      dialect: "postgres",
      all: async <Row>(text: string, params?: readonly unknown[]) =>
        (await query(text, params)).rows as Row[],
      get: async <Row>(text: string, params?: readonly unknown[]) =>
        (await query(text, params)).rows[0] as Row | undefined,
      run: async (text: string, params?: readonly unknown[]) =>
        (await query(text, params)).rowCount ?? 0,
      exec: async (script: string) => {
        // No parameters: the simple protocol, which runs a script of several statements.
        await client.query(script);
      },
      notify: async (channel: string, payload: string) => {
        await query("SELECT pg_notify(?, ?)", [channel, payload]);
      },
    };
  }

  #redact(text: string): string {
    const password = this.#target.password;
    return password === "" ? text : text.split(password).join("[redacted]");
  }
}

/**
 * A connection lost during COMMIT: the write may have been kept. An UNAVAILABLE server, but not
 * transient (see {@link PostgresDatabase.isTransient}): retried, it might be applied twice.
 */
class UncertainCommit extends StoreError {
  constructor(database: string, message: string, options?: ErrorOptions) {
    super("UNAVAILABLE", database, message, options);
  }
}

/**
 * One LISTEN on a connection of its own (a pooled one would go back to the pool and stop
 * hearing). Reconnects with growing pauses until stopped; says onChange() without payload after
 * every connection, since notifications sent while it was away are lost.
 */
class Follower {
  #client: pg.Client | undefined;
  #stopped = false;
  /** Whether the loss under way was reported: onError once per loss, not per failed try. */
  #reported = false;
  #wait = FIRST_RETRY_MS;
  #retry: NodeJS.Timeout | undefined;
  #connecting: Promise<void> | undefined;

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly channel: string,
    private readonly handlers: FollowHandlers,
    private readonly log: Logger,
    private readonly asStoreError: (error: unknown) => unknown,
  ) {}

  /** The first connection; a failure is reported and retried like a lost connection. */
  start(): Promise<void> {
    this.#connecting = this.#connect();
    return this.#connecting;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#retry);
    await this.#connecting;
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }

  async #connect(): Promise<void> {
    const client = new pg.Client(this.config);
    let lost = false;
    const onLost = (error: Error) => {
      if (lost || this.#stopped) return;
      lost = true;
      if (this.#client === client) this.#client = undefined;
      client.end().catch(() => undefined);
      this.#lost(error);
    };
    client.on("error", onLost);
    client.on("end", () => onLost(new Error("Connection terminated unexpectedly")));
    client.on("notification", (message) => {
      if (message.channel === this.channel)
        this.#call(() => this.handlers.onChange(message.payload));
    });
    try {
      await client.connect();
      await client.query(`LISTEN "${this.channel.replaceAll('"', '""')}"`);
    } catch (error) {
      onLost(error as Error);
      return;
    }
    if (this.#stopped || lost) {
      await client.end().catch(() => undefined);
      return;
    }
    this.#client = client;
    this.#wait = FIRST_RETRY_MS;
    this.#reported = false;
    // Listening now: whatever changed before, while no one listened, is looked at once.
    this.#call(() => this.handlers.onChange());
  }

  #lost(error: Error): void {
    if (!this.#reported) {
      this.#reported = true;
      const reported = this.asStoreError(error);
      this.#call(() => this.handlers.onError?.(reported instanceof Error ? reported : error));
    }
    if (this.#stopped) return;
    this.#retry = setTimeout(() => {
      this.#connecting = this.#connect();
    }, this.#wait);
    this.#retry.unref();
    this.#wait = Math.min(2 * this.#wait, MAX_FOLLOW_RETRY_MS);
  }

  /** A handler that throws must not break the connection's event handling: it is logged. */
  #call(handler: () => void): void {
    callLogged(this.log, { channel: this.channel }, FOLLOWER_HANDLER_FAILED, handler);
  }
}
