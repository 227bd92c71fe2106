/**
 * The one way newsdesk's stores (pins, feeds and fetched articles, votes, conversations) reach
 * their database, whatever the engine: SQLite, one file on this machine (the default), or
 * PostgreSQL shared by every host (`DATABASE_URL`). A store writes its SQL once, with `?`
 * placeholders, against {@link Sql}; where the two dialects differ it says so beside the
 * statement (`sql.dialect`). Nothing above the stores knows which engine runs.
 *
 * Work is a unit: every statement of one `read`, `write` or `keep` runs in one transaction on
 * one connection. The work function must only run statements (no network, no timers): a SQLite
 * connection is held for its whole duration.
 */

/** The SQL dialect of an engine. */
export type Dialect = "sqlite" | "postgres";

/** The statements of one unit of work, on its transaction. */
export interface Sql {
  readonly dialect: Dialect;
  /**
   * The rows of a query. `?` marks a parameter (the PostgreSQL engine numbers them); values are
   * strings, numbers (integers are exact up to 2^53 on both engines: PostgreSQL's bigint comes
   * back as a number), null, or a Buffer. Column names come back as written: quote a
   * camel-case alias (`AS "lastAskedAt"`), PostgreSQL folds the rest to lower case.
   */
  all<Row>(text: string, params?: readonly unknown[]): Promise<Row[]>;
  /** The first row of a query, or undefined. */
  get<Row>(text: string, params?: readonly unknown[]): Promise<Row | undefined>;
  /** Runs a statement; how many rows it changed. */
  run(text: string, params?: readonly unknown[]): Promise<number>;
  /** Runs a script of statements without parameters (a migration). */
  exec(script: string): Promise<void>;
  /**
   * Tells the other processes on this database that `channel` changed, once the transaction
   * commits (PostgreSQL's NOTIFY). On SQLite, which only one machine shares, it does nothing:
   * the others notice a commit by polling (see {@link Database.follow}).
   */
  notify(channel: string, payload: string): Promise<void>;
}

/** A unit of work: statements on one transaction. */
export type Work<T> = (sql: Sql) => Promise<T>;

/** What {@link Database.follow} calls. */
export interface FollowHandlers {
  /**
   * Another process changed `channel`: with its notification's payload, or with no payload when
   * what changed is unknown (SQLite saw a commit; PostgreSQL reconnected and may have missed
   * notifications), and the follower should compare everything.
   */
  readonly onChange: (payload?: string) => void;
  /** The engine could not look (a lost connection); it keeps trying. */
  readonly onError?: (error: Error) => void;
}

/** A running {@link Database.follow}. */
export interface Following {
  stop(): Promise<void>;
}

/** What {@link Database.lead} calls. */
export interface LeadHandlers {
  /** This process became the one holder of the name, across every process and host. */
  readonly onLead: () => void;
  /**
   * This process stopped being the holder without being told to (its connection was lost, its
   * lease could not be renewed in time or was taken): the work must stop now, since another
   * process may take over at its next try. `reason` is one line.
   */
  readonly onLose: (reason: string) => void;
}

/** Options of {@link Database.lead}. */
export interface LeadOptions {
  /**
   * How often a process tries to take the lead while it does not hold it, and checks or renews
   * it while it does (default {@link LEAD_INTERVAL_MS}). The failover times follow from it:
   * see {@link Database.lead}.
   */
  readonly intervalMs?: number;
}

/** How often {@link Database.lead} tries, renews or checks by default. */
export const LEAD_INTERVAL_MS = 2_000;

/** A running {@link Database.lead}. */
export interface Leadership {
  /** Whether this process holds the lead now (between onLead and onLose or stop). */
  readonly leading: boolean;
  /**
   * Stops trying, and releases the lead if held (another process takes it at its next try);
   * resolves once released. Calls no handler: the caller stopped the work itself.
   */
  stop(): Promise<void>;
}

/** What an engine logs when a follower's handler throws (see `callLogged`). */
export const FOLLOWER_HANDLER_FAILED = "database: a follower's handler failed";

/**
 * An open database of either engine, migrated to the schema this code knows. Every method that
 * fails throws a `StoreError` (src/store/errors.ts) whose message is one line naming the database
 * and what to do.
 */
export interface Database {
  readonly dialect: Dialect;
  /** What messages and logs name: the file, or `host:port/database` (never a password). */
  readonly name: string;
  /** Whether it is open (false once {@link close} began). */
  readonly isOpen: boolean;
  /**
   * Whether processes on other machines may share it (PostgreSQL): each host then shares its
   * articles folder through the store. SQLite's processes share one machine, and its folder.
   */
  readonly sharedAcrossHosts: boolean;
  /** A read: the statements see one consistent state (a read-only transaction). */
  read<T>(work: Work<T>): Promise<T>;
  /**
   * A write, tried once: one transaction that takes the write lock at its start (SQLite's
   * BEGIN IMMEDIATE; on PostgreSQL an advisory lock every process and host takes), so that no
   * two writes interleave anywhere. Throws a transient StoreError (see {@link isTransient}) when the database
   * is locked or unreachable now, for a caller that queues and retries on its own.
   */
  write<T>(work: Work<T>): Promise<T>;
  /**
   * A write that is kept or refused, for what a user is told is done (a pin, a vote): checked
   * writable before, durable once it resolves (synced to disk / committed), and retried while
   * the database is locked or unreachable for up to `PIN_WRITE_PATIENCE_MS`, yielding between
   * tries.
   * @throws StoreError (rejects) saying why it was not kept
   */
  keep<T>(work: Work<T>): Promise<T>;
  /**
   * Throws the StoreError a write would get now for a reason known without asking the database
   * (SQLite: the file is gone, replaced or read-only; the store is closed), so that a surface
   * can refuse before it tells anyone a write is under way.
   */
  checkWritable(): void;
  /** Whether `error` may pass by itself: a lock, a lost or refused connection, a restart. */
  isTransient(error: unknown): boolean;
  /**
   * Resolves when the database takes writes for all that is known without asking it (see
   * {@link checkWritable}: a deleted or read-only SQLite file still answers a query while every
   * pin is refused) and answers a trivial query within `timeoutMs`: the store half of /healthz.
   * @throws StoreError saying why not
   */
  ping(timeoutMs?: number): Promise<void>;
  /**
   * Calls `handlers.onChange` when another process changes `channel` (see {@link Sql.notify}),
   * until stopped. SQLite polls its commit counter every `intervalMs`; PostgreSQL LISTENs, and
   * after every (re)connection reports one change without payload so that the follower catches
   * up on what it missed.
   */
  follow(channel: string, handlers: FollowHandlers, intervalMs?: number): Promise<Following>;
  /**
   * Elects, among every process and host on this database, one holder of `name`: the process
   * that does a piece of work that must happen once for the whole bot (the feed poll,
   * deploy-commands). Calls `handlers.onLead` when this process becomes the holder and
   * `handlers.onLose` when it stops being it, and keeps trying every `intervalMs` by itself
   * until stopped. Resolves once the first try is done (after its onLead, when it led).
   *
   * PostgreSQL: a session advisory lock on a connection of its own, checked with a query every
   * `intervalMs`. A holder that stops, or whose process is killed (its connection closes), frees
   * it at once: another process leads within `intervalMs` (2 s by default). A holder whose host
   * vanishes without closing its connection (a power cut, a network split) is ended by the
   * server as an idle session (the idle_session_timeout the engine sets on it): another process
   * leads within 5 × `intervalMs` (10 s; intervals under 1 s count as 1 s in the checks), and
   * the vanished holder, if it still runs, has called onLose at least 2 intervals before that.
   *
   * SQLite (the shards of one machine): a lease row renewed every `intervalMs` that expires
   * 3 × `intervalMs` after its last renewal. A holder that stops deletes it (another leads
   * within `intervalMs`); one that dies leaves it to expire: another leads within
   * 4 × `intervalMs` (8 s). A holder that cannot renew (the file locked) calls onLose when its
   * lease expires.
   */
  lead(name: string, handlers: LeadHandlers, options?: LeadOptions): Promise<Leadership>;
  /**
   * Closes the database once the work under way is done (followers and leaderships stopped,
   * pool ended); it cannot be used afterwards. Calling it again does nothing.
   */
  close(): Promise<void>;
}
