/**
 * `npm run summary -- [ARTICLE_ID ...] [--topic TEXT] [--sentences N] [--data DIR] [--json]`:
 * extractive summaries on the command line, from the same summary service as the Discord bot.
 * Standard output carries summaries only; every diagnostic goes to standard error.
 *
 * The logic is `runSummary`, with its streams injected so tests can run it in-process; the end
 * of this file runs it on the process's streams when this file is the program.
 */
import { userFolder } from "../config.js";
import { formatProblem, loadCorpus } from "../corpus/loadCorpus.js";
import { loadWordNet } from "../lexicon/wordnet.js";
import { SummaryService } from "../summary/summaryService.js";
import { formatArticleSummary, formatTopicSummary } from "./formatSummary.js";
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
import { parseSummaryArgs, SUMMARY_USAGE } from "./summaryArgs.js";

/**
 * The streams, folder and variables `runSummary` works with; the process's own when run as a
 * program. A relative `--data` starts from `cwd`.
 */
export type SummaryIo = ProgramIo;

/** How many known ids an unknown-id message lists. */
const KNOWN_IDS_SHOWN = 10;

function unknownIdsMessage(unknown: readonly string[], service: SummaryService): string {
  const quoted = unknown.map((id) => `"${id}"`).join(", ");
  const what =
    unknown.length === 1 ? `no article has the id ${quoted}` : `no articles have the ids ${quoted}`;
  const ids = service.library.list(undefined).map((a) => a.id);
  if (ids.length === 0) return `summary: ${what}: no articles were loaded\n`;
  const shown = ids.slice(0, KNOWN_IDS_SHOWN).join(", ");
  const more = ids.length > KNOWN_IDS_SHOWN ? `, and ${ids.length - KNOWN_IDS_SHOWN} more` : "";
  return `summary: ${what}; known ids: ${shown}${more}\n`;
}

async function run(argv: readonly string[], io: SummaryIo): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const fail = (message: string, code: number) => failWith(io.stderr, message, code);

  const command = parseSummaryArgs(argv);
  if (command.kind === "help" || command.kind === "usageError") {
    return helpOrUsageError(command, "summary", SUMMARY_USAGE, io);
  }

  const dataDir = chooseDataDir(command.dataDir, io);
  const loaded = await loadFromDataDir("summary", dataDir, loadCorpus);
  if ("failure" in loaded) return fail(loaded.failure, EXIT.usage);
  const corpus = loaded.value;
  for (const problem of corpus.problems) await write(io.stderr, `${formatProblem(problem, cwd)}\n`);
  if (corpus.articles.length === 0) await write(io.stderr, "summary: no articles were loaded\n");

  const options = { sentences: command.sentences };
  if (command.topic !== undefined) {
    const service = new SummaryService(corpus.articles, { thesaurus: loadWordNet() });
    const summary = service.summarizeTopic(command.topic, options);
    await write(
      io.stdout,
      command.json ? `${JSON.stringify(summary)}\n` : formatTopicSummary(summary),
    );
    return EXIT.ok;
  }

  const service = new SummaryService(corpus.articles);
  const unknown = command.ids.filter((id) => service.getArticle(id) === undefined);
  if (unknown.length > 0) return fail(unknownIdsMessage(unknown, service), EXIT.usage);
  const ids = command.ids.length > 0 ? command.ids : corpus.articles.map((a) => a.id);
  for (const [i, id] of ids.entries()) {
    const summary = service.summarizeArticle(id, options);
    const text = command.json
      ? `${JSON.stringify(summary)}\n`
      : `${i > 0 ? "\n" : ""}${formatArticleSummary(summary)}`;
    await write(io.stdout, text);
  }
  return EXIT.ok;
}

/**
 * Runs the summary command line.
 * @param argv - the arguments after the script name (`process.argv.slice(2)`)
 * @param io - the streams to use, see {@link SummaryIo}
 * @returns the exit code, see {@link EXIT}; never throws: an unexpected error is
 *   reported on `io.stderr` and gives {@link EXIT.failure}
 */
export function runSummary(argv: readonly string[], io: SummaryIo): Promise<number> {
  return guard("summary", io.stderr, () => run(argv, io));
}

if (isMainModule(import.meta.url)) {
  // Without a listener, a closed pipe would crash the process; runSummary sees the failed write.
  process.stdout.on("error", () => undefined);
  process.exitCode = await runSummary(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: userFolder(),
  });
}
