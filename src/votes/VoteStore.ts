/**
 * The question log and the 👍/👎 votes on its answers, in the pin database.
 *
 * On the store contract (src/store/database.ts), as the pin store: the same SQL on SQLite and
 * PostgreSQL. A logged question follows a reply, so it is fire-and-forget as the pin store's
 * records are: written at once when the database takes it, else queued and retried
 * (RecordQueue; `flush` waits for those at a stop), never an error for the asker.
 * A vote is a member's action that the bot confirms by showing the new count, so it is a kept
 * write (`db.keep`): kept (durably stored) or refused with a `StoreError`.
 *
 * A voter is stored only as HMAC-SHA256(member id) under a random 32-byte secret of their
 * server, made on the server's first vote and kept in `vote_secrets`: enough for one vote per
 * member, while the database alone does not tell who voted, nor links a member across servers.
 */
import { createHmac, randomBytes } from "node:crypto";
import { MAX_QUESTION_CHARS } from "../constants.js";
import type { Logger } from "../log.js";
import { questionKey } from "../pins/questionMatch.js";
import type { Database, Dialect, Sql } from "../store/database.js";
import { RecordQueue } from "../store/RecordQueue.js";
import {
  type AskedOutcome,
  type AskedQuestion,
  type CastVote,
  type LoggedQuestion,
  QUESTION_RETENTION_MS,
  type QuestionPeriod,
  type ShownCitation,
  type Vote,
  type VoteReason,
  type VoteTally,
} from "./types.js";

/** Bytes of a server's vote secret (the HMAC key): as long as the SHA-256 output. */
const SECRET_BYTES = 32;

interface AskedRow {
  id: number;
  guild_id: string;
  channel_id: string;
  message_id: string | null;
  question: string;
  question_key: string;
  outcome: AskedOutcome;
  confidence: LoggedQuestion["confidence"];
  citations: string;
  pin_id: number | null;
  asked_at: number;
  up: number;
  down: number;
  reasons: string;
}

/** Each dialect's JSON object of `reason: n` rows ('{}' for none). */
const JSON_OBJECT_OF: Readonly<Record<Dialect, string>> = {
  sqlite: "json_group_object(reason, n)",
  postgres: "coalesce(json_object_agg(reason, n), '{}')",
};

/**
 * A logged question's columns with its 👍 and 👎 counts and its 👎 reasons, from `asked a`, in
 * `dialect`.
 */
function askedWithVotes(dialect: Dialect): string {
  return `SELECT a.id, a.guild_id, a.channel_id, a.message_id, a.question,
    a.question_key, a.outcome, a.confidence, a.citations, a.pin_id, a.asked_at,
    (SELECT count(*) FROM votes v WHERE v.asked_id = a.id AND v.vote = 1) AS up,
    (SELECT count(*) FROM votes v WHERE v.asked_id = a.id AND v.vote = -1) AS down,
    (SELECT ${JSON_OBJECT_OF[dialect]} FROM (
       SELECT reason, count(*) AS n FROM votes v
       WHERE v.asked_id = a.id AND reason IS NOT NULL GROUP BY reason) AS by_reason) AS reasons
  FROM asked a`;
}

/** 👍 and 👎 of the votes selected by `where` (a condition on `asked_id`). */
const TALLY = `SELECT coalesce(sum(CASE WHEN vote = 1 THEN 1 ELSE 0 END), 0) AS up,
    coalesce(sum(CASE WHEN vote = -1 THEN 1 ELSE 0 END), 0) AS down
  FROM votes WHERE`;

const toVote = (value: number): Vote => (value > 0 ? "up" : "down");

function toAsked(row: AskedRow): AskedQuestion {
  return {
    id: row.id,
    guildId: row.guild_id,
    channelId: row.channel_id,
    ...(row.message_id === null ? {} : { messageId: row.message_id }),
    question: row.question,
    questionKey: row.question_key,
    outcome: row.outcome,
    confidence: row.confidence,
    citations: JSON.parse(row.citations) as ShownCitation[],
    ...(row.pin_id === null ? {} : { pinId: row.pin_id }),
    at: row.asked_at,
    votes: { up: row.up, down: row.down },
    reasons: JSON.parse(row.reasons) as AskedQuestion["reasons"],
  };
}

/** The question log and votes; see the file comment. */
export class VoteStore {
  readonly #db: Database;
  /** Each server's secret once read: it never changes once made. */
  readonly #secrets = new Map<string, Buffer>();
  readonly #logged: RecordQueue<LoggedQuestion>;

  /**
   * @param db - the open database (see src/stores.ts)
   * @param log - where a logged question that cannot be written is said
   */
  constructor(db: Database, log: Logger) {
    this.#db = db;
    this.#logged = new RecordQueue(db, {
      log,
      module: "votes",
      write: async (sql, questions) => {
        for (const question of questions) await insertQuestion(sql, question);
      },
      describe: (questions) => ({ questions: questions.length }),
    });
  }

  /**
   * Logs a question once its reply is sent, replacing what was logged for the same message. In
   * the same transaction, forgets the guild's questions (and their votes) older than
   * {@link QUESTION_RETENTION_MS} before `question.at`. Never throws: queued and retried while
   * the database is unavailable, a failure logged.
   */
  recordQuestion(question: LoggedQuestion): void {
    this.#logged.add(question);
  }

  /**
   * Resolves once the logged questions queued are written (or dropped with a log line), or
   * after `timeoutMs`: what a stop waits for. Never rejects.
   */
  flush(timeoutMs: number): Promise<void> {
    return this.#logged.flush(timeoutMs);
  }

  /** Writes what is still queued (the bot is stopping); the database stays open. */
  close(): Promise<void> {
    return this.#logged.close();
  }

  /**
   * A member's click on 👍 or 👎 under the answer sent as `messageId`: records `vote`, or moves
   * the member's vote to it, or, when the member had already cast that same vote, takes it back
   * (as a second click on a reaction does). Moving a vote forgets its 👎 reason. Kept or
   * refused, as a pin is.
   * @throws StoreError (rejects) when the vote is not kept
   */
  castVote(
    guildId: string,
    messageId: string,
    memberId: string,
    vote: Vote,
    at: number,
  ): Promise<CastVote> {
    return this.#db.keep(async (sql): Promise<CastVote> => {
      const askedId = await askedByMessage(sql, guildId, messageId);
      if (askedId === undefined) return { kind: "unknown" };
      const voter = await this.#voter(sql, guildId, memberId);
      const before = await voteOf(sql, askedId, voter);
      const value = vote === "up" ? 1 : -1;
      let now: Vote | undefined = vote;
      if (before === value) {
        await sql.run("DELETE FROM votes WHERE asked_id = ? AND voter = ?", [askedId, voter]);
        now = undefined;
      } else {
        await sql.run(
          `INSERT INTO votes (asked_id, voter, vote, reason, voted_at) VALUES (?, ?, ?, NULL, ?)
           ON CONFLICT (asked_id, voter) DO UPDATE SET
             vote = excluded.vote, reason = NULL, voted_at = excluded.voted_at`,
          [askedId, voter, value, at],
        );
      }
      return { kind: "cast", askedId, vote: now, tally: await tally(sql, askedId) };
    });
  }

  /**
   * Stores what was wrong, by the member's 👎 on logged question `askedId` of `guildId`.
   * @returns false when the member has no 👎 there now (taken back or moved to 👍: nothing kept)
   * @throws StoreError (rejects) when it is not kept
   */
  setReason(
    guildId: string,
    askedId: number,
    memberId: string,
    reason: VoteReason,
  ): Promise<boolean> {
    return this.#db.keep(async (sql) => {
      const asked = await sql.get("SELECT id FROM asked WHERE guild_id = ? AND id = ?", [
        guildId,
        askedId,
      ]);
      if (asked === undefined) return false;
      const voter = await this.#voter(sql, guildId, memberId);
      const changed = await sql.run(
        "UPDATE votes SET reason = ? WHERE asked_id = ? AND voter = ? AND vote = -1",
        [reason, askedId, voter],
      );
      return changed > 0;
    });
  }

  /** The member's name in the votes table: HMAC-SHA256 of their id under the server's secret. */
  async #voter(sql: Sql, guildId: string, memberId: string): Promise<string> {
    const secret = await this.#secret(sql, guildId);
    return createHmac("sha256", secret).update(memberId).digest("hex");
  }

  /** The server's secret, made on first need (inside the caller's write transaction). */
  async #secret(sql: Sql, guildId: string): Promise<Buffer> {
    const cached = this.#secrets.get(guildId);
    if (cached !== undefined) return cached;
    // Another shard or host may have made it first: the insert then does nothing and its secret
    // is read.
    const made = await sql.run(
      "INSERT INTO vote_secrets (guild_id, secret) VALUES (?, ?) ON CONFLICT DO NOTHING",
      [guildId, randomBytes(SECRET_BYTES)],
    );
    const secret = await secretOf(sql, guildId);
    if (secret === undefined) throw new Error("votes: the server's secret was not stored");
    // A secret made here is cached once read again after its commit: a rolled-back transaction
    // must not leave a secret in memory that the database does not have.
    if (made === 0) this.#secrets.set(guildId, secret);
    return secret;
  }

  /**
   * The guild's questions of `period`, oldest first, each with its votes and 👎 reasons: what
   * `/insights` and its CSV read.
   */
  listQuestions(guildId: string, period: QuestionPeriod): Promise<AskedQuestion[]> {
    const until = period.untilMs ?? Number.MAX_SAFE_INTEGER;
    return this.#db.read(async (sql) => {
      const rows = await sql.all<AskedRow>(
        `${askedWithVotes(sql.dialect)} WHERE a.guild_id = ? AND a.asked_at >= ? AND a.asked_at < ?
         ORDER BY a.asked_at, a.id`,
        [guildId, period.sinceMs, until],
      );
      return rows.map(toAsked);
    });
  }

  /**
   * One page of {@link listQuestions}: at most `limit` questions of `period` after `after` (the
   * last question of the page before; none for the first page), oldest first. What a reader of
   * a long log takes in slices, letting the event loop run between pages.
   */
  listQuestionsPage(
    guildId: string,
    period: QuestionPeriod,
    after: Pick<AskedQuestion, "at" | "id"> | undefined,
    limit: number,
  ): Promise<AskedQuestion[]> {
    const until = period.untilMs ?? Number.MAX_SAFE_INTEGER;
    // Strictly after (since - 1, max id) is the same as from `since` on, inclusive.
    const position = after ?? { at: period.sinceMs - 1, id: Number.MAX_SAFE_INTEGER };
    // A keyset on the asked_by_time index, so a page costs the same at the end of a long log as
    // at its start.
    return this.#db.read(async (sql) => {
      const rows = await sql.all<AskedRow>(
        `${askedWithVotes(sql.dialect)}
         WHERE a.guild_id = ? AND (a.asked_at, a.id) > (?, ?) AND a.asked_at < ?
         ORDER BY a.asked_at, a.id LIMIT ?`,
        [guildId, position.at, position.id, until, limit],
      );
      return rows.map(toAsked);
    });
  }

  /**
   * The votes on each pin: on the pin's own message (an answer pinned with its button) and on
   * the answers it led, together; by pin id. What `/pins list` flags pins by (`isPinFlagged`).
   */
  pinVotes(
    guildId: string,
    pins: readonly { readonly id: number; readonly messageId?: string }[],
  ): Promise<Map<number, VoteTally>> {
    return this.#db.read(async (sql) => {
      const tallies = new Map<number, VoteTally>();
      for (const pin of pins) {
        // Two index lookups (asked_by_pin, asked_by_message) joined by UNION: an OR of the two
        // made SQLite scan the guild's questions (115 ms for a page of 10 pins at 100,000
        // questions, 0.35 ms this way).
        const found = await sql.get<VoteTally>(
          `${TALLY} asked_id IN (
             SELECT id FROM asked WHERE guild_id = ? AND pin_id = ?
             UNION SELECT id FROM asked WHERE guild_id = ? AND message_id = ?)`,
          [guildId, pin.id, guildId, pin.messageId ?? null],
        );
        tallies.set(pin.id, found ?? { up: 0, down: 0 });
      }
      return tallies;
    });
  }

  /** The votes on the answer sent as `messageId`; undefined when no logged question has it. */
  tallyOf(guildId: string, messageId: string): Promise<VoteTally | undefined> {
    return this.#db.read(async (sql) => {
      const askedId = await askedByMessage(sql, guildId, messageId);
      return askedId === undefined ? undefined : tally(sql, askedId);
    });
  }

  /** The member's vote on the answer sent as `messageId`, if any (tests and checks). */
  voteOf(guildId: string, messageId: string, memberId: string): Promise<Vote | undefined> {
    return this.#db.read(async (sql) => {
      const askedId = await askedByMessage(sql, guildId, messageId);
      const secret = await secretOf(sql, guildId);
      if (askedId === undefined || secret === undefined) return undefined;
      const voter = createHmac("sha256", secret).update(memberId).digest("hex");
      const value = await voteOf(sql, askedId, voter);
      return value === undefined ? undefined : toVote(value);
    });
  }
}

/** Logs one question (see {@link VoteStore.recordQuestion}), on the caller's transaction. */
async function insertQuestion(sql: Sql, question: LoggedQuestion): Promise<void> {
  const text = question.question.slice(0, MAX_QUESTION_CHARS);
  const citations = question.citations.map(({ articleId, title, paragraph }) => ({
    articleId,
    title,
    paragraph,
  }));
  // Per guild, on the (guild_id, asked_at) index; the votes go with their question (cascade).
  await sql.run("DELETE FROM asked WHERE guild_id = ? AND asked_at < ?", [
    question.guildId,
    question.at - QUESTION_RETENTION_MS,
  ]);
  await sql.run(
    `INSERT INTO asked (guild_id, channel_id, message_id, question, question_key, outcome,
       confidence, citations, pin_id, asked_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (guild_id, message_id) WHERE message_id IS NOT NULL DO UPDATE SET
       channel_id = excluded.channel_id, question = excluded.question,
       question_key = excluded.question_key, outcome = excluded.outcome,
       confidence = excluded.confidence, citations = excluded.citations,
       pin_id = excluded.pin_id, asked_at = excluded.asked_at`,
    [
      question.guildId,
      question.channelId,
      question.messageId ?? null,
      text,
      questionKey(text),
      question.outcome,
      question.confidence,
      JSON.stringify(citations),
      question.pinId ?? null,
      question.at,
    ],
  );
}

async function askedByMessage(
  sql: Sql,
  guildId: string,
  messageId: string,
): Promise<number | undefined> {
  const row = await sql.get<{ id: number }>(
    "SELECT id FROM asked WHERE guild_id = ? AND message_id = ?",
    [guildId, messageId],
  );
  return row?.id;
}

async function voteOf(sql: Sql, askedId: number, voter: string): Promise<number | undefined> {
  const row = await sql.get<{ vote: number }>(
    "SELECT vote FROM votes WHERE asked_id = ? AND voter = ?",
    [askedId, voter],
  );
  return row?.vote;
}

async function tally(sql: Sql, askedId: number): Promise<VoteTally> {
  return (await sql.get<VoteTally>(`${TALLY} asked_id = ?`, [askedId])) ?? { up: 0, down: 0 };
}

async function secretOf(sql: Sql, guildId: string): Promise<Buffer | undefined> {
  const row = await sql.get<{ secret: Buffer }>(
    "SELECT secret FROM vote_secrets WHERE guild_id = ?",
    [guildId],
  );
  return row?.secret;
}
