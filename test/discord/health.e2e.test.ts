/**
 * Issue 15, item 4, end to end: the real bot logged in to the fake Discord, counting into a
 * registry, and the health server on 127.0.0.1 asking the real client's shards and the real pin
 * database, as `npm start` wires them with HEALTH_PORT set.
 */
import { rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gatewayProblem } from "../../src/discord/framework/gatewayHealth.js";
import { type HealthServer, startHealthServer } from "../../src/health/healthServer.js";
import { createMetrics, type MetricsRegistry } from "../../src/health/metrics.js";
import { makeTempDir, removeTempDir } from "../pins/fixtures.js";
import { captureLog } from "../support/logCapture.js";
import { sampleValue } from "../support/promText.js";
import { askAsNewUser, type Harness, startHarness } from "./botHarness.js";

const CEASEFIRE = "How long would the ceasefire last?";
/** Nothing in the seed articles says. */
const OFF_TOPIC = "What is the capital of Australia?";

let dir: string;
let h: Harness;
let metrics: MetricsRegistry;
let health: HealthServer;

beforeAll(async () => {
  dir = await makeTempDir();
  metrics = createMetrics({
    library: () => ({
      articles: h.services.library.size,
      paragraphs: h.services.library.index.documentCount,
    }),
    processMetrics: false,
  });
  h = await startHarness({ databasePath: path.join(dir, "var", "newsdesk.sqlite"), metrics });
  health = await startHealthServer({
    host: "127.0.0.1",
    port: 0,
    checks: {
      gateway: () => gatewayProblem(h.bot.client),
      store: () => h.stores.database.ping(),
    },
    metrics,
    log: captureLog().log,
  });
});

afterAll(async () => {
  await health?.close();
  await h?.stop();
  await removeTempDir(dir);
});

async function get(path: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`${health.url}${path}`);
  return { status: response.status, body: await response.text() };
}

describe("/healthz and /metrics of a running bot", () => {
  it("says ok once the bot is ready", async () => {
    expect(await get("/healthz")).toEqual({ status: 200, body: "ok\n" });
  });

  it("counts an answered /ask and an abstention, each with the time to its final reply", async () => {
    const answered = await askAsNewUser(h, CEASEFIRE);
    const abstained = await askAsNewUser(h, OFF_TOPIC);

    const scrape = await get("/metrics");
    expect(scrape.status).toBe(200);
    const count = (outcome: string) =>
      sampleValue(scrape.body, "newsdesk_interactions_total", { command: "ask", outcome });
    expect(count("ok")).toBe(1);
    expect(count("abstained")).toBe(1);
    expect(sampleValue(scrape.body, "newsdesk_reply_seconds_count", { command: "ask" })).toBe(2);
    // The histogram's seconds are the log lines' latencies (rounded there to the millisecond).
    let loggedMs = 0;
    for (const { handle } of [answered, abstained]) {
      loggedMs += Number((await h.logs.eventLine(handle.id)).latencyMs);
    }
    const seconds = sampleValue(scrape.body, "newsdesk_reply_seconds_sum", { command: "ask" }) ?? 0;
    expect(loggedMs).toBeGreaterThan(0);
    expect(Math.abs(seconds * 1000 - loggedMs)).toBeLessThan(2);
    expect(sampleValue(scrape.body, "newsdesk_library_articles")).toBe(h.services.library.size);
    expect(sampleValue(scrape.body, "newsdesk_library_paragraphs")).toBeGreaterThan(
      h.services.library.size,
    );
  });

  it("counts a command Discord still lists but this bot no longer has as unknown, not by its name", async () => {
    // Registered by an older version of the bot, say: Discord sends it, the router has no handler.
    await h.bot.client.application.commands.create(
      { name: "retired", description: "A command of an older newsdesk" },
      h.fake.guild.id,
    );
    const handle = h.fake.sendSlashCommand({ name: "retired", user: h.newUser() });
    await handle.final();
    expect((await h.logs.eventLine(handle.id)).command).toBe("retired");

    const scrape = (await get("/metrics")).body;
    expect(
      sampleValue(scrape, "newsdesk_interactions_total", {
        command: "unknown",
        outcome: "invalid",
      }),
    ).toBe(1);
    expect(scrape).not.toContain('command="retired"');
  });

  it("says 503 naming the gateway while the shard reconnects, and ok once it has resumed", async () => {
    // The fake withholds HELLO from the new connection: the shard stays connecting until released.
    h.fake.holdGatewayHello();
    h.fake.dropGatewayConnection();
    await h.logs.waitFor((line) => line.msg === "shard reconnecting");

    expect(await get("/healthz")).toEqual({
      status: 503,
      body: "gateway: shard 0 connecting\n",
    });

    h.fake.releaseGatewayHello();
    await h.logs.waitFor((line) => line.msg === "shard resumed");
    expect(await get("/healthz")).toEqual({ status: 200, body: "ok\n" });
  });

  // Last: the database is gone for the rest of the file.
  it("says 503 naming the store once its file is gone, and counts the pin it refused", async () => {
    const { messageId } = await askAsNewUser(h, CEASEFIRE);
    await rm(path.join(dir, "var"), { recursive: true });

    const probe = await get("/healthz");
    expect(probe.status).toBe(503);
    expect(probe.body).toMatch(/^store: pins: the database at .* is not writable: it is gone/);

    const clicked = h.fake.sendButton({
      customId: "pins:answer",
      message: messageId,
      role: "moderator",
      user: h.newUser(),
    });
    expect((await clicked.final()).content).toMatch(/^Nothing was pinned: /);
    await h.logs.eventLine(clicked.id);
    const scrape = (await get("/metrics")).body;
    expect(sampleValue(scrape, "newsdesk_store_errors_total", { code: "GONE" })).toBe(1);
    expect(
      sampleValue(scrape, "newsdesk_interactions_total", {
        command: "pins:answer",
        outcome: "invalid",
      }),
    ).toBe(1);
  });
});
