/**
 * The part of {@link Database.lead} that both engines share: the loop that tries every interval
 * and turns what each try found into onLead and onLose, once per change. What a try is belongs to
 * the engine (a {@link Claim}: PostgreSQL's advisory lock, SQLite's lease row). Beside it,
 * {@link withLeadership}: run one piece of work while holding a name (deploy-commands).
 */
import { callLogged, type Logger, reasonOf } from "../log.js";
import {
  type Database,
  LEAD_INTERVAL_MS,
  type Leadership,
  type LeadHandlers,
  type LeadOptions,
} from "./database.js";

/** What one try of a {@link Claim} found. */
export type Attempt =
  | { readonly leading: true }
  /** Not the holder (now), and why, in one line: the reason given to onLose. */
  | { readonly leading: false; readonly reason: string };

/** An engine's way of holding a name. */
export interface Claim {
  /**
   * Takes the name if it is free, or checks (renews) it if held. Never rejects: a failure is
   * the engine's to judge (PostgreSQL: the lock is gone with its connection; SQLite: the lease
   * still holds until it expires).
   */
  attempt(): Promise<Attempt>;
  /** Gives the name up if held, and whatever the claim holds open. Never rejects. */
  release(): Promise<void>;
}

/**
 * Tries `claim` now, then every `intervalMs` (or at once after {@link wake}), calling the
 * handlers on each change, until {@link stop}. Tries never overlap.
 */
export class LeadershipLoop implements Leadership {
  #claim: Claim | undefined;
  #leading = false;
  #stopped = false;
  #timer: NodeJS.Timeout | undefined;
  /** The try under way, if any. */
  #attempt: Promise<void> | undefined;
  /** {@link wake} was called during a try: the next one comes at once. */
  #again = false;
  #stopping: Promise<void> | undefined;

  constructor(
    /** The name held, for log lines. */
    readonly name: string,
    private readonly handlers: LeadHandlers,
    private readonly intervalMs: number,
    private readonly log: Logger,
  ) {}

  get leading(): boolean {
    return this.#leading;
  }

  /** The first try; resolves once it is done (its onLead called, when it led). */
  async start(claim: Claim): Promise<void> {
    this.#claim = claim;
    await this.#run();
  }

  /** Tries again now, rather than at the next interval (the engine saw its connection break). */
  wake(): void {
    if (this.#stopped || this.#claim === undefined) return;
    if (this.#attempt !== undefined) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    void this.#run();
  }

  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      this.#stopped = true;
      clearTimeout(this.#timer);
      await this.#attempt;
      this.#leading = false;
      await this.#claim?.release();
    })();
    return this.#stopping;
  }

  async #run(): Promise<void> {
    const claim = this.#claim;
    if (claim === undefined) return;
    this.#attempt = (async () => {
      let found: Attempt;
      try {
        found = await claim.attempt();
      } catch (error) {
        // A claim does not reject; if one does (a bug), it is not the holder.
        found = { leading: false, reason: `database: ${reasonOf(error)}` };
      }
      if (this.#stopped) return;
      if (found.leading && !this.#leading) {
        this.#leading = true;
        this.#call(() => this.handlers.onLead());
      } else if (!found.leading && this.#leading) {
        this.#leading = false;
        this.#call(() => this.handlers.onLose(found.reason));
      }
    })();
    await this.#attempt;
    this.#attempt = undefined;
    if (this.#stopped) return;
    const again = this.#again;
    this.#again = false;
    this.#timer = setTimeout(() => void this.#run(), again ? 0 : this.intervalMs);
    // Never what keeps a process alive: the work it elects does, or not.
    this.#timer.unref();
  }

  /** A handler that throws must not stop the loop: it is logged. */
  #call(handler: () => void): void {
    callLogged(this.log, { lead: this.name }, "database: a leadership handler failed", handler);
  }
}

/**
 * An engine's `Database.lead`: a {@link LeadershipLoop} on the claim `claimFor` makes, held in
 * `held` (the engine's leaderships, which its close stops) until stopped; resolves once the
 * first try is done.
 */
export async function startLeadership(
  name: string,
  handlers: LeadHandlers,
  options: LeadOptions,
  log: Logger,
  held: Set<Leadership>,
  claimFor: (loop: LeadershipLoop, intervalMs: number) => Claim,
): Promise<Leadership> {
  const intervalMs = options.intervalMs ?? LEAD_INTERVAL_MS;
  const loop = new LeadershipLoop(name, handlers, intervalMs, log);
  const claim = claimFor(loop, intervalMs);
  const leadership: Leadership = {
    get leading() {
      return loop.leading;
    },
    stop: async () => {
      held.delete(leadership);
      await loop.stop();
    },
  };
  held.add(leadership);
  await loop.start(claim);
  return leadership;
}

/** Options of {@link withLeadership}. */
export interface WithLeadershipOptions {
  /** How long to wait for the lead before giving up (default {@link WAIT_FOR_LEAD_MS}). */
  readonly waitMs?: number;
  /** Called once if the lead is not held after `waitingAfterMs`: another process holds it. */
  readonly onWaiting?: () => void;
  /** When to call `onWaiting` (default {@link SAY_WAITING_AFTER_MS}). */
  readonly waitingAfterMs?: number;
  /** How often to try (default: the engine's, {@link LEAD_INTERVAL_MS}). */
  readonly intervalMs?: number;
}

/** How long {@link withLeadership} waits for the lead by default. */
export const WAIT_FOR_LEAD_MS = 60_000;
/** When {@link withLeadership} says it waits, by default. */
export const SAY_WAITING_AFTER_MS = 1_000;

/** {@link withLeadership} gave up: another process held the name all along. */
export class LeadTimeout extends Error {
  override readonly name = "LeadTimeout";
  constructor(
    readonly lead: string,
    readonly waitedMs: number,
  ) {
    super(
      `database: "${lead}" is still held by another process after ${waitedMs / 1000} s; try again once it is done`,
    );
  }
}

/**
 * Runs `work` once this process holds `name` on `db` (waiting for another holder to finish),
 * then gives the name up: two runs on one database, on any hosts, never overlap. `work` gets a
 * signal that aborts if the lead is lost while it runs (a lost connection).
 * @throws LeadTimeout when the lead is not held within `waitMs`; what `work` throws
 */
export async function withLeadership<T>(
  db: Database,
  name: string,
  work: (lost: AbortSignal) => Promise<T>,
  options: WithLeadershipOptions = {},
): Promise<T> {
  const waitMs = options.waitMs ?? WAIT_FOR_LEAD_MS;
  const lost = new AbortController();
  let led!: () => void;
  const leading = new Promise<void>((resolve) => {
    led = resolve;
  });
  const leadership = await db.lead(
    name,
    { onLead: () => led(), onLose: (reason) => lost.abort(new Error(reason)) },
    options.intervalMs === undefined ? {} : { intervalMs: options.intervalMs },
  );
  let waiting: NodeJS.Timeout | undefined;
  let timeout: NodeJS.Timeout | undefined;
  try {
    if (!leadership.leading) {
      const onWaiting = options.onWaiting;
      if (onWaiting !== undefined) {
        waiting = setTimeout(onWaiting, options.waitingAfterMs ?? SAY_WAITING_AFTER_MS);
      }
      const gaveUp = new Promise<never>((_resolve, reject) => {
        timeout = setTimeout(() => reject(new LeadTimeout(name, waitMs)), waitMs);
      });
      await Promise.race([leading, gaveUp]);
    }
    clearTimeout(waiting);
    return await work(lost.signal);
  } finally {
    clearTimeout(waiting);
    clearTimeout(timeout);
    await leadership.stop();
  }
}
