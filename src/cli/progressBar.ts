/**
 * A progress bar for the index build, on a terminal's standard error: a library of a hundred
 * thousand paragraphs takes seconds to index, and a silent terminal looks stuck. Quick builds
 * draw nothing (the bar appears once a build has run `delayMs`), and nothing is drawn when
 * standard error is not a terminal (a pipe, a file, a test's stream), so logs and `--batch`
 * output stay clean.
 */
import type { BuildProgress } from "../retrieval/IncrementalIndex.js";

/** Options of {@link progressBar}. */
export interface ProgressBarOptions {
  /** What is shown before the bar ("ask: indexing"). */
  readonly label: string;
  /** The clock in milliseconds (default: `performance.now`). */
  readonly now?: () => number;
  /** How long a build runs before the bar appears (default 1,000 ms). */
  readonly delayMs?: number;
  /** Least time between two redraws (default 100 ms). */
  readonly intervalMs?: number;
  /** Cells of the bar (default 30). */
  readonly width?: number;
}

/** A stream that may be a terminal (`process.stderr` is a `tty.WriteStream` when it is one). */
export type MaybeTerminal = NodeJS.WritableStream & { readonly isTTY?: boolean };

const DEFAULTS = {
  now: () => performance.now(),
  delayMs: 1000,
  intervalMs: 100,
  width: 30,
} as const satisfies Required<Omit<ProgressBarOptions, "label">>;

/** One line of the bar: `ask: indexing [#######-------] 45% 45,000/100,000 paragraphs 5.2 s`. */
export function formatProgressBar(
  label: string,
  progress: BuildProgress,
  elapsedMs: number,
  width: number,
): string {
  const fraction = progress.total === 0 ? 1 : Math.min(1, progress.done / progress.total);
  const filled = Math.floor(fraction * width);
  const count = (n: number) => n.toLocaleString("en-US");
  return `${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${Math.floor(fraction * 100)}% ${count(progress.done)}/${count(progress.total)} paragraphs ${(elapsedMs / 1000).toFixed(1)} s`;
}

/**
 * A progress callback that draws a bar on `stream` when it is a terminal, redrawn in place
 * (carriage return, then erase to the end of the line) and ended with a newline once the build
 * is done; a no-op on anything else.
 * @param stream - standard error, usually
 */
export function progressBar(
  stream: MaybeTerminal,
  options: ProgressBarOptions,
): (progress: BuildProgress) => void {
  if (!stream.isTTY) return () => undefined;
  const { now, delayMs, intervalMs, width } = { ...DEFAULTS, ...options };
  let start: number | undefined;
  let drawnAt: number | undefined;
  return (progress) => {
    const time = now();
    start ??= time;
    const elapsed = time - start;
    const finished = progress.done >= progress.total;
    if (finished) {
      // The final state only for a bar that was drawn: a quick build leaves no trace.
      if (drawnAt !== undefined) {
        stream.write(`\r${formatProgressBar(options.label, progress, elapsed, width)}\x1b[K\n`);
      }
      start = undefined;
      drawnAt = undefined;
      return;
    }
    if (elapsed < delayMs || (drawnAt !== undefined && time - drawnAt < intervalMs)) return;
    drawnAt = time;
    stream.write(`\r${formatProgressBar(options.label, progress, elapsed, width)}\x1b[K`);
  };
}
