/**
 * Reading the answer-sentence selection sets (TrecQA, WikiQA) for `npm run eval:answers`.
 * The files stay where they are (their licences allow evaluation, not redistribution): see
 * SOURCE.md beside each of them.
 */
import { readFileSync } from "node:fs";

export interface Candidate {
  readonly text: string;
  readonly positive: boolean;
}

/** One question and its candidate sentences, in the file's order. */
export interface SelectionQuestion {
  readonly id: string;
  readonly question: string;
  /** The Wikipedia page the candidates come from (WikiQA); TrecQA has none. */
  readonly title: string;
  readonly candidates: readonly Candidate[];
}

const PTB_BRACKETS: Readonly<Record<string, string>> = {
  "-LRB-": "(",
  "-RRB-": ")",
  "-LSB-": "[",
  "-RSB-": "]",
  "-LCB-": "{",
  "-RCB-": "}",
};

/**
 * Undoes the Penn Treebank tokenization artefacts that would change how newsdesk splits text:
 * bracket tokens, `` and '' quotes, spaces before punctuation and clitics ("Ms . Palmer 's" ->
 * "Ms. Palmer's"; the stray " . " would otherwise end a sentence). Harmless on raw text, so it
 * is applied to WikiQA too, whose sentences are partly tokenized ("slave trade .").
 */
export function detokenize(text: string): string {
  return text
    .replace(/-[LR][RSC]B-/g, (token) => PTB_BRACKETS[token] ?? token)
    .replace(/``\s*/g, '"')
    .replace(/\s*''/g, '"')
    .replace(/(^|\s)`\s*/g, "$1'")
    .replace(/\s+'(?=\s|$)/g, "'")
    .replace(/([([{$])\s+/g, "$1")
    .replace(/\s+([.,;:?!%)\]}])/g, "$1")
    .replace(/\s+(n't|'s|'re|'ve|'ll|'d|'m)(?![\p{L}\p{N}])/giu, "$1")
    .replace(/\s{2,}/g, " ")
    .trim();
}

interface TrecQaLine {
  qid: string;
  question: string;
  candidates: { text: string; label: number }[];
}

/**
 * Reads TrecQA (JSON Lines, one question per line with its labelled candidates).
 * @param path - e.g. `trecqa/trecqa_test.jsonl`
 */
export function readTrecQa(path: string): SelectionQuestion[] {
  const out: SelectionQuestion[] = [];
  readFileSync(path, "utf8")
    .split("\n")
    .forEach((line, i) => {
      if (!line.trim()) return;
      let q: TrecQaLine;
      try {
        q = JSON.parse(line) as TrecQaLine;
      } catch (error) {
        throw new Error(`eval: ${path} line ${i + 1}: not JSON (${(error as Error).message})`);
      }
      if (typeof q.question !== "string" || !Array.isArray(q.candidates)) {
        throw new Error(`eval: ${path} line ${i + 1}: expected {qid, question, candidates}`);
      }
      out.push({
        id: String(q.qid),
        question: detokenize(q.question),
        title: "",
        candidates: q.candidates.map((c) => ({
          text: detokenize(c.text),
          positive: c.label === 1,
        })),
      });
    });
  return out;
}

/** WikiQA's header: the columns of every row, in order. */
export const WIKIQA_COLUMNS = [
  "QuestionID",
  "Question",
  "DocumentID",
  "DocumentTitle",
  "SentenceID",
  "Sentence",
  "Label",
] as const;

/**
 * Reads WikiQA (tab-separated with a header, no quoting: a `"` is part of the text), one row
 * per question-sentence pair, grouped by QuestionID in the order questions first appear.
 * @param path - e.g. `wikiqa/WikiQA-test.tsv`
 */
export function readWikiQa(path: string): SelectionQuestion[] {
  const lines = readFileSync(path, "utf8").split(/\r?\n/);
  const header = (lines[0] ?? "").split("\t");
  if (WIKIQA_COLUMNS.some((column, i) => header[i] !== column)) {
    throw new Error(`eval: ${path} line 1: expected the header ${WIKIQA_COLUMNS.join(" ")}`);
  }
  const byId = new Map<string, { question: string; title: string; candidates: Candidate[] }>();
  lines.slice(1).forEach((line, i) => {
    if (!line.trim()) return;
    const [id, question, , title, , sentence, label] = line.split("\t");
    if (id === undefined || sentence === undefined || (label !== "0" && label !== "1")) {
      throw new Error(`eval: ${path} line ${i + 2}: expected 7 tab-separated fields, Label 0 or 1`);
    }
    let q = byId.get(id);
    if (!q) {
      q = { question: detokenize(question ?? ""), title: title ?? "", candidates: [] };
      byId.set(id, q);
    }
    q.candidates.push({ text: detokenize(sentence), positive: label === "1" });
  });
  return [...byId].map(([id, q]) => ({ id, ...q }));
}
