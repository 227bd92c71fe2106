/**
 * Summaries as Discord embeds: the chosen sentences as a numbered list, each ending with its
 * citation, and the key people, places and organizations as fields. Built within Discord's
 * limits by budget, then passed through `fitEmbeds` as a last guard.
 */
import type { APIEmbed, APIEmbedField } from "discord.js";
import type { ArticleSummary, KeyEntities, TopicSummary } from "../../summary/types.js";
import { plainText, safeLinkUrl } from "./escape.js";
import { embedLength, fitEmbeds, LIMITS, truncate } from "./limits.js";
import { COLORS, citationLabel, counted, escapedLine, linesWithin } from "./parts.js";

/** What `articleSummaryEmbed` shows of the article besides the summary. */
export interface SummaryArticleRef {
  readonly url?: string;
  readonly published?: string;
  readonly source?: string;
}

/** The article of a topic sentence, for its citation to link to (undefined: not linked). */
export type ArticleLookup = (articleId: string) => { readonly url?: string } | undefined;

/** A sentence in the list: news sentences are shorter; an unpunctuated paragraph is cut. */
const SENTENCE_MAX = 400;
/** Below this a sentence is not worth showing cut; the list ends with "…and N more" instead. */
const SENTENCE_MIN = 60;
/** Citations are linked only when every sentence keeps this much room: the text comes first. */
const LINKED_SENTENCE_MIN = 150;
/** The article's source and date in the footer: a byline, not a paragraph. */
const FOOTER_PART_MAX = 100;
/** Article titles in topic citations: a citation, not a heading. */
const CITATION_TITLE_MAX = 100;
/** Names shown per kind of entity (the summary service gives 5 by default). */
export const MAX_NAMES_SHOWN = 5;
/** The most code units of one name. */
const NAME_MAX = 80;

const TOPIC_PREFIX = "Summary: ";

/** The text of an empty topic summary. */
export const NO_TOPIC_TEXT = "No article covers this topic.";

const ENTITY_FIELDS = [
  ["people", "People"],
  ["places", "Places"],
  ["organizations", "Organizations"],
] as const satisfies readonly (readonly [keyof KeyEntities, string])[];

/** One inline field per kind of entity that has names, the first few names each. */
function entityFields(entities: KeyEntities): APIEmbedField[] {
  return ENTITY_FIELDS.flatMap(([kind, name]) => {
    const names = entities[kind]
      .slice(0, MAX_NAMES_SHOWN)
      .map((n) => escapedLine(n, NAME_MAX))
      .filter((n) => n !== "");
    return names.length === 0 ? [] : [{ name, value: names.join(", "), inline: true }];
  });
}

/** A sentence of the list, with its citation (linked and plain) in Discord markdown. */
interface ListItem {
  readonly text: string;
  /** The citation as shown when it cannot link, e.g. `¶3`. */
  readonly label: string;
  readonly url: string | undefined;
}

/**
 * The numbered list within `budget` code units: `n. sentence (citation)`, each sentence cut to
 * its share of the budget, and "…and N more" when even cut sentences do not fit. The citations
 * are linked when that leaves every sentence `LINKED_SENTENCE_MIN` code units (or its length),
 * else none is: all or none, so the list reads evenly (the title still links to the article).
 */
function numberedList(items: readonly ListItem[], budget: number): string {
  const lineBudget = Math.floor((budget + 1) / items.length) - 1;
  const render = (linked: boolean) =>
    items.map((item, i) => {
      const citation =
        linked && item.url !== undefined ? `[${item.label}](${item.url})` : item.label;
      const frame = `${i + 1}.  (${citation})`.length;
      const share = Math.min(SENTENCE_MAX, lineBudget - frame);
      const text = escapedLine(item.text, Math.max(SENTENCE_MIN, share)) || "…";
      const roomy = share >= Math.min(LINKED_SENTENCE_MIN, item.text.length);
      return { line: `${i + 1}. ${text} (${citation})`, roomy };
    });
  const linked = items.some((item) => item.url !== undefined) ? render(true) : [];
  const link = linked.length > 0 && linked.every(({ roomy }) => roomy);
  return linesWithin(
    (link ? linked : render(false)).map(({ line }) => [line]),
    budget,
  );
}

/**
 * Sets the embed's description to the list of sentences within what its other texts leave of
 * the 6,000 code units of a message, and fits it.
 */
function withList(embed: APIEmbed, items: readonly ListItem[], empty: string): APIEmbed {
  const budget = Math.min(LIMITS.embedDescription, LIMITS.embedTotal - embedLength(embed));
  const list = items.length > 0 ? numberedList(items, budget) : "";
  // Fields and footer after the description, so the payload reads in the order Discord shows it.
  const { fields, footer, ...head } = embed;
  const fitted = fitEmbeds([
    {
      ...head,
      description: list === "" ? empty : list,
      ...(fields === undefined ? {} : { fields }),
      ...(footer === undefined ? {} : { footer }),
    },
  ]);
  return fitted[0] ?? { description: "…" };
}

/** `source · published · what the list is`, as plain text, each part cut to 100. */
function footerOf(parts: readonly (string | undefined)[]): { text: string } {
  const text = parts
    .map((part) => (part === undefined ? "" : truncate(plainText(part), FOOTER_PART_MAX)))
    .filter((part) => part !== "")
    .join(" · ");
  return { text: truncate(text, LIMITS.footerText) };
}

/**
 * An article summary, for /summary article: the article's title (linked when its URL is safe),
 * the sentences as a numbered list each ending with `(¶p)` (linked to the article when the
 * links leave the sentences room), the key people, places and organizations as inline fields
 * (empty kinds left out, 5 names each at most), and the source, date and sentence count in the
 * footer.
 * @param summary - from the summary service
 * @param article - the article's URL, date and source, when known
 * @returns one embed within every Discord limit
 */
export function articleSummaryEmbed(
  summary: ArticleSummary,
  article: SummaryArticleRef = {},
): APIEmbed {
  const url = safeLinkUrl(article.url);
  const fields = entityFields(summary.entities);
  const embed: APIEmbed = {
    title: escapedLine(summary.title, LIMITS.embedTitle) || "Untitled",
    ...(url === undefined ? {} : { url }),
    color: COLORS.answer,
    ...(fields.length > 0 ? { fields } : {}),
    footer: footerOf([
      article.source,
      article.published,
      `${counted(summary.sentences.length, "sentence")} from the article, as written`,
    ]),
  };
  const items = summary.sentences.map(
    (s): ListItem => ({ text: s.text, label: `¶${s.paragraph}`, url }),
  );
  return withList(embed, items, "*(This article has no sentences to summarize.)*");
}

/**
 * A topic summary, for /summary topic: `Summary: <topic>` as title, the sentences as a numbered
 * list each ending with `(Title ¶p)` (linked to its article when `articles` knows a safe URL and
 * the links leave the sentences room), the key entities as inline fields, and how many articles the
 * sentences come from in the footer. No sentences: an embed saying no article covers the topic.
 * @param summary - from the summary service
 * @param articles - finds a sentence's article by id, for its URL (default: no links)
 * @returns one embed within every Discord limit
 */
export function topicSummaryEmbed(
  summary: TopicSummary,
  articles: ArticleLookup = () => undefined,
): APIEmbed {
  const topic = escapedLine(summary.topic, LIMITS.embedTitle - TOPIC_PREFIX.length);
  const title = topic === "" ? "Summary" : `${TOPIC_PREFIX}${topic}`;
  if (summary.sentences.length === 0) {
    return withList(
      {
        title,
        color: COLORS.abstain,
        footer: { text: "Try other words, or see /articles list for what I have." },
      },
      [],
      NO_TOPIC_TEXT,
    );
  }
  const fields = entityFields(summary.entities);
  const sentences = counted(summary.sentences.length, "sentence");
  const sources = counted(new Set(summary.sentences.map((s) => s.articleId)).size, "article");
  const embed: APIEmbed = {
    title,
    color: COLORS.answer,
    ...(fields.length > 0 ? { fields } : {}),
    footer: footerOf([`${sentences} from ${sources}, as written`]),
  };
  const items = summary.sentences.map(
    (s): ListItem => ({
      text: s.text,
      label: citationLabel(s.title, s.paragraph, CITATION_TITLE_MAX),
      url: safeLinkUrl(articles(s.articleId)?.url),
    }),
  );
  return withList(embed, items, NO_TOPIC_TEXT);
}
