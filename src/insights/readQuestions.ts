/**
 * Reads a period of the question log in pages, letting the event loop run between them: the
 * whole log of a busy server (100,000 questions) takes about half a second to read, which in
 * one go would hold every other member's question and button for that long.
 */
import { nextTurn } from "../nextTurn.js";
import type { AskedQuestion, QuestionPeriod } from "../votes/types.js";

/** What reading needs of the vote store (`VoteStore.listQuestionsPage`). */
export interface QuestionPages {
  listQuestionsPage(
    guildId: string,
    period: QuestionPeriod,
    after: Pick<AskedQuestion, "at" | "id"> | undefined,
    limit: number,
  ): Promise<AskedQuestion[]>;
}

/** Questions read per page: a few milliseconds of the main thread each. */
export const PAGE_SIZE = 1000;

export interface ReadOptions {
  readonly pageSize?: number;
  /** Awaited between pages; default `nextTurn`. */
  readonly pause?: () => Promise<void>;
}

/**
 * Calls `visit` with each page of the guild's questions of `period`, oldest first.
 * @returns how many questions were read
 */
export async function forEachQuestionPage(
  source: QuestionPages,
  guildId: string,
  period: QuestionPeriod,
  visit: (page: readonly AskedQuestion[]) => void,
  options: ReadOptions = {},
): Promise<number> {
  const pageSize = options.pageSize ?? PAGE_SIZE;
  const pause = options.pause ?? nextTurn;
  let read = 0;
  let after: AskedQuestion | undefined;
  for (;;) {
    const page = await source.listQuestionsPage(guildId, period, after, pageSize);
    if (page.length > 0) visit(page);
    read += page.length;
    if (page.length < pageSize) return read;
    after = page.at(-1);
    await pause();
  }
}
