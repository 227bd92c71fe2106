import type { Article } from "./article.js";

/**
 * Longest id accepted: Discord limits string option (and autocomplete choice) values to 100
 * characters, and an id must fit there.
 */
export const MAX_ID_LENGTH = 100;

/** An article as read from a file, before the rules every article must meet are checked. */
export interface ArticleDraft {
  /** Untrimmed id. */
  readonly id: string;
  /** Where the id came from, for the message when it is not usable. */
  readonly idFrom: "file name" | "id field";
  readonly title?: string;
  readonly url?: string;
  readonly source?: string;
  readonly published?: string;
  /** Paragraphs, already split; they are normalized and empty ones dropped here. */
  readonly paragraphs: readonly string[];
}

/** Format-specific wording for the two most common mistakes. */
export interface DraftHints {
  readonly missingTitle: string;
  readonly emptyBody: string;
}

/** The part of an article a problem is about, so a parser can point at the right line. */
export type ArticlePart = "id" | "title" | "url" | "body";

/** Result of {@link checkArticle}: an article, or the first thing wrong with it. */
export type Checked =
  | { readonly ok: true; readonly article: Article }
  | { readonly ok: false; readonly part: ArticlePart; readonly message: string };

function normalize(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const normalized = text.replace(/\s+/g, " ").trim();
  return normalized === "" ? undefined : normalized;
}

/**
 * Why an id cannot be used in a CLI flag or a Discord option, or undefined when it can.
 *
 * @param id - a trimmed id
 */
export function idProblem(id: string): string | undefined {
  if (id === "") return "is empty";
  if (/[\s\p{Cc}\p{Cf}]/u.test(id)) return "contains whitespace or control characters";
  if (id.length > MAX_ID_LENGTH) {
    return `is ${id.length} characters long; the limit is ${MAX_ID_LENGTH} (Discord option values)`;
  }
  return undefined;
}

/**
 * Why a url is not acceptable, or undefined when it is an absolute http(s) URL.
 *
 * @param url - a trimmed url
 */
export function urlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `url is not a valid absolute URL: ${JSON.stringify(url)}`;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    return `url is not http(s): ${JSON.stringify(url)}`;
  }
  return undefined;
}

/**
 * Applies the rules every article meets, whatever its format: a usable id, a non-empty title, an
 * http(s) url if any, and at least one non-empty paragraph. Text is trimmed and whitespace runs
 * collapsed; optional fields that are empty are left out.
 *
 * @param draft - what the parser read
 * @param hints - how to word a missing title or empty body for this format
 */
export function checkArticle(draft: ArticleDraft, hints: DraftHints): Checked {
  const id = draft.id.trim();
  const badId = idProblem(id);
  if (badId !== undefined) {
    const message =
      draft.idFrom === "file name"
        ? `id ${JSON.stringify(id)} (from the file name) ${badId}; rename the file`
        : `"id" ${JSON.stringify(id)} ${badId}`;
    return { ok: false, part: "id", message };
  }
  const title = normalize(draft.title);
  if (title === undefined) return { ok: false, part: "title", message: hints.missingTitle };
  const url = normalize(draft.url);
  if (url !== undefined) {
    const badUrl = urlProblem(url);
    if (badUrl !== undefined) return { ok: false, part: "url", message: badUrl };
  }
  const paragraphs = draft.paragraphs.map((p) => normalize(p)).filter((p) => p !== undefined);
  if (paragraphs.length === 0) return { ok: false, part: "body", message: hints.emptyBody };
  const source = normalize(draft.source);
  const published = normalize(draft.published);
  return {
    ok: true,
    article: {
      id,
      title,
      ...(url === undefined ? {} : { url }),
      ...(source === undefined ? {} : { source }),
      ...(published === undefined ? {} : { published }),
      paragraphs,
    },
  };
}
