/**
 * Why the database cannot be used, on either engine. Stable codes for a caller that wants to
 * branch; the message is one line naming the database and what to do, printed as it is when the
 * bot stops and shown (shortened) to the member whose action it refused.
 */
export type StoreErrorCode =
  /** The folder or the file cannot be created or opened; the server refuses the login. */
  | "CANNOT_OPEN"
  /** The file is not an SQLite database, or is damaged. */
  | "CORRUPT"
  /** The file or its folder cannot be written; the server is read-only. */
  | "READ_ONLY"
  /** Another process held the database locked for longer than the busy timeout. */
  | "LOCKED"
  /** The database was written by a newer newsdesk (a schema version this code does not know). */
  | "NEWER_SCHEMA"
  /**
   * The file newsdesk opened is no longer at its path (deleted, its folder deleted, or replaced
   * by another file): what is written now would not be in the file the next start opens.
   */
  | "GONE"
  /**
   * The database server cannot be reached now (refused, lost, restarting, shutting down): it
   * may pass by itself, and the store reconnects on its own.
   */
  | "UNAVAILABLE";

export class StoreError extends Error {
  override readonly name = "StoreError";

  constructor(
    readonly code: StoreErrorCode,
    /** The database at fault: its file, or `host:port/database` of the server. */
    readonly database: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message.replace(/\s+/g, " ").trim(), options);
  }
}
