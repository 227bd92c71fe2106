/**
 * Why the pin database cannot be used. Stable codes for a caller that wants to branch; the
 * message is one line naming the file and what to do, printed as it is when the bot stops.
 */
export type PinStoreErrorCode =
  /** The folder or the file cannot be created or opened. */
  | "CANNOT_OPEN"
  /** The file is not an SQLite database, or is damaged. */
  | "CORRUPT"
  /** The file or its folder cannot be written. */
  | "READ_ONLY"
  /** Another process held the database locked for longer than the busy timeout. */
  | "LOCKED"
  /** The database was written by a newer newsdesk (a schema version this code does not know). */
  | "NEWER_SCHEMA"
  /**
   * The file newsdesk opened is no longer at its path (deleted, its folder deleted, or replaced
   * by another file): what is written now would not be in the file the next start opens.
   */
  | "GONE";

export class PinStoreError extends Error {
  override readonly name = "PinStoreError";

  constructor(
    readonly code: PinStoreErrorCode,
    /** The database file at fault. */
    readonly path: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message.replace(/\s+/g, " ").trim(), options);
  }
}
