/**
 * `npm run eval:squad -- PATH [--only newsdesk] [--ablations] [--live] [--no-thesaurus] [--param k1=0.9 ...]`
 *
 * Paragraph retrieval on SQuAD v1.1 dev (Rajpurkar et al. 2016, CC BY-SA 4.0; read from PATH,
 * never copied into the project): all paragraphs of all articles form one corpus, every question
 * is asked, and the gold paragraph's rank gives Recall@1, Recall@5 and MRR@10. Two baselines run
 * in the same process on the same machine: natural's TfIdf and MiniSearch's default BM25.
 *
 * `--live` adds a row for the same articles put in a live library one at a time, each after a
 * decoy article (the next article, reversed) that is removed later, with every fifth article
 * replaced: it must equal the first row, as the incremental index ranks as a fresh build.
 */
import { createRequire } from "node:module";
import MiniSearch from "minisearch";
import { loadWordNet } from "../lexicon/wordnet.js";
import type { SearchParams } from "../retrieval/search.js";
import { NO_THESAURUS, type Thesaurus } from "../retrieval/thesaurus.js";
import { DATA_COMMANDS, requireDataPath } from "./dataPath.js";
import { formatTable, median, parseArgs, rankMetrics, type TableRow } from "./metrics.js";
import { readSquad, type SquadQuestion } from "./squadData.js";

const require = createRequire(import.meta.url);

// The data path is checked before the retrieval modules load compromise (most of a second).
const { positional, flags, params } = parseArgs(process.argv.slice(2));
const path = requireDataPath(DATA_COMMANDS["eval:squad"], positional[0]);
const { buildIndex } = await import("../retrieval/paragraphIndex.js");
const { Library } = await import("../library/Library.js");
const { analyzeQuestion } = await import("../retrieval/question.js");
const { DEFAULT_SEARCH_PARAMS, searchParagraphs } = await import("../retrieval/search.js");

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
  const newsdesk = (name: string, variant: Partial<SearchParams>, thesaurus: Thesaurus) =>
    evaluate(
      name,
      () => {
        const index = buildIndex(articles);
        return (q) =>
          searchParagraphs(index, analyzeQuestion(q, thesaurus), {
            top: 10,
            params: { ...overrides, ...variant },
          }).hits.map((h) => h.doc);
      },
      questions,
    );
  const wordnet = flags.has("no-thesaurus") ? NO_THESAURUS : loadWordNet();
  push(newsdesk("newsdesk", {}, wordnet));
  if (flags.has("live")) {
    push(
      evaluate(
        "newsdesk, live library (added one by one, decoys removed, replacements)",
        () => {
          const library = new Library();
          // Gold ids are positions in the flat paragraph list; the live index numbers differently.
          const flatStart = new Map<string, number>();
          let start = 0;
          for (const a of articles) {
            flatStart.set(a.id, start);
            start += a.paragraphs.length;
          }
          articles.forEach((article, i) => {
            const next = articles[i + 1] ?? articles[0];
            if (next) {
              library.add({
                ...next,
                id: `decoy-${i}`,
                paragraphs: [...next.paragraphs].reverse(),
              });
            }
            library.add(article);
            if (i % 5 === 0) library.replace({ ...article });
          });
          for (let i = 0; i < articles.length; i++) library.remove(`decoy-${i}`);
          const { index } = library;
          return (q) =>
            searchParagraphs(index, analyzeQuestion(q, wordnet), {
              top: 10,
              params: overrides,
            }).hits.map((h) => {
              const ref = index.paragraphOf(h.doc);
              const article = ref ? index.articles[ref.article] : undefined;
              return (flatStart.get(article?.id ?? "") ?? Number.NaN) + (ref?.paragraph ?? 0);
            });
        },
        questions,
      ),
    );
  }
  if (flags.has("ablations")) {
    // What each idea buys: each row turns one off; the last turns them all off (plain BM25).
    const off = { windowWeight: 0, sentenceWeight: 0 };
    push(newsdesk("- without window/sentence rerank", off, wordnet));
    push(newsdesk("- without WordNet", {}, NO_THESAURUS));
    push(newsdesk("- without related words (WordNet, prefixes)", { relatedWeight: 0 }, wordnet));
    push(newsdesk("- without answer kinds", { kindWeight: 0 }, wordnet));
    push(newsdesk("- without title field", { titleWeight: 0 }, wordnet));
    push(
      newsdesk(
        "- plain BM25 (all of the above off)",
        { ...off, relatedWeight: 0, kindWeight: 0, titleWeight: 0 },
        NO_THESAURUS,
      ),
    );
  }
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
