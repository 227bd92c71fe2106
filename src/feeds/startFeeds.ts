/**
 * What start-up does for feeds before the first poll: the stored articles go back into the
 * library, and the operator's feeds file is synced into the store.
 */
import { readFile } from "node:fs/promises";
import { LibraryError } from "../library/errors.js";
import type { Library } from "../library/Library.js";
import type { Logger } from "../log.js";
import type { FeedStore, OperatorFeedsSync } from "./FeedStore.js";

/** The feeds of a FEEDS_FILE, and its lines that are not feed URLs. */
export interface FeedsFileContent {
  readonly urls: readonly string[];
  /** `line <n>: <why>`. */
  readonly problems: readonly string[];
}

/**
 * Reads a feeds file's text: one URL a line; blank lines and lines starting with `#` skipped;
 * only http and https URLs; a URL listed twice counts once.
 */
export function parseFeedsFile(text: string): FeedsFileContent {
  const urls = new Set<string>();
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    let url: URL;
    try {
      url = new URL(line);
    } catch {
      problems.push(`line ${index + 1}: not a URL: ${line.slice(0, 100)}`);
      return;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      problems.push(`line ${index + 1}: only http and https feeds are read, got ${url.protocol}`);
      return;
    }
    urls.add(url.href);
  });
  return { urls: [...urls], problems };
}

/**
 * Makes the store's operator feeds those of `file` (FEEDS_FILE); bad lines are logged and
 * skipped.
 * @throws Error `feeds: <file>: ...` when the file cannot be read
 */
export async function syncFeedsFile(
  store: FeedStore,
  file: string,
  now: number,
  log: Logger,
): Promise<OperatorFeedsSync> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as { code?: string }).code ?? String(error);
    throw new Error(
      `feeds: ${file} cannot be read (${code}); fix FEEDS_FILE or leave it empty for no operator feeds`,
    );
  }
  const { urls, problems } = parseFeedsFile(text);
  for (const problem of problems) log.warn({ file, problem }, "feeds: line skipped in FEEDS_FILE");
  return store.syncOperatorFeeds(urls, now);
}

/**
 * Puts every stored fetched article into the library with its scope. An article whose id is
 * taken (a folder file of that name) is left out with a log line.
 * @returns how many were added
 */
export function loadStoredArticles(store: FeedStore, library: Library, log: Logger): number {
  let added = 0;
  for (const { article, scope } of store.listArticles()) {
    try {
      library.add(article, scope);
      added++;
    } catch (error) {
      if (!(error instanceof LibraryError)) throw error;
      log.warn({ article: article.id, err: error }, "feeds: stored article not loaded");
    }
  }
  return added;
}
