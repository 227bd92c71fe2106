/**
 * The short texts of expected failures, each saying what to do next. User input quoted back is
 * escaped and cut, so an id cannot break the markdown or the length limit.
 */
import { escapeText, truncate } from "./format.js";

/** How much of a user's text is quoted back in a failure message. */
const QUOTED = 100;

const quote = (text: string) => `"${escapeText(truncate(text, QUOTED))}"`;

export const replies = {
  emptyQuestion:
    "Ask a question in words, e.g. `/ask question: How long would the ceasefire last?`",
  emptyPinQuestion:
    "Give the question in words, e.g. `/pins add question: How long would the ceasefire last?`",
  emptyModalQuestion: "Write your question in words in the box, then send it again.",
  articleGone:
    "This article is no longer in newsdesk's library here (it was removed, or belongs to another server). `/ask` searches the articles there are.",
  emptyMention:
    "Ask me a question after the mention, e.g. “@newsdesk How long would the ceasefire last?”",
  unknownArticle: (id: string) =>
    `No article has the id ${quote(id)}. Pick one from the list as you type, or see \`/articles\`.`,
  paragraphOutOfRange: (title: string, count: number, asked: number) =>
    count === 0
      ? `${quote(title)} has no paragraphs.`
      : `${quote(title)} has paragraphs 1 to ${count}; there is no paragraph ${asked}.`,
  summaryOneOf:
    "Give either an article or a topic: `/summary article: <id>` or `/summary topic: <words>`.",
  emptyTopic: "Give the topic in words, e.g. `/summary topic: ceasefire monitoring`.",
  expired: "This answer has expired; ask again with `/ask`.",
  unknownCommand: "This command is not available any more; type `/` to see the current ones.",
  staleButton: "This button no longer works; run the command again.",
  staleModal: "This form no longer works; open it again.",
  restarting: "newsdesk is restarting: ask again in a moment.",
  restartedBeforeAnswer: "newsdesk had to restart before answering: ask again in a moment.",
  guildOnly:
    "This works in a server only: pins, feeds and unanswered questions belong to a server.",
  notModerator:
    "Only moderators (Manage Messages or Pin Messages) can do this; nothing was pinned or changed.",
  notManager:
    "Only members with Manage Server can change this server's news sources; nothing was changed.",
  notAnAnswer:
    "Only newsdesk's answers can be pinned this way. To pin any paragraph, use `/pins add`.",
  noAnswerRecord:
    "I have no record of this answer (private answers, abstentions and answers older than 30 days are not kept). Ask again and pin the new answer, or use `/pins add`.",
  alreadyPinned: (id: number) =>
    `This answer is already pinned as #${id}. \`/pins remove id: ${id}\` removes it.`,
  pinStored: (id: number) =>
    `📌 Pinned as #${id}: similar questions in this server now get this answer first. \`/pins remove id: ${id}\` undoes it.`,
  channelPinFailed: (reason: string) =>
    `The pin is stored, but the message is not pinned in the channel: ${reason}`,
  unknownPin: (id: number) => `No pin #${id} in this server; \`/pins list\` shows them.`,
  pinRemoved: (id: number, question: string) =>
    `Removed pin #${id} (${quote(question)}): questions no longer get it first.`,
  channelUnpinFailed: (reason: string) =>
    `The message could not be unpinned in the channel: ${reason}`,
  /** `reason` is the pin store's one-line message ("pins: the database at … is not writable: …"). */
  pinNotKept: (reason: string) =>
    `Nothing was pinned: the pin database cannot keep it. Tell whoever runs newsdesk: ${storeReason(reason)}`,
  pinNotRemoved: (reason: string) =>
    `Nothing was removed: the pin database cannot be changed. Tell whoever runs newsdesk: ${storeReason(reason)}`,
  storeUnreadable: (reason: string) =>
    `The pin database cannot be read right now; try again in a moment. If it lasts, tell whoever runs newsdesk: ${storeReason(reason)}`,
} as const;

/** The store's message, as text (a path may hold markdown characters), within a message. */
function storeReason(reason: string): string {
  return escapeText(truncate(reason, 1500));
}
