/**
 * The question log and the 👍/👎 votes on its answers, in the pin database.
 *
 * Built on the pin store's connection (`SqlitePinStore.connection`), as the feed store is: one
 * connection per process, and the pin store's write rules. A logged question follows a reply, so
 * it is fire-and-forget as the pin store's records are: written at once when the database is
 * free, else retried in the background through `connection.keep` (for up to 10 s; `flush`
 * waits for those at a stop), never an error for the asker.
 * A vote is a member's action that the bot confirms by showing the new count, so it goes through
 * `connection.keep` and is kept (synced to the file) or refused with a `StoreError`.
 *
 * A voter is stored only as HMAC-SHA256(member id) under a random 32-byte secret of their
 * server, made on the server's first vote and kept in `vote_secrets`: enough for one vote per
 * member, while the database alone does not tell who voted, nor links a member across servers.
 */
import { createHmac, randomBytes } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import { MAX_QUESTION_CHARS } from "../constants.js";
import type { Logger } from "../log.js";
import { questionKey } from "../pins/questionMatch.js";
import type { StoreConnection } from "../pins/storeConnection.js";
import { isBusy } from "../pins/storeConnection.js";
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

/** A logged question's columns with its 👍 and 👎 counts and its 👎 reasons, from `asked a`. */
const ASKED_WITH_VOTES = `SELECT a.id, a.guild_id, a.channel_id, a.message_id, a.question,
    a.question_key, a.outcome, a.confidence, a.citations, a.pin_id, a.asked_at,
    (SELECT count(*) FROM votes v WHERE v.asked_id = a.id AND v.vote = 1) AS up,
    (SELECT count(*) FROM votes v WHERE v.asked_id = a.id AND v.vote = -1) AS down,
    (SELECT json_group_object(reason, n) FROM (
       SELECT reason, count(*) AS n FROM votes v
       WHERE v.asked_id = a.id AND reason IS NOT NULL GROUP BY reason)) AS reasons
  FROM asked a`;

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
  readonly #connection: StoreConnection;
  readonly #log: Logger;
  readonly #statements;
  /** Each server's secret once read: it never changes once made. */
  readonly #secrets = new Map<string, Buffer>();
  /** Logged questions being retried while another process holds the lock. */
  readonly #retrying = new Set<Promise<void>>();

  /**
   * @param connection - `SqlitePinStore.connection` (migrated to the vote tables' version)
   * @param log - where a logged question that cannot be written is said
   */
  constructor(connection: StoreConnection, log: Logger) {
    this.#connection = connection;
    this.#log = log;
    const db = connection.db;
    this.#statements = {
      insertAsked: db.prepare(
        `INSERT INTO asked (guild_id, channel_id, message_id, question, question_key, outcome,
           confidence, citations, pin_id, asked_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, json(?), ?, ?)
         ON CONFLICT (guild_id, message_id) WHERE message_id IS NOT NULL DO UPDATE SET
           channel_id = excluded.channel_id, question = excluded.question,
           question_key = excluded.question_key, outcome = excluded.outcome,
           confidence = excluded.confidence, citations = excluded.citations,
           pin_id = excluded.pin_id, asked_at = excluded.asked_at`,
      ),
      // Per guild, on the (guild_id, asked_at) index; the votes go with their question (cascade).
      pruneAsked: db.prepare("DELETE FROM asked WHERE guild_id = ? AND asked_at < ?"),
      askedByMessage: db
        .prepare<unknown[], number>("SELECT id FROM asked WHERE guild_id = ? AND message_id = ?")
        .pluck(),
      askedInGuild: db
        .prepare<unknown[], number>("SELECT id FROM asked WHERE guild_id = ? AND id = ?")
        .pluck(),
      getVote: db
        .prepare<unknown[], number>("SELECT vote FROM votes WHERE asked_id = ? AND voter = ?")
        .pluck(),
      upsertVote: db.prepare(
        `INSERT INTO votes (asked_id, voter, vote, reason, voted_at) VALUES (?, ?, ?, NULL, ?)
         ON CONFLICT (asked_id, voter) DO UPDATE SET
           vote = excluded.vote, reason = NULL, voted_at = excluded.voted_at`,
      ),
      deleteVote: db.prepare("DELETE FROM votes WHERE asked_id = ? AND voter = ?"),
      tally: db.prepare<unknown[], VoteTally>(
        `SELECT coalesce(sum(vote = 1), 0) AS up, coalesce(sum(vote = -1), 0) AS down
         FROM votes WHERE asked_id = ?`,
      ),
      setReason: db.prepare(
        "UPDATE votes SET reason = ? WHERE asked_id = ? AND voter = ? AND vote = -1",
      ),
      insertSecret: db.prepare(
        "INSERT INTO vote_secrets (guild_id, secret) VALUES (?, ?) ON CONFLICT DO NOTHING",
      ),
      getSecret: db
        .prepare<unknown[], Buffer>("SELECT secret FROM vote_secrets WHERE guild_id = ?")
        .pluck(),
      listAsked: db.prepare<unknown[], AskedRow>(
        `${ASKED_WITH_VOTES} WHERE a.guild_id = ? AND a.asked_at >= ? AND a.asked_at < ?
         ORDER BY a.asked_at, a.id`,
      ),
      // The same, one page after a (time, id) position: a keyset on the asked_by_time index, so
      // a page costs the same at the end of a long log as at its start.
      listAskedPage: db.prepare<unknown[], AskedRow>(
        `${ASKED_WITH_VOTES} WHERE a.guild_id = ? AND (a.asked_at, a.id) > (?, ?) AND a.asked_at < ?
         ORDER BY a.asked_at, a.id LIMIT ?`,
      ),
      // Two index lookups (asked_by_pin, asked_by_message) joined by UNION: an OR of the two
      // made SQLite scan the guild's questions (115 ms for a page of 10 pins at 100,000
      // questions, 0.35 ms this way).
      pinTally: db.prepare<unknown[], VoteTally>(
        `SELECT coalesce(sum(vote = 1), 0) AS up, coalesce(sum(vote = -1), 0) AS down
         FROM votes WHERE asked_id IN (
           SELECT id FROM asked WHERE guild_id = ? AND pin_id = ?
           UNION SELECT id FROM asked WHERE guild_id = ? AND message_id = ?)`,
      ),
    };
  }

  /**
   * Logs a question once its reply is sent, replacing what was logged for the same message. In
   * the same transaction, forgets the guild's questions (and their votes) older than
   * {@link QUESTION_RETENTION_MS} before `question.at`. Never throws: a locked database is
   * retried in the background (`connection.keep`), a failure logged.
   */
  recordQuestion(question: LoggedQuestion): void {
    const write = () => this.#connection.db.transaction(() => this.#insert(question)).immediate();
    try {
      this.#connection.checkFile();
      write();
      return;
    } catch (error) {
      if (!isBusy(error)) {
        this.#dropped(error);
        return;
      }
    }
    const retry: Promise<void> = this.#connection
      .keep(write)
      .catch((error: unknown) => this.#dropped(error))
      .finally(() => this.#retrying.delete(retry));
    this.#retrying.add(retry);
  }

  /**
   * Resolves once the logged questions being retried are written (or dropped with a log line),
   * or after `timeoutMs`: what a stop waits for before the database closes. Never rejects.
   */
  async flush(timeoutMs: number): Promise<void> {
    if (this.#retrying.size === 0) return;
    const timer = new AbortController();
    await Promise.race([
      Promise.all(this.#retrying),
      delay(timeoutMs, undefined, { signal: timer.signal }).catch(() => undefined),
    ]);
    timer.abort();
  }

  #insert(question: LoggedQuestion): void {
    const text = question.question.slice(0, MAX_QUESTION_CHARS);
    const citations = question.citations.map(({ articleId, title, paragraph }) => ({
      articleId,
      title,
      paragraph,
    }));
    this.#statements.pruneAsked.run(question.guildId, question.at - QUESTION_RETENTION_MS);
    this.#statements.insertAsked.run(
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
    );
  }

  #dropped(error: unknown): void {
    this.#log.error(
      { database: this.#connection.file, err: error },
      "votes: a logged question was dropped, the database cannot take it",
    );
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
    const db = this.#connection.db;
    return this.#connection.keep(() =>
      db
        .transaction((): CastVote => {
          const askedId = this.#statements.askedByMessage.get(guildId, messageId);
          if (askedId === undefined) return { kind: "unknown" };
          const voter = this.#voter(guildId, memberId);
          const before = this.#statements.getVote.get(askedId, voter);
          const value = vote === "up" ? 1 : -1;
          let now: Vote | undefined = vote;
          if (before === value) {
            this.#statements.deleteVote.run(askedId, voter);
            now = undefined;
          } else {
            this.#statements.upsertVote.run(askedId, voter, value, at);
          }
          const tally = this.#statements.tally.get(askedId) ?? { up: 0, down: 0 };
          return { kind: "cast", askedId, vote: now, tally };
        })
        .immediate(),
    );
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
    const db = this.#connection.db;
    return this.#connection.keep(() =>
      db
        .transaction(() => {
          if (this.#statements.askedInGuild.get(guildId, askedId) === undefined) return false;
          const voter = this.#voter(guildId, memberId);
          return this.#statements.setReason.run(reason, askedId, voter).changes > 0;
        })
        .immediate(),
    );
  }

  /** The member's name in the votes table: HMAC-SHA256 of their id under the server's secret. */
  #voter(guildId: string, memberId: string): string {
    return createHmac("sha256", this.#secret(guildId)).update(memberId).digest("hex");
  }

  /** The server's secret, made on first need (inside the caller's write transaction). */
  #secret(guildId: string): Buffer {
    let secret = this.#secrets.get(guildId);
    if (secret !== undefined) return secret;
    // Another shard may have made it first: the insert then does nothing and its secret is read.
    const made = this.#statements.insertSecret.run(guildId, randomBytes(SECRET_BYTES)).changes;
    secret = this.#statements.getSecret.get(guildId);
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
  listQuestions(guildId: string, period: QuestionPeriod): AskedQuestion[] {
    const until = period.untilMs ?? Number.MAX_SAFE_INTEGER;
    return this.#connection.read(() =>
      this.#statements.listAsked.all(guildId, period.sinceMs, until).map(toAsked),
    );
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
  ): AskedQuestion[] {
    const until = period.untilMs ?? Number.MAX_SAFE_INTEGER;
    // Strictly after (since - 1, max id) is the same as from `since` on, inclusive.
    const position = after ?? { at: period.sinceMs - 1, id: Number.MAX_SAFE_INTEGER };
    return this.#connection.read(() =>
      this.#statements.listAskedPage
        .all(guildId, position.at, position.id, until, limit)
        .map(toAsked),
    );
  }

  /**
   * The votes on each pin: on the pin's own message (an answer pinned with its button) and on
   * the answers it led, together; by pin id. What `/pins list` flags pins by (`isPinFlagged`).
   */
  pinVotes(
    guildId: string,
    pins: readonly { readonly id: number; readonly messageId?: string }[],
  ): Map<number, VoteTally> {
    return this.#connection.read(
      () =>
        new Map(
          pins.map((pin) => [
            pin.id,
            this.#statements.pinTally.get(guildId, pin.id, guildId, pin.messageId ?? null) ?? {
              up: 0,
              down: 0,
            },
          ]),
        ),
    );
  }

  /** The votes on the answer sent as `messageId`; undefined when no logged question has it. */
  tallyOf(guildId: string, messageId: string): VoteTally | undefined {
    return this.#connection.read(() => {
      const askedId = this.#statements.askedByMessage.get(guildId, messageId);
      return askedId === undefined
        ? undefined
        : (this.#statements.tally.get(askedId) ?? { up: 0, down: 0 });
    });
  }

  /** The member's vote on the answer sent as `messageId`, if any (tests and checks). */
  voteOf(guildId: string, messageId: string, memberId: string): Vote | undefined {
    return this.#connection.read(() => {
      const askedId = this.#statements.askedByMessage.get(guildId, messageId);
      const secret = this.#statements.getSecret.get(guildId);
      if (askedId === undefined || secret === undefined) return undefined;
      const voter = createHmac("sha256", secret).update(memberId).digest("hex");
      const value = this.#statements.getVote.get(askedId, voter);
      return value === undefined ? undefined : toVote(value);
    });
  }
}
