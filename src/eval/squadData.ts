/** Reading SQuAD v1.1 (JSON) into newsdesk articles and questions, for the evaluations. */
import { readFileSync } from "node:fs";
import type { Article } from "../corpus/article.js";

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
