/**
 * The data the evaluations and the benchmark read, and the check every one of them makes on its
 * PATH or DIR argument before it loads anything heavy. The data sets are other people's work
 * under their own licences: they stay in `../shared/datasets/` (a SOURCE.md beside each tells
 * where it came from) and are never copied into the project.
 *
 * A missing path, a folder where a file is expected (or the reverse), a datasets folder without
 * one of the files a command reads, or a file that is not in the expected format gives ONE line
 * on stderr, naming the command, the path it got, the path it expected and where the data comes
 * from, and exit code 2 (a usage error): never a `node:fs` stack trace.
 */
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { EXIT } from "../cli/program.js";
import { WIKIQA_COLUMNS } from "./answerSelectionData.js";
import { READER_FILES } from "./readersData.js";
import { SUMMARY_FILES } from "./summaryData.js";

/**
 * Where the data sets live, relative to the project folder: `npm run` starts every script there,
 * so this is the path to type after `npm run eval:... --`.
 */
export const DATASETS_DIR = "../shared/datasets";

/** One data file a command reads. */
export interface DataSet {
  /** Its name in messages, e.g. "SQuAD v1.1 dev". */
  readonly name: string;
  /** Its path inside the datasets folder, with "/". */
  readonly file: string;
  /** What the file holds, for "is not ..." messages, e.g. "SQuAD v1.1 JSON". */
  readonly format: string;
  /** Who made it, where it comes from and under which licence, in a few words. */
  readonly origin: string;
  /**
   * Why `text` is not what the evaluation reads (the fields it uses, in the types it uses them),
   * or undefined when it is.
   */
  readonly problemIn: (text: string) => string | undefined;
}

/** A command that reads data: one file (PATH) or files inside the datasets folder (DIR). */
export interface DataCommand {
  /** Its npm script name, e.g. "eval:squad"; it prefixes every message. */
  readonly command: string;
  /** Whether the argument is the data file itself or the datasets folder holding `sets`. */
  readonly takes: "file" | "folder";
  /** The options after the path in the usage line, e.g. "[--misses]". */
  readonly options: string;
  /** What it reads: one set when it takes a file. */
  readonly sets: readonly DataSet[];
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The first of `fields` that `value` lacks with the right type, as "<at>.<field> is not ...". */
function shapeProblem(
  value: unknown,
  at: string,
  fields: Readonly<Record<string, "string" | "number" | "array">>,
): string | undefined {
  if (!isObject(value)) return `${at || "the top level"} is not an object`;
  for (const [field, type] of Object.entries(fields)) {
    const v = value[field];
    const ok = type === "array" ? Array.isArray(v) : typeof v === type;
    if (!ok) return `${at ? `${at}.` : ""}${field} is not ${type === "array" ? "an" : "a"} ${type}`;
  }
  return undefined;
}

const errorMessage = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/**
 * SQuAD v1.1: `{version, data: [{title, paragraphs: [{context, qas: [{question, answers:
 * [{text}]}]}]}]}`, as readSquad and eval:pins read it. SQuAD v2.0 has the same shape but
 * unanswerable questions, so any version other than "1.1" is refused.
 */
function squadProblem(text: string): string | undefined {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (error) {
    return errorMessage(error);
  }
  const top = shapeProblem(root, "", { data: "array" });
  if (top) return top;
  const { version, data } = root as { version?: unknown; data: unknown[] };
  if (version !== undefined && version !== "1.1") {
    return `its version is ${JSON.stringify(version)}, not "1.1"`;
  }
  if (data.length === 0) return "data is empty";
  for (const [a, article] of data.entries()) {
    const at = `data[${a}]`;
    const problem = shapeProblem(article, at, { title: "string", paragraphs: "array" });
    if (problem) return problem;
    for (const [p, paragraph] of ((article as Json).paragraphs as unknown[]).entries()) {
      const pAt = `${at}.paragraphs[${p}]`;
      const pProblem = shapeProblem(paragraph, pAt, { context: "string", qas: "array" });
      if (pProblem) return pProblem;
      for (const [q, qa] of ((paragraph as Json).qas as unknown[]).entries()) {
        const qAt = `${pAt}.qas[${q}]`;
        const qProblem = shapeProblem(qa, qAt, { question: "string", answers: "array" });
        if (qProblem) return qProblem;
        for (const [n, answer] of ((qa as Json).answers as unknown[]).entries()) {
          const nProblem = shapeProblem(answer, `${qAt}.answers[${n}]`, { text: "string" });
          if (nProblem) return nProblem;
        }
      }
    }
  }
  return undefined;
}

/** JSON Lines: every non-blank line a JSON object that `recordProblem` accepts; at least one. */
function jsonLinesProblem(
  recordProblem: (record: unknown) => string | undefined,
): (text: string) => string | undefined {
  return (text) => {
    let records = 0;
    for (const [i, line] of text.split("\n").entries()) {
      if (line.trim() === "") continue;
      let record: unknown;
      try {
        record = JSON.parse(line);
      } catch (error) {
        return `line ${i + 1}: ${errorMessage(error)}`;
      }
      const problem = recordProblem(record);
      if (problem) return `line ${i + 1}: ${problem}`;
      records++;
    }
    return records === 0 ? "it holds no records" : undefined;
  };
}

/** A TrecQA line: `{qid, question, candidates: [{text, label}]}`, as readTrecQa reads it. */
function trecQaRecordProblem(record: unknown): string | undefined {
  const problem = shapeProblem(record, "", { question: "string", candidates: "array" });
  if (problem) return problem;
  for (const [c, candidate] of ((record as Json).candidates as unknown[]).entries()) {
    const cProblem = shapeProblem(candidate, `candidates[${c}]`, {
      text: "string",
      label: "number",
    });
    if (cProblem) return cProblem;
  }
  return undefined;
}

/** WikiQA: the header, then 7 tab-separated fields a row with Label 0 or 1 (as readWikiQa). */
function wikiQaProblem(text: string): string | undefined {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? "").split("\t");
  if (WIKIQA_COLUMNS.some((column, i) => header[i] !== column)) {
    return `line 1 is not the header ${WIKIQA_COLUMNS.join(" ")}`;
  }
  let rows = 0;
  for (const [i, line] of lines.entries()) {
    if (i === 0 || line.trim() === "") continue;
    const fields = line.split("\t");
    if (fields.length < 7 || (fields[6] !== "0" && fields[6] !== "1")) {
      return `line ${i + 1}: expected 7 tab-separated fields, Label 0 or 1`;
    }
    rows++;
  }
  return rows === 0 ? "it holds no rows" : undefined;
}

/** The data sets the commands read (see SOURCE.md beside each under {@link DATASETS_DIR}). */
export const DATA_SETS = {
  squad: {
    name: "SQuAD v1.1 dev",
    file: "squad-v1.1-dev/dev-v1.1.json",
    format: "SQuAD v1.1 JSON",
    origin: "Rajpurkar et al. 2016, CC BY-SA 4.0, from https://rajpurkar.github.io/SQuAD-explorer/",
    problemIn: squadProblem,
  },
  bbc: {
    name: "BBC News Summary",
    file: SUMMARY_FILES.bbc,
    format: "BBC News Summary JSON Lines",
    origin:
      "Pariza Sharif, Kaggle 2018, from the copy in github.com/RobinHelbig/RGIProject; articles © BBC, research and evaluation use only",
    problemIn: jsonLinesProblem((record) =>
      shapeProblem(record, "", {
        id: "string",
        title: "string",
        article: "string",
        summary: "string",
      }),
    ),
  },
  cnndm: {
    name: "CNN/DailyMail test, FRANK sample",
    file: SUMMARY_FILES.cnndm,
    format: "CNN/DailyMail JSON Lines",
    origin:
      "250 articles from the FRANK benchmark, github.com/artidoro/frank, MIT; articles © CNN and the Daily Mail, research use only",
    problemIn: jsonLinesProblem((record) =>
      shapeProblem(record, "", {
        id: "string",
        url: "string",
        article: "string",
        reference: "string",
      }),
    ),
  },
  trecqa: {
    name: "TrecQA test",
    file: "trecqa/trecqa_test.jsonl",
    format: "TrecQA JSON Lines",
    origin:
      "Wang et al. 2007, Yao et al. 2013 release, from github.com/castorini/data; no licence stated, TREC newswire: internal evaluation only",
    problemIn: jsonLinesProblem(trecQaRecordProblem),
  },
  wikiqa: {
    name: "WikiQA test",
    file: "wikiqa/WikiQA-test.tsv",
    format: "WikiQA TSV",
    origin:
      "Yang, Yih and Meek 2015, from github.com/yizhongw/WikiQA-Selection; Microsoft Research Data License: non-commercial research",
    problemIn: wikiQaProblem,
  },
  readers: {
    name: "reader questions",
    file: READER_FILES.questions,
    format: "reader-question JSON Lines",
    origin: "written for this project in 2026-11 over BBC News Summary articles",
    problemIn: jsonLinesProblem((record) =>
      shapeProblem(record, "", {
        q: "string",
        article: "string",
        paragraph: "number",
        expect: "string",
        kind: "string",
      }),
    ),
  },
  offTopic: {
    name: "off-topic reader questions",
    file: READER_FILES.offTopic,
    format: "reader-question JSON Lines",
    origin: "written for this project in 2026-11: questions no article of the library answers",
    problemIn: jsonLinesProblem((record) => shapeProblem(record, "", { q: "string" })),
  },
} as const satisfies Readonly<Record<string, DataSet>>;

const squadCommand = (command: string, options: string): DataCommand => ({
  command,
  takes: "file",
  options,
  sets: [DATA_SETS.squad],
});

/** Every command that reads data, by npm script name. */
export const DATA_COMMANDS = {
  "eval:squad": squadCommand(
    "eval:squad",
    "[--only newsdesk] [--ablations] [--live] [--no-thesaurus] [--param k1=0.9]",
  ),
  "eval:abstain": squadCommand("eval:abstain", ""),
  "eval:pins": squadCommand("eval:pins", ""),
  bench: squadCommand("bench", "[--scale 10] [--questions 2000]"),
  "eval:summary": {
    command: "eval:summary",
    takes: "folder",
    options: "[--only bbc|cnndm] [--ablations] [--limit N] [--param positionDecay=1 ...]",
    sets: [DATA_SETS.bbc, DATA_SETS.cnndm],
  },
  "eval:readers": {
    command: "eval:readers",
    takes: "folder",
    options: "[--ablations] [--misses] [--param k=v ...]",
    sets: [DATA_SETS.readers, DATA_SETS.offTopic, DATA_SETS.bbc],
  },
  "eval:followups": {
    command: "eval:followups",
    takes: "folder",
    options: "[--misses]",
    sets: [DATA_SETS.bbc],
  },
  "eval:confidence": {
    command: "eval:confidence",
    takes: "folder",
    options: "[--calibrate] [--ablations] [--param k=v ...]",
    sets: [DATA_SETS.readers, DATA_SETS.offTopic, DATA_SETS.bbc, DATA_SETS.squad],
  },
  "eval:answers": {
    command: "eval:answers",
    takes: "folder",
    options: "[--misses]",
    sets: [DATA_SETS.trecqa, DATA_SETS.wikiqa],
  },
} as const satisfies Readonly<Record<string, DataCommand>>;

/** The path a command expects, relative to the project folder: the file, or the datasets folder. */
export function expectedPath(command: DataCommand): string {
  const [set] = command.sets;
  return command.takes === "file" && set ? `${DATASETS_DIR}/${set.file}` : DATASETS_DIR;
}

const joinAnd = (items: readonly string[]): string =>
  items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;

/**
 * The usage line (no newline), with the path to type.
 * @example usageLine(DATA_COMMANDS["eval:abstain"]) ===
 *   "usage: npm run eval:abstain -- PATH; PATH is the SQuAD v1.1 dev file, ../shared/datasets/squad-v1.1-dev/dev-v1.1.json"
 */
export function usageLine(command: DataCommand): string {
  const options = command.options ? ` ${command.options}` : "";
  const [set] = command.sets;
  const what =
    command.takes === "file" && set
      ? `PATH is the ${set.name} file, ${expectedPath(command)}`
      : `DIR is the datasets folder, ${DATASETS_DIR}, holding ${joinAnd(command.sets.map((s) => s.file))}`;
  return `usage: npm run ${command.command} -- ${command.takes === "file" ? "PATH" : "DIR"}${options}; ${what}`;
}

/** "; expected <path>, <name> (<origin>)...; this project reads it from ..., never copies it". */
function expectation(command: DataCommand): string {
  const described = (s: DataSet) => `${s.name} (${s.origin})`;
  const [set] = command.sets;
  if (command.takes === "file" && set) {
    return `expected ${expectedPath(command)}, ${described(set)}; this project reads it from ${DATASETS_DIR} (see SOURCE.md beside it), never copies it`;
  }
  const files = command.sets.map((s) => `${s.file}, ${described(s)}`);
  return `expected the datasets folder ${DATASETS_DIR}, holding ${joinAnd(files)}; this project reads them from ${DATASETS_DIR} (see SOURCE.md beside each), never copies them`;
}

type Kind = "file" | "folder" | "missing" | "other";

/** What is at `target`; unreadable metadata (EACCES...) counts as missing, with its reason. */
function kindOf(target: string): { kind: Kind; reason?: string } {
  try {
    const stat = statSync(target);
    return { kind: stat.isFile() ? "file" : stat.isDirectory() ? "folder" : "other" };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ENOENT" || code === "ENOTDIR"
      ? { kind: "missing" }
      : { kind: "missing", reason: errorMessage(error) };
  }
}

/** Why the file at `file` is not `set`'s format, or undefined when it is. */
function contentProblem(file: string, set: DataSet): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    return `cannot be read (${errorMessage(error)})`;
  }
  const problem = set.problemIn(text);
  return problem === undefined ? undefined : `is not ${set.format}: ${problem}`;
}

/** Problem words for a path that is not the wanted kind. */
function kindProblem(found: { kind: Kind; reason?: string }, wanted: "file" | "folder"): string {
  if (found.reason) return `cannot be read (${found.reason})`;
  if (found.kind === "missing") return "does not exist";
  if (found.kind === "other") return `is not a ${wanted}`;
  return `is a ${found.kind}, not a ${wanted}`;
}

/**
 * What is wrong with the data path a command got, as the one line (no newline) to print, or
 * undefined when the path is the expected kind and every file the command reads is there and in
 * its format. Reads the files (a few MB): call it before loading compromise and WordNet.
 * @param given - the path as typed (relative paths are shown with what they resolve to)
 * @param cwd - the folder relative paths resolve from (npm runs scripts in the project folder)
 */
export function dataPathProblem(
  command: DataCommand,
  given: string,
  cwd: string = process.cwd(),
): string | undefined {
  const resolved = path.resolve(cwd, given);
  const shown = resolved === given ? given : `${given} (${resolved})`;
  // A parse error may quote the file's text, line breaks included: the message stays one line.
  const line = (subject: string, problem: string) =>
    `${command.command}: ${subject} ${problem}; ${expectation(command)}`.replace(/[\r\n]+/g, " ");
  const found = kindOf(resolved);
  const [set] = command.sets;

  if (command.takes === "file" && set) {
    if (found.kind === "file") {
      const problem = contentProblem(resolved, set);
      return problem && line(shown, problem);
    }
    // The datasets folder, or the set's own folder, given instead of the file.
    const inside = [path.join(resolved, set.file), path.join(resolved, path.basename(set.file))];
    const meant = found.kind === "folder" ? inside.find((f) => kindOf(f).kind === "file") : "";
    const hint = meant ? ` (did you mean ${meant}?)` : "";
    return line(shown, `${kindProblem(found, "file")}${hint}`);
  }

  if (found.kind !== "folder") {
    // One of the data files given instead of the datasets folder.
    const of = command.sets.find((s) => resolved.endsWith(path.join(path.sep, s.file)));
    const hint =
      found.kind === "file" && of
        ? ` (did you mean ${resolved.slice(0, -(of.file.length + 1))}?)`
        : "";
    return line(shown, `${kindProblem(found, "folder")}${hint}`);
  }
  const absent = command.sets.filter((s) => {
    const inner = kindOf(path.join(resolved, s.file));
    return inner.kind === "missing" && inner.reason === undefined;
  });
  if (absent.length > 0) return line(shown, `has no ${joinAnd(absent.map((s) => s.file))}`);
  for (const s of command.sets) {
    const file = path.join(resolved, s.file);
    const inner = kindOf(file);
    const problem = inner.kind === "file" ? contentProblem(file, s) : kindProblem(inner, "file");
    if (problem) return line(file, problem);
  }
  return undefined;
}

/**
 * Checks a command's data path first thing: with no path, prints the usage line; with a path
 * that {@link dataPathProblem} finds wrong, prints that one line; either way on stderr, then
 * exits with code 2 (a usage error).
 * @returns `given`, fit to read
 */
export function requireDataPath(command: DataCommand, given: string | undefined): string {
  const problem = given ? dataPathProblem(command, given) : usageLine(command);
  if (given && problem === undefined) return given;
  process.stderr.write(`${problem}\n`);
  process.exit(EXIT.usage);
}
