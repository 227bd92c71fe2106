/**
 * `npm run eval:abstain -- PATH/dev-v1.1.json`
 *
 * Calibrates the abstention threshold (`MIN_RELEVANCE` in src/answer/answerService.ts) on SQuAD
 * v1.1 dev: the articles at even positions are indexed; their questions must be answered
 * (in-corpus), the questions of the articles at odd positions must not (off-corpus: same kind
 * of text, other topics). For each threshold on the best hit's `relevance` it prints how many
 * in-corpus questions are still answered (and answered with the gold paragraph first) and how
 * many off-corpus questions are abstained on; the threshold with the best balanced accuracy is
 * the one to use.
 */
import { loadWordNet } from "../lexicon/wordnet.js";
import { DATA_COMMANDS, requireDataPath } from "./dataPath.js";
import { parseArgs } from "./metrics.js";
import { readSquad } from "./squadData.js";

// The data path is checked before the retrieval modules load compromise (most of a second).
const path = requireDataPath(
  DATA_COMMANDS["eval:abstain"],
  parseArgs(process.argv.slice(2)).positional[0],
);
const { MIN_RELEVANCE } = await import("../answer/answerService.js");
const { buildIndex } = await import("../retrieval/paragraphIndex.js");
const { analyzeQuestion } = await import("../retrieval/question.js");
const { searchParagraphs } = await import("../retrieval/search.js");

function main(): void {
  const { articles, questions } = readSquad(path);
  const indexed = articles.filter((_, i) => i % 2 === 0);
  const index = buildIndex(indexed);
  const thesaurus = loadWordNet();
  // Document ids of the gold paragraphs in the half-corpus.
  const firstDoc = new Map<number, number>();
  let doc = 0;
  articles.forEach((a, i) => {
    if (i % 2 === 0) {
      firstDoc.set(i, doc);
      doc += a.paragraphs.length;
    }
  });
  const globalFirst: number[] = [];
  let g = 0;
  for (const a of articles) {
    globalFirst.push(g);
    g += a.paragraphs.length;
  }

  const inCorpus: { relevance: number; correct: boolean }[] = [];
  const offCorpus: number[] = [];
  for (const q of questions) {
    const best = searchParagraphs(index, analyzeQuestion(q.question, thesaurus), { top: 1 })
      .hits[0];
    const relevance = best?.relevance ?? 0;
    const start = firstDoc.get(q.article);
    if (start === undefined) {
      offCorpus.push(relevance);
    } else {
      const gold = start + (q.gold - (globalFirst[q.article] ?? 0));
      inCorpus.push({ relevance, correct: best?.doc === gold });
    }
  }

  const lines = [
    `abstention on SQuAD v1.1 dev: ${indexed.length} articles indexed, ${inCorpus.length} in-corpus and ${offCorpus.length} off-corpus questions`,
    "| threshold | in-corpus answered | answered with gold first | off-corpus abstained | balanced accuracy |",
    "| --- | --- | --- | --- | --- |",
  ];
  let best = { threshold: 0, balanced: 0 };
  for (let t = 0; t <= 100; t += 5) {
    const threshold = t / 100;
    const answered = inCorpus.filter((q) => q.relevance >= threshold);
    const correct = answered.filter((q) => q.correct).length;
    const abstained = offCorpus.filter((r) => r < threshold).length;
    const tpr = answered.length / inCorpus.length;
    const tnr = abstained / offCorpus.length;
    const balanced = (tpr + tnr) / 2;
    if (balanced > best.balanced) best = { threshold, balanced };
    const mark = Math.abs(threshold - MIN_RELEVANCE) < 1e-9 ? " (in use)" : "";
    lines.push(
      `| ${threshold.toFixed(2)}${mark} | ${tpr.toFixed(3)} | ${(correct / inCorpus.length).toFixed(3)} | ${tnr.toFixed(3)} | ${balanced.toFixed(3)} |`,
    );
  }
  lines.push(
    `best balanced accuracy ${best.balanced.toFixed(3)} at threshold ${best.threshold.toFixed(2)}; MIN_RELEVANCE is ${MIN_RELEVANCE}`,
  );
  process.stdout.write(`${lines.join("\n")}\n`);
}

main();
