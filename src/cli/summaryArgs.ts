/**
 * The arguments of `npm run summary`, parsed without touching the process: argv in, a typed
 * command or a usage error out.
 */

/** Summarize articles (all of them when no id is given), or one topic across articles. */
export interface SummaryCommand {
  readonly kind: "summary";
  /** Article ids as given; empty for every article (or with `topic`). */
  readonly ids: readonly string[];
  /** Summarize this topic across the articles instead of articles one by one. */
  readonly topic?: string;
  /** Sentences at most per summary, 1..MAX_SUMMARY_SENTENCES; the service's default when absent. */
  readonly sentences?: number;
  /** The articles folder, as typed; DATA_DIR or the project's `data/articles` when absent. */
  readonly dataDir?: string;
  /** One line of JSON per summary. */
  readonly json: boolean;
}

/** Print the usage. */
export interface SummaryHelp {
  readonly kind: "help";
}

/** The arguments make no sense: show `message` and the usage, exit 2. */
export interface SummaryUsageError {
  readonly kind: "usageError";
  readonly message: string;
}

export type ParsedSummaryArgs = SummaryCommand | SummaryHelp | SummaryUsageError;

/** The most sentences a summary may be asked for: a summary, not the article again. */
export const MAX_SUMMARY_SENTENCES = 100;

/** The usage text, for `--help` and after a usage error. */
export const SUMMARY_USAGE = `Usage: npm run summary -- [options] [ARTICLE_ID ...]
       npm run summary -- [options] --topic TEXT

Summarizes news articles with their key sentences, each cited by paragraph (¶p), and the
people, places and organizations they mention most. With no id and no topic, every article.

Options:
  --topic TEXT     summarize what the articles say about TEXT, citing article and paragraph
  --sentences N    at most N sentences a summary (1 to ${MAX_SUMMARY_SENTENCES}, default 3)
  --data DIR       read the articles from DIR, relative to the project folder (default:
                   DATA_DIR as the bot reads it, from the environment or the project's .env,
                   also relative to the project folder; else the project's data/articles)
  --json           one line of JSON a summary, nothing else on standard output
  -h, --help       show this help

Exit codes: 0 ok; 1 failure; 2 usage error (bad option, unknown article id or data folder).
`;

type ValueOption = "--topic" | "--sentences" | "--data";

const VALUE_OPTIONS: ReadonlySet<string> = new Set<ValueOption>([
  "--topic",
  "--sentences",
  "--data",
]);

function usageError(message: string): SummaryUsageError {
  return { kind: "usageError", message };
}

/**
 * Parses `--sentences`'s value.
 * @param value - the text after `--sentences`
 * @returns the count, or undefined unless it is a whole number from 1 to MAX_SUMMARY_SENTENCES
 */
export function parseSentenceCount(value: string): number | undefined {
  if (!/^\d{1,4}$/.test(value)) return undefined;
  const count = Number(value);
  return count >= 1 && count <= MAX_SUMMARY_SENTENCES ? count : undefined;
}

/**
 * Parses the arguments after the script name. Options may come before or after the ids;
 * `--name=value` works like `--name value`; everything after a `--` is ids. A value may not
 * start with `-`.
 * @param argv - e.g. `["--sentences", "2", "kremlin-putin-message-trump-ceasefire"]`
 */
export function parseSummaryArgs(argv: readonly string[]): ParsedSummaryArgs {
  const end = argv.indexOf("--");
  const options = end < 0 ? argv : argv.slice(0, end);
  if (options.includes("--help") || options.includes("-h")) return { kind: "help" };

  const ids: string[] = [];
  const values = new Map<ValueOption, string>();
  let json = false;
  for (let i = 0; i < options.length; i++) {
    const arg = options[i] ?? "";
    if (!arg.startsWith("-") || arg === "-") {
      ids.push(arg);
      continue;
    }
    const equals = arg.indexOf("=");
    const name = equals < 0 ? arg : arg.slice(0, equals);
    if (name === "--json") {
      if (equals >= 0) return usageError("--json takes no value");
      json = true;
      continue;
    }
    if (!VALUE_OPTIONS.has(name)) return usageError(`unknown option ${name}`);
    const option = name as ValueOption;
    let value: string | undefined;
    if (equals >= 0) value = arg.slice(equals + 1);
    else {
      const next = options[i + 1];
      if (next !== undefined && !next.startsWith("-")) {
        value = next;
        i++;
      }
    }
    if (value === undefined || value.trim() === "") return usageError(`${option} needs a value`);
    if (values.has(option)) return usageError(`${option} is given twice`);
    values.set(option, value);
  }
  if (end >= 0) ids.push(...argv.slice(end + 1));

  const command: { -readonly [K in keyof SummaryCommand]: SummaryCommand[K] } = {
    kind: "summary",
    ids: ids.map((id) => id.trim()).filter((id) => id !== ""),
    json,
  };
  const countText = values.get("--sentences");
  if (countText !== undefined) {
    const count = parseSentenceCount(countText);
    if (count === undefined) {
      return usageError(
        `--sentences needs a whole number from 1 to ${MAX_SUMMARY_SENTENCES}, not "${countText}"`,
      );
    }
    command.sentences = count;
  }
  const dataDir = values.get("--data");
  if (dataDir !== undefined) command.dataDir = dataDir;
  const topic = values.get("--topic");
  if (topic !== undefined) {
    if (!/[\p{L}\p{N}]/u.test(topic))
      return usageError("--topic needs words, e.g. --topic ceasefire");
    if (command.ids.length > 0) {
      return usageError("give article ids or --topic, not both");
    }
    command.topic = topic.trim();
  }
  return command;
}
