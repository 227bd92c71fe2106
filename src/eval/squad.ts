/**
 * `npm run eval:squad -- PATH [--only newsdesk] [--param k1=0.9 ...]`
 *
 * Paragraph retrieval on SQuAD v1.1 dev (Rajpurkar et al. 2016, CC BY-SA 4.0; read from PATH,
 * never copied into the project): all paragraphs of all articles form one corpus, every question
 * is asked, and the gold paragraph's rank gives Recall@1, Recall@5 and MRR@10. Two baselines run
 * in the same process on the same machine: natural's TfIdf and MiniSearch's default BM25.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import MiniSearch from "minisearch";
import type { Article } from "../corpus/article.js";
import { buildIndex } from "../retrieval/paragraphIndex.js";
import { analyzeQuestion } from "../retrieval/question.js";
import { DEFAULT_SEARCH_PARAMS, type SearchParams, searchParagraphs } from "../retrieval/search.js";
import { formatTable, median, parseArgs, rankMetrics, type TableRow } from "./metrics.js";

const require = createRequire(import.meta.url);

interface SquadFile {
  data: { title: string; paragraphs: { context: string; qas: { question: string }[] }[] }[];
}

export interface SquadQuestion {
  readonly question: string;
  /** Document id of the gold paragraph (position in the flattened corpus). */
  readonly gold: number;
  readonly article: number;
}

/** Reads SQuAD into newsdesk articles (one per Wikipedia title) and the questions. */
export function readSquad(path: string): { articles: Article[]; questions: SquadQuestion[] } {
  const squad = JSON.parse(readFileSync(path, "utf8")) as SquadFile;
  const articles: Article[] = [];
  const questions: SquadQuestion[] = [];
  let doc = 0;
  squad.data.forEach((a, ai) => {
    articles.push({
      id: a.title,
      title: a.title.replace(/_/g, " "),
      paragraphs: a.paragraphs.map((p) => p.context),
    });
    for (const p of a.paragraphs) {
      for (const qa of p.qas) questions.push({ question: qa.question, gold: doc, article: ai });
      doc++;
    }
  });
  return { articles, questions };
}

type Ranker = (question: string) => number[];

function evaluate(name: string, build: () => Ranker, questions: readonly SquadQuestion[]) {
  const t0 = performance.now();
  const rank = build();
  const buildMs = performance.now() - t0;
  const ranks: number[] = [];
  const perQuestion: number[] = [];
  const started = performance.now();
  for (const q of questions) {
    const s = performance.now();
    const docs = rank(q.question);
    perQuestion.push(performance.now() - s);
    const r = docs.indexOf(q.gold);
    ranks.push(r < 0 ? Number.POSITIVE_INFINITY : r + 1);
  }
  const totalMs = performance.now() - started;
  return {
    name,
    ...rankMetrics(ranks),
    msPerQuestion: totalMs / questions.length,
    medianMs: median(perQuestion),
    buildMs,
  };
}

function main(): void {
  const { positional, flags, params } = parseArgs(process.argv.slice(2));
  const path = positional[0];
  if (!path) {
    process.stderr.write(
      "usage: npm run eval:squad -- PATH/dev-v1.1.json [--only newsdesk] [--param k1=0.9]\n",
    );
    process.exit(2);
  }
  const { articles, questions } = readSquad(path);
  const paragraphs = articles.flatMap((a) => a.paragraphs);
  const overrides = params as Partial<SearchParams>;
  process.stderr.write(
    `squad: ${articles.length} articles, ${paragraphs.length} paragraphs, ${questions.length} questions\n`,
  );

  const rows: TableRow[] = [];
  const push = (row: TableRow) => {
    rows.push(row);
    process.stderr.write(`${formatTable([row]).split("\n")[2]}\n`);
  };
  push(
    evaluate(
      "newsdesk",
      () => {
        const index = buildIndex(articles);
        return (q) =>
          searchParagraphs(index, analyzeQuestion(q), { top: 10, params: overrides }).hits.map(
            (h) => h.doc,
          );
      },
      questions,
    ),
  );
  if (!flags.has("only")) {
    push(
      evaluate(
        "MiniSearch (default BM25)",
        () => {
          const mini = new MiniSearch<{ id: number; text: string }>({ fields: ["text"] });
          mini.addAll(paragraphs.map((text, id) => ({ id, text })));
          return (q) =>
            mini
              .search(q)
              .slice(0, 10)
              .map((r) => r.id as number);
        },
        questions,
      ),
    );
    push(
      evaluate(
        "natural TfIdf",
        () => {
          const TfIdf = require("natural/lib/natural/tfidf/tfidf.js") as {
            new (): {
              addDocument(text: string): void;
              tfidfs(text: string, callback: (i: number, measure: number) => void): void;
            };
          };
          const tfidf = new TfIdf();
          for (const text of paragraphs) tfidf.addDocument(text);
          return (q) => {
            const scored: [number, number][] = [];
            tfidf.tfidfs(q, (i, measure) => {
              if (measure > 0) scored.push([i, measure]);
            });
            return scored
              .sort((x, y) => y[1] - x[1] || x[0] - y[0])
              .slice(0, 10)
              .map(([i]) => i);
          };
        },
        questions,
      ),
    );
  }
  const effective = { ...DEFAULT_SEARCH_PARAMS, ...overrides };
  process.stdout.write(`${formatTable(rows)}\nnewsdesk params: ${JSON.stringify(effective)}\n`);
}

main();
