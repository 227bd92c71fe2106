/**
 * An article id or a topic in, the embed that summarizes it out, for `/summary`. Expected
 * failures (an unknown article, a topic without words) come back as "invalid" with the text to
 * show the asker; anything else the summary service throws is left to the router.
 */
import type { APIEmbed } from "discord.js";
import { DEFAULT_SUMMARY_SENTENCES } from "../../constants.js";
import { SummaryError } from "../../summary/errors.js";
import { articleSummaryEmbed, topicSummaryEmbed } from "../format/format.js";
import { replies } from "../format/replies.js";
import type { CommandContext } from "../framework/command.js";

export { DEFAULT_SUMMARY_SENTENCES };

/** Sentences a summary may have: what `/summary sentences:` accepts. */
export const MIN_SUMMARY_SENTENCES = 1;
export const MAX_SUMMARY_SENTENCES = 10;

/** What to summarize: one article, or what the articles say about a topic. */
export type SummaryRequest = { readonly articleId: string } | { readonly topic: string };

export type SummaryReply =
  | { readonly outcome: "ok" | "abstained"; readonly embeds: APIEmbed[] }
  | {
      readonly outcome: "invalid";
      readonly code: SummaryError["code"];
      /** Why, for the asker only. */
      readonly content: string;
    };

/**
 * Summarizes an article or a topic and formats the reply; a topic no article covers is
 * "abstained", with an embed saying so.
 * @param request - the article id or the topic, as the user gave it
 * @param sentences - sentences at most, clamped to 1..10 (default 3)
 * @param guildId - the server asking (null in DMs): only articles it may see are summarized
 */
export function summaryReply(
  ctx: CommandContext,
  request: SummaryRequest,
  sentences: number = DEFAULT_SUMMARY_SENTENCES,
  guildId: string | null = null,
): SummaryReply {
  const { summaries } = ctx.services;
  const wanted = Number.isFinite(sentences) ? Math.floor(sentences) : DEFAULT_SUMMARY_SENTENCES;
  const reader = guildId ?? undefined;
  const options = {
    sentences: Math.min(MAX_SUMMARY_SENTENCES, Math.max(MIN_SUMMARY_SENTENCES, wanted)),
    ...(reader === undefined ? {} : { guildId: reader }),
  };
  try {
    if ("articleId" in request) {
      const summary = summaries.summarizeArticle(request.articleId, options);
      const article = summaries.getArticle(request.articleId, reader) ?? {};
      return { outcome: "ok", embeds: [articleSummaryEmbed(summary, article)] };
    }
    const summary = summaries.summarizeTopic(request.topic, options);
    const embed = topicSummaryEmbed(summary, (id) => summaries.getArticle(id, reader));
    return { outcome: summary.sentences.length > 0 ? "ok" : "abstained", embeds: [embed] };
  } catch (error) {
    if (!(error instanceof SummaryError)) throw error;
    const content =
      error.code === "UNKNOWN_ARTICLE"
        ? replies.unknownArticle("articleId" in request ? request.articleId : "")
        : replies.emptyTopic;
    return { outcome: "invalid", code: error.code, content };
  }
}
