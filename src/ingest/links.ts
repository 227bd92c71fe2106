/**
 * Links normalized for comparison. Pure.
 */

/**
 * A link as an identity: the host in lower case (the URL parser does that, and drops a default
 * port), without the fragment and without the `utm_*` tracking parameters, which differ between
 * a feed, a newsletter and a shared link to the same article.
 *
 * @param link - an absolute URL
 * @returns the normalized URL, or undefined when `link` is not an absolute http(s) URL
 */
export function normalizeLink(link: string): string | undefined {
  let url: URL;
  try {
    url = new URL(link.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  url.hash = "";
  for (const name of [...url.searchParams.keys()]) {
    if (name.toLowerCase().startsWith("utm_")) url.searchParams.delete(name);
  }
  return url.href;
}

/**
 * A link resolved against the page it was found on.
 *
 * @param href - as written (relative or absolute)
 * @param base - the page's URL
 * @returns an absolute http(s) URL, or undefined
 */
export function resolveLink(href: string | null | undefined, base: string): string | undefined {
  if (href === null || href === undefined || href.trim() === "") return undefined;
  try {
    const url = new URL(href.trim(), base);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}
