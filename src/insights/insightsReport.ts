/**
 * What `/insights` tells moderators about a period of a server's questions: the most asked
 * topics, the answers with the most 👎, the unanswered and low-confidence questions, the
 * articles cited most. Platform-neutral: the Discord embed is formatted in
 * src/discord/format/insights.ts.
 */
import { nextTurn } from "../nextTurn.js";
import type {
  AskedOutcome,
  AskedQuestion,
  QuestionPeriod,
  ShownCitation,
  VoteTally,
} from "../votes/types.js";
import { groupQuestions, type Phrasing, type Topic } from "./groupQuestions.js";
import { forEachQuestionPage, type QuestionPages, type ReadOptions } from "./readQuestions.js";

/** How many of each list a report keeps (the embed shows what fits). */
export const REPORT_TOP = 10;

/** A question counted over its phrasings with the same key (as `/unanswered` counts). */
export interface QuestionCount {
  /** As last asked. */
  readonly question: string;
  readonly count: number;
}

/** An answer members voted down. */
export interface DownVotedAnswer {
  readonly question: string;
  readonly at: number;
  readonly outcome: AskedOutcome;
  readonly votes: VoteTally;
  readonly reasons: AskedQuestion["reasons"];
  /** What the answer cited, first shown first. */
  readonly citations: readonly ShownCitation[];
}

/** An article and how many answers cited it. */
export interface CitedArticle {
  readonly articleId: string;
  /** As last cited. */
  readonly title: string;
  /** Answers that cited it (once each, whatever the paragraphs). */
  readonly answers: number;
  /** 👎 on those answers. */
  readonly down: number;
}

/** A period's questions, summed up. */
export interface InsightsReport {
  readonly period: Required<QuestionPeriod>;
  readonly total: number;
  readonly outcomes: Readonly<Record<AskedOutcome, number>>;
  readonly votes: VoteTally;
  /** Similar questions grouped, most asked first. */
  readonly topics: readonly Topic[];
  /** Most 👎 first; only answers with at least one. */
  readonly mostDown: readonly DownVotedAnswer[];
  /** Questions the articles did not answer, most asked first. */
  readonly unanswered: readonly QuestionCount[];
  /** Questions answered with low confidence, most asked first. */
  readonly lowConfidence: readonly QuestionCount[];
  /** Most cited first. */
  readonly cited: readonly CitedArticle[];
}

interface KeyCount {
  question: string;
  count: number;
  lastAt: number;
}

function countKey(map: Map<string, KeyCount>, question: AskedQuestion): void {
  const entry = map.get(question.questionKey);
  if (entry === undefined) {
    map.set(question.questionKey, { question: question.question, count: 1, lastAt: question.at });
    return;
  }
  entry.count += 1;
  entry.question = question.question;
  entry.lastAt = question.at;
}

/** Most asked first, then the most recently asked. */
function topCounts(map: ReadonlyMap<string, KeyCount>): QuestionCount[] {
  return [...map.values()]
    .sort((a, b) => b.count - a.count || b.lastAt - a.lastAt)
    .slice(0, REPORT_TOP)
    .map(({ question, count }) => ({ question, count }));
}

/** Takes questions page by page (oldest first), then sums them up. */
export class InsightsCollector {
  readonly #period: Required<QuestionPeriod>;
  #total = 0;
  readonly #outcomes: Record<AskedOutcome, number> = { high: 0, low: 0, abstained: 0, pinned: 0 };
  #up = 0;
  #down = 0;
  readonly #phrasings = new Map<string, { count: number; question: string; terms: string[] }>();
  readonly #unanswered = new Map<string, KeyCount>();
  readonly #low = new Map<string, KeyCount>();
  readonly #downVoted: DownVotedAnswer[] = [];
  readonly #cited = new Map<string, { title: string; answers: number; down: number }>();

  constructor(period: Required<QuestionPeriod>) {
    this.#period = period;
  }

  /** Counts a page of questions in. */
  add(questions: readonly AskedQuestion[]): void {
    for (const question of questions) {
      this.#total += 1;
      this.#outcomes[question.outcome] += 1;
      this.#up += question.votes.up;
      this.#down += question.votes.down;
      const phrasing = this.#phrasings.get(question.questionKey);
      if (phrasing === undefined) {
        this.#phrasings.set(question.questionKey, {
          count: 1,
          question: question.question,
          // The stored key is the matcher's terms joined by spaces (questionKey): no text
          // pipeline (nor its language models) needed to compare questions as pins are.
          terms: question.questionKey.split(" ").filter((term) => term !== ""),
        });
      } else {
        phrasing.count += 1;
        phrasing.question = question.question;
      }
      if (question.outcome === "abstained") countKey(this.#unanswered, question);
      if (question.outcome === "low") countKey(this.#low, question);
      if (question.votes.down > 0) {
        const { citations, votes, reasons, outcome, at } = question;
        this.#downVoted.push({
          question: question.question,
          at,
          outcome,
          votes,
          reasons,
          citations,
        });
      }
      for (const articleId of new Set(question.citations.map((c) => c.articleId))) {
        const title = question.citations.find((c) => c.articleId === articleId)?.title ?? "";
        const entry = this.#cited.get(articleId) ?? { title, answers: 0, down: 0 };
        entry.title = title;
        entry.answers += 1;
        entry.down += question.votes.down;
        this.#cited.set(articleId, entry);
      }
    }
  }

  /**
   * The report of what was added.
   * @param pause - awaited between slices of the grouping (`nextTurn` in the bot)
   */
  async finish(pause?: () => Promise<void>): Promise<InsightsReport> {
    const phrasings: Phrasing[] = [...this.#phrasings].map(([key, p]) => ({ key, ...p }));
    const topics = await groupQuestions(phrasings, pause);
    return {
      period: this.#period,
      total: this.#total,
      outcomes: { ...this.#outcomes },
      votes: { up: this.#up, down: this.#down },
      topics: topics.slice(0, REPORT_TOP),
      // Most 👎, then the most disputed (fewest 👍), then the newest.
      mostDown: [...this.#downVoted]
        .sort((a, b) => b.votes.down - a.votes.down || a.votes.up - b.votes.up || b.at - a.at)
        .slice(0, REPORT_TOP),
      unanswered: topCounts(this.#unanswered),
      lowConfidence: topCounts(this.#low),
      cited: [...this.#cited]
        .map(([articleId, c]) => ({ articleId, ...c }))
        .sort((a, b) => b.answers - a.answers || (a.articleId < b.articleId ? -1 : 1))
        .slice(0, REPORT_TOP),
    };
  }
}

/**
 * The report of a guild's questions of `period`, read in pages with the event loop let run
 * between them and between slices of the grouping.
 */
export async function buildInsights(
  source: QuestionPages,
  guildId: string,
  period: Required<QuestionPeriod>,
  options: ReadOptions = {},
): Promise<InsightsReport> {
  const collector = new InsightsCollector(period);
  await forEachQuestionPage(source, guildId, period, (page) => collector.add(page), options);
  return collector.finish(options.pause ?? nextTurn);
}
