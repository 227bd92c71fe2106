/**
 * "Ask about this": the button under an announced article, the modal it opens and the question
 * the modal brings back, answered from that article only. The custom_id of the button and of
 * the modal is the same, `ask:about:<article id>` (Discord tells a button click from a modal
 * submit), so the article travels with the question and nothing is kept in between.
 */
import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIComponentInModalActionRow,
  type APIModalInteractionResponseCallbackData,
  ButtonStyle,
  ComponentType,
  TextInputStyle,
} from "discord.js";
import { MAX_QUESTION_CHARS } from "../../constants.js";
import type { Article } from "../../corpus/article.js";
import { LIMITS, truncate } from "../format/limits.js";
import { escapedLine } from "../format/parts.js";

/** custom_id prefix of the "Ask about this" button and of its modal (handled by `/ask`). */
export const ASK_ABOUT_PREFIX = "ask:about";

/** custom_id of the modal's one text input. */
export const QUESTION_FIELD = "question";

/** Discord's modal limits (Interactions › Receiving and Responding › Modal; Text Input). */
export const MODAL_LIMITS = {
  title: 45,
  label: 45,
  textInputMax: 4000,
} as const;

const MODAL_TITLE_START = "Ask about ";

/** The custom_id of the button and modal for `articleId`, or undefined when it is too long. */
export function askAboutId(articleId: string): string | undefined {
  const id = `${ASK_ABOUT_PREFIX}:${articleId}`;
  return id.length <= LIMITS.customId ? id : undefined;
}

/** The article id of an "Ask about this" custom_id, or undefined when it is not one. */
export function parseAskAbout(customId: string): string | undefined {
  const start = `${ASK_ABOUT_PREFIX}:`;
  if (!customId.startsWith(start)) return undefined;
  const articleId = customId.slice(start.length);
  return articleId === "" || /\s/.test(articleId) ? undefined : articleId;
}

/**
 * The "Ask about this" button for an article, or undefined when its id does not fit a custom_id
 * (fetched articles' ids always do: `feed-` and 16 hex digits).
 */
export function askAboutButton(articleId: string): APIButtonComponent | undefined {
  const customId = askAboutId(articleId);
  if (customId === undefined) return undefined;
  return {
    type: ComponentType.Button,
    style: ButtonStyle.Primary,
    label: "Ask about this",
    emoji: { name: "❓" },
    custom_id: customId,
  };
}

/**
 * The modal title: "Ask about " and the article title on one line, cut to Discord's 45. A modal
 * title shows no markdown, so the title is only made one line, not escaped.
 */
export function askAboutTitle(title: string): string {
  const line = title.replace(/\s+/g, " ").trim() || "this article";
  const room = MODAL_LIMITS.title - MODAL_TITLE_START.length;
  return MODAL_TITLE_START + truncate(line, room);
}

/**
 * The modal the button opens: one required paragraph input, "Your question", as long as `/ask`
 * takes.
 * @param customId - the button's (`ask:about:<article id>`)
 */
export function askAboutModal(
  customId: string,
  article: Pick<Article, "title">,
): APIModalInteractionResponseCallbackData {
  const row: APIActionRowComponent<APIComponentInModalActionRow> = {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.TextInput,
        custom_id: QUESTION_FIELD,
        label: "Your question",
        style: TextInputStyle.Paragraph,
        required: true,
        min_length: 1,
        max_length: Math.min(MAX_QUESTION_CHARS, MODAL_LIMITS.textInputMax),
        placeholder: "What do you want to know about this article?",
      },
    ],
  };
  return { custom_id: customId, title: askAboutTitle(article.title), components: [row] };
}

/** Article titles in the line above a modal's answer. */
const TITLE_MAX = 120;

/**
 * The line above the answer to a modal's question: the question is not visible anywhere else
 * (the modal closes), and the answer's own title is cut at 256 characters or replaced by a
 * pinned answer's question. "❓ About *Title*: question", escaped, within a message's content.
 */
export function askedAboutLine(title: string, question: string): string {
  const name = escapedLine(title, TITLE_MAX) || "this article";
  const start = `❓ About *${name}*: `;
  return start + escapedLine(question, LIMITS.content - start.length);
}
