/**
 * The arguments of `npm run add-article`, parsed without touching the process: argv in, a typed
 * command or a usage error out.
 */
import {
  type HelpRequest,
  type OptionSpec,
  parseOptions,
  type UsageError,
  usageError,
} from "./parseOptions.js";

/** Fetch one page and add its article to the articles folder. */
export interface AddArticleCommand {
  readonly kind: "addArticle";
  /** The page's address, as typed (checked by the fetcher). */
  readonly url: string;
  /** The articles folder, as typed; DATA_DIR or the project's `data/articles` when absent. */
  readonly dataDir?: string;
}

/** What the arguments ask for. */
export type ParsedAddArticleArgs = AddArticleCommand | HelpRequest | UsageError;

/** The usage text, for `--help` and after a usage error. */
export const ADD_ARTICLE_USAGE = `Usage: npm run add-article -- URL [--data DIR]

Fetches the news page at URL, keeps its article (title, paragraphs, canonical address, site
name, publication date) and writes it into the articles folder as a .md file named after the
title (a name already taken gets -2, -3...; nothing is overwritten). The bot serves it from its
next start.

The fetch follows the bot's rules: http and https only, at most 5 redirects, 15 s, 5 MB, web
pages only, and no loopback or private addresses unless ALLOW_PRIVATE_FETCH=true.

Options:
  --data DIR       write into DIR, relative to the folder you are in (default: DATA_DIR as
                   the bot reads it, from the environment or the project's .env, relative to
                   the project folder; else the project's data/articles)
  -h, --help       show this help

Exit codes: 0 written; 1 the page could not be fetched or has no article; 2 usage error
(bad option, no URL, no such data folder, a bad setting).
`;

const ADD_ARTICLE_OPTIONS = {
  data: { type: "string" },
} as const satisfies OptionSpec;

/**
 * Parses the arguments of `npm run add-article`.
 *
 * @param argv - the arguments after the script name
 */
export function parseAddArticleArgs(argv: readonly string[]): ParsedAddArticleArgs {
  const parsed = parseOptions(argv, ADD_ARTICLE_OPTIONS);
  if (parsed.kind !== "options") return parsed;
  const [url, ...more] = parsed.positionals;
  if (url === undefined || url.trim() === "") return usageError("give the URL of a news page");
  if (more.length > 0) return usageError(`one URL at a time (got ${more.length + 1})`);
  const dataDir = parsed.values.data;
  return { kind: "addArticle", url: url.trim(), ...(dataDir === undefined ? {} : { dataDir }) };
}
