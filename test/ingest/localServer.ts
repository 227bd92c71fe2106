/**
 * A small HTTP server on 127.0.0.1 for the ingest tests, on a free port, started per test file:
 * each path is a handler, and every request is recorded (path and headers) for the assertions.
 */
import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";

/** Answers one request; `server` gives its own address, for redirects back to it. */
export type Handler = (
  request: http.IncomingMessage,
  response: http.ServerResponse,
  server: LocalServer,
) => void;

/** A request as the server saw it. */
export interface RecordedRequest {
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
}

/** A running server. */
export interface LocalServer {
  /** `http://127.0.0.1:<port>` (`https://` when serving TLS). */
  readonly origin: string;
  readonly port: number;
  /** `origin` + `path`. */
  url(path: string): string;
  /** Every request so far, in order. */
  readonly requests: RecordedRequest[];
  /** Stops the server and cuts open connections (slow and endless responses). */
  close(): Promise<void>;
}

/** A certificate and its key (PEM), to serve HTTPS. */
export interface TlsIdentity {
  readonly key: string;
  readonly cert: string;
}

/**
 * Starts a server with these routes; an unknown path gets 404.
 *
 * @param routes - path (with query, if any) -> handler
 * @param tls - serve HTTPS with this certificate (default: plain HTTP)
 */
export async function startLocalServer(
  routes: Readonly<Record<string, Handler>>,
  tls?: TlsIdentity,
): Promise<LocalServer> {
  const requests: RecordedRequest[] = [];
  const listener: http.RequestListener = (request, response) => {
    const path = request.url ?? "/";
    requests.push({ path, headers: request.headers });
    const handler = routes[path];
    if (handler === undefined) {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    handler(request, response, local);
  };
  const server =
    tls === undefined ? http.createServer(listener) : https.createServer(tls, listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `${tls === undefined ? "http" : "https"}://127.0.0.1:${port}`;
  const local: LocalServer = {
    origin,
    port,
    url: (path) => `${origin}${path}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
  return local;
}

/** The text of `test/fixtures/ingest/<name>`. */
export function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/ingest/${name}`, import.meta.url), "utf8");
}

/** A handler that sends `body` with this content type (and extra headers). */
export function serve(
  contentType: string,
  body: string | Buffer,
  headers: Readonly<Record<string, string>> = {},
): Handler {
  return (_request, response) => {
    response.writeHead(200, { "content-type": contentType, ...headers }).end(body);
  };
}

/** A handler that redirects (302) to `target`, a path on this server or an absolute URL. */
export function redirectTo(target: string, status = 302): Handler {
  return (_request, response, server) => {
    const location = target.startsWith("/") ? server.url(target) : target;
    response.writeHead(status, { location }).end();
  };
}
