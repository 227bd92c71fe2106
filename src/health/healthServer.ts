/**
 * The operator's window on a running bot (HEALTH_PORT): `GET /healthz` for a supervisor or a load
 * balancer, `GET /metrics` for Prometheus. Plain node:http, bound to 127.0.0.1 unless HEALTH_HOST
 * says otherwise: the metrics name commands and outcomes, nothing a member wrote, but they are
 * still nobody else's business by default.
 *
 * No discord.js here: the gateway and the store are asked through {@link HealthChecks}, plain
 * functions the composition root (src/index.ts) builds.
 */
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type Logger, reasonOf } from "../log.js";
import { TimeoutError, withinTime } from "../withinTime.js";
import type { MetricsRegistry } from "./metrics.js";

/** What `/healthz` asks. */
export interface HealthChecks {
  /**
   * Why the bot is not connected to Discord's gateway ("shard 1 reconnecting"), or undefined when
   * every shard of this process is connected.
   */
  gateway(): string | undefined;
  /** Resolves when the database answers; rejects with why not (a StoreError's one line). */
  store(): Promise<void>;
}

/** Options of {@link startHealthServer}. */
export interface HealthServerOptions {
  /** HEALTH_HOST: the address to listen on. */
  readonly host: string;
  /** HEALTH_PORT; 0 picks a free port (tests). */
  readonly port: number;
  readonly checks: HealthChecks;
  readonly metrics: MetricsRegistry;
  /** Where a request that failed, or the server's own error after start-up, is logged. */
  readonly log: Logger;
  /** How long the store may take to answer before `/healthz` says it does not (default 2 s). */
  readonly storeTimeoutMs?: number;
}

/** A listening health server. */
export interface HealthServer {
  /** The port it listens on (the one chosen, when started with 0). */
  readonly port: number;
  /** `http://host:port`, for a log line. */
  readonly url: string;
  /** Stops listening and ends open connections (a scraper's keep-alive). Never rejects. */
  close(): Promise<void>;
}

/** The health server could not listen (the port is taken, the address is not this machine's). */
export class HealthServerError extends Error {
  override readonly name = "HealthServerError";
}

/**
 * Long enough for SQLite's lock wait and a PostgreSQL round trip under load, short enough that a
 * supervisor probing every few seconds (Kubernetes' default timeout is 1 s, most set more) gets an
 * answer it can act on rather than a timeout of its own.
 */
export const STORE_CHECK_TIMEOUT_MS = 2_000;

const PLAIN = "text/plain; charset=utf-8";

/**
 * Listens on `host:port` and serves `/healthz` and `/metrics`.
 *
 * - `GET /healthz`: 200 `ok` when the gateway is connected and the store answers within
 *   `storeTimeoutMs`; else 503 with the first reason, one line: `gateway: shard 0 reconnecting`,
 *   `store: <why>`.
 * - `GET /metrics`: every metric, in Prometheus's text format.
 * - Other paths 404, other methods 405 (HEAD is answered as GET without a body). A request
 *   that fails is answered 500 and never reaches the event loop.
 *
 * @throws HealthServerError (rejects) when it cannot listen, with one line naming the address and
 *   what to do
 */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const { host, checks, metrics, log } = options;
  const storeTimeoutMs = options.storeTimeoutMs ?? STORE_CHECK_TIMEOUT_MS;

  /**
   * The store check under way: probes that come meanwhile share it, so a slow database is not
   * sent one more query at every probe.
   */
  let storeCheck: Promise<string | undefined> | undefined;
  const storeProblem = (): Promise<string | undefined> => {
    // Through then(): a check that throws at once is a rejection like any other.
    storeCheck ??= withinTime(
      Promise.resolve().then(() => checks.store()),
      storeTimeoutMs,
    )
      .then(
        () => undefined,
        (error: unknown) =>
          error instanceof TimeoutError
            ? `store: no answer within ${storeTimeoutMs / 1000} s`
            : `store: ${reasonOf(error)}`,
      )
      .finally(() => {
        storeCheck = undefined;
      });
    return storeCheck;
  };

  const health = async (): Promise<string | undefined> => {
    const gateway = checks.gateway();
    if (gateway !== undefined) return `gateway: ${gateway}`;
    return storeProblem();
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = pathOf(request.url);
    if (path !== "/healthz" && path !== "/metrics") {
      return send(response, 404, PLAIN, "not found: try /healthz or /metrics\n");
    }
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.setHeader("Allow", "GET, HEAD");
      return send(response, 405, PLAIN, `method ${request.method} not allowed: use GET\n`);
    }
    if (path === "/metrics") {
      return send(response, 200, metrics.contentType, await metrics.render());
    }
    const problem = await health();
    return problem === undefined
      ? send(response, 200, PLAIN, "ok\n")
      : send(response, 503, PLAIN, `${problem}\n`);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      log.error({ path: pathOf(request.url), err: error }, "health: request failed");
      // The answer may be half sent already (a scraper that went away): then only end it.
      if (response.headersSent) response.destroy();
      else send(response, 500, PLAIN, `health: ${reasonOf(error)}\n`);
    });
  });
  // No "clientError" listener: node then answers a request it cannot parse with 400 (431 for
  // headers too large) and closes the socket, throwing nothing.

  try {
    server.listen(options.port, host);
    await once(server, "listening");
  } catch (error) {
    throw new HealthServerError(listenProblem(error, host, options.port), { cause: error });
  }
  // Past start-up an error of the listening socket is logged, never thrown into the event loop.
  server.on("error", (error) => log.error({ err: error }, "health: server error"));
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    port,
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** Why `listen` failed, as one line for a person at the terminal. */
function listenProblem(error: unknown, host: string, port: number): string {
  const code = (error as { code?: unknown } | null)?.code;
  const where = `${host}:${port}`;
  if (code === "EADDRINUSE") {
    return `health: ${where} is in use by another program: set HEALTH_PORT to a free port, or stop that program`;
  }
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND" || code === "EAI_AGAIN") {
    return `health: cannot listen on ${where}: HEALTH_HOST is not an address of this machine (default 127.0.0.1)`;
  }
  if (code === "EACCES") {
    return `health: not allowed to listen on ${where}: ports below 1024 need privileges; choose HEALTH_PORT above 1023`;
  }
  return `health: cannot listen on ${where}: ${reasonOf(error)}`;
}

/** The path of a request target, without its query; undefined when it cannot be read. */
function pathOf(target: string | undefined): string | undefined {
  if (target === undefined) return undefined;
  try {
    return new URL(target, "http://health.invalid").pathname;
  } catch {
    return undefined;
  }
}

function send(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, {
    "Content-Type": type,
    "Content-Length": Buffer.byteLength(body),
    "Cache-Control": "no-store",
  });
  response.end(body);
}
