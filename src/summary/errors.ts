/** Expected failures of the summaries, with stable codes a surface can map to a message. */
export type SummaryErrorCode = "UNKNOWN_ARTICLE" | "EMPTY_TOPIC";

export class SummaryError extends Error {
  override readonly name = "SummaryError";
  constructor(
    readonly code: SummaryErrorCode,
    message: string,
  ) {
    super(message);
  }
}
