/** Expected failures of the feed store, with stable codes; messages say what to do. */

/** Why a feed or a link's article could not be added. */
export type FeedStoreErrorCode = "TOO_MANY_FEEDS" | "DUPLICATE_FEED" | "TOO_MANY_ARTICLES";

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
