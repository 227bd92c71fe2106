/**
 * Structured logs: one JSON object per line (`time`, `level`, `msg`, then the fields), the
 * shape log tools and `jq` read. Small and dependency-free; secrets given at creation are
 * replaced by `[redacted]` wherever they appear, in values, keys and error messages alike.
 *
 * ```ts
 * const log = createLogger({ level: "info", secrets: [config.discord.token] });
 * const perInteraction = log.child({ interactionId: interaction.id });
 * perInteraction.info({ command: "ask", latencyMs: 12, outcome: "answered" }, "interaction");
 * ```
 */
import type { LogLevel } from "./config.js";

/** A structured logger. `fields` come first, as in pino; `msg` is the event's short name. */
export interface Logger {
  debug(fields: object, msg?: string): void;
  info(fields: object, msg?: string): void;
  warn(fields: object, msg?: string): void;
  error(fields: object, msg?: string): void;
  /** A logger that adds `bindings` to every line (cheap: nothing is serialized up front). */
  child(bindings: object): Logger;
  /** Whether a line at `level` would be written (to skip building costly fields). */
  isLevelEnabled(level: LogLevel): boolean;
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** The lowest level written. */
  readonly level: LogLevel;
  /** Where lines go (default: stdout). */
  readonly destination?: NodeJS.WritableStream;
  /** Strings never to write (the bot token): replaced by `[redacted]`. */
  readonly secrets?: readonly string[];
  /** The clock, for tests (default: `Date.now`). */
  readonly now?: () => number;
}

const RANK: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Keys whose values are secrets whatever they hold (e.g. a request's headers). */
const SECRET_KEYS = /^(?:token|authorization|password|secret)$/i;

export const REDACTED = "[redacted]";

/**
 * Calls `handler`, logging what it throws (with its stack, under `message` and `fields`)
 * instead of letting it through: for the callbacks an engine's loop calls, which one bad
 * handler must not stop.
 */
export function callLogged(
  log: Logger,
  fields: Record<string, unknown>,
  message: string,
  handler: () => void,
): void {
  try {
    handler();
  } catch (error) {
    log.error({ ...fields, error: error instanceof Error ? error.stack : String(error) }, message);
  }
}

/** One line of any thrown value: its message with every run of whitespace as one space. */
export function reasonOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s+/g, " ").trim();
}

/** Replaces every occurrence of each (non-empty) secret in `text` with `[redacted]`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  // Longest first, so a secret that contains another is replaced whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret !== "") out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** Whether a destination has failed, one record (and one listener) per stream. */
const destinations = new WeakMap<NodeJS.WritableStream, { failed: boolean }>();

/**
 * A destination that fails (stdout closed under us: EPIPE) takes no more lines. Unheard, its
 * "error" would be an uncaught exception, which is logged, which fails again: a busy loop. Every
 * logger of a stream shares one listener: a process that makes many loggers of stderr (each pin
 * store opened without a logger) would otherwise pile listeners on it.
 */
function healthOf(destination: NodeJS.WritableStream): { failed: boolean } {
  let health = destinations.get(destination);
  if (!health) {
    const created = { failed: false };
    destination.on("error", () => {
      created.failed = true;
    });
    destinations.set(destination, created);
    health = created;
  }
  return health;
}

/**
 * Creates a logger writing JSON lines.
 *
 * @param options - see {@link LoggerOptions}
 */
export function createLogger(options: LoggerOptions): Logger {
  const destination = options.destination ?? process.stdout;
  const secrets = (options.secrets ?? []).filter((secret) => secret !== "");
  const now = options.now ?? Date.now;
  const threshold = RANK[options.level];
  const health = healthOf(destination);

  const write = (level: LogLevel, bindings: readonly object[], fields: object, msg?: string) => {
    if (health.failed || RANK[level] < threshold) return;
    const record: Record<string, unknown> = { time: new Date(now()).toISOString(), level };
    if (msg !== undefined) record.msg = msg;
    for (const part of [...bindings, fields]) {
      if (part instanceof Error) record.err = part;
      else if (typeof part === "object" && part !== null) Object.assign(record, part);
    }
    destination.write(`${serialize(record, secrets)}\n`);
  };

  const make = (bindings: readonly object[]): Logger => ({
    debug: (fields, msg) => write("debug", bindings, fields, msg),
    info: (fields, msg) => write("info", bindings, fields, msg),
    warn: (fields, msg) => write("warn", bindings, fields, msg),
    error: (fields, msg) => write("error", bindings, fields, msg),
    child: (more) => make([...bindings, more]),
    isLevelEnabled: (level) => RANK[level] >= threshold,
  });
  return make([]);
}

/**
 * One line of JSON that never throws: errors become `{ type, message, code, stack, cause }`,
 * cycles `[Circular]`, bigints strings; secrets are redacted in every key and string.
 */
function serialize(record: Record<string, unknown>, secrets: readonly string[]): string {
  const seen = new WeakSet<object>();
  const replacer = (key: string, value: unknown): unknown => {
    if (key !== "" && SECRET_KEYS.test(key) && value !== undefined && value !== null) {
      return REDACTED;
    }
    if (typeof value === "string") return redact(value, secrets);
    if (typeof value === "bigint") return value.toString();
    if (typeof value === "function" || typeof value === "symbol") return undefined;
    if (typeof value !== "object" || value === null) return value;
    if (seen.has(value)) return "[Circular]";
    seen.add(value);
    if (value instanceof Error) return errorFields(value);
    if (value instanceof Map) return Object.fromEntries(value);
    if (value instanceof Set) return [...value];
    if (Array.isArray(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[redact(k, secrets)] = v;
    return out;
  };
  try {
    // The last pass catches what the replacer cannot see (a secret split across a key).
    return redact(JSON.stringify(record, replacer), secrets);
  } catch (cause) {
    return JSON.stringify({
      time: record.time,
      level: record.level,
      msg: record.msg,
      logError: redact(String(cause), secrets),
    });
  }
}

function errorFields(error: Error): Record<string, unknown> {
  const out: Record<string, unknown> = { type: error.name, message: error.message };
  const extra = error as Error & { code?: unknown; status?: unknown; cause?: unknown };
  if (extra.code !== undefined) out.code = extra.code;
  if (extra.status !== undefined) out.status = extra.status;
  if (error.stack !== undefined) out.stack = error.stack;
  if (extra.cause !== undefined) out.cause = extra.cause;
  return out;
}
