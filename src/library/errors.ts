/** Expected failures of the library, with stable codes a caller can act on. */
export type LibraryErrorCode = "DUPLICATE_ID" | "UNKNOWN_ARTICLE";

/** A library change that cannot be made, with its {@link LibraryErrorCode}. */
export class LibraryError extends Error {
  override readonly name = "LibraryError";
  constructor(
    readonly code: LibraryErrorCode,
    message: string,
  ) {
    super(message);
  }
}
