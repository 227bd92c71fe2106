/**
 * Reading the follow-up conversations for `npm run eval:followups`: short conversations (2 to 4
 * turns) a reader has with newsdesk over the seed article and BBC News Summary articles, each turn
 * with the paragraph that answers it (test/fixtures/followups.json: questions and references
 * only; the articles are read from the datasets folder, as the reader evaluation reads them).
 */
import { readFileSync } from "node:fs";
import type { Half } from "./readersData.js";

export type { Half };

/** Where the conversations are, in the repository (they are ours, unlike the datasets). */
export const FOLLOWUPS_FILE = new URL("../../test/fixtures/followups.json", import.meta.url);

/** One turn of a conversation: a question and where its answer is. */
export interface FollowUpTurn {
  readonly q: string;
  /** The article's id in the reader library (the seed's id, or a BBC record id "tech/040"). */
  readonly article: string;
  /** 1-based body paragraph. */
  readonly paragraph: number;
  /** An exact substring of the answering paragraph: a citation is right when it contains it. */
  readonly expect: string;
  /** The turn changes subject: it must be searched afresh. */
  readonly changesSubject: boolean;
}

export interface FollowUpConversation {
  readonly turns: readonly FollowUpTurn[];
  readonly half: Half;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The conversations, each in the half of its first turn's article: those articles in order of
 * first appearance, alternately "tune" and "check", so that two conversations about one article
 * never fall in different halves (tuning on one would leak into the other).
 * @param text - the file's JSON (default: {@link FOLLOWUPS_FILE}'s)
 * @throws Error naming the conversation and turn when a field is missing or of the wrong type
 */
export function readFollowUps(
  text: string = readFileSync(FOLLOWUPS_FILE, "utf8"),
): FollowUpConversation[] {
  const doc: unknown = JSON.parse(text);
  const list = isRecord(doc) ? doc.conversations : undefined;
  if (!Array.isArray(list)) throw new Error("followups: the file has no conversations array");
  const halves = new Map<string, Half>();
  return list.map((conversation: unknown, c) => {
    const turns = isRecord(conversation) ? conversation.turns : undefined;
    if (!Array.isArray(turns) || turns.length < 2 || turns.length > 4) {
      throw new Error(`followups: conversation ${c + 1} must have 2 to 4 turns`);
    }
    const read = turns.map((turn: unknown, t) =>
      readTurn(turn, `conversation ${c + 1} turn ${t + 1}`),
    );
    const first = read[0]?.article ?? "";
    if (!halves.has(first)) halves.set(first, halves.size % 2 === 0 ? "tune" : "check");
    return { turns: read, half: halves.get(first) ?? "tune" };
  });
}

function readTurn(turn: unknown, at: string): FollowUpTurn {
  if (!isRecord(turn)) throw new Error(`followups: ${at} is not an object`);
  const { q, article, paragraph, expect } = turn;
  if (typeof q !== "string" || typeof article !== "string" || typeof expect !== "string") {
    throw new Error(`followups: ${at} needs the strings q, article and expect`);
  }
  if (typeof paragraph !== "number" || !Number.isInteger(paragraph) || paragraph < 1) {
    throw new Error(`followups: ${at}: paragraph must be a whole number from 1`);
  }
  return { q, article, paragraph, expect, changesSubject: turn.new === true };
}
