/**
 * News feeds, from text the safe fetcher already read: RSS 2.0, RSS 1.0 (RDF), Atom 1.0 and
 * JSON Feed 1.x, as one list of items. Pure: text in, items or a {@link FeedError} out.
 *
 * The XML parser is `fast-xml-parser`, chosen over `rss-parser` and `@extractus/feed-extractor`
 * (all three can parse a string fetched elsewhere: `parseString`, `extractFromXml`):
 *
 * - feed-extractor is itself a layer over fast-xml-parser, and its normalized entries keep only
 *   `id`, `link`, `title`, `published` and a `description` cut to 250 characters by default
 *   (`descriptionMaxLen`), `content:encoded` folded into it: the item's full text, which newsdesk
 *   falls back on when a page cannot be fetched, is lost unless normalization is turned off, and
 *   then the mapping is ours to write anyway. Its `extract(url)` also fetches by itself, a
 *   second HTTP path around the safe fetcher's checks that is better not within reach;
 * - rss-parser is built on the older xml2js and also carries its own HTTP (`parseURL`);
 * - fast-xml-parser validates (`XMLValidator`), so a broken feed is reported with its line; it
 *   bounds entity expansion (billion laughs) by default; it is maintained, pure JavaScript, and a
 *   general XML parser, so RSS 1.0's `rdf:RDF` is read like any other root and a new format is
 *   a few lines here.
 *
 * The mapping from each format to {@link FeedItem} is the code below, about a screen of it.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { FeedError, type Result } from "./errors.js";
import type { Feed, FeedFormat, FeedItem } from "./feed.js";
import {
  asArray,
  asNode,
  defined,
  type FeedNode,
  htmlText,
  plainText,
  stringOf,
} from "./feedText.js";
import { toIsoDate } from "./isoDate.js";
import { resolveLink } from "./links.js";
import { parseJsonFeed } from "./parseJsonFeed.js";

type XmlNode = FeedNode;

export type { Feed, FeedFormat, FeedItem } from "./feed.js";

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
  if (source.startsWith("{")) return parseJsonFeed(source, url);
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
