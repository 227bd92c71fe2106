/**
 * The arguments of `npm run summary`, parsed without touching the process: argv in, a typed
 * command or a usage error out.
 */
import {
  type HelpRequest,
  type OptionSpec,
  parseCount,
  parseOptions,
  type UsageError,
  usageError,
} from "./parseOptions.js";

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

/** What the arguments ask for: summaries, the usage, or a usage error. */
export type ParsedSummaryArgs = SummaryCommand | HelpRequest | UsageError;

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
  --data DIR       read the articles from DIR, relative to the folder you are in (default:
                   DATA_DIR as the bot reads it, from the environment or the project's .env,
                   relative to the project folder; else the project's data/articles)
  --json           one line of JSON a summary, nothing else on standard output
  -h, --help       show this help

Exit codes: 0 ok; 1 failure; 2 usage error (bad option, unknown article id or data folder).
`;

/** The options of `npm run summary`, for {@link parseOptions}. */
const SUMMARY_OPTIONS = {
  topic: { type: "string" },
  sentences: { type: "string" },
  data: { type: "string" },
  json: { type: "boolean" },
} as const satisfies OptionSpec;

/**
 * Parses `--sentences`'s value.
 * @param value - the text after `--sentences`
 * @returns the count, or undefined unless it is a whole number from 1 to MAX_SUMMARY_SENTENCES
 */
export function parseSentenceCount(value: string): number | undefined {
  return parseCount(value, MAX_SUMMARY_SENTENCES);
}

/**
 * Parses the arguments after the script name with {@link parseOptions}. Options may come before
 * or after the ids; `--name=value` works like `--name value`; everything after a `--` is ids. A
 * value may not start with `-`.
 * @param argv - e.g. `["--sentences", "2", "kremlin-putin-message-trump-ceasefire"]`
 */
export function parseSummaryArgs(argv: readonly string[]): ParsedSummaryArgs {
  const parsed = parseOptions(argv, SUMMARY_OPTIONS);
  if (parsed.kind !== "options") return parsed;
  const { values } = parsed;

  const command: { -readonly [K in keyof SummaryCommand]: SummaryCommand[K] } = {
    kind: "summary",
    ids: parsed.positionals.map((id) => id.trim()).filter((id) => id !== ""),
    json: values.json,
  };
  if (values.sentences !== undefined) {
    const count = parseSentenceCount(values.sentences);
    if (count === undefined) {
      return usageError(
        `--sentences needs a whole number from 1 to ${MAX_SUMMARY_SENTENCES}, not "${values.sentences}"`,
      );
    }
    command.sentences = count;
  }
  if (values.data !== undefined) command.dataDir = values.data;
  const { topic } = values;
  if (topic !== undefined) {
    if (!/[\p{L}\p{N}]/u.test(topic))
      return usageError("--topic needs words, e.g. --topic ceasefire");
    if (command.ids.length > 0) return usageError("give article ids or --topic, not both");
    command.topic = topic.trim();
  }
  return command;
}
