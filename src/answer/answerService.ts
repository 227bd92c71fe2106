/**
 * The answer service: question in, cited excerpts out. Used as it is by the command line and by
 * Discord; it knows nothing of either.
 */
import { preferredArticles, readFollowUp } from "../conversation/readFollowUp.js";
import type { Article } from "../corpus/article.js";
import { Library, type Reader } from "../library/Library.js";
import { chooseExcerpt } from "../retrieval/excerpt.js";
import { analyzeQuestion } from "../retrieval/question.js";
import { type ParagraphHit, type SearchParams, searchParagraphs } from "../retrieval/search.js";
import { NO_THESAURUS, type Thesaurus } from "../retrieval/thesaurus.js";
import { type ConfidenceParams, judgeAnswer } from "./confidence.js";
import { AnswerError } from "./errors.js";
import { preferRecent } from "./recency.js";
import type {
  Answer,
  AskOptions,
  Citation,
  Confidence,
  ConversationTurn,
  FollowUpReading,
} from "./types.js";

/**
 * The `relevance` threshold newsdesk answered by before answer confidence (src/answer/
 * confidence.ts): a paragraph was cited when it matched this share of the question's IDF mass.
 * Calibrated on SQuAD v1.1 dev by `npm run eval:abstain`; that command and `eval:answers` still
 * report it, as the baseline the confidence judgement replaced.
 */
export const MIN_RELEVANCE = 0.55;

/** How sure each confidence is, to compare two answers. */
const SURENESS: Readonly<Record<Confidence, number>> = { high: 2, low: 1, none: 0 };

/** Citations at most, whatever a caller asks for: a reply quotes a few sources, not a page. */
export const MAX_TOP = 10;

export interface AnswerServiceOptions {
  /** When to answer, and how sure to sound (default: `DEFAULT_CONFIDENCE_PARAMS`). */
  readonly confidence?: Partial<ConfidenceParams>;
  /** Related words for query expansion (the CLI and the bot pass WordNet); none by default. */
  readonly thesaurus?: Thesaurus;
  readonly params?: Partial<SearchParams>;
}

/**
 * Every method reads the library as it is when called: articles added or removed since are
 * searched or gone at the next call. A `guildId` names the server asking (see `Library`'s scope
 * rule); without one, only the articles everyone sees are searched, listed and cited.
 */
export class AnswerService {
  /** The articles and their index, shared with the summary service. */
  readonly library: Library;
  readonly #confidence: Partial<ConfidenceParams>;
  readonly #params: Partial<SearchParams>;
  readonly #thesaurus: Thesaurus;

  /**
   * @param library - the live library, or a fixed list of articles everyone sees (ids unique
   *   ignoring case, as the corpus loader guarantees)
   */
  constructor(library: Library | readonly Article[], options: AnswerServiceOptions = {}) {
    this.library = library instanceof Library ? library : Library.of(library);
    this.#confidence = options.confidence ?? {};
    this.#params = options.params ?? {};
    this.#thesaurus = options.thesaurus ?? NO_THESAURUS;
  }

  /** The article with this id (ids are matched ignoring case) if `guildId` may see it. */
  getArticle(id: string, guildId?: Reader): Article | undefined {
    return this.library.get(id, guildId);
  }

  /** The articles `guildId` may see, newest first (see `Library.list`). */
  listArticles(guildId?: Reader): readonly Article[] {
    return this.library.list(guildId);
  }

  /**
   * Answers a question from the corpus.
   * @param question - the user's text; cut to `MAX_QUESTION_CHARS` before analysis
   * @param options - `top` citations at most (1..MAX_TOP, default 3), `articleId` to search one
   *   article, `conversation` the earlier turns when it is a follow-up (then `Answer.followUp`
   *   says how it was read)
   * @throws AnswerError EMPTY_QUESTION when the question has no words, UNKNOWN_ARTICLE for a bad id
   */
  ask(question: string, options: AskOptions = {}): Answer {
    if (!/[\p{L}\p{N}]/u.test(question)) {
      throw new AnswerError("EMPTY_QUESTION", "the question is empty: ask something in words");
    }
    let article: number | undefined;
    if (options.articleId !== undefined) {
      const entry = this.library.entry(options.articleId);
      article = entry && this.library.at(entry.position, options.guildId)?.position;
      if (article === undefined) {
        throw new AnswerError("UNKNOWN_ARTICLE", `no article has the id "${options.articleId}"`);
      }
    }
    const requested = options.top === undefined || Number.isNaN(options.top) ? 3 : options.top;
    const top = Math.min(MAX_TOP, Math.max(1, Math.floor(requested)));
    const allowed = this.library.allowed(options.guildId);
    const conversation = options.conversation ?? [];
    if (conversation.length === 0) {
      const analyzed = analyzeQuestion(question, this.#thesaurus);
      return { question, ...this.#answer(analyzed, top, article, allowed, options.guildId) };
    }
    return this.#followUp(question, conversation, top, article, allowed, options.guildId);
  }

  /**
   * A question asked in a conversation: read with what it leaves out (src/conversation/), then
   * searched in the articles already cited first, and in the library when they do not answer it
   * surely.
   */
  #followUp(
    question: string,
    conversation: readonly ConversationTurn[],
    top: number,
    article: number | undefined,
    allowed: Uint8Array,
    guildId: Reader,
  ): Answer {
    const cited = preferredArticles(conversation).flatMap((id) => {
      const a = this.library.get(id, guildId);
      return a ? [a.title, ...a.paragraphs] : [];
    });
    const reading = readFollowUp(question, conversation, cited);
    const analyzed = analyzeQuestion(reading.searched, this.#thesaurus);
    const preferred =
      article === undefined ? this.#onlyArticles(reading.prefer, allowed) : undefined;
    // Within the articles the conversation cited, the article says what "it" and "he" are: the
    // carried names would only pull its first paragraph, which repeats them, so the asker's own
    // words are searched there (but "And Russia?" needs its rewritten predicate). And a short
    // follow-up ("Does it have DJs?") is not judged by the evidence a whole library needs: as
    // in a small library (src/answer/confidence.ts, `evidenceFrom`), the share matched decides.
    const own =
      reading.kind === "and" || reading.carried.length === 0
        ? analyzed
        : analyzeQuestion(question, this.#thesaurus);
    const stayed =
      preferred && this.#answer(own, top, undefined, preferred, guildId, { minEvidence: 0 });
    // Staying with the conversation's articles when they answer it surely, or more surely than
    // the library does: their "low" answer is weaker than the library's "high" one.
    const wider =
      stayed?.confidence === "high"
        ? stayed
        : this.#answer(analyzed, top, article, allowed, guildId);
    const result =
      stayed && SURENESS[stayed.confidence] > SURENESS[wider.confidence] ? stayed : wider;
    const first = result.citations[0];
    const followUp: FollowUpReading = {
      searched: reading.searched,
      fresh: reading.fresh,
      ...(first && reading.prefer.includes(first.articleId)
        ? { stayedWith: { articleId: first.articleId, title: first.title } }
        : {}),
    };
    return { question, ...result, followUp };
  }

  /** Searches, judges and cites: the answer to an analyzed question, `top` citations at most. */
  #answer(
    analyzed: ReturnType<typeof analyzeQuestion>,
    top: number,
    article: number | undefined,
    allowed: Uint8Array,
    guildId: Reader,
    judging: Partial<ConfidenceParams> = {},
  ): { answered: boolean; confidence: Confidence; citations: Citation[] } {
    // Whether to answer is judged on the whole ranking; `top` only caps what is cited.
    const { hits } = searchParagraphs(this.library.index, analyzed, {
      top: Math.max(top, MAX_TOP),
      article,
      allowed,
      params: this.#params,
    });
    // Newer articles win near-ties, and questions asking for the latest prefer recent ones.
    const dated = preferRecent(
      hits,
      (hit) => this.#articleOf(hit, guildId)?.published,
      analyzed.recent,
    );
    const { confidence, cited } = judgeAnswer(dated, analyzed, {
      ...this.#confidence,
      ...judging,
    });
    const citations = cited.slice(0, top).map((hit) => this.#cite(hit, analyzed, guildId));
    if (citations.length === 0) return { answered: false, confidence: "none", citations };
    return { answered: true, confidence, citations };
  }

  /**
   * `allowed` narrowed to the articles with these ids, or undefined when none of them is left
   * (removed since, or not the asker's to see).
   */
  #onlyArticles(ids: readonly string[], allowed: Uint8Array): Uint8Array | undefined {
    const only = new Uint8Array(allowed.length);
    let any = false;
    for (const id of ids) {
      const position = this.library.entry(id)?.position;
      if (position === undefined || !allowed[position]) continue;
      only[position] = 1;
      any = true;
    }
    return any ? only : undefined;
  }

  /**
   * A citation of a paragraph a person chose (a moderator's pinned answer), its excerpt picked
   * for the question the same way `ask` picks it; its score is 0, as nothing was ranked.
   * @param question - what the paragraph answers
   * @param articleId - the article's id (case ignored)
   * @param paragraph - 1-based
   * @param guildId - the server asking: another server's article is UNKNOWN_ARTICLE
   * @throws AnswerError EMPTY_QUESTION, UNKNOWN_ARTICLE, or UNKNOWN_PARAGRAPH when the article
   *   has no such paragraph
   */
  cite(question: string, articleId: string, paragraph: number, guildId?: Reader): Citation {
    if (!/[\p{L}\p{N}]/u.test(question)) {
      throw new AnswerError("EMPTY_QUESTION", "the question is empty: ask something in words");
    }
    const article = this.getArticle(articleId, guildId);
    if (!article) throw new AnswerError("UNKNOWN_ARTICLE", `no article has the id "${articleId}"`);
    const text = Number.isInteger(paragraph) ? article.paragraphs[paragraph - 1] : undefined;
    if (text === undefined) {
      throw new AnswerError(
        "UNKNOWN_PARAGRAPH",
        `"${article.id}" has paragraphs 1 to ${article.paragraphs.length}, not ${paragraph}`,
      );
    }
    const excerpt = chooseExcerpt(text, analyzeQuestion(question, this.#thesaurus));
    return {
      ...citedArticle(article),
      paragraph,
      score: 0,
      excerpt: excerpt.text,
      highlights: excerpt.highlights,
      text,
    };
  }

  /**
   * The articles closest to a question, however far below the answer threshold: where to look
   * when `ask` abstains. Articles are ranked by their best paragraph; none share no word with
   * the question.
   * @param question - the user's text
   * @param max - how many articles at most
   * @param guildId - the server asking (see {@link AskOptions.guildId})
   */
  closestArticles(
    question: string,
    max: number,
    guildId?: Reader,
  ): { id: string; title: string }[] {
    if (!/[\p{L}\p{N}]/u.test(question) || max < 1) return [];
    const { index } = this.library;
    const { hits } = searchParagraphs(index, analyzeQuestion(question, this.#thesaurus), {
      top: Math.max(MAX_TOP, max * 5),
      allowed: this.library.allowed(guildId),
      params: this.#params,
    });
    const out: { id: string; title: string }[] = [];
    for (const hit of hits) {
      const ref = index.paragraphOf(hit.doc);
      const article = ref ? this.library.at(ref.article, guildId)?.article : undefined;
      if (!article || out.some((a) => a.id === article.id)) continue;
      out.push({ id: article.id, title: article.title });
      if (out.length >= max) break;
    }
    return out;
  }

  /** The article of a hit, as `guildId` may see it. */
  #articleOf(hit: ParagraphHit, guildId: Reader): Article | undefined {
    const ref = this.library.index.paragraphOf(hit.doc);
    return ref ? this.library.at(ref.article, guildId)?.article : undefined;
  }

  #cite(
    hit: ParagraphHit,
    analyzed: ReturnType<typeof analyzeQuestion>,
    guildId: Reader,
  ): Citation {
    const ref = this.library.index.paragraphOf(hit.doc);
    const article = ref ? this.library.at(ref.article, guildId)?.article : undefined;
    const text = article?.paragraphs[ref?.paragraph ?? 0];
    if (!ref || !article || text === undefined) {
      throw new Error(`answer: index and corpus disagree about document ${hit.doc}`);
    }
    const excerpt = chooseExcerpt(text, analyzed);
    return {
      ...citedArticle(article),
      paragraph: ref.paragraph + 1,
      score: hit.score,
      excerpt: excerpt.text,
      highlights: excerpt.highlights,
      text,
    };
  }
}

/** What a citation says of its article: id, title, and the link, source and date it has. */
function citedArticle(
  article: Article,
): Pick<Citation, "articleId" | "title" | "url" | "source" | "published"> {
  return {
    articleId: article.id,
    title: article.title,
    ...(article.url === undefined ? {} : { url: article.url }),
    ...(article.source === undefined ? {} : { source: article.source }),
    ...(article.published === undefined ? {} : { published: article.published }),
  };
}
