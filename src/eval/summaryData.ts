/**
 * Reading the summarization sets for `npm run eval:summary`. The files stay where they are
 * (their licences allow research and evaluation, not redistribution): see SOURCE.md beside each.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Article } from "../corpus/article.js";

/** One article with its reference summary. */
export interface SummaryCase {
  readonly article: Article;
  /** The reference summary's sentences. */
  readonly reference: readonly string[];
}

/** Where each set lives under the datasets folder. */
export const SUMMARY_FILES = {
  cnndm: "cnndm-xsum-frank/cnndm_test_frank250.jsonl",
  bbc: "bbc-news-summary/bbc_news_summary.jsonl",
} as const;

function readJsonLines<T>(file: string): T[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as T);
}

interface CnnDmRecord {
  id: string;
  url: string;
  article: string;
  reference: string;
}

/**
 * CNN/DailyMail test articles (the FRANK sample) with their highlights. The article text has no
 * paragraph breaks, so it is one paragraph; the highlights are joined by " . " (PTB spacing).
 * @param datasets - the datasets folder (the one holding `cnndm-xsum-frank/`)
 */
export function readCnnDm(datasets: string): SummaryCase[] {
  return readJsonLines<CnnDmRecord>(path.join(datasets, SUMMARY_FILES.cnndm)).map((r) => ({
    article: { id: r.id, title: "", url: r.url, paragraphs: [r.article.trim()] },
    reference: r.reference
      .split(/\s+\.\s+|\s+\.$/)
      .map((s) => s.trim())
      .filter((s) => s !== ""),
  }));
}

interface BbcRecord {
  id: string;
  title: string;
  article: string;
  summary: string;
}

/**
 * The sentences of a BBC News Summary reference, which are glued together with no space after
 * the full stop ("...$10.9bn.For the full-year..."): a break goes after a sentence end (with its
 * closing quote) that is directly followed by a capital letter or an opening quote. A full stop
 * between digits ("$10.9bn") or after a single capital ("U.S") is not a break.
 */
export function splitGluedSentences(summary: string): string[] {
  return summary
    .replace(/(?<![\s.][A-Z])([.!?]["'”’]?)(?=["“‘]?[A-Z])/g, "$1\n")
    .split("\n")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/**
 * BBC News Summary (Kaggle): the article's first line is its title, then paragraphs separated by
 * blank lines. The 98 exact duplicate article texts are dropped (the first copy is kept), which
 * leaves 2,127 articles.
 * @param datasets - the datasets folder (the one holding `bbc-news-summary/`)
 */
export function readBbc(datasets: string): SummaryCase[] {
  const seen = new Set<string>();
  const out: SummaryCase[] = [];
  for (const r of readJsonLines<BbcRecord>(path.join(datasets, SUMMARY_FILES.bbc))) {
    if (seen.has(r.article)) continue;
    seen.add(r.article);
    const lines = r.article.replace(/\r\n?/g, "\n").split("\n");
    const body = lines.slice(1).join("\n");
    const paragraphs = body
      .split(/\n\s*\n/)
      .map((p) => p.trim())
      .filter((p) => p !== "");
    out.push({
      article: { id: r.id, title: r.title.trim(), paragraphs },
      reference: splitGluedSentences(r.summary),
    });
  }
  return out;
}
