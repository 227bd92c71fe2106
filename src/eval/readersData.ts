/**
 * Reading the reader-question set for `npm run eval:readers`: questions a member of a news server
 * asks, over BBC articles, and off-topic questions the library cannot answer (see SOURCE.md in
 * `reader-questions/`). The library they are asked of is the seed article plus every distinct
 * BBC article, as a news server's library looks.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Article } from "../corpus/article.js";
import { loadCorpus } from "../corpus/loadCorpus.js";
import { DEFAULT_DATA_DIR } from "../paths.js";
import { readBbc } from "./summaryData.js";

/** Where the set lives under the datasets folder. */
export const READER_FILES = {
  questions: "reader-questions/bbc-reader-dev.jsonl",
  offTopic: "reader-questions/offtopic-dev.jsonl",
} as const;

/** Which half of the set a question belongs to: parameters are chosen on "tune" only. */
export type Half = "tune" | "check";

/** A question the library answers, with where and what the answer is. */
export interface ReaderQuestion {
  readonly q: string;
  /** The BBC record id, e.g. "business/041" (the article's id in the library). */
  readonly article: string;
  /** 1-based body paragraph. */
  readonly paragraph: number;
  /** An exact substring of the answering paragraph: a citation is right when it contains it. */
  readonly expect: string;
  readonly kind: "lexical" | "paraphrase";
  readonly half: Half;
}

/** A question no article answers. */
export interface OffTopicQuestion {
  readonly q: string;
  readonly half: Half;
}

function readJsonLines(file: string): Record<string, unknown>[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/**
 * The answerable questions, each in the half of its article: the articles in order of first
 * appearance, alternately "tune" and "check", so that both questions of an article fall in the
 * same half (tuning on one question of an article would leak into its sibling).
 * @param datasets - the datasets folder
 */
export function readReaderQuestions(datasets: string): ReaderQuestion[] {
  const halves = new Map<string, Half>();
  return readJsonLines(path.join(datasets, READER_FILES.questions)).map((r) => {
    const article = String(r.article);
    if (!halves.has(article)) halves.set(article, halves.size % 2 === 0 ? "tune" : "check");
    return {
      q: String(r.q),
      article,
      paragraph: Number(r.paragraph),
      expect: String(r.expect),
      kind: r.kind === "paraphrase" ? "paraphrase" : "lexical",
      half: halves.get(article) ?? "tune",
    };
  });
}

/** The off-topic questions, alternately "tune" and "check". */
export function readOffTopicQuestions(datasets: string): OffTopicQuestion[] {
  return readJsonLines(path.join(datasets, READER_FILES.offTopic)).map((r, i) => ({
    q: String(r.q),
    half: i % 2 === 0 ? "tune" : "check",
  }));
}

/**
 * The library the reader questions are asked of: the bundled seed article, then every distinct
 * BBC News Summary article (see `readBbc`).
 * @param datasets - the datasets folder
 */
export async function readerLibrary(datasets: string): Promise<Article[]> {
  const seed = await loadCorpus(DEFAULT_DATA_DIR);
  return [...seed.articles, ...readBbc(datasets).map((c) => c.article)];
}
