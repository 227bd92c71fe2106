/**
 * `npm run bench -- PATH/dev-v1.1.json [--scale 10] [--questions 2000]`
 *
 * Speed, measured against MiniSearch in the same run on the same machine (these machines are
 * shared and noisy: compare the two columns, not one figure with yesterday's):
 * - index build time for the SQuAD dev paragraphs, and for `--scale` copies of them (a corpus
 *   the size of a few years of a busy news server);
 * - per-question latency (median and 95th percentile) of newsdesk's question analysis + search,
 *   of the whole answer with excerpts (`AnswerService.ask`), and of MiniSearch's search;
 * - the pinned-answer lookup every question makes in a server (`findPinnedAnswer` on an
 *   in-memory store, pinned questions' terms cached), against matching the same pins from their
 *   raw text (the pipeline run on every pin for every question), for 100 and 1,000 pins;
 * - the live library: adding and removing one article (10 paragraphs) in libraries of 10,000
 *   and 100,000 paragraphs, median over many operations, beside a full build of the same library
 *   in the same run (what each change would cost without the incremental index).
 *
 * `npm run bench -- [DIR] --paragraphs 10000,100000,300000,1000000 [--questions 1000]
 * [--peer-questions N] [--seed 1] [--only newsdesk|MiniSearch]` is the benchmark at scale (issue 13, src/eval/scaleBench.ts): for
 * each size, a corpus of that many paragraphs made from the SQuAD dev, BBC News Summary and
 * CNN/DailyMail paragraphs in DIR (default ../shared/datasets), copied with light changes and a
 * vocabulary that grows as a news archive's does (src/eval/scaleCorpus.ts), cut into articles of
 * 10 to 25 paragraphs. Each size and engine runs in a child process of its own; one table row
 * each (README, "Corpora of any size", says more):
 * - build s: the cold build of the library the bot makes at start-up (`Library.of`); for
 *   MiniSearch, adding every paragraph;
 * - peak RSS MB: the child's peak resident memory (`process.resourceUsage().maxRSS`) at its end;
 * - RSS before build MB: with the corpus made (and WordNet loaded, for newsdesk), after a GC;
 * - build RSS MB: the peak when the build ended, minus the RSS before it;
 * - heap after build MB (index): the heap used after the build and a GC, and what the build
 *   added to it;
 * - ask: `AnswerService.ask` (3 excerpts, WordNet as the bot has it); search: question analysis
 *   and `searchParagraphs` (top 10), or MiniSearch's `search`: p50 / p95 / p99 over `--questions`
 *   SQuAD dev questions spread over the set, each path its own (a question's words are cached
 *   once asked), MiniSearch on the search's (or the first `--peer-questions` of them: it takes
 *   seconds a question at 1,000,000 paragraphs), after a fifth as many others (200 at most) to
 *   warm up;
 * - add / remove: one article of 10 paragraphs (100 added one at a time, then removed, after 10
 *   untimed), p50 / p95.
 * Under the table, per size: the corpus (articles, copies, words, new names, time to make it) and
 * MiniSearch's figures over newsdesk's.
 */
import MiniSearch from "minisearch";
import type { Article } from "../corpus/article.js";
import { CLASSIC_WORDNET_OPTIONS, loadWordNet } from "../lexicon/wordnet.js";
import { DATA_COMMANDS, requireDataPath } from "./dataPath.js";
import { median, parseArgs, percentile } from "./metrics.js";
import { readSquad } from "./squadData.js";

// `--paragraphs N` is the benchmark on corpora of any size (src/eval/scaleBench.ts), with its
// own options and its own data (the datasets folder): it runs, and nothing below does.
if (process.argv.includes("--paragraphs")) {
  const { runScaleBench } = await import("./scaleBench.js");
  process.exit(await runScaleBench(process.argv.slice(2)));
}

// The data path is checked before the retrieval modules load compromise (most of a second).
// `--scale 10` and `--questions 500` are `--param scale=10` and `--param questions=500`.
const argv = process.argv.slice(2);
const { positional, params } = parseArgs(
  argv.flatMap((a, i) =>
    a === "--scale" || a === "--questions"
      ? ["--param", `${a.slice(2)}=${argv[i + 1] ?? ""}`]
      : argv[i - 1] === "--scale" || argv[i - 1] === "--questions"
        ? []
        : [a],
  ),
);
const path = requireDataPath(
  DATA_COMMANDS.bench,
  positional.find((p) => !/^(scale|questions)=/.test(p)),
);
const { AnswerService } = await import("../answer/answerService.js");
const { Library } = await import("../library/Library.js");
const { matchPinnedQuestion } = await import("../pins/questionMatch.js");
const { SqlPinStore } = await import("../pins/SqlPinStore.js");
const { MEMORY, openSqlite } = await import("../store/sqlite/SqliteDatabase.js");
const { createLogger } = await import("../log.js");
const { buildIndex } = await import("../retrieval/paragraphIndex.js");
const { analyzeQuestion } = await import("../retrieval/question.js");
const { searchParagraphs } = await import("../retrieval/search.js");

function timeEach<T>(items: readonly T[], f: (item: T) => unknown): number[] {
  for (const item of items.slice(0, 50)) f(item); // warm-up: JIT and caches
  return items.map((item) => {
    const t = performance.now();
    f(item);
    return performance.now() - t;
  });
}

/** {@link timeEach} of a call that resolves later (a store read). */
async function timeEachAsync<T>(
  items: readonly T[],
  f: (item: T) => Promise<unknown>,
): Promise<number[]> {
  for (const item of items.slice(0, 50)) await f(item);
  const times: number[] = [];
  for (const item of items) {
    const t = performance.now();
    await f(item);
    times.push(performance.now() - t);
  }
  return times;
}

function timeOnce(f: () => unknown): number {
  const t = performance.now();
  f();
  return performance.now() - t;
}

/** How many paragraphs a library article of the live-library rows has: a long news story. */
const LIVE_ARTICLE_PARAGRAPHS = 10;

/**
 * A library of about `size` paragraphs from the SQuAD articles, cut into articles of
 * `LIVE_ARTICLE_PARAGRAPHS` paragraphs. Copy c of a paragraph ends with "Ref c-n." (n its
 * article), so no two paragraphs are identical and every copy adds a few words of its own, as
 * new stories add names.
 */
function liveLibrary(articles: readonly Article[], size: number): Article[] {
  const out: Article[] = [];
  let paragraphCount = 0;
  for (let c = 0; paragraphCount < size; c++) {
    for (const a of articles) {
      for (
        let from = 0;
        from < a.paragraphs.length && paragraphCount < size;
        from += LIVE_ARTICLE_PARAGRAPHS
      ) {
        const n = out.length;
        const paragraphs = a.paragraphs
          .slice(from, Math.min(from + LIVE_ARTICLE_PARAGRAPHS, from + size - paragraphCount))
          .map((text) => (c === 0 ? text : `${text} Ref ${c}-${n}.`));
        out.push({ id: `${a.id}-${c}-${from}`, title: a.title, paragraphs });
        paragraphCount += paragraphs.length;
      }
    }
  }
  return out;
}

/**
 * Median and p95 ms of removing, then adding back (as a new article, as a changed file is), each
 * of `operations` articles spread evenly over the library, and the time of one full build.
 */
function liveLibraryCosts(articles: readonly Article[], operations: number) {
  const build = timeOnce(() => Library.of(articles));
  const library = Library.of(articles);
  const step = Math.max(1, Math.floor(articles.length / operations));
  const picked = articles.filter((_, i) => i % step === 0).slice(0, operations);
  const removes: number[] = [];
  const adds: number[] = [];
  for (const article of picked) {
    removes.push(timeOnce(() => library.remove(article.id)));
    adds.push(timeOnce(() => library.add(article)));
  }
  return { build, removes, adds, library };
}

/** Total ms of `library.compact` and its longest step between two pauses (the loop's stall). */
async function compactCost(library: InstanceType<typeof Library>) {
  let longest = 0;
  let last = performance.now();
  const started = last;
  await library.compact(async () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    await new Promise((resolve) => setImmediate(resolve));
    last = performance.now();
  });
  return {
    total: performance.now() - started,
    longest: Math.max(longest, performance.now() - last),
  };
}

function scaled(articles: readonly Article[], copies: number): Article[] {
  const out: Article[] = [];
  for (let c = 0; c < copies; c++) {
    for (const a of articles) out.push({ ...a, id: `${a.id}-${c}` });
  }
  return out;
}

/**
 * The pipeline as it was before issue 10, as a baseline measured in the same run: no acronyms in
 * the index, no article evidence, WordNet's synonyms, derived forms and pertainyms only.
 */
const BEFORE_ISSUE_10_INDEX = { acronyms: false } as const;
const BEFORE_ISSUE_10_SEARCH = { inheritTitle: 0, inheritLede: 0, articleWeight: 0 } as const;

async function main(): Promise<void> {
  const { articles, questions } = readSquad(path);
  const copies = params.scale ?? 10;
  const sample = questions
    .filter(
      (_, i) => i % Math.max(1, Math.floor(questions.length / (params.questions ?? 2000))) === 0,
    )
    .map((q) => q.question);
  const big = scaled(articles, copies);
  // MiniSearch takes over 100 ms a question on the scaled corpus: fewer questions there.
  const few = sample.slice(0, 400);
  const paragraphs = (as: readonly Article[]) =>
    as.flatMap((a) => a.paragraphs.map((text) => ({ text })));
  const mini = (as: readonly Article[]) => {
    const m = new MiniSearch<{ id: number; text: string }>({ fields: ["text"] });
    m.addAll(paragraphs(as).map((p, id) => ({ id, text: p.text })));
    return m;
  };

  const lines = [
    `bench on ${new Date().toISOString().slice(0, 10)}, node ${process.version}: SQuAD v1.1 dev, ${articles.length} articles`,
    "",
    "| index build | paragraphs | newsdesk ms | MiniSearch ms |",
    "| --- | --- | --- | --- |",
  ];
  lines[2] =
    "| index build | paragraphs | newsdesk ms | newsdesk before issue 10 ms | MiniSearch ms |";
  lines[3] = "| --- | --- | --- | --- | --- |";
  for (const [label, corpus] of [
    ["SQuAD dev", articles],
    [`SQuAD dev x${copies}`, big],
  ] as const) {
    const before = timeOnce(() => buildIndex(corpus, BEFORE_ISSUE_10_INDEX));
    const ours = timeOnce(() => buildIndex(corpus));
    const theirs = timeOnce(() => mini(corpus));
    lines.push(
      `| ${label} | ${paragraphs(corpus).length} | ${ours.toFixed(0)} | ${before.toFixed(0)} | ${theirs.toFixed(0)} |`,
    );
  }

  const thesaurus = loadWordNet();
  const classic = loadWordNet(undefined, CLASSIC_WORDNET_OPTIONS);
  const index = buildIndex(articles);
  const beforeIndex = buildIndex(articles, BEFORE_ISSUE_10_INDEX);
  const search = (q: string) => searchParagraphs(index, analyzeQuestion(q, thesaurus), { top: 10 });
  const searchBefore = (q: string) =>
    searchParagraphs(beforeIndex, analyzeQuestion(q, classic), {
      top: 10,
      params: BEFORE_ISSUE_10_SEARCH,
    });
  // Both warmed up first, so that neither row pays the JIT's and the caches' first questions.
  timeEach(sample.slice(0, 200), search);
  timeEach(sample.slice(0, 200), searchBefore);
  const service = new AnswerService(articles, { thesaurus });
  const miniIndex = mini(articles);
  const bigIndex = buildIndex(big);
  const bigMini = mini(big);
  const rows: [string, number[]][] = [
    ["newsdesk analyze + search (SQuAD dev)", timeEach(sample, search)],
    ["newsdesk before issue 10, analyze + search (SQuAD dev)", timeEach(sample, searchBefore)],
    ["newsdesk AnswerService.ask, 3 excerpts (SQuAD dev)", timeEach(sample, (q) => service.ask(q))],
    ["MiniSearch search (SQuAD dev)", timeEach(sample, (q) => miniIndex.search(q))],
    [
      `newsdesk analyze + search (x${copies})`,
      timeEach(few, (q) => searchParagraphs(bigIndex, analyzeQuestion(q, thesaurus), { top: 10 })),
    ],
    [`MiniSearch search (x${copies})`, timeEach(few, (q) => bigMini.search(q))],
  ];
  lines.push(
    "",
    `| per question (${sample.length} questions) | median ms | p95 ms |`,
    "| --- | --- | --- |",
  );
  for (const [label, times] of rows) {
    lines.push(`| ${label} | ${median(times).toFixed(3)} | ${percentile(times, 95).toFixed(3)} |`);
  }

  lines.push(
    "",
    `| pinned-answer lookup (${few.length} questions) | median ms | p95 ms |`,
    "| --- | --- | --- |",
  );
  const all = questions.map((q) => q.question);
  for (const count of [100, 1000]) {
    // The pinned questions come from the end of the set, the asked ones from the start.
    const pinned = all.slice(-count);
    const database = await openSqlite(MEMORY);
    const store = new SqlPinStore(database, createLogger({ level: "error" }));
    for (const [i, question] of pinned.entries()) {
      await store.addPin({
        guildId: "1",
        channelId: "2",
        messageId: String(i + 10),
        question,
        citations: [],
        pinnedBy: "3",
        pinnedAt: i,
      });
    }
    const cached = await timeEachAsync(few, (q) => store.findPinnedAnswer("1", q));
    const raw = timeEach(few, (q) => matchPinnedQuestion(q, pinned, (p) => p));
    await database.close();
    for (const [label, times] of [
      [`newsdesk findPinnedAnswer, ${count} pins`, cached],
      [`match from raw text, ${count} pins (baseline)`, raw],
    ] as const) {
      lines.push(
        `| ${label} | ${median(times).toFixed(3)} | ${percentile(times, 95).toFixed(3)} |`,
      );
    }
  }
  lines.push(
    "",
    `| live library, one article of ${LIVE_ARTICLE_PARAGRAPHS} paragraphs | paragraphs | add median ms | add p95 ms | remove median ms | remove p95 ms | full build ms | compact ms (longest step) |`,
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
  );
  for (const size of [10_000, 100_000]) {
    const library = liveLibrary(articles, size);
    liveLibraryCosts(library.slice(0, 200), 50); // warm-up: JIT
    const { build, removes, adds, library: live } = liveLibraryCosts(library, 300);
    const compacted = await compactCost(live);
    lines.push(
      `| ${library.length} articles (${removes.length} operations) | ${size} | ${median(adds).toFixed(3)} | ${percentile(adds, 95).toFixed(3)} | ${median(removes).toFixed(3)} | ${percentile(removes, 95).toFixed(3)} | ${build.toFixed(0)} | ${compacted.total.toFixed(0)} (${compacted.longest.toFixed(1)}) |`,
    );
  }
  process.stdout.write(`${lines.join("\n")}\n`);
}

await main();
