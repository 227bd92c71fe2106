/**
 * The command line's arguments, parsed without touching the process: argv in, a typed command or
 * a usage error out, so every rule is testable on an array of strings.
 */
import { MAX_TOP } from "../answer/answerService.js";
import {
  type HelpRequest,
  type OptionSpec,
  parseCount,
  parseOptions,
  type UsageError,
  usageError,
} from "./parseOptions.js";

/** Options shared by a single question and a batch. */
export interface CommonOptions {
  /** Print the answer as one line of JSON (a batch always does). */
  readonly json: boolean;
  /** Citations at most, 1..MAX_TOP; the service's default when absent. */
  readonly top?: number;
  /** Only search this article (a batch line may name another). */
  readonly articleId?: string;
  /** The articles folder, as typed; DATA_DIR or the project's `data/articles` when absent. */
  readonly dataDir?: string;
  /** Stop with exit code 1 when any article file has a problem. */
  readonly strict: boolean;
}

/** Answer one question given on the command line. */
export interface AskCommand extends CommonOptions {
  readonly kind: "ask";
  /** The positional words joined by single spaces. */
  readonly question: string;
}

/** Answer one question a line of a file, or of standard input when `source` is `-`. */
export interface BatchCommand extends CommonOptions {
  readonly kind: "batch";
  readonly source: string;
}

/** What the arguments ask for: a question, a batch, the usage, or a usage error. */
export type ParsedArgs = AskCommand | BatchCommand | HelpRequest | UsageError;

/** The usage text, for `--help` and after a usage error. */
export const USAGE = `Usage: npm run ask -- [options] <question...>
       npm run ask -- [options] --batch <file|->

Answers a question from the news articles with cited excerpts.

Options:
  --json          print the answer as one line of JSON, nothing else on standard output
  --top K         cite at most K paragraphs (1 to ${MAX_TOP}, default 3)
  --article ID    search only the article with this id
  --data DIR      read the articles from DIR, relative to the folder you are in (default:
                  DATA_DIR as the bot reads it, from the environment or the project's .env,
                  relative to the project folder; else the project's data/articles)
  --strict        exit with code 1, before answering, if any article file has a problem
  --batch FILE    answer one question a line of FILE ("-" for standard input) and write one
                  JSON answer a line, with "line": its input line number; a line is plain text
                  or {"q": "...", "article": "id", "top": K}
  -h, --help      show this help

Exit codes: 0 ok; 1 failure (error, --strict problems, failed batch lines); 2 usage error.
`;

/** The options of `npm run ask`, for {@link parseOptions}. */
const ASK_OPTIONS = {
  json: { type: "boolean" },
  top: { type: "string" },
  article: { type: "string" },
  data: { type: "string" },
  strict: { type: "boolean" },
  batch: { type: "string" },
} as const satisfies OptionSpec;

/**
 * Parses `--top`'s value.
 *
 * @param value - the text after `--top`
 * @returns the count, or undefined unless it is a whole number from 1 to MAX_TOP
 */
export function parseTop(value: string): number | undefined {
  return parseCount(value, MAX_TOP);
}

/**
 * Parses the command line's arguments (what follows the script name; npm has already removed
 * its own `--`) with {@link parseOptions}. Options may come before or after the question's
 * words; `--name=value` works like `--name value`; everything after a `--` is words of the
 * question, so a question may start with `-`. A value may not start with `-` (except
 * `--batch -`): `--top --json` is a missing value, not a top of "--json".
 *
 * @param argv - the arguments, e.g. `["--top", "2", "How", "long?"]`
 */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const parsed = parseOptions(argv, ASK_OPTIONS);
  if (parsed.kind !== "options") return parsed;
  const { values } = parsed;

  const common: { -readonly [K in keyof CommonOptions]: CommonOptions[K] } = {
    json: values.json,
    strict: values.strict,
  };
  if (values.top !== undefined) {
    const top = parseTop(values.top);
    if (top === undefined) {
      return usageError(`--top needs a whole number from 1 to ${MAX_TOP}, not "${values.top}"`);
    }
    common.top = top;
  }
  if (values.article !== undefined) common.articleId = values.article;
  if (values.data !== undefined) common.dataDir = values.data;

  const question = parsed.positionals.join(" ").trim();
  if (values.batch !== undefined) {
    if (question !== "") {
      return usageError("--batch reads the questions from a file: give no question as well");
    }
    return { kind: "batch", source: values.batch, ...common };
  }
  if (question === "") return usageError("no question: ask something, e.g. npm run ask -- Who?");
  return { kind: "ask", question, ...common };
}
