/**
 * The paragraphs a topic summary is made from, found with retrieval's search: the same index
 * and BM25 ranking that answer questions, with a looser relevance floor, since a topic summary
 * wants every paragraph about the topic, not one that answers a question.
 */
import type { ParagraphIndex } from "../retrieval/paragraphIndex.js";
import { analyzeQuestion } from "../retrieval/question.js";
import { searchParagraphs } from "../retrieval/search.js";
import { NO_THESAURUS, type Thesaurus } from "../retrieval/thesaurus.js";
import { withDefaults } from "./defaults.js";
import type { Passage } from "./types.js";

/** Options of {@link findTopicPassages}. */
export interface TopicPassageOptions {
  /** Paragraphs at most (default 12). */
  readonly max?: number;
  /**
   * The least share of the topic's IDF mass a paragraph must match (default 0.4): under the
   * answer threshold (0.55), so that "ceasefire monitoring" also finds the paragraphs about the
   * ceasefire that do not say "monitoring"; not so low that one common word is enough.
   */
  readonly minRelevance?: number;
  /** Related words for the topic's words (the command line passes WordNet). */
  readonly thesaurus?: Thesaurus;
  /** Per article position, nonzero when its paragraphs may be used (default: every article). */
  readonly allowed?: Uint8Array;
}

/** Defaults of {@link TopicPassageOptions}. */
export const DEFAULT_TOPIC_PASSAGE_OPTIONS = {
  max: 12,
  minRelevance: 0.4,
  thesaurus: NO_THESAURUS,
} as const satisfies Required<Omit<TopicPassageOptions, "allowed">>;

/**
 * The paragraphs of the index about a topic, best match first.
 * @param index - built by `buildIndex` over the corpus
 * @param topic - the user's text, e.g. "ceasefire monitoring"
 */
export function findTopicPassages(
  index: ParagraphIndex,
  topic: string,
  options: TopicPassageOptions = {},
): Passage[] {
  const { max, minRelevance, thesaurus } = withDefaults<
    Required<Omit<TopicPassageOptions, "allowed">>
  >(DEFAULT_TOPIC_PASSAGE_OPTIONS, options);
  if (!/[\p{L}\p{N}]/u.test(topic) || max < 1) return [];
  const { hits } = searchParagraphs(index, analyzeQuestion(topic, thesaurus), {
    top: max,
    ...(options.allowed === undefined ? {} : { allowed: options.allowed }),
  });
  const out: Passage[] = [];
  for (const hit of hits) {
    if (hit.relevance < minRelevance) continue;
    const ref = index.paragraphOf(hit.doc);
    const article = ref ? index.articles[ref.article] : undefined;
    const text = ref ? article?.paragraphs[ref.paragraph] : undefined;
    if (!ref || !article || text === undefined) continue;
    out.push({ articleId: article.id, title: article.title, paragraph: ref.paragraph + 1, text });
  }
  return out;
}
