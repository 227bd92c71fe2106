/**
 * From Readability's article element to newsdesk's paragraphs, and the boilerplate removed
 * before Readability sees the page.
 */
import type { DomDocument, DomElement } from "./dom.js";

/** The elements that are one paragraph each (when they hold no other such element). */
const BLOCKS = "p, li, h1, h2, h3, h4, h5, h6, blockquote, pre";

/**
 * Class names and ids of boilerplate that Readability keeps because it looks like text: inline
 * ads (`ad`, `ad-inline`, `advert`), cookie and consent banners, newsletter sign-ups, promos.
 * Readability already drops menus, comments, related links, sidebars and footers by its own
 * patterns (`unlikelyCandidates` in Readability.js).
 */
const BOILERPLATE_TOKEN =
  /^(ads?|advert[\w-]*|ad-[\w-]+|[\w-]+-ads?|sponsor[\w-]*|cookie[\w-]*|[\w-]*-cookies?|consent[\w-]*|gdpr[\w-]*|newsletter[\w-]*|promo[\w-]*|paywall[\w-]*)$/i;

/**
 * Removes the elements whose class or id is a boilerplate token (see {@link BOILERPLATE_TOKEN}).
 *
 * @param document - the page, changed in place
 */
export function removeBoilerplate(document: DomDocument): void {
  for (const element of Array.from(document.querySelectorAll("[class], [id]"))) {
    const tokens = `${element.getAttribute("class") ?? ""} ${element.getAttribute("id") ?? ""}`
      .split(/\s+/)
      .filter((token) => token !== "");
    if (tokens.some((token) => BOILERPLATE_TOKEN.test(token))) element.remove();
  }
}

/** Whitespace runs (non-breaking spaces too) as one space, trimmed, as the corpus stores text. */
export function normalizeWhitespace(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** A paragraph and how much of it is link text, for telling an article from an index page. */
export interface ArticleParagraph {
  readonly text: string;
  readonly isHeading: boolean;
  /** Characters of the text that are inside links. */
  readonly linkChars: number;
}

/**
 * The article's paragraphs as the page has them: each `<p>`, `<li>`, heading, `<blockquote>`
 * or `<pre>` that holds no other of these is one paragraph, whitespace normalized. Dropped: empty
 * ones, a heading that repeats the title, and a dateline (a short paragraph around a `<time>`,
 * "Published 4 February"). Without any such element, the text's lines are the paragraphs.
 *
 * @param content - Readability's article element
 * @param title - the article's title
 */
export function articleParagraphs(content: DomElement, title: string): ArticleParagraph[] {
  const blocks = Array.from(content.querySelectorAll(BLOCKS)).filter(
    (block) => block.querySelector(BLOCKS) === null,
  );
  if (blocks.length === 0) {
    return (content.textContent ?? "")
      .split(/\n/)
      .map(normalizeWhitespace)
      .filter((text) => text !== "")
      .map((text) => ({ text, isHeading: false, linkChars: 0 }));
  }
  const normalizedTitle = normalizeWhitespace(title).toLowerCase();
  const paragraphs: ArticleParagraph[] = [];
  for (const block of blocks) {
    const text = normalizeWhitespace(block.textContent ?? "");
    if (text === "") continue;
    const isHeading = /^H\d$/i.test(block.tagName);
    if (isHeading && text.toLowerCase() === normalizedTitle) continue;
    if (block.querySelector("time") !== null && text.length < 40) continue;
    const linkChars = Array.from(block.querySelectorAll("a")).reduce(
      (sum, link) => sum + normalizeWhitespace(link.textContent ?? "").length,
      0,
    );
    paragraphs.push({ text, isHeading, linkChars });
  }
  return paragraphs;
}
