/**
 * What a news page says about itself in its head: canonical URL, site name and publication
 * date. Read before Readability runs, since Readability removes scripts (JSON-LD) as it goes.
 */
import type { DomDocument } from "./dom.js";
import { toIsoDate } from "./isoDate.js";
import { normalizeLink, resolveLink } from "./links.js";

/** A page's own metadata. */
export interface PageMetadata {
  /** `<link rel=canonical>`, else og:url, else the URL it was fetched from; normalized. */
  readonly canonicalUrl: string;
  /** og:site_name, else the host. */
  readonly siteName: string;
  /** ISO 8601, see {@link readPublished}; undefined when the page names no date. */
  readonly published?: string;
}

function meta(document: DomDocument, key: string): string | undefined {
  const element = document.querySelector(`meta[property="${key}"], meta[name="${key}"]`);
  const content = element?.getAttribute("content")?.trim();
  return content === undefined || content === "" ? undefined : content;
}

/**
 * Reads a page's metadata.
 *
 * @param document - the parsed page (not yet changed by Readability)
 * @param finalUrl - the URL the page came from, after redirects
 * @param fallbackPublished - a date from elsewhere (the feed item that linked the page)
 */
export function readPageMetadata(
  document: DomDocument,
  finalUrl: string,
  fallbackPublished?: string,
): PageMetadata {
  const canonical =
    resolveLink(document.querySelector('link[rel~="canonical"]')?.getAttribute("href"), finalUrl) ??
    resolveLink(meta(document, "og:url"), finalUrl) ??
    finalUrl;
  const published = readPublished(document) ?? toIsoDate(fallbackPublished);
  return {
    canonicalUrl: normalizeLink(canonical) ?? canonical,
    siteName: meta(document, "og:site_name") ?? hostOf(finalUrl),
    ...(published === undefined ? {} : { published }),
  };
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}

/**
 * The publication date a page states, in order of how deliberately it is stated: the Open Graph
 * `article:published_time` meta, JSON-LD `datePublished` (also inside `@graph`), an
 * `itemprop="datePublished"`, then the first `<time datetime>` of the article (else of the
 * page). The modification date is never used: an update is not when the news happened.
 *
 * @param document - the parsed page
 * @returns ISO 8601 (see `toIsoDate`), or undefined
 */
export function readPublished(document: DomDocument): string | undefined {
  const candidates = [
    () => meta(document, "article:published_time"),
    () => jsonLdDatePublished(document),
    () => {
      const item = document.querySelector('[itemprop="datePublished"]');
      return item?.getAttribute("content") ?? item?.getAttribute("datetime") ?? undefined;
    },
    () =>
      (
        document.querySelector("article time[datetime]") ?? document.querySelector("time[datetime]")
      )?.getAttribute("datetime") ?? undefined,
  ];
  for (const candidate of candidates) {
    const date = toIsoDate(candidate());
    if (date !== undefined) return date;
  }
  return undefined;
}

/** The first `datePublished` in the page's JSON-LD blocks, articles before other things. */
function jsonLdDatePublished(document: DomDocument): string | undefined {
  const nodes: Record<string, unknown>[] = [];
  const collect = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) collect(item);
    } else if (typeof value === "object" && value !== null) {
      const node = value as Record<string, unknown>;
      nodes.push(node);
      if (node["@graph"] !== undefined) collect(node["@graph"]);
    }
  };
  for (const script of Array.from(
    document.querySelectorAll('script[type="application/ld+json"]'),
  )) {
    try {
      collect(JSON.parse(script.textContent ?? ""));
    } catch {
      // A broken JSON-LD block is common and harmless: the other sources remain.
    }
  }
  const isArticle = (node: Record<string, unknown>) =>
    [node["@type"]]
      .flat()
      .some((type) => typeof type === "string" && /Article|BlogPosting|Report/.test(type));
  const dated = nodes.filter((node) => typeof node.datePublished === "string");
  const best = dated.find(isArticle) ?? dated[0];
  return best?.datePublished as string | undefined;
}
