/**
 * Answers as Discord embeds: the best excerpt quoted with its matched words in bold, the sources
 * as masked links, the other excerpts as fields. Built within Discord's limits by budget, then
 * passed through `fitEmbeds` as a last guard.
 */
import type { APIEmbed, APIEmbedField } from "discord.js";
import type { Answer, Citation } from "../answer/types.js";
import { inlineCode } from "./escape.js";
import {
  COLORS,
  citationLabel,
  counted,
  escapedLine,
  linesWithin,
  maybeLink,
  quoteWithHighlights,
} from "./formatParts.js";
import { embedLength, fitEmbeds, LIMITS } from "./limits.js";

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

export interface ArticleSuggestion {
  readonly title: string;
  readonly id: string;
}

export const DEFAULT_CITATIONS_SHOWN = 3;
/** The answer service gives 10 citations at most; one embed shows as many. */
export const MAX_CITATIONS_SHOWN = 10;
/** Article titles in the sources list and field names: a source line, not a paragraph. */
const SOURCE_TITLE_MAX = 120;
/** The excerpt of a citation after the first, in its field. */
const SHORT_EXCERPT_MAX = 300;
const MAX_SUGGESTIONS = 10;

export const ABSTAIN_TEXT = "I couldn't find this in the articles I have.";

/** A whole number from `value` (`fallback` when missing or NaN) within [min, max]. */
function clamp(value: number | undefined, fallback: number, min: number, max: number): number {
  const n = value === undefined || Number.isNaN(value) ? fallback : Math.floor(value);
  return Math.min(max, Math.max(min, n));
}

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
const number = (n: number) => `\\[${n}\\]`;

function excerptField(citation: Citation, n: number): APIEmbedField {
  const name = `${number(n)} ${citationLabel(citation.title, citation.paragraph, SOURCE_TITLE_MAX)}`;
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
 * the first shown citation's excerpt (highlights in bold) and lists the shown sources as
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
  const embed: APIEmbed = {
    ...questionTitle(answer.question),
    description: "", // set below, within what the rest leaves
    color: COLORS.answer,
    ...(fields.length > 0 ? { fields } : {}),
    footer: searchedFooter(articlesSearched, range),
  };

  // The description gets what the other texts leave of the message's 6,000; half of it at most
  // goes to the sources, the rest to the quote.
  const budget = Math.min(LIMITS.embedDescription, LIMITS.embedTotal - embedLength(embed));
  const heading = "\n\n**Sources**\n";
  const sources = linesWithin(
    shown.map((citation, i) => {
      const label = citationLabel(citation.title, citation.paragraph, SOURCE_TITLE_MAX);
      const prefix = `${number(offset + i + 1)} `;
      return [prefix + maybeLink(label, citation.url), prefix + label];
    }),
    Math.floor(budget / 2) - heading.length,
  );
  const quote = quoteWithHighlights(
    best.excerpt.trim() === "" ? best.text : best.excerpt,
    best.excerpt.trim() === "" ? [] : best.highlights,
    budget - heading.length - sources.length,
  );
  embed.description = `${quote}${heading}${sources}`;
  return fitEmbeds([embed]);
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
