/**
 * `npm run eval:answers -- DIR [--misses]`
 *
 * Answer-sentence selection on TrecQA test (news) and WikiQA test, held out: nothing in newsdesk
 * was tuned on them, so they check that retrieval tuned on SQuAD generalizes. DIR holds
 * `trecqa/trecqa_test.jsonl` and `wikiqa/WikiQA-test.tsv` (read in place, never copied; see
 * their SOURCE.md for formats and licences). Each question's candidate sentences are a corpus of
 * their own (one article, one paragraph per sentence, so IDF is per question, as in the
 * published baselines); every ranker scores them all. MAP, MRR and P@1 are over the "clean"
 * questions, those with at least one positive and one negative candidate.
 *
 * Ties are broken at random, in expectation (McSherry & Najork, "Computing Information Retrieval
 * Performance Measures Efficiently in the Presence of Tied Scores", ECIR 2008), never by file
 * order: both files list a question's positive candidates first, so file order alone scores
 * MAP 1.0 on TrecQA, and any ranker that left ties (or unscored candidates) in file order would
 * be credited for it.
 *
 * Rankers, in the same run on the same questions: newsdesk (WordNet, default parameters), natural
 * TfIdf, MiniSearch's default BM25, a word-overlap count (Yang et al. 2015's "Word Cnt") and
 * random order; plus newsdesk over one index of the whole set, searched one article at a time
 * (a diagnostic of how much per-question IDF costs it). `--misses` prints newsdesk's TrecQA
 * misses (top candidate not positive) both ways, to stderr.
 */
import { createRequire } from "node:module";
import { join } from "node:path";
import MiniSearch from "minisearch";
import { loadWordNet } from "../lexicon/wordnet.js";
import type { Thesaurus } from "../retrieval/thesaurus.js";
import { readTrecQa, readWikiQa, type SelectionQuestion } from "./answerSelectionData.js";
import { DATA_COMMANDS, DATA_SETS, requireDataPath } from "./dataPath.js";
import { median, parseArgs } from "./metrics.js";

const require = createRequire(import.meta.url);

const TRECQA = DATA_SETS.trecqa.file;
const WIKIQA = DATA_SETS.wikiqa.file;

// The data is checked before the retrieval modules load compromise (most of a second).
const { positional, flags } = parseArgs(process.argv.slice(2));
const dir = requireDataPath(DATA_COMMANDS["eval:answers"], positional[0]);
const { MIN_RELEVANCE } = await import("../answer/answerService.js");
const { buildIndex } = await import("../retrieval/paragraphIndex.js");
const { analyzeQuestion } = await import("../retrieval/question.js");
const { searchParagraphs } = await import("../retrieval/search.js");

/** A score per candidate, in candidate order; higher ranks first, equal scores tie. */
interface Scored {
  readonly scores: readonly number[];
  /** newsdesk only: the relevance of its best hit, 0 when nothing matched. */
  readonly relevance?: number;
}

type Scorer = (q: SelectionQuestion) => Scored;

interface SelectionMetrics {
  readonly map: number;
  readonly mrr: number;
  readonly precisionAt1: number;
}

interface SelectionRow extends SelectionMetrics {
  readonly name: string;
  readonly msPerQuestion: number;
  readonly medianMs: number;
}

/** Candidates a scorer did not score at all: one tie at the bottom. */
const UNSCORED = Number.NEGATIVE_INFINITY;

/**
 * Expected average precision, reciprocal rank and precision at 1 of one ranking when tied
 * scores are ordered uniformly at random. Within a tie of g candidates holding p positives, after
 * `before` candidates holding `positivesBefore` positives: a positive at tie position j has
 * (j - 1)(p - 1)/(g - 1) other positives ahead of it inside the tie in expectation, and the
 * precision at its rank is linear in that count, so the expectation is exact.
 * @param scores - per candidate; NaN counts as unscored
 * @param positive - per candidate, the gold label
 */
function expectedMetrics(
  scores: readonly number[],
  positive: readonly boolean[],
): SelectionMetrics {
  const s = scores.map((x) => (Number.isNaN(x) ? UNSCORED : x));
  const order = s.map((_, i) => i).sort((a, b) => (s[b] as number) - (s[a] as number) || a - b);
  const total = positive.filter(Boolean).length;
  let map = 0;
  let mrr = 0;
  let precisionAt1 = 0;
  let before = 0;
  let positivesBefore = 0;
  for (let start = 0; start < order.length; ) {
    let end = start + 1;
    while (end < order.length && s[order[end] as number] === s[order[start] as number]) end++;
    const g = end - start;
    const p = order.slice(start, end).filter((i) => positive[i]).length;
    if (start === 0) precisionAt1 = p / g;
    if (p > 0 && positivesBefore === 0) {
      // P(the tie's first positive is at position k) = P(k - 1 negatives first) * p / (g - k + 1).
      let allNegativeSoFar = 1;
      for (let k = 1; k <= g - p + 1; k++) {
        mrr += (allNegativeSoFar * (p / (g - k + 1))) / (before + k);
        allNegativeSoFar *= (g - p - (k - 1)) / (g - (k - 1));
      }
    }
    for (let j = 1; j <= g; j++) {
      const positivesAhead = g > 1 ? ((j - 1) * (p - 1)) / (g - 1) : 0;
      map += (p / g) * ((positivesBefore + 1 + positivesAhead) / (before + j));
    }
    before += g;
    positivesBefore += p;
    start = end;
  }
  return { map: total ? map / total : 0, mrr, precisionAt1 };
}

function isClean(q: SelectionQuestion): boolean {
  return q.candidates.some((c) => c.positive) && q.candidates.some((c) => !c.positive);
}

function newsdeskScorer(thesaurus: Thesaurus): Scorer {
  return (q) => {
    const index = buildIndex([
      { id: q.id, title: q.title, paragraphs: q.candidates.map((c) => c.text) },
    ]);
    const { hits } = searchParagraphs(index, analyzeQuestion(q.question, thesaurus), {
      top: q.candidates.length,
    });
    // One article, so document ids are candidate positions.
    const scores = q.candidates.map(() => UNSCORED);
    for (const hit of hits) scores[hit.doc] = hit.score;
    return { scores, relevance: hits[0]?.relevance ?? 0 };
  };
}

/**
 * newsdesk with one index for the whole set (one article per question) and each search limited
 * to the question's article: the same ranking features, but IDF counts over every candidate of
 * the set, so a question's topic words, which most of its own candidates repeat, keep weight.
 */
function newsdeskSharedScorer(
  questions: readonly SelectionQuestion[],
  thesaurus: Thesaurus,
): { score: Scorer; buildMs: number } {
  const started = performance.now();
  const index = buildIndex(
    questions.map((q, i) => ({
      id: `${i}`,
      title: q.title,
      paragraphs: q.candidates.map((c) => c.text),
    })),
  );
  const buildMs = performance.now() - started;
  const articleOf = new Map(questions.map((q, i) => [q, i]));
  const score: Scorer = (q) => {
    const article = articleOf.get(q);
    if (article === undefined) throw new Error(`eval: question ${q.id} is not in the shared index`);
    const first = index.articleStart[article] ?? 0;
    const { hits } = searchParagraphs(index, analyzeQuestion(q.question, thesaurus), {
      top: q.candidates.length,
      article,
    });
    const scores = q.candidates.map(() => UNSCORED);
    for (const hit of hits) scores[hit.doc - first] = hit.score;
    return { scores, relevance: hits[0]?.relevance ?? 0 };
  };
  return { score, buildMs };
}

const miniSearchScorer: Scorer = (q) => {
  const mini = new MiniSearch<{ id: number; text: string }>({ fields: ["text"] });
  mini.addAll(q.candidates.map((c, id) => ({ id, text: c.text })));
  const scores = q.candidates.map(() => UNSCORED);
  for (const r of mini.search(q.question)) scores[r.id as number] = r.score;
  return { scores };
};

const naturalTfIdfScorer: Scorer = (q) => {
  const TfIdf = require("natural/lib/natural/tfidf/tfidf.js") as {
    new (): {
      addDocument(text: string): void;
      tfidfs(text: string, callback: (i: number, measure: number) => void): void;
    };
  };
  const tfidf = new TfIdf();
  for (const c of q.candidates) tfidf.addDocument(c.text);
  const scores = q.candidates.map(() => UNSCORED);
  tfidf.tfidfs(q.question, (i, measure) => {
    if (measure > 0) scores[i] = measure;
  });
  return { scores };
};

const { words: stopwords } = require("natural/lib/natural/util/stopwords.js") as {
  words: string[];
};
const STOPWORDS = new Set(stopwords);
const contentWords = (text: string): Set<string> =>
  new Set((text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => !STOPWORDS.has(w)));

/** How many distinct non-stopwords of the question the sentence contains (no stemming). */
const wordOverlapScorer: Scorer = (q) => {
  const asked = contentWords(q.question);
  return {
    scores: q.candidates.map((c) => {
      let n = 0;
      for (const w of contentWords(c.text)) if (asked.has(w)) n++;
      return n;
    }),
  };
};

/** Every candidate tied: the floor any ranker must beat. */
const randomScorer: Scorer = (q) => ({ scores: q.candidates.map(() => 0) });

interface Evaluation {
  readonly row: SelectionRow;
  readonly results: readonly Scored[];
}

function evaluate(
  name: string,
  score: Scorer,
  questions: readonly SelectionQuestion[],
): Evaluation {
  const results: Scored[] = [];
  const perQuestion: number[] = [];
  let map = 0;
  let mrr = 0;
  let precisionAt1 = 0;
  let clean = 0;
  for (const q of questions) {
    const started = performance.now();
    const scored = score(q);
    perQuestion.push(performance.now() - started);
    results.push(scored);
    if (!isClean(q)) continue;
    const m = expectedMetrics(
      scored.scores,
      q.candidates.map((c) => c.positive),
    );
    map += m.map;
    mrr += m.mrr;
    precisionAt1 += m.precisionAt1;
    clean++;
  }
  const n = Math.max(1, clean);
  const total = perQuestion.reduce((sum, ms) => sum + ms, 0);
  return {
    row: {
      name,
      map: map / n,
      mrr: mrr / n,
      precisionAt1: precisionAt1 / n,
      msPerQuestion: total / Math.max(1, questions.length),
      medianMs: median(perQuestion),
    },
    results,
  };
}

/** A markdown table, like `formatTable` in metrics.ts, for ranking metrics of this task. */
function formatSelectionTable(rows: readonly SelectionRow[]): string {
  const lines = [
    "| ranker | MAP | MRR | P@1 | ms/question (mean) | ms/question (median) |",
    "| --- | --- | --- | --- | --- | --- |",
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.name} | ${r.map.toFixed(3)} | ${r.mrr.toFixed(3)} | ${r.precisionAt1.toFixed(3)} | ${r.msPerQuestion.toFixed(3)} | ${r.medianMs.toFixed(3)} |`,
    );
  }
  return lines.join("\n");
}

const share = (part: number, whole: number) =>
  `${part}/${whole} (${whole ? ((100 * part) / whole).toFixed(1) : "-"}%)`;

/** How `MIN_RELEVANCE`, calibrated on SQuAD, behaves here: informational, nothing is tuned. */
function abstentionLine(questions: readonly SelectionQuestion[], results: readonly Scored[]) {
  const answered = (i: number) => (results[i]?.relevance ?? 0) >= MIN_RELEVANCE;
  const clean = questions.flatMap((q, i) => (isClean(q) ? [i] : []));
  const unanswerable = questions.flatMap((q, i) =>
    q.candidates.some((c) => c.positive) ? [] : [i],
  );
  const cleanAnswered = clean.filter(answered).length;
  const abstained = unanswerable.filter((i) => !answered(i)).length;
  return (
    `newsdesk at MIN_RELEVANCE ${MIN_RELEVANCE} (informational): answers ${share(cleanAnswered, clean.length)} of the clean questions; ` +
    (unanswerable.length
      ? `abstains on ${share(abstained, unanswerable.length)} of the questions with no positive candidate`
      : "no question here lacks a positive candidate (this split keeps only answered ones)")
  );
}

/** newsdesk's clean questions whose top candidate (best score, first of a tie) is negative. */
function formatMisses(questions: readonly SelectionQuestion[], results: readonly Scored[]): string {
  const out: string[] = [];
  questions.forEach((q, i) => {
    const scores = results[i]?.scores;
    if (!scores || !isClean(q)) return;
    const order = scores.map((_, j) => j).sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0));
    const top = order[0] as number;
    if (q.candidates[top]?.positive) return;
    const rank = order.findIndex((j) => q.candidates[j]?.positive);
    const gold = order[rank] as number;
    const fmt = (j: number) => `${(scores[j] ?? 0).toFixed(2)} ${q.candidates[j]?.text}`;
    out.push(
      `## ${q.id} ${q.question}  (relevance ${(results[i]?.relevance ?? 0).toFixed(2)})`,
      `  top:       ${fmt(top)}`,
      `  gold #${rank + 1}: ${fmt(gold)}`,
    );
  });
  return out.join("\n");
}

function main(): void {
  const loading = performance.now();
  const thesaurus = loadWordNet();
  const wordnetMs = performance.now() - loading;
  const sets = [
    { name: "TrecQA test (news)", path: TRECQA, questions: readTrecQa(join(dir, TRECQA)) },
    { name: "WikiQA test", path: WIKIQA, questions: readWikiQa(join(dir, WIKIQA)) },
  ];
  const out: string[] = [];
  for (const set of sets) {
    const { questions } = set;
    const clean = questions.filter(isClean).length;
    const pairs = questions.reduce((sum, q) => sum + q.candidates.length, 0);
    process.stderr.write(`${set.name}: ${questions.length} questions, ${clean} clean\n`);
    const newsdesk = evaluate("newsdesk (WordNet, defaults)", newsdeskScorer(thesaurus), questions);
    const shared = newsdeskSharedScorer(questions, thesaurus);
    const sharedRun = evaluate(
      "newsdesk, one index for the set (diagnostic)",
      shared.score,
      questions,
    );
    const rows = [
      newsdesk.row,
      sharedRun.row,
      evaluate("MiniSearch (default BM25)", miniSearchScorer, questions).row,
      evaluate("natural TfIdf", naturalTfIdfScorer, questions).row,
      evaluate("word overlap count", wordOverlapScorer, questions).row,
      evaluate("random order", randomScorer, questions).row,
    ];
    out.push(
      `### ${set.name}: ${set.path}, ${questions.length} questions, ${pairs} candidates; MAP/MRR/P@1 over ${clean} clean questions (a positive and a negative candidate); ties broken at random, in expectation`,
      "",
      formatSelectionTable(rows),
      "",
      abstentionLine(questions, newsdesk.results),
      `one index for the set: built in ${shared.buildMs.toFixed(0)} ms (not in its ms/question); ${abstentionLine(questions, sharedRun.results)}`,
      "",
    );
    if (flags.has("misses") && set.path === TRECQA) {
      process.stderr.write(
        `# newsdesk misses, one index per question\n${formatMisses(questions, newsdesk.results)}\n` +
          `# newsdesk misses, one index for the set\n${formatMisses(questions, sharedRun.results)}\n`,
      );
    }
  }
  out.push(
    `Timing is per question, index build included (one index per question); WordNet loaded once in ${wordnetMs.toFixed(0)} ms.`,
  );
  process.stdout.write(`${out.join("\n")}\n`);
}

main();
