/**
 * Pinned answers and unanswered questions as Discord embeds. Pure: built within Discord's limits by budget, then passed through `fitEmbeds` as
 * a last guard; questions and titles are escaped so that they cannot form markdown, masked links
 * or mentions.
 */
import type { APIEmbed } from "discord.js";
import type { Page, Pin, UnansweredSummary } from "../../pins/types.js";
import type { VoteTally } from "../../votes/types.js";
import {
  citedDescription,
  DEFAULT_CITATIONS_SHOWN,
  excerptField,
  MAX_CITATIONS_SHOWN,
} from "./answer.js";
import { safeLinkUrl } from "./escape.js";
import { fitEmbeds, LIMITS } from "./limits.js";
import { listDescription, pagePosition } from "./lists.js";
import { COLORS, citationLabel, clamp, counted, escapedLine, maybeLink } from "./parts.js";

/** The author line of a pinned answer: it is the moderators' answer, not a search result. */
export const PINNED_LABEL = "📌 Pinned by moderators";

/** The footer of a pinned answer: its number, as `/pins remove id:` takes it. */
export const pinFooter = (id: number) => `Pin #${id}`;

/** The footer of a `/pins add` post once its pin is removed. */
export const removedPinFooter = (id: number) => `Pin #${id} · removed by the moderators`;

/** The title of a pinned answer whose question is blank. */
const UNTITLED_PIN = "Pinned answer";
/** Questions in the pin list, and article titles there: one line per pin. */
const LIST_QUESTION_MAX = 80;
const LIST_TITLE_MAX = 60;
/** Questions in the list of unanswered questions. */
const UNANSWERED_QUESTION_MAX = 120;

/** A Discord id: a snowflake, digits only (anything else is not linked nor mentioned). */
const SNOWFLAKE = /^\d{1,20}$/;

/**
 * The link to a Discord message ("jump to message").
 * @param guildId - the guild (server) id
 * @param channelId - the channel id
 * @param messageId - the message id
 */
export function messageLink(guildId: string, channelId: string, messageId: string): string {
  return `https://discord.com/channels/${guildId}/${channelId}/${messageId}`;
}

/** The link to a pin's message, when it has one and its ids are snowflakes. */
function pinLink(pin: Pin): string | undefined {
  const { guildId, channelId, messageId } = pin;
  if (messageId === undefined) return undefined;
  if (![guildId, channelId, messageId].every((id) => SNOWFLAKE.test(id))) return undefined;
  return safeLinkUrl(messageLink(guildId, channelId, messageId));
}

/** Unix seconds of a time in ms since the epoch, undefined when it is not a usable time. */
function unixSeconds(ms: number): number | undefined {
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? Math.floor(ms / 1000) : undefined;
}

/** The one embed of a formatter, fitted (formatters build within limits; this is the guard). */
function fitted(embed: APIEmbed): APIEmbed {
  return fitEmbeds([embed])[0] ?? { description: "…" };
}

/** Options of `pinnedAnswerEmbed`. */
export interface PinnedAnswerOptions {
  /** How many citations to show (default 3, 1 to 10). */
  readonly count?: number;
}

/**
 * A pinned answer, shown when a question matches a pinned one: "📌 Pinned by moderators" as
 * author, the pinned question as title (linking to the pinned message when there is one), the
 * first citation's excerpt quoted with its highlights in bold, the shown citations as sources
 * `\[n\] [Title ¶p](url)`, then `[Original answer](link)`; the shown citations after the first as
 * fields with their short excerpts; `Pin #id` in the footer and the pin's time as timestamp.
 * @param pin - the pinned answer
 * @param options - how many citations to show
 * @returns one embed within every Discord limit
 */
export function pinnedAnswerEmbed(pin: Pin, options: PinnedAnswerOptions = {}): APIEmbed {
  const link = pinLink(pin);
  const count = clamp(options.count, DEFAULT_CITATIONS_SHOWN, 1, MAX_CITATIONS_SHOWN);
  const [best, ...rest] = pin.citations.slice(0, count);
  const fields = rest.map((citation, i) => excerptField(citation, i + 2));
  const seconds = unixSeconds(pin.pinnedAt);
  const embed: APIEmbed = {
    author: { name: PINNED_LABEL },
    title: escapedLine(pin.question, LIMITS.embedTitle) || UNTITLED_PIN,
    ...(link === undefined ? {} : { url: link }),
    description: "", // set below, within what the rest leaves
    color: COLORS.pinned,
    ...(fields.length > 0 ? { fields } : {}),
    footer: { text: pinFooter(pin.id) },
    ...(seconds === undefined ? {} : { timestamp: new Date(pin.pinnedAt).toISOString() }),
  };
  const original = link === undefined ? "" : `[Original answer](${link})`;
  embed.description =
    best === undefined
      ? `(no excerpt)${original === "" ? "" : `\n\n${original}`}`
      : citedDescription(embed, best, rest, 1, original === "" ? "" : `\n${original}`);
  return fitted(embed);
}

/** The mark of a pin readers voted down: `⚠️ 3 👎 · 1 👍`. */
export function flagNote(tally: VoteTally): string {
  const count = (n: number) => (Number.isSafeInteger(n) && n > 0 ? n : 0).toLocaleString("en-US");
  return `⚠️ ${count(tally.down)} 👎 · ${count(tally.up)} 👍`;
}

/**
 * One page of the guild's pinned answers, for /pins list: a line per pin,
 * `**#id** [“question”](link) · Title ¶p · <t:seconds:d>` (the question unlinked when the pin has
 * no message, the first citation's article and paragraph, the date it was pinned), then
 * `· ⚠️ 3 👎 · 1 👍` for a pin readers voted down, and `Page X of Y · N pins` in the footer.
 * @param page - the page from the pin store (more items than `pageSize` are cut)
 * @param pageSize - pins per page
 * @param flagged - the votes of the pins to flag, by pin id (the rule is the caller's)
 */
export function pinListEmbed(
  page: Page<Pin>,
  pageSize: number,
  flagged: ReadonlyMap<number, VoteTally> = new Map(),
): APIEmbed {
  const size = Math.max(1, Math.floor(pageSize) || 1);
  const lines = page.items.slice(0, size).map((pin) => {
    const question = `“${escapedLine(pin.question, LIST_QUESTION_MAX)}”`;
    const first = pin.citations[0];
    const seconds = unixSeconds(pin.pinnedAt);
    const votes = flagged.get(pin.id);
    const details = [
      first === undefined ? "" : citationLabel(first.title, first.paragraph, LIST_TITLE_MAX),
      seconds === undefined ? "" : `<t:${seconds}:d>`,
      votes === undefined ? "" : flagNote(votes),
    ].filter((part) => part !== "");
    const line = (shown: string) => [`**#${pin.id}** ${shown}`, ...details].join(" · ");
    return [line(maybeLink(question, pinLink(pin))), line(question)];
  });
  const { current, pages } = pagePosition(page);
  return fitted({
    title: "Pinned answers",
    description: listDescription(
      lines,
      page,
      "No pinned answers yet. A moderator pins an answer with its 📌 Pin answer button, or with `/pins add`.",
      "pins",
    ),
    color: COLORS.pinned,
    footer: { text: `Page ${current} of ${pages} · ${counted(Math.max(0, page.total), "pin")}` },
  });
}

/** "2 uncertain answers" (or "answered uncertainly" when every ask was), or "" when none. */
function uncertainNote(item: UnansweredSummary): string {
  const uncertain = Math.max(0, Math.floor(item.uncertain) || 0);
  if (uncertain === 0) return "";
  if (uncertain >= item.count) return "answered uncertainly";
  return counted(uncertain, "uncertain answer");
}

/**
 * One page of the questions the articles could not answer (or answered only with low
 * confidence), for moderators: a line per question, `**count×** “question” · <#channel> ·
 * <t:seconds:R>` (how often it was asked, where and when last), then `· N uncertain answers`
 * when some of those asks got a low-confidence answer; `Last N days · Page X of Y` in the footer.
 * @param page - the page from the pin store
 * @param sinceDays - the period the counts cover, in days
 */
export function unansweredEmbed(page: Page<UnansweredSummary>, sinceDays: number): APIEmbed {
  const days = counted(Number.isFinite(sinceDays) ? Math.max(0, sinceDays) : 0, "day");
  const lines = page.items.map((item) => {
    const seconds = unixSeconds(item.lastAskedAt);
    const times = Math.max(0, Math.floor(item.count) || 0).toLocaleString("en-US");
    return [
      [
        `**${times}×** “${escapedLine(item.question, UNANSWERED_QUESTION_MAX)}”`,
        SNOWFLAKE.test(item.channelId) ? `<#${item.channelId}>` : "",
        seconds === undefined ? "" : `<t:${seconds}:R>`,
        uncertainNote(item),
      ]
        .filter((part) => part !== "")
        .join(" · "),
    ];
  });
  const { current, pages } = pagePosition(page);
  return fitted({
    title: "Questions the articles could not answer",
    description: listDescription(
      lines,
      page,
      `No unanswered questions in the last ${days}.`,
      "questions",
    ),
    color: COLORS.info,
    footer: { text: `Last ${days} · Page ${current} of ${pages}` },
  });
}
