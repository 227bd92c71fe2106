/**
 * The one way newsdesk fetches a URL that a member typed or a feed named. What it refuses, and
 * why each limit:
 *
 * - schemes other than http and https (`file:`, `ftp:`, `data:`...);
 * - hosts that are, or resolve to, internal addresses (loopback, private, link-local with the
 *   cloud metadata service, CGNAT, unspecified, multicast: see `addressPolicy.ts`), checked for
 *   every address of every hop, and connected to at the very address checked (`safeLookup.ts`),
 *   unless `allowPrivate` (ALLOW_PRIVATE_FETCH);
 * - more than 5 redirects, and redirect loops: each redirect is followed here, by hand, so that
 *   every hop goes through the same checks;
 * - answers slower than 15 s in all (connection, redirects and body together);
 * - bodies over 5 MB: a Content-Length above it is refused before reading, and reading stops as
 *   soon as the count passes it (decompressed bytes are counted, so a small gzip bomb stops too);
 * - anything but web pages and feeds (see `contentType.ts`).
 *
 * Conditional requests: give the `etag` and `lastModified` of the previous fetch and a 304 comes
 * back as `notModified`. A 429 or 503 comes back as a `rateLimited` failure carrying the
 * Retry-After seconds, so a poller can wait as asked.
 *
 * Built on `node:http`/`node:https` rather than `fetch`: they take a `lookup` per request (the
 * checked connection above) and a body that is a stream we can stop, without another dependency.
 */
import http from "node:http";
import https from "node:https";
import { isIP } from "node:net";
import tls from "node:tls";
import { forbiddenAddressKind } from "./addressPolicy.js";
import { ACCEPT_HEADER, type BodyKind, bodyKindOf, parseContentType } from "./contentType.js";
import { decodeBody } from "./decodeBody.js";
import { FetchError, type Result } from "./errors.js";
import { readBody, tooLargeReason } from "./readBody.js";
import { parseRetryAfter } from "./retryAfter.js";
import {
  type AddressPolicy,
  DnsError,
  RefusedAddressError,
  type Resolver,
  refusedAddress,
  safeLookup,
  systemResolver,
} from "./safeLookup.js";
import { defaultUserAgent } from "./userAgent.js";

/** Options of {@link createFetcher}: the limits and the injectable parts. */
export interface FetchOptions {
  /** The most time for the whole fetch, redirects and body included, in ms. */
  readonly timeoutMs?: number;
  /** The most bytes read from a body (after decompression). */
  readonly maxBytes?: number;
  /** The most redirects followed. */
  readonly maxRedirects?: number;
  /** Reach internal addresses too (ALLOW_PRIVATE_FETCH; tests use it for 127.0.0.1). */
  readonly allowPrivate?: boolean;
  /** The User-Agent header. */
  readonly userAgent?: string;
  /** Resolves host names (tests give a fake to map a name to an address). */
  readonly resolve?: Resolver;
  /** The clock, for Retry-After dates. */
  readonly now?: () => number;
  /**
   * Which addresses are internal (default: `forbiddenAddressKind`). Tests narrow it to let
   * 127.0.0.1 through while everything else is judged as in production.
   */
  readonly addressPolicy?: AddressPolicy;
  /**
   * Certificates (PEM) trusted for HTTPS besides the public authorities Node trusts: an
   * internal authority, or the tests' self-signed certificate.
   */
  readonly trustedCertificates?: readonly string[];
  /**
   * Ends every fetch of this fetcher, those under way and those to come, with `aborted`: the
   * bot aborts it when it stops, so a slow site cannot hold the shutdown.
   */
  readonly signal?: AbortSignal;
}

/** The defaults of {@link FetchOptions}: the limits of issue 12. */
export const DEFAULT_FETCH_OPTIONS = {
  timeoutMs: 15_000,
  maxBytes: 5 * 1024 * 1024,
  maxRedirects: 5,
  allowPrivate: false,
  userAgent: defaultUserAgent(),
  resolve: systemResolver,
  now: Date.now,
  addressPolicy: forbiddenAddressKind,
  trustedCertificates: [],
} as const satisfies Required<Omit<FetchOptions, "signal">>;

/** Validators from a previous fetch, to ask "only if it changed". */
export interface ConditionalRequest {
  /** The previous response's ETag, sent as If-None-Match. */
  readonly etag?: string;
  /** The previous response's Last-Modified, sent as If-Modified-Since. */
  readonly lastModified?: string;
}

/** The validators a response carried, for the next {@link ConditionalRequest}. */
export interface Validators {
  readonly etag?: string;
  readonly lastModified?: string;
}

/** A page or feed that was read. */
export interface FetchedBody extends Validators {
  readonly kind: "fetched";
  /** The URL asked for. */
  readonly url: string;
  /** The URL the body came from, after redirects. */
  readonly finalUrl: string;
  /** The URLs redirected through, in order, without the first and the final one. */
  readonly redirects: readonly string[];
  readonly status: number;
  /** Lower-case, without parameters: `text/html`. */
  readonly mediaType: string;
  readonly bodyKind: BodyKind;
  /** The decoded body. */
  readonly text: string;
}

/** The site answered 304: nothing changed since the validators given. */
export interface NotModified extends Validators {
  readonly kind: "notModified";
  readonly url: string;
  readonly finalUrl: string;
}

/** What a successful fetch gives. */
export type FetchOutcome = FetchedBody | NotModified;

/** Fetches a URL within the limits it was made with. Never throws for a bad URL or site. */
export type Fetcher = (
  url: string,
  conditional?: ConditionalRequest,
) => Promise<Result<FetchOutcome, FetchError>>;

const REDIRECTS: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

/** A hop's answer before its body is read. */
type Hop =
  | { readonly type: "response"; readonly response: http.IncomingMessage }
  | { readonly type: "failure"; readonly error: FetchError };

/** What happens next after one response. */
type Step =
  | { readonly type: "redirect"; readonly to: URL }
  | { readonly type: "done"; readonly result: Result<FetchOutcome, FetchError> };

/**
 * Makes a fetcher with these limits.
 *
 * @param options - see {@link FetchOptions}; the defaults are {@link DEFAULT_FETCH_OPTIONS}
 */
export function createFetcher(options: FetchOptions = {}): Fetcher {
  const settings = { ...DEFAULT_FETCH_OPTIONS, ...options };
  const lookup = safeLookup(settings.allowPrivate, settings.resolve, settings.addressPolicy);

  return async (url, conditional = {}) => {
    let current: URL;
    try {
      current = new URL(url);
    } catch {
      return failure("badUrl", url, "is not a web address (expected http:// or https://...)");
    }
    if (current.protocol !== "http:" && current.protocol !== "https:") {
      return failure(
        "badUrl",
        url,
        `uses ${current.protocol}, and newsdesk fetches only http and https`,
      );
    }

    const stopping = options.signal;
    const aborted = () => failure("aborted", url, "not fetched: newsdesk is stopping");
    if (stopping?.aborted) return aborted();
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, settings.timeoutMs);
    const stop = () => controller.abort();
    stopping?.addEventListener("abort", stop, { once: true });
    const timeout = () =>
      fetchError("timeout", current.href, `timed out after ${formatSeconds(settings.timeoutMs)}`);

    try {
      const visited = [current.href];
      for (;;) {
        const hop = await requestHop(current, conditional, settings, lookup, controller.signal);
        if (stopping?.aborted) return aborted();
        if (hop.type === "failure") return { ok: false, error: timedOut ? timeout() : hop.error };
        const step = await handleResponse(
          hop.response,
          current,
          url,
          visited,
          settings,
          controller.signal,
        );
        if (stopping?.aborted) return aborted();
        if (timedOut) return { ok: false, error: timeout() };
        if (step.type === "done") return step.result;
        const next = step.to;
        if (next.protocol !== "http:" && next.protocol !== "https:") {
          return failure(
            "badRedirect",
            current.href,
            `redirects to ${next.href}, and newsdesk fetches only http and https`,
          );
        }
        if (visited.includes(next.href)) {
          return failure(
            "redirectLoop",
            url,
            `redirect loop (${[...visited, next.href].join(" -> ")})`,
          );
        }
        if (visited.length > settings.maxRedirects) {
          return failure("tooManyRedirects", url, `more than ${settings.maxRedirects} redirects`);
        }
        visited.push(next.href);
        current = next;
      }
    } finally {
      clearTimeout(timer);
      stopping?.removeEventListener("abort", stop);
    }
  };
}

function fetchError(code: FetchError["code"], url: string, reason: string, retryAfter?: number) {
  return new FetchError(code, url, reason, retryAfter);
}

function failure(
  code: FetchError["code"],
  url: string,
  reason: string,
  retryAfter?: number,
): { readonly ok: false; readonly error: FetchError } {
  return { ok: false, error: fetchError(code, url, reason, retryAfter) };
}

type Settings = Required<Omit<FetchOptions, "signal">>;

/** Sends one GET and waits for the response's head (or a failure). */
function requestHop(
  url: URL,
  conditional: ConditionalRequest,
  settings: Settings,
  lookup: ReturnType<typeof safeLookup>,
  signal: AbortSignal,
): Promise<Hop> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  // An IP literal never goes through a lookup, so it is checked here.
  if (isIP(host) !== 0 && !settings.allowPrivate) {
    const refused = refusedAddress([{ address: host, family: isIP(host) }], settings.addressPolicy);
    if (refused !== undefined) {
      return Promise.resolve({
        type: "failure",
        error: fetchError("forbiddenAddress", url.href, `is a ${refused.kind} address (${host})`),
      });
    }
  }
  const headers: Record<string, string> = {
    "user-agent": settings.userAgent,
    accept: ACCEPT_HEADER,
    "accept-encoding": "gzip, deflate, br",
  };
  if (conditional.etag !== undefined) headers["if-none-match"] = conditional.etag;
  if (conditional.lastModified !== undefined) {
    headers["if-modified-since"] = conditional.lastModified;
  }
  const secure = url.protocol === "https:";
  const client = secure ? https : http;
  const extraCa = settings.trustedCertificates;
  // The certificate is checked against the URL's host name, never the address connected to.
  const ca = secure && extraCa.length > 0 ? { ca: [...tls.rootCertificates, ...extraCa] } : {};
  return new Promise((resolve) => {
    // agent: false, so no pooled socket made for one lookup serves another hop.
    const request = client.get(url, { headers, lookup, agent: false, signal, ...ca }, (response) =>
      resolve({ type: "response", response }),
    );
    request.on("error", (error) => resolve({ type: "failure", error: requestError(error, url) }));
  });
}

/** A request's error event as the fetcher's failure. */
function requestError(error: Error, url: URL): FetchError {
  if (error instanceof RefusedAddressError) {
    return fetchError("forbiddenAddress", url.href, error.message);
  }
  if (error instanceof DnsError) return fetchError("dnsFailure", url.href, error.message);
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ECONNREFUSED") {
    return fetchError("connectionFailed", url.href, "the site refused the connection");
  }
  return fetchError("connectionFailed", url.href, `could not connect (${code ?? error.message})`);
}

/** Decides what a response means: a redirect to follow, a body to read, or a failure. */
async function handleResponse(
  response: http.IncomingMessage,
  current: URL,
  asked: string,
  visited: readonly string[],
  settings: Settings,
  signal: AbortSignal,
): Promise<Step> {
  const status = response.statusCode ?? 0;
  const validators = readValidators(response);
  const done = (result: Result<FetchOutcome, FetchError>): Step => {
    // The rest of a body we do not read is not downloaded.
    response.destroy();
    return { type: "done", result };
  };

  if (REDIRECTS.has(status)) {
    response.destroy();
    const location = response.headers.location;
    if (location === undefined) {
      return done(failure("badRedirect", current.href, `answered ${status} without a Location`));
    }
    try {
      return { type: "redirect", to: new URL(location, current) };
    } catch {
      return done(failure("badRedirect", current.href, `redirects to a bad address (${location})`));
    }
  }
  if (status === 304) {
    return done({
      ok: true,
      value: { kind: "notModified", url: asked, finalUrl: current.href, ...validators },
    });
  }
  if (status === 429 || status === 503) {
    const retryAfter = parseRetryAfter(response.headers["retry-after"], settings.now());
    const wait = retryAfter === undefined ? "" : `; it asks to wait ${retryAfter} s`;
    return done(
      failure(
        "rateLimited",
        current.href,
        `the site is busy (${status} ${http.STATUS_CODES[status] ?? ""}${wait})`,
        retryAfter,
      ),
    );
  }
  if (status < 200 || status > 299) {
    return done(
      failure(
        "httpStatus",
        current.href,
        `the site answered ${status} ${http.STATUS_CODES[status] ?? ""}`.trimEnd(),
      ),
    );
  }

  const header = response.headers["content-type"];
  if (header === undefined) {
    return done(
      failure(
        "unsupportedContentType",
        current.href,
        "has no content type, so it is not known to be a web page or feed",
      ),
    );
  }
  const contentType = parseContentType(header);
  const bodyKind = bodyKindOf(contentType.mediaType);
  if (bodyKind === undefined) {
    return done(
      failure(
        "unsupportedContentType",
        current.href,
        `is ${contentType.mediaType || "of no type"}, not a web page or feed`,
      ),
    );
  }
  const length = Number(response.headers["content-length"]);
  if (Number.isFinite(length) && length > settings.maxBytes) {
    return done(failure("tooLarge", current.href, tooLargeReason(length, settings.maxBytes)));
  }

  const body = await readBody(response, settings.maxBytes, signal);
  if (body.type === "tooLarge") {
    return done(failure("tooLarge", current.href, tooLargeReason(undefined, settings.maxBytes)));
  }
  if (body.type === "error") {
    return done(failure(body.code, current.href, body.reason));
  }
  return done({
    ok: true,
    value: {
      kind: "fetched",
      url: asked,
      finalUrl: current.href,
      redirects: visited.slice(1, -1),
      status,
      mediaType: contentType.mediaType,
      bodyKind,
      text: decodeBody(body.bytes, bodyKind, contentType.charset),
      ...validators,
    },
  });
}

function readValidators(response: http.IncomingMessage): Validators {
  const etag = response.headers.etag;
  const lastModified = response.headers["last-modified"];
  return {
    ...(etag === undefined ? {} : { etag }),
    ...(lastModified === undefined ? {} : { lastModified }),
  };
}
