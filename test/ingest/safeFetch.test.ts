import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forbiddenAddressKind } from "../../src/ingest/addressPolicy.js";
import type { FetchError } from "../../src/ingest/errors.js";
import {
  createFetcher,
  type FetchedBody,
  type FetchOptions,
  type FetchOutcome,
} from "../../src/ingest/safeFetch.js";
import type { Resolver } from "../../src/ingest/safeLookup.js";
import { fixture, type LocalServer, redirectTo, serve, startLocalServer } from "./localServer.js";

const PAGE = "<html><head><title>Hello</title></head><body><p>Hello, reader.</p></body></html>";

/** Names the tests resolve, to the addresses given; anything else is "no such host". */
const fakeDns: Resolver = async (hostname) => {
  const table: Record<string, string[]> = {
    "news.test": ["127.0.0.1"],
    "localhost.test": ["127.0.0.1"],
    "mixed.test": ["127.0.0.1", "10.0.0.5"],
    "internal.test": ["10.0.0.5"],
  };
  const addresses = table[hostname];
  if (addresses === undefined) {
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
  }
  return addresses.map((address) => ({ address, family: 4 }));
};

/**
 * The production address rule, except that 127.0.0.1 (this test's server) counts as public:
 * so the checks of later hops and other addresses run exactly as in production.
 */
const publicLoopback = (address: string) =>
  address === "127.0.0.1" ? undefined : forbiddenAddressKind(address);

let server: LocalServer;

beforeAll(async () => {
  server = await startLocalServer({
    "/article": serve("text/html; charset=utf-8", PAGE, { etag: '"a1"' }),
    "/latin1": serve(
      "text/html; charset=ISO-8859-1",
      Buffer.from("<p>Caf\u00e9 cr\u00e8me</p>", "latin1"),
    ),
    "/gzip": serve("text/html", zlib.gzipSync(PAGE), { "content-encoding": "gzip" }),
    "/gzip-bomb": serve("text/html", zlib.gzipSync(Buffer.alloc(6 * 1024 * 1024, 32)), {
      "content-encoding": "gzip",
    }),
    "/image": serve("image/png", Buffer.from([0x89, 0x50, 0x4e, 0x47])),
    "/no-type": (_request, response) => response.writeHead(200).end("what am I?"),
    "/validated": (request, response) => {
      if (request.headers["if-none-match"] === '"v1"') {
        response.writeHead(304, { etag: '"v1"' }).end();
        return;
      }
      if (request.headers["if-modified-since"] === "Sat, 14 Mar 2026 07:30:00 GMT") {
        response.writeHead(304).end();
        return;
      }
      response
        .writeHead(200, {
          "content-type": "text/html",
          etag: '"v1"',
          "last-modified": "Sat, 14 Mar 2026 07:30:00 GMT",
        })
        .end(PAGE);
    },
    "/busy": (_request, response) =>
      response
        .writeHead(429, { "retry-after": "120", "content-type": "text/plain" })
        .end("slow down"),
    "/down": (_request, response) =>
      response
        .writeHead(503, { "retry-after": "Sat, 14 Mar 2026 08:00:00 GMT" })
        .end("maintenance"),
    "/broken": (_request, response) => response.writeHead(500).end("oops"),
    "/slow": () => {
      // Never answers: the fetcher's timeout must end the wait.
    },
    "/declared-huge": (_request, response) => {
      response.writeHead(200, {
        "content-type": "text/html",
        "content-length": String(12 * 1024 * 1024),
      });
      response.write("<html>");
    },
    "/endless": (_request, response) => {
      response.writeHead(200, { "content-type": "text/html" });
      const chunk = Buffer.alloc(64 * 1024, "a");
      const pump = () => {
        while (!response.destroyed && response.write(chunk)) {
          // keep writing until the socket's buffer is full
        }
        if (!response.destroyed) response.once("drain", pump);
      };
      pump();
    },
    "/loop/a": redirectTo("/loop/b"),
    "/loop/b": redirectTo("/loop/a", 301),
    "/chain/0": redirectTo("/chain/1"),
    "/chain/1": redirectTo("/chain/2", 301),
    "/chain/2": redirectTo("/chain/3", 307),
    "/chain/3": redirectTo("/chain/4", 308),
    "/chain/4": redirectTo("/chain/5", 303),
    "/chain/5": redirectTo("/article"),
    "/to-ftp": redirectTo("ftp://files.example/a.txt"),
    "/to-metadata": redirectTo("http://169.254.169.254/latest/meta-data/"),
    "/to-internal-name": redirectTo("http://internal.test/admin"),
    "/to-loopback": (_request, response, self) =>
      response.writeHead(302, { location: self.url("/article") }).end(),
  });
});

afterAll(() => server.close());

function fetcher(options: FetchOptions = {}) {
  return createFetcher({ allowPrivate: true, resolve: fakeDns, ...options });
}

async function fetched(url: string, options: FetchOptions = {}): Promise<FetchedBody> {
  const result = await fetcher(options)(url);
  if (!result.ok) throw new Error(`expected a body, got ${result.error.message}`);
  if (result.value.kind !== "fetched") throw new Error(`expected a body, got ${result.value.kind}`);
  return result.value;
}

async function failed(url: string, options: FetchOptions = {}): Promise<FetchError> {
  const result = await fetcher(options)(url);
  if (result.ok) throw new Error(`expected a failure, got ${result.value.kind}`);
  return result.error;
}

async function outcome(url: string, options: FetchOptions, etag?: string): Promise<FetchOutcome> {
  const result = await fetcher(options)(url, etag === undefined ? {} : { etag });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

const requestsTo = (path: string) => server.requests.filter((r) => r.path === path);

describe("createFetcher: what it reads", () => {
  it("reads a page with its type and validators, and names newsdesk in the User-Agent", async () => {
    const page = await fetched(server.url("/article"));
    expect(page).toMatchObject({
      kind: "fetched",
      finalUrl: server.url("/article"),
      mediaType: "text/html",
      bodyKind: "html",
      text: PAGE,
      etag: '"a1"',
      redirects: [],
    });
    expect(requestsTo("/article").at(-1)?.headers["user-agent"]).toMatch(/^newsdesk\/\d/);
  });

  it("decodes the charset the Content-Type names, and a gzip body", async () => {
    expect((await fetched(server.url("/latin1"))).text).toBe("<p>Caf\u00e9 cr\u00e8me</p>");
    expect((await fetched(server.url("/gzip"))).text).toBe(PAGE);
  });

  it("follows 5 redirects of every kind, and refuses a 6th", async () => {
    const page = await fetched(server.url("/chain/1"));
    expect(page.finalUrl).toBe(server.url("/article"));
    expect(page.redirects).toEqual([2, 3, 4, 5].map((n) => server.url(`/chain/${n}`)));
    const error = await failed(server.url("/chain/0"));
    expect(error.code).toBe("tooManyRedirects");
    expect(error.message).toBe(`fetch: ${server.url("/chain/0")}: more than 5 redirects`);
  });

  it("asks only if changed when given an ETag or a Last-Modified, and says 304 as notModified", async () => {
    const first = await fetched(server.url("/validated"));
    expect(first.etag).toBe('"v1"');
    expect(await outcome(server.url("/validated"), {}, first.etag)).toMatchObject({
      kind: "notModified",
      etag: '"v1"',
    });
    expect(requestsTo("/validated").at(-1)?.headers["if-none-match"]).toBe('"v1"');
    const byDate = await fetcher()(server.url("/validated"), {
      lastModified: first.lastModified ?? "",
    });
    expect(byDate.ok && byDate.value.kind).toBe("notModified");
    expect(requestsTo("/validated").at(-1)?.headers["if-modified-since"]).toBe(
      "Sat, 14 Mar 2026 07:30:00 GMT",
    );
  });
});

describe("createFetcher: what it refuses", () => {
  it.each([
    ["not a url", "badUrl", "is not a web address (expected http:// or https://...)"],
    ["ftp://files.example/a.txt", "badUrl", "uses ftp:, and newsdesk fetches only http and https"],
    ["file:///etc/passwd", "badUrl", "uses file:, and newsdesk fetches only http and https"],
  ])("refuses %s", async (url, code, reason) => {
    const error = await failed(url);
    expect(error.code).toBe(code);
    expect(error.message).toBe(`fetch: ${url}: ${reason}`);
  });

  it("refuses loopback without ALLOW_PRIVATE_FETCH, by address and by name, sending nothing", async () => {
    const before = server.requests.length;
    const byAddress = await failed(server.url("/article"), { allowPrivate: false });
    expect(byAddress.code).toBe("forbiddenAddress");
    expect(byAddress.message).toBe(
      `fetch: ${server.url("/article")}: is a loopback address (127.0.0.1)`,
    );
    // The URL parser turns other spellings of an address into the dotted one first.
    const decimal = await failed(`http://2130706433:${server.port}/article`, {
      allowPrivate: false,
    });
    expect(decimal.reason).toBe("is a loopback address (127.0.0.1)");
    const named = `http://localhost.test:${server.port}/article`;
    const byName = await failed(named, { allowPrivate: false });
    expect(byName.message).toBe(`fetch: ${named}: resolves to a loopback address (127.0.0.1)`);
    expect(server.requests.length).toBe(before);
  });

  it("connects to the address it checked, and refuses a host when any of its addresses is internal", async () => {
    const strict = { allowPrivate: false, addressPolicy: publicLoopback };
    const page = await fetched(`http://news.test:${server.port}/article`, strict);
    expect(page.text).toBe(PAGE);
    expect(requestsTo("/article").at(-1)?.headers.host).toBe(`news.test:${server.port}`);
    const mixed = await failed(`http://mixed.test:${server.port}/article`, strict);
    expect(mixed.code).toBe("forbiddenAddress");
    expect(mixed.reason).toBe("resolves to a private address (10.0.0.5)");
  });

  it("checks every redirect: refuses one to the metadata service or to a name of a private address", async () => {
    const strict = { allowPrivate: false, addressPolicy: publicLoopback };
    const metadata = await failed(server.url("/to-metadata"), strict);
    expect(metadata.message).toBe(
      "fetch: http://169.254.169.254/latest/meta-data/: is a link-local (cloud metadata) address (169.254.169.254)",
    );
    const named = await failed(server.url("/to-internal-name"), strict);
    expect(named.message).toBe(
      "fetch: http://internal.test/admin: resolves to a private address (10.0.0.5)",
    );
  });

  it("follows a redirect to a private address with ALLOW_PRIVATE_FETCH", async () => {
    // Without it, the redirects above are refused; this one leads from a name to 127.0.0.1.
    const allowed = await fetched(`http://news.test:${server.port}/to-loopback`, {
      allowPrivate: true,
    });
    expect(allowed.finalUrl).toBe(server.url("/article"));
    expect(allowed.redirects).toEqual([]);
  });

  it("refuses a redirect loop and a redirect to another scheme", async () => {
    const loop = await failed(server.url("/loop/a"));
    expect(loop.code).toBe("redirectLoop");
    expect(loop.reason).toBe(
      `redirect loop (${server.url("/loop/a")} -> ${server.url("/loop/b")} -> ${server.url("/loop/a")})`,
    );
    const ftp = await failed(server.url("/to-ftp"));
    expect(ftp.code).toBe("badRedirect");
    expect(ftp.reason).toBe(
      "redirects to ftp://files.example/a.txt, and newsdesk fetches only http and https",
    );
  });

  it("gives up on a site that does not answer in time", async () => {
    const error = await failed(server.url("/slow"), { timeoutMs: 200 });
    expect(error.code).toBe("timeout");
    expect(error.message).toBe(`fetch: ${server.url("/slow")}: timed out after 0.2 s`);
  });

  it("ends the fetches under way, and refuses new ones, once its signal is aborted", async () => {
    const stop = new AbortController();
    const fetch = fetcher({ signal: stop.signal, timeoutMs: 10_000 });
    const pending = fetch(server.url("/slow"));
    setTimeout(() => stop.abort(), 100);
    const result = await pending;
    expect(result.ok ? "fetched" : result.error.code).toBe("aborted");
    const later = await fetch(server.url("/slow"));
    expect(later.ok ? "fetched" : later.error.message).toBe(
      `fetch: ${server.url("/slow")}: not fetched: newsdesk is stopping`,
    );
  });

  it("refuses a body over the limit: declared, streamed without end, or compressed", async () => {
    const declared = await failed(server.url("/declared-huge"));
    expect(declared.code).toBe("tooLarge");
    expect(declared.reason).toBe("the page is 12 MB, more than the 5 MB newsdesk reads");
    const endless = await failed(server.url("/endless"));
    expect(endless.reason).toBe("the page is more than 5 MB, the most newsdesk reads");
    const bomb = await failed(server.url("/gzip-bomb"));
    expect(bomb.code).toBe("tooLarge");
    const small = await failed(server.url("/article"), { maxBytes: 10 });
    expect(small.reason).toBe("the page is more than 10 bytes, the most newsdesk reads");
  });

  it("refuses what is not a web page or feed", async () => {
    const image = await failed(server.url("/image"));
    expect(image.code).toBe("unsupportedContentType");
    expect(image.message).toBe(
      `fetch: ${server.url("/image")}: is image/png, not a web page or feed`,
    );
    expect((await failed(server.url("/no-type"))).code).toBe("unsupportedContentType");
  });

  it("gives Retry-After with 429 and 503, in seconds from a number or a date", async () => {
    const busy = await failed(server.url("/busy"));
    expect(busy).toMatchObject({ code: "rateLimited", retryAfterSeconds: 120 });
    expect(busy.reason).toBe("the site is busy (429 Too Many Requests; it asks to wait 120 s)");
    const now = () => Date.parse("2026-03-14T07:58:30Z");
    const down = await failed(server.url("/down"), { now });
    expect(down).toMatchObject({ code: "rateLimited", retryAfterSeconds: 90 });
  });

  it("says which status a failed page answered, and when a host does not exist", async () => {
    const broken = await failed(server.url("/broken"));
    expect(broken.code).toBe("httpStatus");
    expect(broken.reason).toBe("the site answered 500 Internal Server Error");
    expect((await failed(server.url("/missing"))).reason).toBe("the site answered 404 Not Found");
    const nowhere = await failed("http://nowhere.test/");
    expect(nowhere.code).toBe("dnsFailure");
    expect(nowhere.reason).toBe("nowhere.test: no such host");
  });
});

describe("FetchError", () => {
  it("keeps its message on one line, whatever was typed", async () => {
    const error = await failed("not\na url");
    expect(error.message).toBe(
      "fetch: not a url: is not a web address (expected http:// or https://...)",
    );
  });
});

describe("createFetcher over HTTPS", () => {
  const identity = {
    key: fixture("tls/news.test.key"),
    cert: fixture("tls/news.test.crt"),
  };
  let secure: LocalServer;

  beforeAll(async () => {
    secure = await startLocalServer({ "/article": serve("text/html", PAGE) }, identity);
  });
  afterAll(() => secure.close());

  it("connects to the checked address and verifies the certificate against the URL's host", async () => {
    const trusted = { trustedCertificates: [identity.cert] };
    const page = await fetched(`https://news.test:${secure.port}/article`, trusted);
    expect(page.text).toBe(PAGE);
    // The same server by its address: the certificate names news.test, not 127.0.0.1.
    const byAddress = await failed(secure.url("/article"), trusted);
    expect(byAddress.code).toBe("connectionFailed");
    expect(byAddress.reason).toBe("could not connect (ERR_TLS_CERT_ALTNAME_INVALID)");
  });

  it("refuses a certificate nobody vouches for", async () => {
    const error = await failed(`https://news.test:${secure.port}/article`);
    expect(error.reason).toBe("could not connect (DEPTH_ZERO_SELF_SIGNED_CERT)");
  });
});
