/**
 * Pure parsers, one per article format: file name and decoded text in, articles and problems
 * out. No fs here, so every rule is testable on a string.
 *
 * Formats (the extension decides, in any letter case):
 *
 * - `.txt`: the first non-empty line is the title, the rest is the body. Body paragraphs are
 *   separated by blank lines, or by single line breaks when the body has no blank line at all.
 * - `.md`: optional front matter between `---` lines at the very top, one `key: value` per line,
 *   values optionally quoted with `"` or `'`; keys `title`, `source`, `url`, `published`, other
 *   keys ignored. Without a front-matter title, a leading `# Heading` is the title. That heading
 *   line is dropped from the body when it is the title or repeats it. Body paragraphs are
 *   separated by blank lines (Markdown's rule: single line breaks join), text kept as written.
 * - `.json`: one article object, or an array of them. `.jsonl`: one article object per non-blank
 *   line. An article object is `{ id?, title, url?, source?, published?, paragraphs?, text? }`:
 *   `paragraphs` is an array of strings; `text` is split like a `.txt` body; `paragraphs` wins when
 *   both are given; `null` counts as absent; other keys are ignored.
 *
 * Ids: `.txt` and `.md` use the file name without extension. A JSON object uses its `id`, else the
 * file name for a lone object, else `<file name>-<n>` with n the 1-based position in the array or
 * the 1-based line number in the `.jsonl` file. Those generated ids move when items are inserted
 * above, so give multi-article files explicit ids.
 */
import path from "node:path";
import type { Article } from "./article.js";
import { lineColumnAt, lineNumbersAt, scanJson } from "./jsonScan.js";
import { type CorpusProblem, corpusProblem } from "./problem.js";
import {
  isBlank,
  normalizeSpace,
  splitBodyParagraphs,
  splitLines,
  splitOnBlankLines,
  splitTextParagraphs,
  stripBom,
} from "./text.js";
import { type ArticleDraft, type ArticlePart, checkArticle, type DraftHints } from "./validate.js";

/** An article and where it was read, so a later duplicate can name the first one. */
export interface LocatedArticle {
  readonly article: Article;
  readonly file: string;
  /** 1-based line where the article starts, for multi-article files. */
  readonly line?: number;
}

/** What one file yielded. */
export interface ParseResult {
  readonly articles: readonly LocatedArticle[];
  readonly problems: readonly CorpusProblem[];
}

/** The article file formats, named by their lower-case extension. */
export type ArticleFormat = "txt" | "md" | "json" | "jsonl";

const FORMATS: ReadonlySet<string> = new Set<ArticleFormat>(["txt", "md", "json", "jsonl"]);

/**
 * The format a file name stands for, from its extension in any case (`notes.TXT` is `txt`), or
 * undefined for any other file.
 *
 * @param fileName - a file name or path
 */
export function articleFormatOf(fileName: string): ArticleFormat | undefined {
  const ext = path.extname(fileName).slice(1).toLowerCase();
  return FORMATS.has(ext) ? (ext as ArticleFormat) : undefined;
}

/**
 * The id an article gets from its file: the base name without extension.
 *
 * @param fileName - a file name or path
 */
export function idFromFileName(fileName: string): string {
  const base = path.basename(fileName);
  return base.slice(0, base.length - path.extname(base).length);
}

function problemOnly(file: string, line: number | undefined, message: string): ParseResult {
  return { articles: [], problems: [corpusProblem(file, line, message)] };
}

/**
 * Checks a draft and wraps the outcome as a file's result.
 *
 * @param lineOf - the line to report for a problem with each part (undefined: no line)
 */
function checked(
  file: string,
  draft: ArticleDraft,
  hints: DraftHints,
  lineOf: (part: ArticlePart) => number | undefined,
  startLine?: number,
): ParseResult {
  const result = checkArticle(draft, hints);
  if (!result.ok) return problemOnly(file, lineOf(result.part), result.message);
  const located: LocatedArticle =
    startLine === undefined
      ? { article: result.article, file }
      : { article: result.article, file, line: startLine };
  return { articles: [located], problems: [] };
}

function merge(results: readonly ParseResult[]): ParseResult {
  return {
    articles: results.flatMap((r) => r.articles),
    problems: results.flatMap((r) => r.problems),
  };
}

/**
 * Parses a `.txt` article: title line, then body.
 *
 * @param fileName - the file's path, for the id and for problems
 * @param text - decoded file text
 */
export function parseTxt(fileName: string, text: string): ParseResult {
  const lines = splitLines(stripBom(text));
  const titleIndex = lines.findIndex((line) => !isBlank(line));
  if (titleIndex === -1) {
    return problemOnly(
      fileName,
      undefined,
      "file is empty; expected a title line, then paragraphs",
    );
  }
  const titleLine = titleIndex + 1;
  return checked(
    fileName,
    {
      id: idFromFileName(fileName),
      idFrom: "file name",
      title: lines[titleIndex] ?? "",
      paragraphs: splitBodyParagraphs(lines.slice(titleIndex + 1)),
    },
    { missingTitle: "title is missing", emptyBody: "no body: expected paragraphs after the title" },
    (part) => (part === "body" ? titleLine : undefined),
  );
}

const FRONT_MATTER_KEYS = ["title", "source", "url", "published"] as const;
type FrontMatterKey = (typeof FRONT_MATTER_KEYS)[number];

function isFrontMatterKey(key: string): key is FrontMatterKey {
  return (FRONT_MATTER_KEYS as readonly string[]).includes(key);
}

interface FrontMatter {
  readonly values: Partial<Record<FrontMatterKey, string>>;
  readonly lines: Partial<Record<FrontMatterKey, number>>;
}

/** Removes YAML-style quotes: `"..."` (JSON escapes understood) or `'...'` (`''` is a quote). */
function unquote(raw: string): string | undefined {
  const first = raw[0];
  if (first !== '"' && first !== "'") return raw;
  if (raw.length < 2 || !raw.endsWith(first)) return undefined;
  const inner = raw.slice(1, -1);
  if (first === "'") return inner.replaceAll("''", "'");
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === "string" ? value : inner;
  } catch {
    return inner;
  }
}

/**
 * Reads front-matter lines (between the `---` lines).
 *
 * @param lines - the lines between the fences
 * @param firstLine - 1-based line number of `lines[0]`
 */
function parseFrontMatter(
  lines: readonly string[],
  firstLine: number,
): FrontMatter | { readonly line: number; readonly message: string } {
  const values: Partial<Record<FrontMatterKey, string>> = {};
  const keyLines: Partial<Record<FrontMatterKey, number>> = {};
  let lastKey: string | undefined;
  for (const [index, line] of lines.entries()) {
    const lineNumber = firstLine + index;
    if (isBlank(line) || line.trimStart().startsWith("#")) continue;
    if (/^[ \t]/.test(line) || /^-(\s|$)/.test(line)) {
      // An indented line or a list item continues the previous key's value (YAML style).
      if (lastKey === undefined) {
        return { line: lineNumber, message: 'front matter line is not "key: value"' };
      }
      if (isFrontMatterKey(lastKey)) {
        return {
          line: lineNumber,
          message: `front matter "${lastKey}" has a multi-line value; write it on one line`,
        };
      }
      continue;
    }
    const match = /^([A-Za-z_][\w-]*)[ \t]*:(.*)$/.exec(line);
    if (match === null) {
      return { line: lineNumber, message: 'front matter line is not "key: value"' };
    }
    const key = (match[1] ?? "").toLowerCase();
    lastKey = key;
    if (!isFrontMatterKey(key)) continue;
    const seen = keyLines[key];
    if (seen !== undefined) {
      return {
        line: lineNumber,
        message: `front matter "${key}" is given twice (lines ${seen} and ${lineNumber})`,
      };
    }
    const value = unquote((match[2] ?? "").trim());
    if (value === undefined) {
      return { line: lineNumber, message: `front matter "${key}" has an unclosed quote` };
    }
    values[key] = value;
    keyLines[key] = lineNumber;
  }
  return { values, lines: keyLines };
}

const HEADING = /^#[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;

/**
 * Parses a `.md` article: optional front matter, optional `# Heading`, body.
 *
 * @param fileName - the file's path, for the id and for problems
 * @param text - decoded file text
 */
export function parseMarkdown(fileName: string, text: string): ParseResult {
  const lines = splitLines(stripBom(text));
  if (lines.every(isBlank)) {
    return problemOnly(fileName, undefined, "file is empty; expected a title and paragraphs");
  }
  let front: FrontMatter = { values: {}, lines: {} };
  let bodyStart = 0;
  if (lines[0]?.trimEnd() === "---") {
    const close = lines.findIndex((line, i) => i > 0 && line.trimEnd() === "---");
    if (close === -1) return problemOnly(fileName, 1, "front matter has no closing ---");
    const parsed = parseFrontMatter(lines.slice(1, close), 2);
    if ("message" in parsed) return problemOnly(fileName, parsed.line, parsed.message);
    front = parsed;
    bodyStart = close + 1;
  }

  const body = lines.slice(bodyStart);
  const frontTitle = normalizeSpace(front.values.title ?? "");
  let title = frontTitle === "" ? undefined : frontTitle;
  const headingIndex = body.findIndex((line) => !isBlank(line));
  const heading = HEADING.exec(body[headingIndex] ?? "");
  if (heading !== null) {
    const headingText = normalizeSpace(heading[1] ?? "");
    if (title === undefined || headingText === title) {
      title ??= headingText;
      body.splice(headingIndex, 1);
    }
  }

  return checked(
    fileName,
    {
      id: idFromFileName(fileName),
      idFrom: "file name",
      ...front.values,
      ...(title === undefined ? {} : { title }),
      paragraphs: splitOnBlankLines(body),
    },
    {
      missingTitle:
        'title is missing: add "title: ..." to the front matter or start with a "# Heading" line',
      emptyBody: "no body: expected paragraphs after the title",
    },
    (part) => (part === "url" ? front.lines.url : undefined),
  );
}

/** Names a JSON value's type for a message: "a number", "an array", "null". */
function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  const type = typeof value;
  return type === "object" ? "an object" : `a ${type}`;
}

const STRING_FIELDS = ["id", "title", "url", "source", "published", "text"] as const;

/**
 * Turns one parsed JSON value into a draft, or says which field has the wrong type.
 *
 * @param value - the parsed JSON value
 * @param defaultId - the id to use when there is no `id` field
 */
function draftFromJson(
  value: unknown,
  defaultId: string,
): { readonly draft: ArticleDraft } | { readonly message: string } {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { message: `expected an article object, got ${describeType(value)}` };
  }
  const record = value as Record<string, unknown>;
  const field = (key: string): unknown => (Object.hasOwn(record, key) ? record[key] : undefined);
  const strings: Partial<Record<(typeof STRING_FIELDS)[number], string>> = {};
  for (const key of STRING_FIELDS) {
    const v = field(key);
    if (v === undefined || v === null) continue;
    if (typeof v !== "string")
      return { message: `"${key}" must be a string, got ${describeType(v)}` };
    strings[key] = v;
  }
  const rawParagraphs = field("paragraphs");
  let paragraphs: readonly string[];
  if (rawParagraphs !== undefined && rawParagraphs !== null) {
    if (!Array.isArray(rawParagraphs)) {
      return {
        message: `"paragraphs" must be an array of strings, got ${describeType(rawParagraphs)}`,
      };
    }
    const bad = rawParagraphs.findIndex((p) => typeof p !== "string");
    if (bad !== -1) {
      return {
        message: `"paragraphs" must be an array of strings; item ${bad + 1} is ${describeType(rawParagraphs[bad])}`,
      };
    }
    paragraphs = rawParagraphs as string[];
  } else {
    paragraphs = splitTextParagraphs(strings.text ?? "");
  }
  const { id, text: _text, ...rest } = strings;
  return {
    draft: {
      ...rest,
      id: id ?? defaultId,
      idFrom: id === undefined ? "file name" : "id field",
      paragraphs,
    },
  };
}

const JSON_HINTS: DraftHints = {
  missingTitle: '"title" is missing or empty',
  emptyBody: 'no body: "paragraphs" (an array of strings) or "text" must hold some text',
};

/**
 * One JSON article object to a result.
 *
 * @param line - the line to report problems on and to locate the article by
 * @param prefix - prepended to problem messages (e.g. "article 2: ")
 */
function articleFromJson(
  file: string,
  value: unknown,
  defaultId: string,
  line: number | undefined,
  prefix: string,
): ParseResult {
  const draft = draftFromJson(value, defaultId);
  if ("message" in draft) return problemOnly(file, line, prefix + draft.message);
  const result = checked(file, draft.draft, JSON_HINTS, () => line, line);
  return {
    articles: result.articles,
    problems: result.problems.map((p) => ({ ...p, message: prefix + p.message })),
  };
}

function brokenJson(file: string, text: string, offset: number, reason: string): ParseResult {
  const { line, column } = lineColumnAt(text, offset);
  return problemOnly(file, line, `broken JSON at column ${column}: ${reason}`);
}

/** Runs `JSON.parse` on text already checked by `scanJson`; a failure here would be a scanner bug. */
function parseChecked(text: string): { readonly value: unknown } | { readonly message: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { message: `broken JSON: ${message.slice(0, 200)}` };
  }
}

/**
 * Parses a `.json` file: one article object, or an array of them.
 *
 * @param fileName - the file's path, for ids and for problems
 * @param text - decoded file text
 */
export function parseJson(fileName: string, text: string): ParseResult {
  const source = stripBom(text);
  if (isBlank(source)) {
    return problemOnly(
      fileName,
      undefined,
      "file is empty; expected an article object or an array of them",
    );
  }
  const scan = scanJson(source);
  if (!scan.ok) return brokenJson(fileName, source, scan.offset, scan.reason);
  const parsed = parseChecked(source);
  if ("message" in parsed) return problemOnly(fileName, undefined, parsed.message);
  const baseId = idFromFileName(fileName);
  const { value } = parsed;
  if (!Array.isArray(value)) {
    if (typeof value !== "object" || value === null) {
      return problemOnly(
        fileName,
        undefined,
        `expected an article object or an array of them, got ${describeType(value)}`,
      );
    }
    return articleFromJson(fileName, value, baseId, undefined, "");
  }
  if (value.length === 0) {
    return problemOnly(fileName, undefined, "file holds an empty array; expected article objects");
  }
  const itemLines = lineNumbersAt(source, scan.itemOffsets);
  return merge(
    value.map((item: unknown, index) =>
      articleFromJson(
        fileName,
        item,
        `${baseId}-${index + 1}`,
        itemLines[index],
        `article ${index + 1}: `,
      ),
    ),
  );
}

/**
 * Parses a `.jsonl` file: one article object per line; blank lines are skipped, and a bad line
 * does not stop the others from loading.
 *
 * @param fileName - the file's path, for ids and for problems
 * @param text - decoded file text
 */
export function parseJsonl(fileName: string, text: string): ParseResult {
  const lines = splitLines(stripBom(text));
  if (lines.every(isBlank)) {
    return problemOnly(fileName, undefined, "file is empty; expected one article object per line");
  }
  const baseId = idFromFileName(fileName);
  const results: ParseResult[] = [];
  for (const [index, line] of lines.entries()) {
    if (isBlank(line)) continue;
    const lineNumber = index + 1;
    const scan = scanJson(line);
    if (!scan.ok) {
      results.push(
        problemOnly(
          fileName,
          lineNumber,
          `broken JSON at column ${scan.offset + 1}: ${scan.reason}`,
        ),
      );
      continue;
    }
    const parsed = parseChecked(line);
    if ("message" in parsed) {
      results.push(problemOnly(fileName, lineNumber, parsed.message));
      continue;
    }
    results.push(
      articleFromJson(fileName, parsed.value, `${baseId}-${lineNumber}`, lineNumber, ""),
    );
  }
  return merge(results);
}

/**
 * Parses a file by the format its extension names.
 *
 * @param fileName - the file's path; its extension picks the parser
 * @param text - decoded file text
 * @returns the file's articles and problems, or undefined when the extension is not an article format
 */
export function parseArticleFile(fileName: string, text: string): ParseResult | undefined {
  switch (articleFormatOf(fileName)) {
    case "txt":
      return parseTxt(fileName, text);
    case "md":
      return parseMarkdown(fileName, text);
    case "json":
      return parseJson(fileName, text);
    case "jsonl":
      return parseJsonl(fileName, text);
    case undefined:
      return undefined;
  }
}
