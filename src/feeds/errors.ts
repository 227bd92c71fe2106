/** Expected failures of the feed store, with stable codes; messages say what to do. */

/** Why a feed could not be added. */
export type FeedStoreErrorCode = "TOO_MANY_FEEDS" | "DUPLICATE_FEED";

/** A refused feed change. The message starts `feeds: `. */
export class FeedStoreError extends Error {
  override readonly name = "FeedStoreError";

  constructor(
    readonly code: FeedStoreErrorCode,
    message: string,
  ) {
    super(message);
  }
}
