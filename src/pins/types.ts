/**
 * The pin store's contract: moderators' pinned answers, the questions the articles could not
 * answer, and the answers the bot sent (so that their messages can be pinned), per guild. The
 * implementation, on either database engine, is SqlPinStore.ts.
 *
 * Times are milliseconds since the epoch (`Date.now()`). Ids of Discord objects are snowflake
 * strings. Reads are promises that reject with a StoreError when the database cannot answer. A
 * moderator's writes (a pin, its removal) are kept and confirmed, or refused with the reason.
 * The records that follow an answer are fire-and-forget: written at once when the database
 * takes them, else queued and retried, never an error for the caller; {@link PinStore.flush}
 * waits for the queue.
 */
import type { Citation } from "../answer/types.js";
import type { Page, PageRequest } from "../page.js";

export type { Page, PageRequest };

/** A pinned answer. */
export interface Pin {
  /** Unique in the database and never reused, so `/pins remove id:` cannot hit a newer pin. */
  readonly id: number;
  readonly guildId: string;
  /** The channel of the pinned message. */
  readonly channelId: string;
  /** The pinned answer's message, when there is one (a link target and what to unpin). */
  readonly messageId?: string;
  /** The question the pinned answer answers; new questions are matched against it. */
  readonly question: string;
  /** The answer: the citations as the answer service returned them. */
  readonly citations: readonly Citation[];
  /** User id of the moderator who pinned it. */
  readonly pinnedBy: string;
  readonly pinnedAt: number;
}

/** What {@link PinStore.addPin} stores: a pin without its id. */
export type NewPin = Omit<Pin, "id">;

/** A pinned answer whose question matches a new one. */
export interface PinnedAnswer {
  readonly pin: Pin;
  /** Cosine similarity of the two questions, at least `PIN_MATCH_THRESHOLD` (0..1). */
  readonly similarity: number;
}

/** A question the answer abstained on, as recorded: no user id, by design. */
export interface UnansweredQuestion {
  readonly guildId: string;
  readonly channelId: string;
  readonly question: string;
  readonly at: number;
  /**
   * The question got an answer, but a low-confidence one ("This may answer it:"): moderators
   * see it among the unanswered questions, since the articles may not really answer it.
   */
  readonly uncertain?: boolean;
}

/** Unanswered questions counted together (same terms, in the same order). */
export interface UnansweredSummary {
  /** The latest wording. */
  readonly question: string;
  /** The channel it was last asked in. */
  readonly channelId: string;
  /** How many times it was asked (in the requested period). */
  readonly count: number;
  /** How many of those got a low-confidence answer rather than none. */
  readonly uncertain: number;
  readonly lastAskedAt: number;
}

/** Options of {@link PinStore.listUnanswered}. */
export interface UnansweredRequest extends PageRequest {
  /** Only questions asked at or after this time (ms since the epoch); default: all. */
  readonly sinceMs?: number;
}

/** An answer the bot sent in a guild channel, kept so that its message can be pinned later. */
export interface SentAnswer {
  readonly guildId: string;
  readonly channelId: string;
  readonly messageId: string;
  readonly question: string;
  readonly citations: readonly Citation[];
  /** ms since the epoch */
  readonly answeredAt: number;
}

/**
 * How long an unanswered question is kept: 90 days, three times what `/unanswered` shows, so a
 * longer view stays possible while the table stays bounded.
 */
export const UNANSWERED_RETENTION_MS = 90 * 24 * 60 * 60 * 1000;

/** How long a sent answer stays pinnable by its message: 30 days. */
export const ANSWER_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

/** Pinned answers, unanswered questions and sent answers, each guild seeing only its own. */
export interface PinStore {
  /**
   * Stores a pinned answer. If `messageId` is already pinned in that guild, nothing is stored
   * and the existing pin is returned: see {@link PinStore.getPinByMessage} to tell the two apart.
   * Resolves only once the pin is durably stored (synced to the file the next start will open;
   * committed on the server); retries while the database is locked or unreachable (up to
   * `PIN_WRITE_PATIENCE_MS`).
   * @throws StoreError (rejects) when it is not kept: GONE, READ_ONLY, LOCKED...
   */
  addPin(pin: NewPin): Promise<Pin>;
  /** The pin with this id, if it belongs to `guildId`. */
  getPin(guildId: string, id: number): Promise<Pin | undefined>;
  /** The pin of a message, if that message is pinned in `guildId`. */
  getPinByMessage(guildId: string, messageId: string): Promise<Pin | undefined>;
  /** The guild's pins, newest first. */
  listPins(guildId: string, request: PageRequest): Promise<Page<Pin>>;
  /**
   * Deletes the pin with this id if it belongs to `guildId`, and returns it (so the caller can
   * unpin its message); undefined when there is no such pin in that guild. Kept or refused, as
   * {@link PinStore.addPin}.
   */
  removePin(guildId: string, id: number): Promise<Pin | undefined>;
  /**
   * Throws the StoreError a write would get now for a reason known without asking the database
   * (GONE: the SQLite file deleted or replaced; READ_ONLY; closed): a quick check a surface
   * makes before it tells anyone a write is under way.
   */
  checkWritable(): void;
  /**
   * The guild's pinned answer whose question asks what `question` asks: the most similar pinned
   * question, if its similarity reaches `PIN_MATCH_THRESHOLD` (questionMatch.ts).
   */
  findPinnedAnswer(guildId: string, question: string): Promise<PinnedAnswer | undefined>;
  /**
   * Records a question the answer abstained on. In the same transaction, forgets the guild's
   * unanswered questions asked more than {@link UNANSWERED_RETENTION_MS} before `question.at`.
   * Never throws: queued while the database is locked, logged and dropped when it cannot be
   * written.
   */
  recordUnanswered(question: UnansweredQuestion): void;
  /** The guild's unanswered questions, most often asked first, then most recently asked. */
  listUnanswered(guildId: string, request: UnansweredRequest): Promise<Page<UnansweredSummary>>;
  /**
   * Records an answer the bot sent, replacing the one recorded for the same message in that
   * guild. In the same transaction, forgets every answer sent more than
   * {@link ANSWER_RETENTION_MS} before `answer.answeredAt`, so the table stays bounded without a
   * timer. The question is cut to `MAX_QUESTION_CHARS`, like {@link PinStore.recordUnanswered}.
   * Never throws, as {@link PinStore.recordUnanswered}.
   */
  recordAnswer(answer: SentAnswer): void;
  /**
   * The answer sent as `messageId`, if that message's answer was recorded in `guildId` (queued
   * ones included).
   */
  getAnswer(guildId: string, messageId: string): Promise<SentAnswer | undefined>;
  /**
   * Resolves once the queued records are written (or dropped with a log line), or after
   * `timeoutMs` (default 10 s), logging how many are still queued. Never rejects.
   */
  flush(timeoutMs?: number): Promise<void>;
  /**
   * Writes what is still queued (waiting its turn: the bot is stopping), logging what it has to
   * drop; records given afterwards are dropped with a log line. The database stays open: its
   * owner closes it (src/stores.ts).
   */
  close(): Promise<void>;
}
