/**
 * A news page's article: Mozilla's Readability (the engine of Firefox's Reader View) finds the
 * article element and drops the page's furniture; this module adds what newsdesk keeps (title,
 * paragraphs, canonical URL, site name, publication date) and says when a page holds no article.
 */
import { Readability } from "@mozilla/readability";
import { type DomElement, type HtmlParser, linkedomParser } from "./dom.js";
import { ExtractError, type Result } from "./errors.js";
import { readPageMetadata } from "./pageMetadata.js";
import { articleParagraphs, normalizeWhitespace, removeBoilerplate } from "./paragraphs.js";

/** An article read from a page. */
export interface ExtractedArticle {
  readonly title: string;
  /** In reading order, whitespace normalized, never empty. */
  readonly paragraphs: readonly string[];
  /** Canonical URL, see `PageMetadata`. */
  readonly url: string;
  readonly siteName: string;
  /** ISO 8601, if the page (or the fallback) gave one. */
  readonly published?: string;
}

/** A fetched page. */
export interface PageInput {
  readonly html: string;
  /** The URL it came from, after redirects. */
  readonly url: string;
  /** A date to use when the page states none (the feed item's), as written. */
  readonly fallbackPublished?: string;
}

/** Options of {@link extractArticle}. */
export interface ExtractOptions {
  /** Builds the DOM (default linkedom; the benchmark passes jsdom). */
  readonly parser?: HtmlParser;
  /** Fewer characters of non-heading text than this is not an article (error pages, stubs). */
  readonly minTextChars?: number;
  /** A larger share of the text inside links is an index page, not an article. */
  readonly maxLinkShare?: number;
}

/**
 * The defaults of {@link ExtractOptions}. 200 characters is two short sentences: less is an error
 * page or a teaser. Half the text in links: an article links a few words of its sentences, an
 * index page is nearly all links.
 */
export const DEFAULT_EXTRACT_OPTIONS = {
  parser: linkedomParser,
  minTextChars: 200,
  maxLinkShare: 0.5,
} as const satisfies Required<ExtractOptions>;

/**
 * Reads the article of a page.
 *
 * @param page - the HTML and where it came from
 * @param options - see {@link ExtractOptions}
 * @returns the article, or an {@link ExtractError}: `noArticle` (Readability found nothing),
 *   `tooLittleText`, `mostlyLinks` (an index page)
 */
export function extractArticle(
  page: PageInput,
  options: ExtractOptions = {},
): Result<ExtractedArticle, ExtractError> {
  const settings = { ...DEFAULT_EXTRACT_OPTIONS, ...options };
  const fail = (code: ExtractError["code"], reason: string) => ({
    ok: false as const,
    error: new ExtractError(code, page.url, reason),
  });

  const document = settings.parser(page.html, page.url);
  // An empty body parses to a document with no root element, which Readability throws on.
  if ((document.documentElement as DomElement | null) === null) {
    return fail("noArticle", "the page is empty");
  }
  const metadata = readPageMetadata(document, page.url, page.fallbackPublished);
  const ogTitle = document.querySelector('meta[property="og:title"]')?.getAttribute("content");
  removeBoilerplate(document);

  const reader = new Readability<DomElement>(document as never, {
    // The article element itself, not its HTML: no second parse.
    serializer: (node) => node as unknown as DomElement,
  });
  const parsed = reader.parse();
  if (parsed === null || parsed.content === null || parsed.content === undefined) {
    return fail("noArticle", "no article found on the page");
  }
  const title = withoutSiteName(
    normalizeWhitespace(parsed.title || ogTitle || ""),
    metadata.siteName,
    normalizeWhitespace(ogTitle ?? ""),
  );
  if (title === "") return fail("noArticle", "the page has no title");

  const paragraphs = articleParagraphs(parsed.content, title);
  const body = paragraphs.filter((p) => !p.isHeading);
  const chars = body.reduce((sum, p) => sum + p.text.length, 0);
  if (chars < settings.minTextChars) {
    return fail(
      "tooLittleText",
      `the page has only ${chars} characters of text, too little for an article (an error page or a teaser?)`,
    );
  }
  const linkChars = body.reduce((sum, p) => sum + p.linkChars, 0);
  if (linkChars / chars > settings.maxLinkShare) {
    return fail(
      "mostlyLinks",
      `${Math.round((100 * linkChars) / chars)}% of its text is links: it looks like an index page, not an article`,
    );
  }
  return {
    ok: true,
    value: {
      title,
      paragraphs: paragraphs.map((p) => p.text),
      url: metadata.canonicalUrl,
      siteName: metadata.siteName,
      ...(metadata.published === undefined ? {} : { published: metadata.published }),
    },
  };
}

/** A separator between a headline and the site's name in a page's `<title>`. */
const TITLE_SEPARATOR = /\s+[|\-–—·:»]\s+/;

/**
 * The headline without the site's name that `<title>` often adds ("Ferry timetable announced |
 * Island Times"): Readability strips it only from titles of five words or more. Removed when it is
 * the page's site name, or when the page's `og:title` is the part before the separator.
 */
export function withoutSiteName(title: string, siteName: string, ogTitle: string): string {
  const parts = title.split(TITLE_SEPARATOR);
  if (parts.length < 2) return title;
  const last = parts.at(-1)?.toLowerCase();
  const site = siteName.toLowerCase();
  if (site !== "" && last === site) {
    const separator = [...title.matchAll(new RegExp(TITLE_SEPARATOR, "g"))].at(-1);
    const headline = separator?.index === undefined ? title : title.slice(0, separator.index);
    return headline.trim() === "" ? title : headline.trim();
  }
  if (ogTitle !== "" && ogTitle !== title && title.startsWith(ogTitle)) {
    const rest = title.slice(ogTitle.length);
    if (new RegExp(`^${TITLE_SEPARATOR.source}`).test(rest)) return ogTitle;
  }
  return title;
}
