import { once } from "node:events";
import { createServer, type Server } from "node:http";
import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  type HealthChecks,
  type HealthServer,
  HealthServerError,
  startHealthServer,
} from "../../src/health/healthServer.js";
import { createMetrics, type MetricsRegistry } from "../../src/health/metrics.js";
import { StoreError } from "../../src/store/errors.js";
import { captureLog } from "../support/logCapture.js";
import { sampleValue } from "../support/promText.js";

const HOST = "127.0.0.1";

let server: HealthServer | undefined;
let blocker: Server | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
  if (blocker) await new Promise((resolve) => blocker?.close(resolve));
  blocker = undefined;
});

/** Checks that pass, changed by `overrides`. */
function checks(overrides: Partial<HealthChecks> = {}): HealthChecks {
  return { gateway: () => undefined, store: async () => undefined, ...overrides };
}

async function start(
  options: {
    checks?: HealthChecks;
    metrics?: MetricsRegistry;
    storeTimeoutMs?: number;
    log?: ReturnType<typeof captureLog>["log"];
  } = {},
): Promise<HealthServer> {
  server = await startHealthServer({
    host: HOST,
    port: 0,
    checks: options.checks ?? checks(),
    metrics: options.metrics ?? createMetrics({ library: () => undefined, processMetrics: false }),
    log: options.log ?? captureLog().log,
    ...(options.storeTimeoutMs === undefined ? {} : { storeTimeoutMs: options.storeTimeoutMs }),
  });
  return server;
}

async function get(
  health: HealthServer,
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; type: string | null; body: string; headers: Headers }> {
  const response = await fetch(`${health.url}${path}`, init);
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    body: await response.text(),
    headers: response.headers,
  };
}

describe("GET /healthz", () => {
  it("answers 200 ok when the gateway is connected and the store answers", async () => {
    const health = await start();
    expect(health.url).toBe(`http://127.0.0.1:${health.port}`);
    const answer = await get(health, "/healthz");
    expect(answer).toMatchObject({ status: 200, body: "ok\n", type: "text/plain; charset=utf-8" });
    expect(answer.headers.get("cache-control")).toBe("no-store");
    // A probe's query string (a cache buster) changes nothing.
    expect((await get(health, "/healthz?ts=1")).status).toBe(200);
  });

  it("answers 503 naming the gateway, without asking the store, when a shard is not connected", async () => {
    let storeAsked = 0;
    const health = await start({
      checks: checks({
        gateway: () => "shard 1 reconnecting",
        store: async () => {
          storeAsked += 1;
        },
      }),
    });
    expect(await get(health, "/healthz")).toMatchObject({
      status: 503,
      body: "gateway: shard 1 reconnecting\n",
    });
    expect(storeAsked).toBe(0);
  });

  it("answers 503 with the store's one line when the store refuses, as it goes", async () => {
    let refusing = true;
    const health = await start({
      checks: checks({
        store: async () => {
          if (refusing) {
            throw new StoreError(
              "UNAVAILABLE",
              "db:5432/newsdesk",
              "store: db:5432/newsdesk cannot be reached\n(connection refused): check that it runs",
            );
          }
        },
      }),
    });
    expect(await get(health, "/healthz")).toMatchObject({
      status: 503,
      body: "store: store: db:5432/newsdesk cannot be reached (connection refused): check that it runs\n",
    });
    refusing = false;
    expect((await get(health, "/healthz")).status).toBe(200);
  });

  it("answers 503 when the store does not answer in time, or throws at once", async () => {
    const silent = await start({
      checks: checks({ store: () => new Promise<void>(() => undefined) }),
      storeTimeoutMs: 50,
    });
    expect(await get(silent, "/healthz")).toMatchObject({
      status: 503,
      body: "store: no answer within 0.05 s\n",
    });
    await silent.close();

    const throwing = await start({
      checks: checks({
        store: () => {
          throw new Error("the database is closed");
        },
      }),
    });
    expect(await get(throwing, "/healthz")).toMatchObject({
      status: 503,
      body: "store: the database is closed\n",
    });
  });

  it("asks a slow store once for the probes that come meanwhile", async () => {
    let probed = 0;
    let asked = 0;
    const arrived = deferred();
    const askedAgain = deferred();
    let answer: (() => void) | undefined;
    const health = await start({
      checks: {
        gateway: () => {
          probed += 1;
          if (probed === 3) arrived.resolve();
          return undefined;
        },
        store: () => {
          asked += 1;
          if (asked === 2) askedAgain.resolve();
          return new Promise<void>((resolve) => {
            answer = resolve;
          });
        },
      },
    });
    const probes = [get(health, "/healthz"), get(health, "/healthz"), get(health, "/healthz")];
    await arrived.promise;
    answer?.();
    expect((await Promise.all(probes)).map((probe) => probe.status)).toEqual([200, 200, 200]);
    expect(asked).toBe(1);

    // The next probe asks again: an answer is shared, never kept.
    const next = get(health, "/healthz");
    await askedAgain.promise;
    answer?.();
    expect((await next).status).toBe(200);
  });
});

describe("GET /metrics", () => {
  it("serves the registry in Prometheus's text format", async () => {
    const metrics = createMetrics({
      library: () => ({ articles: 3, paragraphs: 40 }),
      processMetrics: false,
    });
    metrics.interaction("ask", "ok", 0.3);
    const health = await start({ metrics });
    const answer = await get(health, "/metrics");
    expect(answer.status).toBe(200);
    expect(answer.type).toBe(metrics.contentType);
    expect(
      sampleValue(answer.body, "newsdesk_interactions_total", { command: "ask", outcome: "ok" }),
    ).toBe(1);
    expect(sampleValue(answer.body, "newsdesk_library_paragraphs")).toBe(40);
  });

  it("answers 500 with one line, and logs, when the metrics cannot be read; then serves again", async () => {
    const metrics = createMetrics({ library: () => undefined, processMetrics: false });
    let broken = true;
    const failing: MetricsRegistry = {
      ...metrics,
      render: () => (broken ? Promise.reject(new Error("collect failed")) : metrics.render()),
    };
    const captured = captureLog();
    const health = await start({ metrics: failing, log: captured.log });
    expect(await get(health, "/metrics")).toMatchObject({
      status: 500,
      body: "health: collect failed\n",
    });
    expect(await captured.records()).toContainEqual(
      expect.objectContaining({ msg: "health: request failed", path: "/metrics" }),
    );
    broken = false;
    expect((await get(health, "/metrics")).status).toBe(200);
  });
});

describe("other requests", () => {
  it("answers 404 to another path, 405 to another method, HEAD as GET without a body", async () => {
    const health = await start();
    expect(await get(health, "/")).toMatchObject({
      status: 404,
      body: "not found: try /healthz or /metrics\n",
    });
    expect((await get(health, "/healthz/extra")).status).toBe(404);
    const posted = await get(health, "/healthz", { method: "POST", body: "x" });
    expect(posted).toMatchObject({ status: 405, body: "method POST not allowed: use GET\n" });
    expect(posted.headers.get("allow")).toBe("GET, HEAD");
    expect((await get(health, "/metrics", { method: "DELETE" })).status).toBe(405);
    expect(await get(health, "/healthz", { method: "HEAD" })).toMatchObject({
      status: 200,
      body: "",
    });
  });

  it("answers 400 to a connection that sends garbage, closes it, and goes on serving", async () => {
    const health = await start();
    const socket = connect(health.port, HOST);
    await once(socket, "connect");
    let answer = "";
    socket.on("data", (chunk: Buffer) => {
      answer += chunk.toString("latin1");
    });
    socket.write("\u0000\u0001 not http at all\r\n\r\n");
    await once(socket, "close");
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect((await get(health, "/healthz")).status).toBe(200);
  });
});

describe("startHealthServer", () => {
  it("rejects a port in use with one line naming it and HEALTH_PORT", async () => {
    blocker = createServer();
    blocker.listen(0, HOST);
    await once(blocker, "listening");
    const taken = (blocker.address() as { port: number }).port;
    const error = await startHealthServer({
      host: HOST,
      port: taken,
      checks: checks(),
      metrics: createMetrics({ library: () => undefined, processMetrics: false }),
      log: captureLog().log,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HealthServerError);
    expect((error as Error).message).toBe(
      `health: 127.0.0.1:${taken} is in use by another program: set HEALTH_PORT to a free port, or stop that program`,
    );
  });

  it("rejects an address that is not this machine's, naming HEALTH_HOST", async () => {
    const error = await startHealthServer({
      // TEST-NET-1 (RFC 5737): never assigned to a local interface.
      host: "192.0.2.1",
      port: 0,
      checks: checks(),
      metrics: createMetrics({ library: () => undefined, processMetrics: false }),
      log: captureLog().log,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HealthServerError);
    expect((error as Error).message).toContain("HEALTH_HOST is not an address of this machine");
  });

  it("closes with a scraper's keep-alive connection still open", async () => {
    const health = await start();
    const socket = connect(health.port, HOST);
    await once(socket, "connect");
    socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n");
    await once(socket, "data");
    const closed = once(socket, "close");
    await health.close();
    await closed;
    server = undefined;
    await expect(fetch(`${health.url}/healthz`)).rejects.toThrow();
  });
});

/** A promise and the function that resolves it. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}
