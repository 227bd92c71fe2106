/**
 * The bot's `LiveSources` for tests: the feed store of the test's database and a fetcher that
 * may reach 127.0.0.1 (the tests' local servers), as ALLOW_PRIVATE_FETCH=true gives the bot.
 */
import type { LiveSources } from "../../src/discord/framework/command.js";
import type { FeedStore } from "../../src/feeds/FeedStore.js";
import { createFetcher, type Fetcher } from "../../src/ingest/safeFetch.js";

export interface TestSourcesOptions {
  readonly fetch?: Fetcher;
  /** Called for `wakePoller` (default: nothing polls). */
  readonly wakePoller?: () => void;
}

export function testSources(feeds: FeedStore, options: TestSourcesOptions = {}): LiveSources {
  return {
    store: feeds,
    fetch: options.fetch ?? createFetcher({ allowPrivate: true }),
    wakePoller: options.wakePoller ?? (() => undefined),
  };
}
