/**
 * One line of a `--batch` file, parsed without I/O. A line is a question in plain text, or, when
 * its first non-blank character is `{`, a JSON object `{"q": "...", "article"?: "id", "top"?: K}`.
 */
import { MAX_TOP } from "../answer/answerService.js";
import type { Answer, AskOptions } from "../answer/types.js";
import { parseTop } from "./args.js";

/** A question to ask, with the options the line set (the command line's apply to the rest). */
export interface BatchQuestion {
  readonly kind: "question";
  readonly question: string;
  readonly options: AskOptions;
}

/** A line that cannot be asked; `message` goes into the line's `{"error", "line"}` output. */
export interface BatchLineError {
  readonly kind: "error";
  readonly message: string;
}

/** The output line written for an answered (or abstained) batch line: the answer and its line. */
export type BatchAnswerOutput = Answer & {
  /** 1-based line number in the batch input, blank lines counted. */
  readonly line: number;
};

/** The output line written in place of a failed batch line. */
export interface BatchErrorOutput {
  readonly error: string;
  /** 1-based line number in the batch input, blank lines counted. */
  readonly line: number;
}

/** One line of `--batch` output: every one names the input line it answers. */
export type BatchOutput = BatchAnswerOutput | BatchErrorOutput;

function lineError(message: string): BatchLineError {
  return { kind: "error", message };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Parses one batch line.
 *
 * @param line - the line, without its line break
 * @returns undefined for a blank line (skipped), else the question or what is wrong with it.
 *   An empty question is not caught here: the answer service says so, as it does for everyone.
 */
export function parseBatchLine(line: string): BatchQuestion | BatchLineError | undefined {
  const text = line.replace(/^\uFEFF/, "").trim();
  if (text === "") return undefined;
  if (!text.startsWith("{")) return { kind: "question", question: text, options: {} };

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return lineError(`not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isRecord(value)) return lineError('expected a JSON object like {"q": "..."}');
  const { q, article, top } = value;
  if (typeof q !== "string") return lineError('"q" is missing or not a string');
  const options: { articleId?: string; top?: number } = {};
  if (article !== undefined && article !== null) {
    if (typeof article !== "string") return lineError('"article" must be a string (an id)');
    options.articleId = article;
  }
  if (top !== undefined && top !== null) {
    const parsed = typeof top === "number" ? parseTop(String(top)) : undefined;
    if (parsed === undefined) {
      return lineError(`"top" must be a whole number from 1 to ${MAX_TOP}`);
    }
    options.top = parsed;
  }
  return { kind: "question", question: q, options };
}
