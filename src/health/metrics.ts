/**
 * What newsdesk counts for Prometheus (`GET /metrics`, see healthServer.ts): interactions by
 * command and outcome, the time to the final reply, the library's size, feed polls that failed,
 * store refusals, and prom-client's process metrics (memory, CPU, event-loop lag, handles).
 *
 * The registry is the bot's own, not prom-client's global one, so that two in one process (tests)
 * do not collide. No discord.js here: the router and the stores call the plain {@link Metrics}
 * methods. With HEALTH_PORT unset there is no Metrics at all: callers hold `Metrics | undefined`
 * and call `metrics?.interaction(...)`, so nothing is counted that nobody reads.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { PollFailure } from "../feeds/FeedPoller.js";
import type { StoreErrorCode } from "../store/errors.js";

/**
 * How an interaction or a question in a message ended: the router's outcomes, the same words as
 * its log lines, so that a spike on a graph is found in the log by the same name. "ok" is an
 * answer or a done action, "abstained" a question the articles could not answer, "cooldown" and
 * "forbidden" a refusal, "invalid" a request that could not be served (a stale button, a store
 * that refused), "error" a handler that threw.
 */
export const INTERACTION_OUTCOMES = [
  "ok",
  "abstained",
  "cooldown",
  "forbidden",
  "invalid",
  "error",
] as const;

export type InteractionOutcome = (typeof INTERACTION_OUTCOMES)[number];

/**
 * The buckets of `newsdesk_reply_seconds`, from 50 ms to 15 s: an answer from the index takes
 * tens of milliseconds, one that reads a linked page or waits on a locked database seconds, and
 * Discord's interaction token lasts 15 minutes but a person gives up long before 15 s. 3 s is
 * Discord's deadline for the first response, a bound worth seeing on a graph.
 */
export const REPLY_SECONDS_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 8, 15] as const;

/** The library's size now, read at each scrape. */
export interface LibrarySize {
  readonly articles: number;
  /** Live paragraphs in the index (what a question is searched in). */
  readonly paragraphs: number;
}

/** What the rest of newsdesk counts with. */
export interface Metrics {
  /**
   * One interaction or question in a message was handled.
   *
   * @param command - the command's name, a button's or modal's prefix, or how a message asked
   *   ("mention", "thread"...): a fixed set, never user text (each value is a time series)
   * @param outcome - how it ended
   * @param seconds - from its arrival at the bot to the end of its handler, which has sent its
   *   final reply by then
   */
  interaction(command: string, outcome: InteractionOutcome, seconds: number): void;
  /** One feed poll failed, for `kind` (see {@link PollFailure}). */
  feedFailure(kind: PollFailure): void;
  /**
   * A store refused a member's write (a pin, a vote, a link or feed added) with a StoreError of
   * `code`; counted where the refusal is told to the member.
   */
  storeError(code: StoreErrorCode): void;
}

/** The {@link Metrics} with their registry, for the HTTP side. */
export interface MetricsRegistry extends Metrics {
  /** The Prometheus text format's content type (with its version). */
  readonly contentType: string;
  /** Every metric in the Prometheus text format, the library's size read now. */
  render(): Promise<string>;
}

/** Options of {@link createMetrics}. */
export interface MetricsOptions {
  /**
   * The library's size at scrape time, or undefined while it is being loaded (the gauges then
   * read NaN, Prometheus's "no value", rather than a 0 that would look like an empty library).
   */
  readonly library: () => LibrarySize | undefined;
  /**
   * prom-client's default process metrics (default true). Their event-loop monitor runs until the
   * process exits, so tests that make many registries turn them off.
   */
  readonly processMetrics?: boolean;
}

/** The kinds of feed failure, all shown from the start (a counter that appears late hides rate()). */
const POLL_FAILURES = ["fetch", "parse", "unexpected"] as const satisfies readonly PollFailure[];

/**
 * Makes the registry and its metrics.
 *
 * @param options - where the library's size comes from; see {@link MetricsOptions}
 */
export function createMetrics(options: MetricsOptions): MetricsRegistry {
  const registry = new Registry();
  const registers = [registry];
  const interactions = new Counter({
    name: "newsdesk_interactions_total",
    help: "Interactions and questions in messages handled, by command and outcome.",
    labelNames: ["command", "outcome"] as const,
    registers,
  });
  const replySeconds = new Histogram({
    name: "newsdesk_reply_seconds",
    help: "Seconds from an interaction's or question's arrival to its final reply, by command.",
    labelNames: ["command"] as const,
    buckets: [...REPLY_SECONDS_BUCKETS],
    registers,
  });
  new Gauge({
    name: "newsdesk_library_articles",
    help: "Articles in the library (the folder's and the feeds', every scope).",
    registers,
    collect() {
      this.set(options.library()?.articles ?? Number.NaN);
    },
  });
  new Gauge({
    name: "newsdesk_library_paragraphs",
    help: "Paragraphs in the search index.",
    registers,
    collect() {
      this.set(options.library()?.paragraphs ?? Number.NaN);
    },
  });
  const feedFailures = new Counter({
    name: "newsdesk_feed_failures_total",
    help: "Feed polls that failed, by kind: fetch (the site), parse (not a readable feed), unexpected (the database or a bug).",
    labelNames: ["kind"] as const,
    registers,
  });
  for (const kind of POLL_FAILURES) feedFailures.inc({ kind }, 0);
  const storeErrors = new Counter({
    name: "newsdesk_store_errors_total",
    help: "Members' writes (pins, votes, links, feeds) a store refused, by StoreError code.",
    labelNames: ["code"] as const,
    registers,
  });
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });

  return {
    contentType: registry.contentType,
    render: () => registry.metrics(),
    interaction(command, outcome, seconds) {
      interactions.inc({ command, outcome });
      replySeconds.observe({ command }, seconds);
    },
    feedFailure(kind) {
      feedFailures.inc({ kind });
    },
    storeError(code) {
      storeErrors.inc({ code });
    },
  };
}
