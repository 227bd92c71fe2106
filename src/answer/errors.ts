/** Expected failures of the answer service, with stable codes a surface can map to a message. */
export type AnswerErrorCode = "EMPTY_QUESTION" | "UNKNOWN_ARTICLE" | "UNKNOWN_PARAGRAPH";

export class AnswerError extends Error {
  override readonly name = "AnswerError";
  constructor(
    readonly code: AnswerErrorCode,
    message: string,
  ) {
    super(message);
  }
}
