/**
 * Article and topic summaries: the chosen sentences with their citations, plus key entities.
 * Pure: callers pass the article, or the passages they retrieved for a topic.
 */
import { DEFAULT_SUMMARY_SENTENCES } from "../constants.js";
import type { Article } from "../corpus/article.js";
import { withDefaults } from "./defaults.js";
import { keyEntities } from "./entities.js";
import { type SummaryParams, selectSentences } from "./extract.js";
import { articleSentences } from "./sentenceUnits.js";
import type {
  ArticleSummary,
  Passage,
  SummarySentence,
  TopicSentence,
  TopicSummary,
} from "./types.js";

export { DEFAULT_SUMMARY_SENTENCES };

/** Options of {@link summarizeArticle} and {@link summarizeTopic}. */
export interface SummarizeOptions {
  /** Sentences at most (default {@link DEFAULT_SUMMARY_SENTENCES}); all of them if fewer. */
  readonly sentences?: number;
  /** Names at most per kind of entity (default 5). */
  readonly maxEntities?: number;
  readonly params?: Partial<SummaryParams>;
}

/**
 * The scoring of a topic summary. There is no data set here to tune it on, so it is the article
 * scoring with two reasoned changes: the topic takes the title's place with twice its weight
 * (the reader asked about it; topic-sensitive LexRank, Otterbacher, Erkan & Radev, HLT/EMNLP
 * 2005), and there is no position prior, since the passages come from different articles.
 */
export const TOPIC_PARAMS = {
  titleWeight: 1,
  positionWeight: 0,
} as const satisfies Partial<SummaryParams>;

function sentenceCount(requested: number | undefined): number {
  if (requested === undefined || Number.isNaN(requested)) return DEFAULT_SUMMARY_SENTENCES;
  return Math.max(1, Math.floor(requested));
}

/**
 * The sentences that carry an article, in article order, each with its 1-based paragraph. No
 * entities: this is what the evaluation runs.
 * @param article - the title (sentences close to it gain) and the paragraphs
 * @param n - sentences at most
 */
export function extractSummary(
  article: Pick<Article, "title" | "paragraphs">,
  n: number,
  params: Partial<SummaryParams> = {},
): SummarySentence[] {
  return selectSentences(articleSentences(article.paragraphs), n, {
    title: article.title,
    params,
  }).map((s) => ({ text: s.text, paragraph: s.paragraph + 1 }));
}

/**
 * Summarizes one article: its key sentences, cited by paragraph, and the people, places and
 * organizations it mentions most.
 * @param article - the article, as the corpus loader gives it
 */
export function summarizeArticle(article: Article, options: SummarizeOptions = {}): ArticleSummary {
  return {
    articleId: article.id,
    title: article.title,
    sentences: extractSummary(article, sentenceCount(options.sentences), options.params),
    entities: keyEntities(article.paragraphs, { max: options.maxEntities }),
  };
}

/**
 * Summarizes a topic from paragraphs retrieved for it (see `findTopicPassages`): the sentences
 * that are most central to them and closest to the topic, each cited to its article and
 * paragraph; entities from the passages. The sentences are grouped by article, articles in the
 * order of their first passage, and in reading order within an article.
 * @param topic - the user's text, e.g. "ceasefire monitoring"
 * @param passages - the retrieved paragraphs, best match first
 */
export function summarizeTopic(
  topic: string,
  passages: readonly Passage[],
  options: SummarizeOptions = {},
): TopicSummary {
  const units = articleSentences(passages.map((p) => p.text));
  const chosen = selectSentences(units, sentenceCount(options.sentences), {
    title: topic,
    params: withDefaults<Partial<SummaryParams>>(TOPIC_PARAMS, options.params),
  });
  const articleRank = new Map<string, number>();
  for (const p of passages) {
    if (!articleRank.has(p.articleId)) articleRank.set(p.articleId, articleRank.size);
  }
  const sentences = chosen
    .map((s) => ({ unit: s, passage: passages[s.paragraph] as Passage }))
    .sort(
      (a, b) =>
        (articleRank.get(a.passage.articleId) ?? 0) - (articleRank.get(b.passage.articleId) ?? 0) ||
        a.passage.paragraph - b.passage.paragraph ||
        a.unit.position - b.unit.position,
    )
    .map(
      ({ unit, passage }): TopicSentence => ({
        text: unit.text,
        articleId: passage.articleId,
        title: passage.title,
        paragraph: passage.paragraph,
      }),
    );
  return {
    topic,
    sentences,
    entities: keyEntities(
      passages.map((p) => p.text),
      { max: options.maxEntities },
    ),
  };
}
