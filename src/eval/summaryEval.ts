/**
 * `npm run eval:summary -- DIR [--only bbc|cnndm] [--ablations] [--limit N] [--param k=v ...]`
 *
 * ROUGE-1, ROUGE-2 and ROUGE-L F1 (mean over articles, ×100) of newsdesk's extractive summaries,
 * with the lead baseline in the same run, on two sets read from DIR (never copied into the
 * project; see SOURCE.md beside each):
 * - BBC News Summary: the 2,127 distinct articles, k sentences where k is the reference's
 *   sentence count, against LEAD-k. The parameters were tuned on this set.
 * - CNN/DailyMail: the FRANK sample of 250 test articles, 3 sentences against LEAD-3, with the
 *   highlights as the reference. Held out: nothing was tuned on it.
 * Key entities are not extracted here: they do not change which sentences are chosen.
 */
import type { SummaryParams } from "../summary/extract.js";
import { DATA_COMMANDS, DATA_SETS, requireDataPath, usageLine } from "./dataPath.js";
import { median, parseArgs } from "./metrics.js";
import { rouge } from "./rouge.js";
import { readBbc, readCnnDm, type SummaryCase } from "./summaryData.js";

// The arguments and the data are checked before the summarizer loads compromise (most of a second).
const argv = process.argv.slice(2);
const { positional, flags, params } = parseArgs(argv);
const only = argv[argv.indexOf("--only") + 1];
const limitText = argv.includes("--limit") ? argv[argv.indexOf("--limit") + 1] : undefined;
const limit = limitText === undefined ? Number.POSITIVE_INFINITY : Number(limitText);
const command = DATA_COMMANDS["eval:summary"];
if ((flags.has("only") && only !== "bbc" && only !== "cnndm") || !(limit > 0)) {
  process.stderr.write(`${usageLine(command)}\n`);
  process.exit(2);
}
const dir = requireDataPath(
  {
    ...command,
    sets: !flags.has("only") ? command.sets : [only === "bbc" ? DATA_SETS.bbc : DATA_SETS.cnndm],
  },
  positional[0],
);
const { DEFAULT_SUMMARY_PARAMS, selectSentences } = await import("../summary/extract.js");
const { articleSentences } = await import("../summary/sentenceUnits.js");

type Summarizer = (c: SummaryCase, k: number) => string[];

interface SummaryRow {
  readonly name: string;
  readonly rouge1: number;
  readonly rouge2: number;
  readonly rougeL: number;
  readonly medianMs: number;
}

function evaluate(
  name: string,
  cases: readonly SummaryCase[],
  sentencesFor: (c: SummaryCase) => number,
  summarize: Summarizer,
): SummaryRow {
  let r1 = 0;
  let r2 = 0;
  let rl = 0;
  const times: number[] = [];
  for (const c of cases) {
    const started = performance.now();
    const summary = summarize(c, sentencesFor(c));
    times.push(performance.now() - started);
    const scores = rouge(summary.join(" "), c.reference.join(" "));
    r1 += scores.rouge1.f1;
    r2 += scores.rouge2.f1;
    rl += scores.rougeL.f1;
  }
  const n = Math.max(1, cases.length);
  return {
    name,
    rouge1: (100 * r1) / n,
    rouge2: (100 * r2) / n,
    rougeL: (100 * rl) / n,
    medianMs: median(times),
  };
}

/** A markdown table, so the output can go into the README as it is. */
function formatSummaryTable(title: string, rows: readonly SummaryRow[]): string {
  const lines = [
    `### ${title}`,
    "",
    "| summarizer | ROUGE-1 F1 | ROUGE-2 F1 | ROUGE-L F1 | ms/article (median) |",
    "| --- | --- | --- | --- | --- |",
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.name} | ${r.rouge1.toFixed(2)} | ${r.rouge2.toFixed(2)} | ${r.rougeL.toFixed(2)} | ${r.medianMs.toFixed(2)} |`,
    );
  }
  return lines.join("\n");
}

const lead: Summarizer = (c, k) =>
  articleSentences(c.article.paragraphs)
    .slice(0, k)
    .map((s) => s.text);

const newsdesk =
  (params: Partial<SummaryParams>): Summarizer =>
  (c, k) =>
    selectSentences(articleSentences(c.article.paragraphs), k, {
      title: c.article.title,
      params,
    }).map((s) => s.text);

function runSet(
  title: string,
  cases: readonly SummaryCase[],
  sentencesFor: (c: SummaryCase) => number,
  leadName: string,
  params: Partial<SummaryParams>,
  ablations: boolean,
): string {
  const rows: SummaryRow[] = [];
  const push = (row: SummaryRow) => {
    rows.push(row);
    process.stderr.write(
      `${title}: ${row.name}: R-1 ${row.rouge1.toFixed(2)} R-2 ${row.rouge2.toFixed(2)} R-L ${row.rougeL.toFixed(2)}\n`,
    );
  };
  push(evaluate("newsdesk", cases, sentencesFor, newsdesk(params)));
  push(evaluate(leadName, cases, sentencesFor, lead));
  if (ablations) {
    const variants: [string, Partial<SummaryParams>][] = [
      ["- without position prior (centrality + title)", { positionWeight: 0 }],
      ["- without centrality", { centralityWeight: 0 }],
      ["- without title", { titleWeight: 0 }],
      ["- without redundancy control", { redundancy: 1, mmrWeight: 0 }],
      ["- LexRank (power iteration) instead of degree", { centrality: "lexrank" }],
      ["- directed degree, later sentences only (PACSUM-style)", { backwardWeight: 0 }],
    ];
    for (const [name, variant] of variants) {
      push(evaluate(name, cases, sentencesFor, newsdesk({ ...params, ...variant })));
    }
  }
  return formatSummaryTable(`${title} (${cases.length} articles)`, rows);
}

function main(): void {
  // `--param centrality=1` means LexRank: parseArgs keeps numbers only.
  const { centrality, ...numeric } = params;
  const overrides: Partial<SummaryParams> = {
    ...numeric,
    ...(centrality === undefined ? {} : { centrality: centrality ? "lexrank" : "degree" }),
  };
  const ablations = flags.has("ablations");
  const tables: string[] = [];
  if (!flags.has("only") || only === "bbc") {
    const cases = readBbc(dir).slice(0, limit);
    tables.push(
      runSet(
        "BBC News Summary (tuned here)",
        cases,
        (c) => c.reference.length,
        "LEAD-k",
        overrides,
        ablations,
      ),
    );
  }
  if (!flags.has("only") || only === "cnndm") {
    const cases = readCnnDm(dir).slice(0, limit);
    tables.push(
      runSet(
        "CNN/DailyMail test, FRANK sample (held out)",
        cases,
        () => 3,
        "LEAD-3",
        overrides,
        ablations,
      ),
    );
  }
  const date = new Date().toISOString().slice(0, 10);
  const effective = { ...DEFAULT_SUMMARY_PARAMS, ...overrides };
  process.stdout.write(
    `Summaries, ${date} (ROUGE F1 ×100: lower-cased alphanumeric tokens, Porter stems; mean over articles)\n\n${tables.join("\n\n")}\n\nnewsdesk params: ${JSON.stringify(effective)}\n`,
  );
}

main();
