/**
 * Writes a new article into the articles folder as a `.md` file that the loader reads back
 * unchanged (front matter `title`, `source`, `url`, `published`; paragraphs separated by blank
 * lines; see `parseArticle.ts`). Never overwrites: a taken name gets a numbered suffix.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { articleFormatOf, idFromFileName } from "./parseArticle.js";
import { normalizeSpace } from "./text.js";

/** What a new article file holds. */
export interface NewArticle {
  readonly title: string;
  readonly paragraphs: readonly string[];
  readonly url?: string;
  readonly source?: string;
  /** As it should be shown (ISO 8601). */
  readonly published?: string;
}

/** Where {@link saveArticle} wrote. */
export interface SavedArticle {
  /** The file's absolute path. */
  readonly file: string;
  /** The article's id: the file name without `.md`. */
  readonly id: string;
}

/** Slugs are cut here, leaving room for a suffix under the id limit of 100. */
const MAX_SLUG_LENGTH = 80;

/** How many numbered names are tried before giving up (a folder of `x`, `x-2` ... `x-999`). */
const MAX_SUFFIX = 999;

/**
 * A file-name slug of a title: lower case, accents dropped from Latin letters, every run of other characters than
 * letters and digits a single `-`, at most 80 characters (cut at a `-` when there is one).
 * Letters of any script are kept. Pure.
 *
 * @param title - the article's title
 * @returns the slug, or `article` when the title has no letter or digit
 */
export function slugify(title: string): string {
  const slug = title
    .normalize("NFKD")
    // Accents off Latin letters only: in other scripts a mark can be part of the letter (й).
    .replace(/([A-Za-z])\p{M}+/gu, "$1")
    .normalize("NFC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "");
  if (slug === "") return "article";
  if (slug.length <= MAX_SLUG_LENGTH) return slug;
  const cut = slug.slice(0, MAX_SLUG_LENGTH);
  const dash = cut.lastIndexOf("-");
  return dash > MAX_SLUG_LENGTH / 2 ? cut.slice(0, dash) : cut;
}

/**
 * The `.md` text of an article. Values are written as JSON strings (the front matter reads them
 * back), each paragraph on one line, whitespace normalized as the loader does. Pure.
 *
 * @param article - what to write
 */
export function renderMarkdownArticle(article: NewArticle): string {
  const front = [
    ["title", article.title],
    ["source", article.source],
    ["url", article.url],
    ["published", article.published],
  ]
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1].trim() !== "")
    .map(([key, value]) => `${key}: ${JSON.stringify(normalizeSpace(value))}`);
  const body = article.paragraphs.map(normalizeSpace).filter((p) => p !== "");
  return `---\n${front.join("\n")}\n---\n\n${body.join("\n\n")}\n`;
}

/**
 * Writes `article` into `dir` as `<slug>.md`, or `<slug>-2.md`, `-3`... when that id is taken by
 * any article file of the folder (ids ignore letter case and extension, as the loader's do) or
 * by `takenIds`. The file is created exclusively, so a file that appears meanwhile is never
 * overwritten either.
 *
 * @param dir - the articles folder (must exist)
 * @param article - what to write
 * @param takenIds - more ids in use (those of JSON articles, whose ids are not file names)
 * @throws Error `corpus: ...` when the folder cannot be listed or written
 */
export async function saveArticle(
  dir: string,
  article: NewArticle,
  takenIds: Iterable<string> = [],
): Promise<SavedArticle> {
  const taken = new Set([...takenIds].map((id) => id.toLowerCase()));
  for (const name of await fs.readdir(dir)) {
    if (articleFormatOf(name) !== undefined) taken.add(idFromFileName(name).toLowerCase());
  }
  const text = renderMarkdownArticle(article);
  const slug = slugify(article.title);
  for (let n = 1; n <= MAX_SUFFIX; n++) {
    const id = n === 1 ? slug : `${slug}-${n}`;
    if (taken.has(id.toLowerCase())) continue;
    const file = path.join(dir, `${id}.md`);
    try {
      await fs.writeFile(file, text, { flag: "wx" });
      return { file, id };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  throw new Error(
    `corpus: ${dir} already has ${MAX_SUFFIX} articles named ${slug}; rename some of them`,
  );
}
