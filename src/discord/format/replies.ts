/**
 * The short texts of expected failures, each saying what to do next. User input quoted back is
 * escaped and cut, so an id cannot break the markdown or the length limit.
 */
import type { FeedCheckCode } from "../../feeds/checkFeed.js";
import { escapeText, inlineCode, truncate } from "./format.js";
import { counted } from "./parts.js";

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
    `No article has the id ${quote(id)}. Pick one from the list as you type, or see \`/articles list\`.`,
  // `/articles add` and `/articles remove`: a server's own articles from links and feeds.
  /** `reason` is the fetcher's or the extractor's one line (`fetch: <url>: …`). */
  linkNotRead: (reason: string) => `Nothing was added: ${escapeText(truncate(reason, 1000))}`,
  linkHereAlready: (id: string, title: string) =>
    `Nothing was added: this page is here already as ${quote(title)} (\`${escapeText(truncate(id, QUOTED))}\`); ask about it with \`/ask article:\`.`,
  articlesLimit: (limit: number) =>
    `Nothing was added: this server has ${counted(limit, "article")} from feeds and links, the most allowed. Remove one with \`/articles remove\` first.`,
  linkNotKept: (reason: string) =>
    `Nothing was added: the database cannot keep it. Tell whoever runs newsdesk: ${storeReason(reason)}`,
  unknownServerArticle: (id: string) =>
    `This server has no article with the id ${quote(id)} from its feeds or links; pick one from the list as you type.`,
  folderArticle: (title: string) =>
    `${quote(title)} is from the articles folder, which whoever runs newsdesk looks after; it cannot be removed here.`,
  articlePinned: (title: string, pins: readonly number[]) =>
    pins.length === 0
      ? `${quote(title)} is cited by a pinned answer: remove that pin with \`/pins remove\` first, then the article.`
      : `${quote(title)} is cited by ${pins.length === 1 ? "pin" : "pins"} ${pins.map((id) => `#${id}`).join(", ")}: remove ${pins.length === 1 ? "it" : "them"} with \`/pins remove\` first, then the article.`,
  articleRemoved: (title: string) =>
    `Removed ${quote(title)}: it is no longer answerable in this server.`,
  articleNotRemoved: (reason: string) =>
    `Nothing was removed: the database cannot be changed. Tell whoever runs newsdesk: ${storeReason(reason)}`,
  paragraphOutOfRange: (title: string, count: number, asked: number) =>
    count === 0
      ? `${quote(title)} has no paragraphs.`
      : `${quote(title)} has paragraphs 1 to ${count}; there is no paragraph ${asked}.`,
  summaryOneOf:
    "Give either an article or a topic: `/summary article: <id>` or `/summary topic: <words>`.",
  emptyTopic: "Give the topic in words, e.g. `/summary topic: ceasefire monitoring`.",
  expired: "This answer has expired; ask again with `/ask`.",
  // The "Follow up" button and its threads.
  followUpIn: (threadId: string) =>
    `Follow-up questions about this answer go in <#${threadId}>: ask there, no mention needed.`,
  followUpTooOld:
    "This answer is too old to follow up (newsdesk no longer knows its question); ask again with `/ask`, then use its Follow up button.",
  followUpNotHere: "Follow-up threads are opened on answers in a server's text channels.",
  followUpNoPermission:
    "newsdesk may not open threads in this channel. A moderator can allow it the Create Public Threads and Send Messages in Threads permissions here.",
  threadWelcome:
    "Ask your follow-up questions here, no mention needed: each is read in the light of the questions and answers before it.",
  unknownCommand: "This command is not available any more; type `/` to see the current ones.",
  staleButton: "This button no longer works; run the command again.",
  staleModal: "This form no longer works; open it again.",
  restarting: "newsdesk is restarting: ask again in a moment.",
  restartedBeforeAnswer: "newsdesk had to restart before answering: ask again in a moment.",
  guildOnly:
    "This works in a server only: pins, feeds and unanswered questions belong to a server.",
  notModerator:
    "Only moderators (Manage Messages or Pin Messages) can do this; nothing was changed.",
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
  voteNoRecord:
    "I have no record of this answer (answers older than 90 days are forgotten), so votes on it are not counted. Ask again to vote on a new answer.",
  voteNotKept: (reason: string) =>
    `Your vote was not counted: the database cannot keep it. Tell whoever runs newsdesk: ${storeReason(reason)}`,
  whatWasWrong:
    "Thanks for the 👎. What was wrong? (optional: only the moderators' counts see it, never who you are)",
  reasonKept: (label: string) => `Noted: “${label}”. Thank you.`,
  reasonWithoutVote:
    "Your 👎 on that answer is gone (taken back or changed to 👍), so nothing was noted.",
  reasonNotKept: (reason: string) =>
    `Nothing was noted: the database cannot keep it. Tell whoever runs newsdesk: ${storeReason(reason)}`,
  pinNotKept: (reason: string) =>
    `Nothing was pinned: the pin database cannot keep it. Tell whoever runs newsdesk: ${storeReason(reason)}`,
  pinNotRemoved: (reason: string) =>
    `Nothing was removed: the pin database cannot be changed. Tell whoever runs newsdesk: ${storeReason(reason)}`,
  /** A feed address refused by the check; `feedLink` is the feed a web page names. */
  feedRefused: (refused: {
    readonly code: FeedCheckCode;
    readonly url: string;
    readonly reason: string;
    readonly feedLink?: string;
  }) => {
    const advice =
      refused.feedLink === undefined
        ? FEED_ADVICE[refused.code]
        : `This page names its feed: run \`/feeds add\` with \`url:\` ${inlineCode(refused.feedLink, 300)}`;
    return `Nothing was added: ${inlineCode(refused.url, 200) || "the address"} — ${sentence(refused.reason)} ${advice}`;
  },
  /**
   * A feed followed: what happens now. `taken` is how many of its items the first poll takes
   * (FEED_ITEMS_PER_POLL); `channelId` where its new articles are posted, if anywhere.
   */
  feedAdded: (name: string, items: number, taken: number, channelId: string | undefined) => {
    const which =
      items > taken ? `Its newest ${counted(taken, "article")} become` : "Its articles become";
    const posted =
      channelId === undefined
        ? " They are not posted in any channel: to have them posted, `/feeds remove` it and `/feeds add` it again with `channel:`."
        : ` New ones will be posted in <#${channelId}>.`;
    return `Following ${feedLabel(name)} (${counted(items, "item")} now). ${which} answerable here in the next few minutes, and new ones as the feed brings them.${posted}`;
  },
  duplicateFeed: (url: string) =>
    `This server follows ${inlineCode(url, 200)} already; \`/feeds list\` shows it. Nothing was added.`,
  tooManyFeeds: (limit: number) =>
    `This server follows ${counted(limit, "feed")}, the most allowed (FEEDS_PER_SERVER). Remove one with \`/feeds remove\` first; nothing was added.`,
  feedChannelUnusable: (channelId: string, missing: readonly string[]) =>
    `I cannot post articles in <#${channelId}>: I lack ${missing.join(" and ")} there. Give newsdesk's role ${missing.length === 1 ? "that permission" : "those permissions"} in that channel, or pick another; nothing was added.`,
  unknownFeed: (id: number) => `This server follows no feed #${id}; \`/feeds list\` shows them.`,
  feedRemoved: (name: string, id: number, retentionDays: number) =>
    `Stopped following ${feedLabel(name)} (#${id}): it is no longer read or posted. The articles already taken from it stay answerable for up to ${counted(retentionDays, "day")} (FEED_RETENTION_DAYS), or until removed with \`/articles remove\`.`,
  /** `reason` is the store's one-line message. */
  feedNotKept: (reason: string) =>
    `Nothing was added: the database cannot keep it. Tell whoever runs newsdesk: ${storeReason(reason)}`,
  feedNotRemoved: (reason: string) =>
    `Nothing was removed: the database cannot be changed. Tell whoever runs newsdesk: ${storeReason(reason)}`,
  storeUnreadable: (reason: string) =>
    `The pin database cannot be read right now; try again in a moment. If it lasts, tell whoever runs newsdesk: ${storeReason(reason)}`,
} as const;

/** A feed's title or address, quoted back in bold on one line. */
const feedLabel = (name: string) =>
  `**${escapeText(truncate(name, QUOTED), { singleLine: true }) || "Untitled feed"}**`;

/** A reason from the fetcher or parser, as text on one line, ending with a full stop. */
function sentence(reason: string): string {
  const text = escapeText(truncate(reason, 300), { singleLine: true });
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}

/** What a moderator can do about each reason a feed is refused. */
const FEED_ADVICE: Readonly<Record<FeedCheckCode, string>> = {
  badUrl: "Give the feed's full address, starting with `https://`.",
  forbiddenAddress: "newsdesk reads public sites only; give a feed on the public web.",
  dnsFailure: "No such site: check the address for a typo.",
  connectionFailed: "Check the address; if the site is down, try again later.",
  timeout: "The site is too slow right now; try again later.",
  tooLarge: "That is more than newsdesk reads; many sites offer a smaller feed per section.",
  tooManyRedirects: "Open the address in a browser and give the address the feed ends up at.",
  redirectLoop:
    "The site sends the address round in circles; tell the site, or try another of its feeds.",
  badRedirect: "Open the address in a browser and give the address the feed ends up at.",
  httpStatus:
    "Check the address: give the feed's own (often ending in `/feed`, `/rss` or `.xml`, linked as RSS on the site).",
  rateLimited: "The site asks newsdesk to wait; try again later.",
  unsupportedContentType:
    "Give the address of the feed itself (RSS, Atom or JSON Feed), often linked as RSS on the site.",
  badEncoding: "newsdesk cannot read its text; try another of the site's feeds.",
  aborted: "newsdesk is restarting; add it again in a moment.",
  malformed: "The feed is broken; tell the site, or try another of its feeds.",
  notAFeed:
    "Give the address of the feed itself (RSS, Atom or JSON Feed), often linked as RSS on the site.",
  empty: "Add it again once it lists articles.",
};

/** The store's message, as text (a path may hold markdown characters), within a message. */
function storeReason(reason: string): string {
  return escapeText(truncate(reason, 1500));
}
