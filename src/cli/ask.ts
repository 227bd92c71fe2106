/**
 * `npm run ask -- [options] <question...>`: the offline command line. It answers from the same
 * services as the Discord bot and prints plain text, or JSON with `--json` and `--batch`.
 * Standard output carries answers only; every diagnostic goes to standard error.
 *
 * The logic is `runAsk`, with its streams injected so tests can run it in-process; the end of
 * this file runs it on the process's streams when this file is the program.
 */

import { createReadStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { AnswerError } from "../answer/errors.js";
import type { Answer } from "../answer/types.js";
import { userFolder } from "../config.js";
import { formatProblem } from "../corpus/loadCorpus.js";
import { loadServices, type Services } from "../services.js";
import { type CommonOptions, parseArgs, USAGE } from "./args.js";
import { type BatchOutput, parseBatchLine } from "./batchLine.js";
import { formatText } from "./formatText.js";
import {
  chooseDataDir,
  describeDataDir,
  EXIT,
  failWith,
  guard,
  helpOrUsageError,
  isMainModule,
  loadFromDataDir,
  type ProgramIo,
  write,
} from "./program.js";
import { progressBar } from "./progressBar.js";

export { EXIT };

/**
 * The streams, folder and variables `runAsk` works with; the process's own when run as a
 * program. Relative `--data` and `--batch` paths start from `cwd`.
 */
export interface AskIo extends ProgramIo {
  /** Read only by `--batch -`. */
  readonly stdin: NodeJS.ReadableStream;
}

/** How many known ids an unknown `--article` message lists. */
const KNOWN_IDS_SHOWN = 10;

/** The lines of a stream, without their `\n` or `\r\n`; a last line without a break included. */
async function* readLines(input: NodeJS.ReadableStream): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let pending = "";
  for await (const chunk of input) {
    pending += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) yield line.endsWith("\r") ? line.slice(0, -1) : line;
  }
  pending += decoder.decode();
  if (pending !== "") yield pending.endsWith("\r") ? pending.slice(0, -1) : pending;
}

function unknownArticleMessage(id: string, services: Services): string {
  const ids = services.answers.listArticles().map((a) => a.id);
  if (ids.length === 0) return `ask: no article has the id "${id}": no articles were loaded\n`;
  const shown = ids.slice(0, KNOWN_IDS_SHOWN).join(", ");
  const more = ids.length > KNOWN_IDS_SHOWN ? `, and ${ids.length - KNOWN_IDS_SHOWN} more` : "";
  return `ask: no article has the id "${id}"; known ids: ${shown}${more}\n`;
}

/** Why the `--batch` file cannot be read, checked before the corpus is loaded; or undefined. */
async function checkBatchFile(source: string, file: string): Promise<string | undefined> {
  try {
    const stats = await fs.stat(file);
    return stats.isDirectory() ? `ask: --batch ${source} is a folder; give a file` : undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ENOENT"
      ? `ask: --batch file ${source} does not exist`
      : `ask: cannot read --batch file ${source}: ${code ?? String(error)}`;
  }
}

async function answerBatch(
  input: NodeJS.ReadableStream,
  options: CommonOptions,
  services: Services,
  io: AskIo,
): Promise<number> {
  let lineNumber = 0;
  let asked = 0;
  let failed = 0;
  for await (const line of readLines(input)) {
    lineNumber++;
    const parsed = parseBatchLine(line);
    if (parsed === undefined) continue;
    asked++;
    let output: BatchOutput;
    if (parsed.kind === "error") {
      output = { error: parsed.message, line: lineNumber };
    } else {
      try {
        const answer = services.answers.ask(parsed.question, {
          top: parsed.options.top ?? options.top,
          articleId: parsed.options.articleId ?? options.articleId,
        });
        output = { ...answer, line: lineNumber };
      } catch (error) {
        if (!(error instanceof AnswerError)) throw error;
        output = { error: error.message, line: lineNumber };
      }
    }
    if ("error" in output) failed++;
    await write(io.stdout, `${JSON.stringify(output)}\n`);
  }
  if (failed > 0) {
    await write(io.stderr, `ask: ${failed} of ${asked} batch lines failed\n`);
    return EXIT.failure;
  }
  return EXIT.ok;
}

async function run(argv: readonly string[], io: AskIo): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const fail = (message: string, code: number) => failWith(io.stderr, message, code);

  const command = parseArgs(argv);
  if (command.kind === "help" || command.kind === "usageError") {
    return helpOrUsageError(command, "ask", USAGE, io);
  }

  const batchFile =
    command.kind === "batch" && command.source !== "-"
      ? path.resolve(cwd, command.source)
      : undefined;
  if (command.kind === "batch" && batchFile !== undefined) {
    const problem = await checkBatchFile(command.source, batchFile);
    if (problem !== undefined) return fail(problem, EXIT.usage);
  }

  const dataDir = chooseDataDir(command.dataDir, io);
  // A large library takes seconds to index: a bar on a terminal says how far it is.
  const onIndexProgress = progressBar(io.stderr, { label: "ask: indexing" });
  const loaded = await loadFromDataDir("ask", dataDir, (dir) =>
    loadServices({ dataDir: dir, onIndexProgress }),
  );
  if ("failure" in loaded) return fail(loaded.failure, EXIT.usage);
  const services = loaded.value;
  const { problems, articles } = services.corpus;
  for (const problem of problems) await write(io.stderr, `${formatProblem(problem, cwd)}\n`);
  if (command.strict && problems.length > 0) {
    const count = problems.length === 1 ? "1 corpus problem" : `${problems.length} corpus problems`;
    return fail(
      `ask: --strict: ${count} in ${describeDataDir(dataDir)}; nothing was answered`,
      EXIT.failure,
    );
  }
  if (articles.length === 0) await write(io.stderr, "ask: no articles were loaded\n");
  if (command.articleId !== undefined && !services.answers.getArticle(command.articleId)) {
    return fail(unknownArticleMessage(command.articleId, services), EXIT.usage);
  }

  if (command.kind === "batch") {
    const input = batchFile === undefined ? io.stdin : createReadStream(batchFile);
    return answerBatch(input, command, services, io);
  }

  let answer: Answer;
  try {
    answer = services.answers.ask(command.question, {
      top: command.top,
      articleId: command.articleId,
    });
  } catch (error) {
    if (error instanceof AnswerError) return fail(`ask: ${error.message}`, EXIT.usage);
    throw error;
  }
  await write(io.stdout, command.json ? `${JSON.stringify(answer)}\n` : formatText(answer));
  return EXIT.ok;
}

/**
 * Runs the command line.
 *
 * @param argv - the arguments after the script name (`process.argv.slice(2)`)
 * @param io - the streams to use, see {@link AskIo}
 * @returns the exit code, see {@link EXIT}; never throws: an unexpected error is reported on
 *   `io.stderr` and gives {@link EXIT.failure}
 */
export function runAsk(argv: readonly string[], io: AskIo): Promise<number> {
  return guard("ask", io.stderr, () => run(argv, io));
}

if (isMainModule(import.meta.url)) {
  // Without a listener, a closed pipe would crash the process; runAsk sees the failed write.
  process.stdout.on("error", () => undefined);
  process.exitCode = await runAsk(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    cwd: userFolder(),
  });
}
