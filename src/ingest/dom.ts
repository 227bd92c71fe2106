/**
 * The little of the DOM that extraction uses, typed here (the project compiles without the
 * browser's `lib.dom`), and the parser that builds it: linkedom by default. The parser is a
 * parameter so that the extraction benchmark can run the same code over jsdom.
 */
import { parseHTML } from "linkedom";

/** A DOM element, as far as extraction reads it. */
export interface DomElement {
  readonly tagName: string;
  readonly textContent: string | null;
  readonly parentElement: DomElement | null;
  getAttribute(name: string): string | null;
  querySelector(selectors: string): DomElement | null;
  querySelectorAll(selectors: string): ArrayLike<DomElement>;
  closest(selectors: string): DomElement | null;
  remove(): void;
}

/** A parsed HTML document. */
export interface DomDocument {
  readonly documentElement: DomElement;
  querySelector(selectors: string): DomElement | null;
  querySelectorAll(selectors: string): ArrayLike<DomElement>;
}

/** Builds a document from HTML; `url` is the page's address, for parsers that want one. */
export type HtmlParser = (html: string, url: string) => DomDocument;

/**
 * linkedom: a light DOM (no layout, no scripts, no network), about as fast as parsing gets in
 * JavaScript. Chosen over jsdom by the measurement in `src/eval/extractionBench.ts`.
 */
export const linkedomParser: HtmlParser = (html) =>
  parseHTML(html).document as unknown as DomDocument;
