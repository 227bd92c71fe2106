/**
 * Answers as Discord embeds: the best excerpt quoted with its matched words in bold, the sources
 * as masked links, the other excerpts as fields. Built within Discord's limits by budget, then
 * passed through `fitEmbeds` as a last guard.
 */
import type { APIEmbed, APIEmbedField } from "discord.js";
import type { ArticleSuggestion } from "../../answer/answerPolicy.js";
import { byline } from "../../answer/byline.js";
import type { Answer, Citation } from "../../answer/types.js";
import { inlineCode } from "./escape.js";
import { embedLength, fitEmbeds, LIMITS } from "./limits.js";
import {
  COLORS,
  citationLabel,
  clamp,
  counted,
  escapedLine,
  linesWithin,
  maybeLink,
  quoteWithHighlights,
} from "./parts.js";

/** What `answerEmbeds` shows: an answer, and which of its citations. */
export interface AnswerView {
  readonly answer: Answer;
  /** How many articles were searched (the footer says so). */
  readonly articlesSearched: number;
  /** 0-based index of the first citation to show (default 0). */
  readonly offset?: number;
  /** How many citations to show (default 3, at most 10). */
  readonly count?: number;
  /** Articles to suggest when the question was not answered (see `abstainEmbeds`). */
  readonly suggestions?: readonly ArticleSuggestion[];
}

export type { ArticleSuggestion };

export const DEFAULT_CITATIONS_SHOWN = 3;
/** The answer service gives 10 citations at most; one embed shows as many. */
export const MAX_CITATIONS_SHOWN = 10;
/** Article titles in the sources list and field names: a source line, not a paragraph. */
const SOURCE_TITLE_MAX = 120;
/** A source line's byline ("BBC News · 3 Mar 2025"), at most. */
const BYLINE_MAX = 80;
/** The excerpt of a citation after the first, in its field. */
const SHORT_EXCERPT_MAX = 300;
const MAX_SUGGESTIONS = 10;

export const ABSTAIN_TEXT = "I couldn't find this in the articles I have.";

/** Before the quote of a low-confidence answer: plausible, not certain. */
export const LOW_CONFIDENCE_TEXT = "This may answer it:";

/** "Searched 12 articles". */
function searchedFooter(articlesSearched: number, extra = ""): { text: string } {
  return { text: `Searched ${counted(Math.max(0, articlesSearched), "article")}${extra}` };
}

/** The question as an embed title (escaped, one line), or nothing when it is blank. */
function questionTitle(question: string): { title?: string } {
  const title = escapedLine(question, LIMITS.embedTitle);
  return title === "" ? {} : { title };
}

/** `\[n\]`: a citation number in brackets that can never start a masked link. */
export const citationNumber = (n: number) => `\\[${n}\\]`;

/**
 * A citation after the first as an embed field: `\[n\] Title ¶p` as its name, its excerpt (the
 * paragraph when the excerpt is blank) quoted with highlights in bold and cut to 300 as its value.
 * @param citation - the citation
 * @param n - its number in the sources list (1-based)
 */
export function excerptField(citation: Citation, n: number): APIEmbedField {
  const name = `${citationNumber(n)} ${citationLabel(citation.title, citation.paragraph, SOURCE_TITLE_MAX)}`;
  const blank = citation.excerpt.trim() === "";
  const value = quoteWithHighlights(
    blank ? citation.text : citation.excerpt,
    blank ? [] : citation.highlights,
    SHORT_EXCERPT_MAX,
  );
  return { name, value: value.trim() === ">" ? "> …" : value };
}

/**
 * Embeds for an answer. Answered: one embed whose title is the question, whose description quotes
 * (after "This may answer it:" and in another colour, when the answer is uncertain) the first
 * shown citation's excerpt (highlights in bold) and lists the shown sources as
 * `\[n\] [Title ¶p](url)` (no link when the URL is not a plain http(s) one), with one field per
 * further citation holding its short excerpt; the footer says how many articles were searched.
 * Not answered: `abstainEmbeds` with `view.suggestions`.
 * @param view - the answer, the number of articles searched, and which citations to show
 * @returns embeds within every Discord limit
 */
export function answerEmbeds(view: AnswerView): APIEmbed[] {
  const { answer, articlesSearched } = view;
  const all = answer.citations;
  if (!answer.answered || all.length === 0) {
    return abstainEmbeds(answer.question, articlesSearched, view.suggestions ?? []);
  }
  const count = clamp(view.count, DEFAULT_CITATIONS_SHOWN, 1, MAX_CITATIONS_SHOWN);
  const offset = clamp(view.offset, 0, 0, all.length - 1);
  const shown = all.slice(offset, offset + count);
  const [best, ...rest] = shown;
  if (best === undefined) return abstainEmbeds(answer.question, articlesSearched, []);

  let range = "";
  if (shown.length === 1 && all.length > 1) range = ` · source ${offset + 1} of ${all.length}`;
  else if (shown.length < all.length) {
    range = ` · sources ${offset + 1}–${offset + shown.length} of ${all.length}`;
  }
  const fields = rest.map((citation, i) => excerptField(citation, offset + i + 2));
  const uncertain = answer.confidence === "low";
  const embed: APIEmbed = {
    ...questionTitle(answer.question),
    description: "", // set below, within what the rest leaves
    color: uncertain ? COLORS.uncertain : COLORS.answer,
    ...(fields.length > 0 ? { fields } : {}),
    footer: searchedFooter(articlesSearched, range),
  };

  const before = uncertain ? `${LOW_CONFIDENCE_TEXT}\n` : "";
  embed.description = citedDescription(embed, best, rest, offset + 1, "", before);
  return fitEmbeds([embed]);
}

/**
 * The description of an embed citing `[best, ...rest]`: the first citation's excerpt (the
 * paragraph when the excerpt is blank) quoted with its highlights in bold, then "**Sources**" and
 * one line per citation, `\[n\] [Title ¶p](url)` (no link when the URL is not a safe http(s)
 * one), numbered from `first`, then `after` (which is kept whole). It gets what the embed's other
 * texts leave of the message's 6,000 code units (4,096 at most), less `after`: half of that at
 * most goes to the sources, the rest to the quote.
 * @param embed - the embed, its description empty or missing, every other text set
 * @param best - the citation quoted, listed first
 * @param rest - the citations listed after it
 * @param first - the number of `best` in the list (1-based)
 * @param after - text to end the description with, e.g. a line starting with "\n"
 * @param before - text to start it with (kept whole), e.g. "This may answer it:\n"
 */
export function citedDescription(
  embed: APIEmbed,
  best: Citation,
  rest: readonly Citation[],
  first: number,
  after = "",
  before = "",
): string {
  const budget =
    Math.min(LIMITS.embedDescription, LIMITS.embedTotal - embedLength(embed)) -
    after.length -
    before.length;
  const heading = "\n\n**Sources**\n";
  const sources = linesWithin(
    [best, ...rest].map((citation, i) => {
      const label = citationLabel(citation.title, citation.paragraph, SOURCE_TITLE_MAX);
      const prefix = `${citationNumber(first + i)} `;
      const by = byline(citation);
      const suffix = by === undefined ? "" : ` · ${escapedLine(by, BYLINE_MAX)}`;
      return [prefix + maybeLink(label, citation.url) + suffix, prefix + label + suffix];
    }),
    Math.floor(budget / 2) - heading.length,
  );
  const quote = quoteWithHighlights(
    best.excerpt.trim() === "" ? best.text : best.excerpt,
    best.excerpt.trim() === "" ? [] : best.highlights,
    budget - heading.length - sources.length,
  );
  return `${before}${quote}${heading}${sources}${after}`;
}

/**
 * Embeds for a question the articles do not answer: the question as title, "I couldn't find this
 * in the articles I have.", and the suggested articles as a list of titles with their ids.
 * @param question - the user's question (raw)
 * @param articlesSearched - how many articles were searched
 * @param suggestions - articles to suggest (the first 10 shown), may be empty
 */
export function abstainEmbeds(
  question: string,
  articlesSearched: number,
  suggestions: readonly ArticleSuggestion[],
): APIEmbed[] {
  let description = ABSTAIN_TEXT;
  const shown = suggestions.slice(0, MAX_SUGGESTIONS);
  if (shown.length > 0) {
    const heading = "\n\nThese articles might help:\n";
    const list = linesWithin(
      shown.map((s) => [
        `- ${escapedLine(s.title, SOURCE_TITLE_MAX) || "Untitled"} · ${inlineCode(s.id)}`,
      ]),
      LIMITS.embedDescription - description.length - heading.length,
    );
    if (list !== "") description += heading + list;
  }
  return fitEmbeds([
    {
      ...questionTitle(question),
      description,
      color: COLORS.abstain,
      footer: searchedFooter(articlesSearched),
    },
  ]);
}
