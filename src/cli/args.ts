/**
 * The command line's arguments, parsed without touching the process: argv in, a typed command or
 * a usage error out, so every rule is testable on an array of strings.
 */
import { MAX_TOP } from "../answer/answerService.js";

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

/** Print the usage. */
export interface HelpCommand {
  readonly kind: "help";
}

/** The arguments make no sense: show `message` and the usage, exit 2. */
export interface UsageError {
  readonly kind: "usageError";
  readonly message: string;
}

export type ParsedArgs = AskCommand | BatchCommand | HelpCommand | UsageError;

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

type ValueOption = "--top" | "--article" | "--data" | "--batch";

const VALUE_OPTIONS: ReadonlySet<string> = new Set<ValueOption>([
  "--top",
  "--article",
  "--data",
  "--batch",
]);

function usageError(message: string): UsageError {
  return { kind: "usageError", message };
}

/**
 * Parses `--top`'s value.
 *
 * @param value - the text after `--top`
 * @returns the count, or undefined unless it is a whole number from 1 to MAX_TOP
 */
export function parseTop(value: string): number | undefined {
  if (!/^\d{1,3}$/.test(value)) return undefined;
  const top = Number(value);
  return top >= 1 && top <= MAX_TOP ? top : undefined;
}

/**
 * Parses the command line's arguments (what follows the script name; npm has already removed
 * its own `--`). Options may come before or after the question's words; `--name=value` works
 * like `--name value`; everything after a `--` is words of the question, so a question may
 * start with `-`. A value may not start with `-` (except `--batch -`): `--top --json` is a
 * missing value, not a top of "--json".
 *
 * @param argv - the arguments, e.g. `["--top", "2", "How", "long?"]`
 */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const end = argv.indexOf("--");
  const options = end < 0 ? argv : argv.slice(0, end);
  if (options.includes("--help") || options.includes("-h")) return { kind: "help" };

  const words: string[] = [];
  const values = new Map<ValueOption, string>();
  let json = false;
  let strict = false;
  for (let i = 0; i < options.length; i++) {
    const arg = options[i] ?? "";
    if (arg === "-" || !arg.startsWith("-")) {
      words.push(arg);
      continue;
    }
    const equals = arg.indexOf("=");
    const name = equals < 0 ? arg : arg.slice(0, equals);
    if (name === "--json" || name === "--strict") {
      if (equals >= 0) return usageError(`${name} takes no value`);
      if (name === "--json") json = true;
      else strict = true;
      continue;
    }
    if (!VALUE_OPTIONS.has(name)) return usageError(`unknown option ${name}`);
    const option = name as ValueOption;
    let value: string | undefined;
    if (equals >= 0) {
      value = arg.slice(equals + 1);
    } else {
      const next = options[i + 1];
      if (next !== undefined && (next === "-" || !next.startsWith("-"))) {
        value = next;
        i++;
      }
    }
    if (value === undefined || value === "") return usageError(`${option} needs a value`);
    if (values.has(option)) return usageError(`${option} is given twice`);
    values.set(option, value);
  }
  if (end >= 0) words.push(...argv.slice(end + 1));

  const common: { -readonly [K in keyof CommonOptions]: CommonOptions[K] } = { json, strict };
  const topText = values.get("--top");
  if (topText !== undefined) {
    const top = parseTop(topText);
    if (top === undefined) {
      return usageError(`--top needs a whole number from 1 to ${MAX_TOP}, not "${topText}"`);
    }
    common.top = top;
  }
  const articleId = values.get("--article");
  if (articleId !== undefined) common.articleId = articleId;
  const dataDir = values.get("--data");
  if (dataDir !== undefined) common.dataDir = dataDir;

  const question = words.join(" ").trim();
  const source = values.get("--batch");
  if (source !== undefined) {
    if (question !== "") {
      return usageError("--batch reads the questions from a file: give no question as well");
    }
    return { kind: "batch", source, ...common };
  }
  if (question === "") return usageError("no question: ask something, e.g. npm run ask -- Who?");
  return { kind: "ask", question, ...common };
}
