/**
 * `npm run add-article -- URL [--data DIR]`: one news page into the articles folder, through the
 * same fetcher and extraction the bot will use for links and feeds. Standard output says what
 * was written; every diagnostic goes to standard error, one line each.
 *
 * The logic is `runAddArticle`, with its streams injected so tests can run it in-process; the
 * end of this file runs it on the process's streams when this file is the program.
 */
import { ConfigError, loadIngestSettings, userFolder } from "../config.js";
import { loadCorpus } from "../corpus/loadCorpus.js";
import { displayPath } from "../corpus/problem.js";
import { saveArticle } from "../corpus/saveArticle.js";
import { normalizeLink } from "../ingest/links.js";
import { readArticle } from "../ingest/readArticle.js";
import { createFetcher, type FetchOptions } from "../ingest/safeFetch.js";
import { ADD_ARTICLE_USAGE, parseAddArticleArgs } from "./addArticleArgs.js";
import {
  chooseDataDir,
  EXIT,
  failWith,
  guard,
  helpOrUsageError,
  isMainModule,
  loadFromDataDir,
  type ProgramIo,
  write,
} from "./program.js";

/** The streams, folder and variables `runAddArticle` works with. */
export interface AddArticleIo extends ProgramIo {
  /**
   * Limits and parts of the fetcher (tests shorten the timeout); `allowPrivate` given here wins
   * over ALLOW_PRIVATE_FETCH.
   */
  readonly fetch?: FetchOptions;
}

const NAME = "add-article";

async function run(argv: readonly string[], io: AddArticleIo): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const fail = (message: string, code: number) => failWith(io.stderr, message, code);

  const command = parseAddArticleArgs(argv);
  if (command.kind === "help" || command.kind === "usageError") {
    return helpOrUsageError(command, NAME, ADD_ARTICLE_USAGE, io);
  }

  let allowPrivate: boolean;
  try {
    allowPrivate = loadIngestSettings(io.env).allowPrivateFetch;
  } catch (error) {
    if (error instanceof ConfigError) return fail(`${NAME}: ${error.message}`, EXIT.usage);
    throw error;
  }

  const dataDir = chooseDataDir(command.dataDir, io);
  const loaded = await loadFromDataDir(NAME, dataDir, loadCorpus);
  if ("failure" in loaded) return fail(loaded.failure, EXIT.usage);
  const corpus = loaded.value;

  const fetcher = createFetcher({ allowPrivate, ...io.fetch });
  const extracted = await readArticle(fetcher, command.url);
  if (!extracted.ok) return fail(`${NAME}: ${extracted.error.message}`, EXIT.failure);
  const article = extracted.value;

  const same = corpus.articles.find(
    (a) => a.url !== undefined && normalizeLink(a.url) === article.url,
  );
  if (same !== undefined) {
    await write(
      io.stderr,
      `${NAME}: note: the article "${same.id}" has the same address; this one is added beside it\n`,
    );
  }

  const saved = await saveArticle(
    dataDir.dir,
    {
      title: article.title,
      paragraphs: article.paragraphs,
      url: article.url,
      source: article.siteName,
      ...(article.published === undefined ? {} : { published: article.published }),
    },
    corpus.articles.map((a) => a.id),
  );
  const count = article.paragraphs.length;
  await write(
    io.stdout,
    `Wrote ${displayPath(saved.file, cwd)} (id ${saved.id}): "${article.title}", ${count} paragraph${count === 1 ? "" : "s"}\n`,
  );
  return EXIT.ok;
}

/**
 * Runs the add-article command line.
 *
 * @param argv - the arguments after the script name (`process.argv.slice(2)`)
 * @param io - the streams to use, see {@link AddArticleIo}
 * @returns the exit code, see {@link EXIT}; never throws: an unexpected error is reported on
 *   `io.stderr` and gives {@link EXIT.failure}
 */
export function runAddArticle(argv: readonly string[], io: AddArticleIo): Promise<number> {
  return guard(NAME, io.stderr, () => run(argv, io));
}

if (isMainModule(import.meta.url)) {
  process.stdout.on("error", () => undefined);
  process.exitCode = await runAddArticle(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: userFolder(),
  });
}
