/**
 * The pin store on the store contract (src/store/database.ts): the same SQL on SQLite (one file,
 * shared by the shards of one machine) and on PostgreSQL (shared by every host). A pin and its
 * removal are kept writes (kept or refused, never confirmed and lost); the records that follow an
 * answer go through a {@link RecordQueue}, so a locked or restarting database neither fails a
 * reply nor loses them.
 */
import type { Citation } from "../answer/types.js";
import { MAX_QUESTION_CHARS } from "../constants.js";
import type { Logger } from "../log.js";
import { MAX_PAGE_SIZE, type Page, type PageRequest } from "../page.js";
import type { Database, Sql } from "../store/database.js";
import { RecordQueue } from "../store/RecordQueue.js";
import { matchPinnedTerms, questionKey, questionTerms } from "./questionMatch.js";
import {
  ANSWER_RETENTION_MS,
  type NewPin,
  type Pin,
  type PinnedAnswer,
  type PinStore,
  type SentAnswer,
  UNANSWERED_RETENTION_MS,
  type UnansweredQuestion,
  type UnansweredRequest,
  type UnansweredSummary,
} from "./types.js";

/** Pinned questions whose terms a store keeps in memory (about 100 bytes each). */
const PIN_TERMS_CACHED = 100_000;

interface PinRow {
  id: number;
  guild_id: string;
  channel_id: string;
  message_id: string | null;
  question: string;
  citations: string;
  pinned_by: string;
  pinned_at: number;
}

const PIN_COLUMNS =
  "id, guild_id, channel_id, message_id, question, citations, pinned_by, pinned_at";

function toPin(row: PinRow): Pin {
  return {
    id: row.id,
    guildId: row.guild_id,
    channelId: row.channel_id,
    ...(row.message_id === null ? {} : { messageId: row.message_id }),
    question: row.question,
    citations: JSON.parse(row.citations) as Citation[],
    pinnedBy: row.pinned_by,
    pinnedAt: row.pinned_at,
  };
}

interface AnswerRow {
  guild_id: string;
  channel_id: string;
  message_id: string;
  question: string;
  citations: string;
  answered_at: number;
}

function toSentAnswer(row: AnswerRow): SentAnswer {
  return {
    guildId: row.guild_id,
    channelId: row.channel_id,
    messageId: row.message_id,
    question: row.question,
    citations: JSON.parse(row.citations) as Citation[],
    answeredAt: row.answered_at,
  };
}

/** The offset and limit of a page, after checking the request. */
function pageWindow(request: PageRequest): { limit: number; offset: number } {
  const { page, pageSize } = request;
  if (!Number.isSafeInteger(page) || page < 1) {
    throw new RangeError(`pins: page must be a whole number from 1, got ${page}`);
  }
  if (!Number.isSafeInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new RangeError(`pins: pageSize must be from 1 to ${MAX_PAGE_SIZE}, got ${pageSize}`);
  }
  return { limit: pageSize, offset: (page - 1) * pageSize };
}

function toPage<T>(items: readonly T[], total: number, request: PageRequest): Page<T> {
  return {
    items,
    total,
    page: request.page,
    pageCount: Math.ceil(total / request.pageSize),
  };
}

/** A record that follows an answer, written at once or queued while the database is unavailable. */
type QueuedRecord =
  | { readonly kind: "answer"; readonly answer: SentAnswer }
  | { readonly kind: "unanswered"; readonly question: UnansweredQuestion };

/**
 * The guild's unanswered questions grouped by their terms: each group's latest wording and
 * channel (its newest row), how often it was asked, and how many of those were uncertain.
 */
const LIST_UNANSWERED = `SELECT question, channel_id AS "channelId", count, uncertain,
    asked_at AS "lastAskedAt"
  FROM (
    SELECT question, channel_id, question_key, asked_at,
      count(*) OVER by_key AS count, sum(uncertain) OVER by_key AS uncertain,
      row_number() OVER (PARTITION BY question_key ORDER BY asked_at DESC, id DESC) AS latest
    FROM unanswered WHERE guild_id = ? AND asked_at >= ?
    WINDOW by_key AS (PARTITION BY question_key)
  ) AS grouped
  WHERE latest = 1
  ORDER BY count DESC, "lastAskedAt" DESC, question_key
  LIMIT ? OFFSET ?`;

/** Pinned answers, unanswered questions and sent answers on one database; see the file comment. */
export class SqlPinStore implements PinStore {
  readonly #db: Database;
  /**
   * The matcher's terms of each pinned question, by pin id: a pin's question never changes and
   * its id is never reused, so an entry never goes stale, and a pin added by another shard or
   * host is simply computed on first sight. Without it every question ran every pinned question
   * of its guild through the text pipeline again (7 ms a question with 1,000 pins).
   */
  readonly #termsByPin = new Map<number, readonly string[]>();
  readonly #records: RecordQueue<QueuedRecord>;

  /**
   * @param db - the open database (see src/stores.ts), closed by its owner after {@link close}
   * @param log - where records queued, retried or dropped are said
   */
  constructor(db: Database, log: Logger) {
    this.#db = db;
    this.#records = new RecordQueue(db, {
      log,
      module: "pins",
      write: async (sql, records) => {
        for (const record of records) await writeRecord(sql, record);
      },
      describe: (records) => {
        const counts = { answers: 0, unanswered: 0 };
        for (const r of records) counts[r.kind === "answer" ? "answers" : "unanswered"]++;
        return counts;
      },
    });
  }

  addPin(pin: NewPin): Promise<Pin> {
    return this.#db.keep(async (sql) => {
      const row = await sql.get<PinRow>(
        `INSERT INTO pins (guild_id, channel_id, message_id, question, citations, pinned_by, pinned_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (guild_id, message_id) WHERE message_id IS NOT NULL DO NOTHING
         RETURNING ${PIN_COLUMNS}`,
        [
          pin.guildId,
          pin.channelId,
          pin.messageId ?? null,
          pin.question,
          JSON.stringify(pin.citations),
          pin.pinnedBy,
          pin.pinnedAt,
        ],
      );
      if (row) return toPin(row);
      // The message was already pinned in this guild (the insert did nothing).
      const existing = await pinByMessage(sql, pin.guildId, pin.messageId ?? null);
      if (!existing) throw new Error("pins: insert did nothing, and no pin has that message");
      return existing;
    });
  }

  getPin(guildId: string, id: number): Promise<Pin | undefined> {
    return this.#db.read((sql) => pinById(sql, guildId, id));
  }

  getPinByMessage(guildId: string, messageId: string): Promise<Pin | undefined> {
    return this.#db.read((sql) => pinByMessage(sql, guildId, messageId));
  }

  listPins(guildId: string, request: PageRequest): Promise<Page<Pin>> {
    const { limit, offset } = pageWindow(request);
    return this.#db.read(async (sql) => {
      const rows = await sql.all<PinRow>(
        `SELECT ${PIN_COLUMNS} FROM pins WHERE guild_id = ? ORDER BY id DESC LIMIT ? OFFSET ?`,
        [guildId, limit, offset],
      );
      const total = await sql.get<{ n: number }>(
        "SELECT count(*) AS n FROM pins WHERE guild_id = ?",
        [guildId],
      );
      return toPage(rows.map(toPin), total?.n ?? 0, request);
    });
  }

  removePin(guildId: string, id: number): Promise<Pin | undefined> {
    return this.#db.keep(async (sql) => {
      const row = await sql.get<PinRow>(
        `DELETE FROM pins WHERE guild_id = ? AND id = ? RETURNING ${PIN_COLUMNS}`,
        [guildId, id],
      );
      return row && toPin(row);
    });
  }

  checkWritable(): void {
    this.#db.checkWritable();
  }

  findPinnedAnswer(guildId: string, question: string): Promise<PinnedAnswer | undefined> {
    return this.#db.read(async (sql) => {
      const candidates = await sql.all<{ id: number; question: string }>(
        "SELECT id, question FROM pins WHERE guild_id = ? ORDER BY id",
        [guildId],
      );
      const match = matchPinnedTerms(questionTerms(question), candidates, (c) =>
        this.#pinTerms(c.id, c.question),
      );
      if (!match) return undefined;
      const pin = await pinById(sql, guildId, match.candidate.id);
      return pin && { pin, similarity: match.similarity };
    });
  }

  /** The terms of pin `id`'s question, from the cache or computed once. */
  #pinTerms(id: number, question: string): readonly string[] {
    let found = this.#termsByPin.get(id);
    if (found === undefined) {
      // Bounded: a process that sees more pins than this starts the cache over.
      if (this.#termsByPin.size >= PIN_TERMS_CACHED) this.#termsByPin.clear();
      found = questionTerms(question);
      this.#termsByPin.set(id, found);
    }
    return found;
  }

  recordUnanswered(question: UnansweredQuestion): void {
    this.#records.add({ kind: "unanswered", question });
  }

  listUnanswered(guildId: string, request: UnansweredRequest): Promise<Page<UnansweredSummary>> {
    const { limit, offset } = pageWindow(request);
    const since = request.sinceMs ?? Number.MIN_SAFE_INTEGER;
    return this.#db.read(async (sql) => {
      const items = await sql.all<UnansweredSummary>(LIST_UNANSWERED, [
        guildId,
        since,
        limit,
        offset,
      ]);
      const total = await sql.get<{ n: number }>(
        `SELECT count(DISTINCT question_key) AS n FROM unanswered
         WHERE guild_id = ? AND asked_at >= ?`,
        [guildId, since],
      );
      return toPage(items, total?.n ?? 0, request);
    });
  }

  recordAnswer(answer: SentAnswer): void {
    this.#records.add({ kind: "answer", answer });
  }

  async getAnswer(guildId: string, messageId: string): Promise<SentAnswer | undefined> {
    // A queued answer is the newest: a moderator may pin it before the database takes it.
    const queued = this.#records.pending;
    for (let i = queued.length - 1; i >= 0; i--) {
      const record = queued[i];
      if (record?.kind !== "answer") continue;
      const { answer } = record;
      if (answer.guildId === guildId && answer.messageId === messageId) {
        return { ...answer, question: answer.question.slice(0, MAX_QUESTION_CHARS) };
      }
    }
    const row = await this.#db.read((sql) =>
      sql.get<AnswerRow>(
        `SELECT guild_id, channel_id, message_id, question, citations, answered_at
         FROM answers WHERE guild_id = ? AND message_id = ?`,
        [guildId, messageId],
      ),
    );
    return row && toSentAnswer(row);
  }

  flush(timeoutMs?: number): Promise<void> {
    return this.#records.flush(timeoutMs);
  }

  close(): Promise<void> {
    return this.#records.close();
  }
}

async function pinById(sql: Sql, guildId: string, id: number): Promise<Pin | undefined> {
  const row = await sql.get<PinRow>(
    `SELECT ${PIN_COLUMNS} FROM pins WHERE guild_id = ? AND id = ?`,
    [guildId, id],
  );
  return row && toPin(row);
}

async function pinByMessage(
  sql: Sql,
  guildId: string,
  messageId: string | null,
): Promise<Pin | undefined> {
  const row = await sql.get<PinRow>(
    `SELECT ${PIN_COLUMNS} FROM pins WHERE guild_id = ? AND message_id = ?`,
    [guildId, messageId],
  );
  return row && toPin(row);
}

/**
 * Writes one record. In the same transaction, forgets what is past its retention: the guild's
 * unanswered questions (per guild, on the (guild_id, asked_at) index: no scan of other guilds'
 * rows), or every answer sent before {@link ANSWER_RETENTION_MS}, so the tables stay bounded
 * without a timer.
 */
async function writeRecord(sql: Sql, record: QueuedRecord): Promise<void> {
  if (record.kind === "unanswered") {
    const { question } = record;
    // People paste whole articles; the answer service reads no more than this either.
    const text = question.question.slice(0, MAX_QUESTION_CHARS);
    await sql.run("DELETE FROM unanswered WHERE guild_id = ? AND asked_at < ?", [
      question.guildId,
      question.at - UNANSWERED_RETENTION_MS,
    ]);
    await sql.run(
      `INSERT INTO unanswered (guild_id, channel_id, question, question_key, asked_at, uncertain)
       VALUES (?, ?, ?, ?, ?, ?)`,
      [
        question.guildId,
        question.channelId,
        text,
        questionKey(text),
        question.at,
        question.uncertain ? 1 : 0,
      ],
    );
    return;
  }
  const { answer } = record;
  await sql.run("DELETE FROM answers WHERE answered_at < ?", [
    answer.answeredAt - ANSWER_RETENTION_MS,
  ]);
  await sql.run(
    `INSERT INTO answers (guild_id, message_id, channel_id, question, citations, answered_at)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (guild_id, message_id) DO UPDATE SET
       channel_id = excluded.channel_id,
       question = excluded.question,
       citations = excluded.citations,
       answered_at = excluded.answered_at`,
    [
      answer.guildId,
      answer.messageId,
      answer.channelId,
      answer.question.slice(0, MAX_QUESTION_CHARS),
      JSON.stringify(answer.citations),
      answer.answeredAt,
    ],
  );
}
