/**
 * News feeds, from text the safe fetcher already read: RSS 2.0, RSS 1.0 (RDF), Atom 1.0 and
 * JSON Feed 1.x, as one list of items. Pure: text in, items or a {@link FeedError} out.
 *
 * The XML parser is `fast-xml-parser`, chosen over `rss-parser` and `@extractus/feed-extractor`:
 *
 * - it parses a string and does nothing else: no HTTP of its own to keep away from (rss-parser's
 *   `parseURL` and feed-extractor's `extract` fetch by themselves, past the fetcher's address
 *   checks and limits), and no network at run time;
 * - it is a general XML parser, so RSS 1.0's `rdf:RDF` (which rss-parser reads only in part) is
 *   read as what it is, and a new format is a few lines here rather than a fork;
 * - it validates (`XMLValidator`), so a broken feed is reported with its line, and it bounds
 *   entity expansion (billion laughs) by default;
 * - it is maintained, has no native code and one small dependency, where rss-parser depends
 *   on xml2js and has had few releases in years, and feed-extractor brings its own fetcher
 *   and HTML tooling.
 *
 * The mapping from each format to {@link FeedItem} is the code below, about a screen of it.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { linkedomParser } from "./dom.js";
import { FeedError, type Result } from "./errors.js";
import { toIsoDate } from "./isoDate.js";
import { resolveLink } from "./links.js";
import { articleParagraphs, normalizeWhitespace } from "./paragraphs.js";

/** The feed formats read. */
export type FeedFormat = "rss2" | "rss1" | "atom" | "jsonfeed";

/** One entry of a feed. Every field is optional: feeds in the wild omit any of them. */
export interface FeedItem {
  /** RSS `guid`, RDF `rdf:about`, Atom `id`, JSON Feed `id`. */
  readonly guid?: string;
  /** The article's address, absolute. */
  readonly link?: string;
  /** Plain text. */
  readonly title?: string;
  /** ISO 8601 (RSS `pubDate` or `dc:date`, Atom `published` else `updated`, JSON Feed `date_published`). */
  readonly published?: string;
  /**
   * The item's own text, for when the page cannot be fetched or yields no article: RSS
   * `content:encoded`, Atom `content`, JSON Feed `content_html`/`content_text`, else the
   * description or summary. HTML becomes text; paragraphs are separated by a blank line.
   */
  readonly content?: string;
}

/** A parsed feed. */
export interface Feed {
  readonly format: FeedFormat;
  readonly title?: string;
  /** The site the feed is about. */
  readonly link?: string;
  /** In the feed's order. */
  readonly items: readonly FeedItem[];
}

type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  textNodeName: "#text",
  // Values stay strings: a guid "0012" must not become the number 12.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
});

/**
 * Parses a feed.
 *
 * @param text - the feed's text, as fetched
 * @param url - where it came from: relative links resolve against it, and errors name it
 */
export function parseFeed(text: string, url: string): Result<Feed, FeedError> {
  const fail = (code: FeedError["code"], reason: string) => ({
    ok: false as const,
    error: new FeedError(code, url, reason),
  });
  const source = text.replace(/^\uFEFF/, "").trimStart();
  if (source.startsWith("{")) return parseJsonFeed(source, url, fail);
  if (/^<(!doctype\s+html|html)[\s>]/i.test(source)) {
    return fail("notAFeed", "is a web page, not a feed");
  }
  if (!source.startsWith("<")) return fail("notAFeed", "is neither XML nor JSON, so not a feed");

  const valid = XMLValidator.validate(source);
  if (valid !== true) {
    return fail(
      "malformed",
      `the feed is not well-formed XML (line ${valid.err.line}: ${valid.err.msg})`,
    );
  }
  let document: XmlNode;
  try {
    document = parser.parse(source) as XmlNode;
  } catch (error) {
    // The parser's own limits (entity expansion) end here.
    const why = error instanceof Error ? error.message : String(error);
    return fail("malformed", `the feed could not be read (${why})`);
  }
  const rootName = Object.keys(document).find((key) => !key.startsWith("?"));
  const root = rootName === undefined ? undefined : asNode(document[rootName]);
  if (rootName === undefined || root === undefined) {
    return fail("notAFeed", "is XML without a root element, so not a feed");
  }
  if (rootName === "rss") {
    const channel = asNode(root.channel) ?? {};
    return feed(
      "rss2",
      channel,
      url,
      asArray(channel.item).map((item) => rssItem(item, url)),
    );
  }
  if (rootName === "rdf:RDF" || rootName.endsWith(":RDF")) {
    const channel = asNode(root.channel) ?? {};
    return feed(
      "rss1",
      channel,
      url,
      asArray(root.item).map((item) => rssItem(item, url)),
    );
  }
  if (rootName === "feed") {
    return feed(
      "atom",
      root,
      url,
      asArray(root.entry).map((entry) => atomEntry(entry, url)),
    );
  }
  return fail("notAFeed", `is XML but not an RSS, RDF or Atom feed (its root is <${rootName}>)`);
}

function feed(
  format: FeedFormat,
  channel: XmlNode,
  url: string,
  items: FeedItem[],
): Result<Feed, FeedError> {
  const title = plainText(textOf(channel.title));
  const link = format === "atom" ? atomLink(channel, url) : resolveLink(textOf(channel.link), url);
  return {
    ok: true,
    value: { format, ...defined({ title, link }), items },
  };
}

/** An RSS 2.0 `item` or an RSS 1.0 one (which has `rdf:about` and Dublin Core dates). */
function rssItem(value: unknown, feedUrl: string): FeedItem {
  const item = asNode(value) ?? {};
  const guidNode = item.guid;
  const guid = textOf(guidNode) ?? textOf(item["@_rdf:about"]);
  const permaLink = asNode(guidNode)?.["@_isPermaLink"] !== "false";
  const link =
    resolveLink(textOf(item.link), feedUrl) ?? (permaLink ? resolveLink(guid, feedUrl) : undefined);
  return defined({
    guid,
    link,
    title: plainText(textOf(item.title)),
    published: toIsoDate(textOf(item.pubDate) ?? textOf(item["dc:date"])),
    content: htmlText(textOf(item["content:encoded"]) ?? textOf(item.description)),
  });
}

function atomEntry(value: unknown, feedUrl: string): FeedItem {
  const entry = asNode(value) ?? {};
  return defined({
    guid: textOf(entry.id),
    link: atomLink(entry, feedUrl),
    title: plainText(textOf(entry.title)),
    published: toIsoDate(textOf(entry.published) ?? textOf(entry.updated)),
    content: htmlText(textOf(entry.content) ?? textOf(entry.summary)),
  });
}

/** An Atom element's `link rel="alternate"` (or a link without `rel`, which means the same). */
function atomLink(node: XmlNode, feedUrl: string): string | undefined {
  const links = asArray(node.link).map((link) => asNode(link) ?? {});
  const alternate = links.find((link) => (link["@_rel"] ?? "alternate") === "alternate");
  return resolveLink(textOf(alternate?.["@_href"]), feedUrl);
}

function parseJsonFeed(
  source: string,
  url: string,
  fail: (code: FeedError["code"], reason: string) => { ok: false; error: FeedError },
): Result<Feed, FeedError> {
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return fail("malformed", `the feed is not valid JSON (${why})`);
  }
  const root = asNode(value);
  const version = root?.version;
  if (
    root === undefined ||
    typeof version !== "string" ||
    !version.startsWith("https://jsonfeed.org/version/")
  ) {
    return fail("notAFeed", "is JSON but not a JSON Feed (no jsonfeed.org version)");
  }
  if (!Array.isArray(root.items)) return fail("malformed", 'the JSON Feed has no "items" list');
  const items = root.items.map((value): FeedItem => {
    const item = asNode(value) ?? {};
    const id = item.id;
    return defined({
      guid: typeof id === "string" || typeof id === "number" ? String(id) : undefined,
      link: resolveLink(stringOf(item.url) ?? stringOf(item.external_url), url),
      title: plainText(stringOf(item.title)),
      published: toIsoDate(stringOf(item.date_published) ?? stringOf(item.date_modified)),
      content:
        htmlText(stringOf(item.content_html)) ??
        htmlText(stringOf(item.content_text)) ??
        htmlText(stringOf(item.summary)),
    });
  });
  return {
    ok: true,
    value: {
      format: "jsonfeed",
      ...defined({
        title: plainText(stringOf(root.title)),
        link: resolveLink(stringOf(root.home_page_url), url),
      }),
      items,
    },
  };
}

function asNode(value: unknown): XmlNode | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as XmlNode)
    : undefined;
}

function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function stringOf(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

/**
 * An element's text: the string itself, or the `#text` of an element with attributes, or, for
 * Atom's inline XHTML (an element tree), its text pieces one paragraph each.
 */
function textOf(value: unknown): string | undefined {
  if (typeof value === "string") return stringOf(value);
  if (Array.isArray(value)) return textOf(value[0]);
  const node = asNode(value);
  if (node === undefined) return undefined;
  if (typeof node["#text"] === "string") return stringOf(node["#text"]);
  const pieces: string[] = [];
  const collect = (child: unknown, key: string): void => {
    if (key.startsWith("@_")) return;
    if (typeof child === "string") pieces.push(child);
    else if (Array.isArray(child)) for (const item of child) collect(item, key);
    else if (typeof child === "object" && child !== null) {
      for (const [name, grandchild] of Object.entries(child)) collect(grandchild, name);
    }
  };
  collect(node, "");
  return stringOf(pieces.map((p) => `<p>${escapeHtml(p)}</p>`).join(""));
}

function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;");
}

const LOOKS_LIKE_HTML = /<[a-z!/]|&(#\d+|#x[\da-f]+|[a-z]+);/i;

/** Text that may be HTML (as feeds' titles often are, escaped) as one line of plain text. */
function plainText(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const plain = LOOKS_LIKE_HTML.test(text)
    ? normalizeWhitespace(
        linkedomParser(`<body>${text}</body>`, "").documentElement.textContent ?? "",
      )
    : normalizeWhitespace(text);
  return plain === "" ? undefined : plain;
}

/** HTML (or plain text) as paragraphs separated by blank lines. */
function htmlText(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (!LOOKS_LIKE_HTML.test(text)) return plainText(text);
  const body = linkedomParser(`<html><body>${text}</body></html>`, "").querySelector("body");
  if (body === null) return undefined;
  const paragraphs = articleParagraphs(body, "").map((p) => p.text);
  return paragraphs.length === 0 ? undefined : paragraphs.join("\n\n");
}

/** The object without its undefined fields (the project's optional fields are absent, not undefined). */
function defined<T extends Record<string, unknown>>(
  fields: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
