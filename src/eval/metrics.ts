/** Shared pieces of the evaluation scripts: rank metrics, medians, the printed table, flags. */

export interface RankMetrics {
  readonly recallAt1: number;
  readonly recallAt5: number;
  readonly mrrAt10: number;
}

/**
 * @param ranks - 1-based rank of the gold item for each question, Infinity when not retrieved
 */
export function rankMetrics(ranks: readonly number[]): RankMetrics {
  const n = Math.max(1, ranks.length);
  let r1 = 0;
  let r5 = 0;
  let mrr = 0;
  for (const r of ranks) {
    if (r <= 1) r1++;
    if (r <= 5) r5++;
    if (r <= 10) mrr += 1 / r;
  }
  return { recallAt1: r1 / n, recallAt5: r5 / n, mrrAt10: mrr / n };
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The `p`th percentile (0-100) of `xs`, nearest rank: the value `p`% of `xs` are below. */
export function percentile(xs: readonly number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export interface TableRow extends RankMetrics {
  readonly name: string;
  readonly msPerQuestion: number;
  readonly medianMs: number;
  readonly buildMs: number;
}

/** A markdown table, so the output can go into the README as it is. */
export function formatTable(rows: readonly TableRow[]): string {
  const lines = [
    "| ranker | R@1 | R@5 | MRR@10 | ms/question (mean) | ms/question (median) | index build ms |",
    "| --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.name} | ${r.recallAt1.toFixed(3)} | ${r.recallAt5.toFixed(3)} | ${r.mrrAt10.toFixed(3)} | ${r.msPerQuestion.toFixed(3)} | ${r.medianMs.toFixed(3)} | ${r.buildMs.toFixed(0)} |`,
    );
  }
  return lines.join("\n");
}

/** `a b --flag --param k=v` -> positional args, flags and numeric params. */
export function parseArgs(argv: readonly string[]): {
  positional: string[];
  flags: Set<string>;
  params: Record<string, number>;
} {
  const positional: string[] = [];
  const flags = new Set<string>();
  const params: Record<string, number> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--param") {
      const [key, value] = (argv[++i] ?? "").split("=");
      if (key && value !== undefined && Number.isFinite(Number(value))) params[key] = Number(value);
    } else if (arg.startsWith("--")) {
      flags.add(arg.slice(2));
      // `--only newsdesk` takes a value that is not a positional argument.
      if (arg === "--only") i++;
    } else positional.push(arg);
  }
  return { positional, flags, params };
}
