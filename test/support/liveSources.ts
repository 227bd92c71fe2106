/**
 * The bot's `LiveSources` for tests: the feed store on a pin store's database and a fetcher that
 * may reach 127.0.0.1 (the tests' local servers), as ALLOW_PRIVATE_FETCH=true gives the bot.
 */
import type { LiveSources } from "../../src/discord/framework/command.js";
import { FeedStore } from "../../src/feeds/FeedStore.js";
import { createFetcher, type Fetcher } from "../../src/ingest/safeFetch.js";
import type { SqlitePinStore } from "../../src/pins/SqlitePinStore.js";

export interface TestSourcesOptions {
  readonly fetch?: Fetcher;
  /** Called for `wakePoller` (default: nothing polls). */
  readonly wakePoller?: () => void;
}

export function testSources(pins: SqlitePinStore, options: TestSourcesOptions = {}): LiveSources {
  return {
    store: new FeedStore(pins.connection),
    fetch: options.fetch ?? createFetcher({ allowPrivate: true }),
    wakePoller: options.wakePoller ?? (() => undefined),
  };
}
