/**
 * The conversations of threads and forum posts, in the pin database: per thread, its guild and
 * its last turns (what was asked, what was searched, the paragraphs the answer showed), so that
 * a follow-up is read in their light, after a restart too.
 *
 * On the store contract (src/store/database.ts), as the pin store: a turn is a kept write
 * (`db.keep`, which retries a locked or unreachable database for a while), read with `db.read`.
 *
 * Bounded two ways, without a timer: a thread keeps its last {@link MAX_TURNS} turns (a
 * follow-up leans on the last few; older ones only add subjects it has moved away from), and a
 * thread idle for {@link CONVERSATION_IDLE_MS} is forgotten, on the next turn recorded anywhere
 * and at once for reading (a question in a thread that woke after two weeks starts afresh).
 */
import { setTimeout as delay } from "node:timers/promises";
import type { CitedParagraph, ConversationTurn } from "../answer/types.js";
import { MAX_QUESTION_CHARS } from "../constants.js";
import type { Database } from "../store/database.js";

/** Turns kept per thread, the latest. */
export const MAX_TURNS = 6;

/** Citations kept per turn: the ones a reply shows (the rest sit behind "More sources"). */
export const CITATIONS_PER_TURN = 3;

/** A thread without a turn for this long is forgotten: 14 days. */
export const CONVERSATION_IDLE_MS = 14 * 24 * 60 * 60 * 1000;

/** A turn to store. */
export interface TurnRecord {
  readonly guildId: string;
  /** The thread (or forum post): its channel id. */
  readonly threadId: string;
  readonly turn: ConversationTurn;
  /** Epoch ms. */
  readonly at: number;
}

interface TurnRow {
  question: string;
  searched: string;
  citations: string;
  answered: number;
}

function toTurn(row: TurnRow): ConversationTurn {
  return {
    question: row.question,
    searched: row.searched,
    citations: JSON.parse(row.citations) as CitedParagraph[],
    answered: row.answered === 1,
  };
}

/** The conversation store; see the file comment. */
export class ConversationStore {
  readonly #db: Database;
  /** Turns being written, each until it is kept or refused. */
  readonly #writing = new Set<Promise<void>>();

  /** @param db - the open database (see src/stores.ts) */
  constructor(db: Database) {
    this.#db = db;
  }

  /**
   * The thread's last turns, oldest first (at most {@link MAX_TURNS}); none when it has none or
   * has been idle for {@link CONVERSATION_IDLE_MS} before `now`.
   * @throws StoreError when the database cannot be read
   */
  async turns(guildId: string, threadId: string, now: number): Promise<ConversationTurn[]> {
    // The newest first, to take the last few; turned oldest first here.
    const rows = await this.#db.read((sql) =>
      sql.all<TurnRow & { asked_at: number }>(
        `SELECT question, searched, citations, answered, asked_at FROM conversation_turns
         WHERE guild_id = ? AND thread_id = ? ORDER BY turn DESC LIMIT ?`,
        [guildId, threadId, MAX_TURNS],
      ),
    );
    const last = rows[0];
    if (!last || last.asked_at < now - CONVERSATION_IDLE_MS) return [];
    return rows.reverse().map(toTurn);
  }

  /**
   * Stores a turn after the thread's others; in the same transaction, drops the thread's turns
   * beyond the last {@link MAX_TURNS} and forgets every thread idle for
   * {@link CONVERSATION_IDLE_MS} before `record.at`. The question and what was searched are cut
   * to `MAX_QUESTION_CHARS`, the citations to {@link CITATIONS_PER_TURN}.
   * @throws StoreError (rejects) when it is not kept (GONE, READ_ONLY, LOCKED...)
   */
  recordTurn(record: TurnRecord): Promise<void> {
    const write = this.#write(record);
    // Tracked until settled, so that a stop can wait for it (flush); the caller gets the outcome.
    const tracked = write.then(
      () => undefined,
      () => undefined,
    );
    this.#writing.add(tracked);
    void tracked.finally(() => this.#writing.delete(tracked));
    return write;
  }

  /**
   * Resolves once the turns being written (perhaps retrying another process's lock, for up to
   * `PIN_WRITE_PATIENCE_MS`) are kept or refused, or after `timeoutMs`: what a stop waits for
   * before it closes the database. Never rejects.
   */
  async flush(timeoutMs: number): Promise<void> {
    if (this.#writing.size === 0) return;
    const timer = new AbortController();
    await Promise.race([
      Promise.all(this.#writing),
      delay(timeoutMs, undefined, { signal: timer.signal }).catch(() => undefined),
    ]);
    timer.abort();
  }

  async #write(record: TurnRecord): Promise<void> {
    const { guildId, threadId, turn, at } = record;
    const citations = turn.citations
      .slice(0, CITATIONS_PER_TURN)
      .map(({ articleId, paragraph }) => ({ articleId, paragraph }));
    const cutoff = at - CONVERSATION_IDLE_MS;
    await this.#db.keep(async (sql) => {
      const next = await sql.get<{ n: number }>(
        `SELECT coalesce(max(turn), 0) + 1 AS n FROM conversation_turns
         WHERE guild_id = ? AND thread_id = ?`,
        [guildId, threadId],
      );
      const number = next?.n ?? 1;
      await sql.run(
        `INSERT INTO conversation_turns
           (guild_id, thread_id, turn, question, searched, citations, answered, asked_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          guildId,
          threadId,
          number,
          turn.question.slice(0, MAX_QUESTION_CHARS),
          turn.searched.slice(0, MAX_QUESTION_CHARS),
          JSON.stringify(citations),
          turn.answered ? 1 : 0,
          at,
        ],
      );
      await sql.run(
        "DELETE FROM conversation_turns WHERE guild_id = ? AND thread_id = ? AND turn <= ?",
        [guildId, threadId, number - MAX_TURNS],
      );
      // Whole threads whose last turn is old; their turns are found through the time index.
      await sql.run(
        `DELETE FROM conversation_turns WHERE (guild_id, thread_id) IN (
           SELECT guild_id, thread_id FROM conversation_turns WHERE asked_at < ?
           EXCEPT
           SELECT guild_id, thread_id FROM conversation_turns WHERE asked_at >= ?
         )`,
        [cutoff, cutoff],
      );
    });
  }
}
