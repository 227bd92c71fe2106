/**
 * The corpus loader: the only code in newsdesk that reads article files. It lists one folder
 * (not recursively), reads each article file as strict UTF-8, parses it by extension (see
 * `parseArticle.ts` for the formats) and checks it. A bad file or article never stops the load
 * and is never dropped silently: it is skipped and reported as a {@link CorpusProblem}.
 *
 * Which files are read: names ending in `.txt`, `.md`, `.json` or `.jsonl`, in any letter case.
 * Dotfiles, `README` / `README.*` (any case) and other extensions are ignored without a problem.
 * Files are read in code-unit order of their names, so `articles` order and duplicate handling
 * are the same on every machine.
 *
 * Ids are unique ignoring letter case (so a case-insensitive lookup is never ambiguous): of two
 * articles with the same id, the one read first is kept and the other is reported.
 */
import type { Stats } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import type { Article } from "./article.js";
import { articleFormatOf, type LocatedArticle, parseArticleFile } from "./parseArticle.js";
import { type CorpusProblem, corpusProblem, displayPath } from "./problem.js";
import { decodeUtf8 } from "./utf8.js";

export type { CorpusProblem } from "./problem.js";
export { formatProblem } from "./problem.js";

/** Everything loaded from the articles folder. */
export interface Corpus {
  /** Valid articles, in file-name order (then in order within a multi-article file). */
  readonly articles: readonly Article[];
  /** One entry per skipped file or article, in file-name order, then by line. */
  readonly problems: readonly CorpusProblem[];
}

/** Options of {@link loadCorpus}. */
export interface LoadCorpusOptions {
  /** Files larger than this are reported, not read (default 10 MiB). */
  readonly maxFileBytes?: number;
}

/** Defaults of {@link LoadCorpusOptions}. */
export const DEFAULT_LOAD_CORPUS_OPTIONS = {
  maxFileBytes: 10 * 1024 * 1024,
} as const satisfies Required<LoadCorpusOptions>;

function errorText(error: unknown): string {
  if (error instanceof Error) {
    // Node's fs messages end with ", open '/absolute/path'": the path is already in the problem.
    const code = (error as NodeJS.ErrnoException).code;
    const text = error.message.split(",")[0] ?? error.message;
    return code !== undefined && !text.startsWith(code) ? `${code}: ${text}` : text;
  }
  return String(error);
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const [unit, size] = bytes < 1024 * 1024 ? ["KiB", 1024] : ["MiB", 1024 * 1024];
  return `${Number((bytes / size).toFixed(1))} ${unit}`;
}

function isIgnored(name: string): boolean {
  return name.startsWith(".") || /^readme(\.|$)/i.test(name) || articleFormatOf(name) === undefined;
}

/**
 * Whether the loader reads a file of this name (see the rules above).
 * @param name - a file name, without its folder
 */
export function isArticleFileName(name: string): boolean {
  return !isIgnored(name);
}

/** Code-unit order, not localeCompare: the order must not depend on the machine's locale. */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The article files of `dir`, sorted; throws a `corpus:` error when `dir` is not a folder. */
async function listArticleFiles(dir: string): Promise<string[]> {
  let stats: Stats;
  try {
    stats = await fs.stat(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const shown = displayPath(dir);
    if (code === "ENOENT") {
      throw new Error(`corpus: articles folder ${shown} does not exist`, { cause: error });
    }
    throw new Error(`corpus: cannot read articles folder ${shown}: ${errorText(error)}`, {
      cause: error,
    });
  }
  if (!stats.isDirectory()) {
    throw new Error(`corpus: ${displayPath(dir)} is not a folder; expected the articles folder`);
  }
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (error) {
    throw new Error(
      `corpus: cannot list articles folder ${displayPath(dir)}: ${errorText(error)}`,
      {
        cause: error,
      },
    );
  }
  return names.filter((name) => !isIgnored(name)).sort(byCodeUnits);
}

/** What one article file yielded: its articles (before the duplicate rule) and problems. */
export interface LoadedFile {
  readonly articles: readonly LocatedArticle[];
  readonly problems: readonly CorpusProblem[];
}

/**
 * Reads, decodes and parses one file; every failure (missing, too big, bad UTF-8, bad content)
 * becomes a problem, never a throw.
 * @param file - the file's path, as problems should show it
 * @param maxFileBytes - files larger than this are reported, not read
 */
export async function loadArticleFile(file: string, maxFileBytes: number): Promise<LoadedFile> {
  const fail = (line: number | undefined, message: string) => ({
    articles: [],
    problems: [corpusProblem(file, line, message)],
  });
  let bytes: Buffer;
  try {
    const stats = await fs.stat(file);
    if (!stats.isFile()) return fail(undefined, "not a regular file; expected an article file");
    if (stats.size > maxFileBytes) {
      return fail(
        undefined,
        `file is ${formatBytes(stats.size)}; the limit is ${formatBytes(maxFileBytes)}`,
      );
    }
    bytes = await fs.readFile(file);
  } catch (error) {
    return fail(undefined, `cannot read file: ${errorText(error)}`);
  }
  // The file may have grown between stat and read.
  if (bytes.length > maxFileBytes) {
    return fail(
      undefined,
      `file is ${formatBytes(bytes.length)}; the limit is ${formatBytes(maxFileBytes)}`,
    );
  }
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) return fail(decoded.line, decoded.message);
  return parseArticleFile(file, decoded.text) ?? { articles: [], problems: [] };
}

function byLine(a: CorpusProblem, b: CorpusProblem): number {
  return (a.line ?? 0) - (b.line ?? 0);
}

function describeLocation(located: LocatedArticle): string {
  const where = displayPath(located.file);
  return located.line === undefined ? where : `${where} line ${located.line}`;
}

/**
 * Loads every article file in `dir`.
 *
 * @param dir - the articles folder (e.g. `data/articles`); problem paths are built on it as given
 * @param options - see {@link LoadCorpusOptions}
 * @returns the valid articles and one problem per skipped file or article; never throws for them
 * @throws Error with a message starting `corpus: ` when `dir` does not exist, is not a folder or
 *   cannot be listed
 */
export async function loadCorpus(dir: string, options: LoadCorpusOptions = {}): Promise<Corpus> {
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_LOAD_CORPUS_OPTIONS.maxFileBytes;
  const names = await listArticleFiles(dir);
  const files: LoadedFile[] = [];
  for (const name of names) files.push(await loadArticleFile(path.join(dir, name), maxFileBytes));
  return mergeFiles(
    names.map((name) => path.join(dir, name)),
    files,
  );
}

/**
 * The corpus of a folder's loaded files: their articles and problems in the order given (the
 * loader gives file-name order), where of two articles with the same id ignoring case the
 * first is kept and the other reported.
 * @param files - each file's path, parallel to `results`
 * @param results - what each file yielded
 */
export function mergeFiles(files: readonly string[], results: readonly LoadedFile[]): Corpus {
  const articles: Article[] = [];
  const problems: CorpusProblem[] = [];
  const firstById = new Map<string, LocatedArticle>();
  for (const [i, result] of results.entries()) {
    const file = files[i] as string;
    const fileProblems = [...result.problems];
    for (const located of result.articles) {
      const { id } = located.article;
      const first = firstById.get(id.toLowerCase());
      if (first === undefined) {
        firstById.set(id.toLowerCase(), located);
        articles.push(located.article);
        continue;
      }
      const firstId = first.article.id;
      const message =
        firstId === id
          ? `duplicate id "${id}": already used by ${describeLocation(first)}; this article is skipped`
          : `duplicate id "${id}": differs only in letter case from "${firstId}" in ${describeLocation(first)}; this article is skipped`;
      fileProblems.push(corpusProblem(file, located.line, message));
    }
    problems.push(...fileProblems.sort(byLine));
  }
  return { articles, problems };
}
