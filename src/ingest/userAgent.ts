/**
 * The User-Agent newsdesk fetches with: its name, version and where to read about it, so that a
 * site's operator who sees it in their logs knows what it is and whom to ask.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { PACKAGE_ROOT } from "../paths.js";

/** Used when package.json cannot be read or names no repository. */
export const FALLBACK_USER_AGENT = "newsdesk (Discord news bot)";

/**
 * The User-Agent for a package.json's fields: `newsdesk/0.1.0 (Discord news bot; +<repository>)`.
 * Pure.
 *
 * @param manifest - a parsed package.json (any shape)
 * @returns undefined when it has no name
 */
export function userAgentFor(manifest: unknown): string | undefined {
  if (typeof manifest !== "object" || manifest === null) return undefined;
  const { name, version, repository, homepage } = manifest as Record<string, unknown>;
  if (typeof name !== "string" || name === "") return undefined;
  const repo =
    typeof repository === "string"
      ? repository
      : typeof repository === "object" && repository !== null
        ? (repository as Record<string, unknown>).url
        : undefined;
  const link = [repo, homepage].find(
    (value): value is string => typeof value === "string" && value !== "",
  );
  const product = typeof version === "string" && version !== "" ? `${name}/${version}` : name;
  const url = link?.replace(/^git\+/, "").replace(/\.git$/, "");
  return `${product} (Discord news bot${url === undefined ? "" : `; +${url}`})`;
}

let cached: string | undefined;

/** newsdesk's User-Agent, from the package.json of the running package (read once). */
export function defaultUserAgent(): string {
  if (cached === undefined) {
    try {
      const text = readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8");
      cached = userAgentFor(JSON.parse(text)) ?? FALLBACK_USER_AGENT;
    } catch {
      cached = FALLBACK_USER_AGENT;
    }
  }
  return cached;
}
