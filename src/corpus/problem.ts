import path from "node:path";

/**
 * One bad file or bad article, found while loading the corpus. Loading never throws for these:
 * the article is skipped and the problem is reported, so a surface can print or log it.
 */
export interface CorpusProblem {
  /** The file's path, as `loadCorpus` built it from the folder it was given. */
  readonly file: string;
  /** 1-based line of the file where the problem is, when known. */
  readonly line?: number;
  /** What is wrong, in words a person editing the file can act on. */
  readonly message: string;
}

/**
 * Builds a problem, leaving `line` out when it is unknown.
 *
 * @param file - the file's path
 * @param line - 1-based line, or undefined when unknown
 * @param message - what is wrong
 */
export function corpusProblem(
  file: string,
  line: number | undefined,
  message: string,
): CorpusProblem {
  return line === undefined ? { file, message } : { file, line, message };
}

/**
 * Shows a path relative to `cwd` when it lies inside it, else as given.
 *
 * @param file - a path, absolute or relative
 * @param cwd - the folder to be relative to (default: the process's working directory)
 */
export function displayPath(file: string, cwd: string = process.cwd()): string {
  if (!path.isAbsolute(file)) return file;
  const relative = path.relative(cwd, file);
  const outside =
    relative === "" ||
    relative === ".." ||
    relative.startsWith(`..${path.sep}`) ||
    path.isAbsolute(relative);
  return outside ? file : relative;
}

/**
 * One line for a log or a terminal, e.g.
 * `corpus: data/articles/x.md line 3: front matter has no closing ---`.
 *
 * @param p - the problem
 * @param cwd - the folder paths are shown relative to (default: the process's working directory)
 */
export function formatProblem(p: CorpusProblem, cwd: string = process.cwd()): string {
  const where = p.line === undefined ? "" : ` line ${p.line}`;
  return `corpus: ${displayPath(p.file, cwd)}${where}: ${p.message}`;
}
