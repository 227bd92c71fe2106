/**
 * `/ask question:<text> [article:<id>] [private:<bool>]`: answers from the articles with cited
 * excerpts, after the server's pinned answer when one matches; a "More sources" button shows
 * the next citations to whoever clicks it, and on public answers "📌 Pin answer" lets a
 * moderator pin it and "💬 Follow up" opens a thread on it where every message is a follow-up
 * question. `/ask` in such a thread (or a Q&A forum's post) is a follow-up too. In a server every
 * answer, public or private, carries 👍/👎 (see src/discord/votes/voting.ts).
 *
 * "Ask about this" under an announced article asks too: the button opens a modal, and the
 * question typed in it is answered from that article only, publicly, as `/ask article:` would.
 */
import { ComponentType, MessageFlags, SlashCommandBuilder } from "discord.js";
import { MAX_QUESTION_CHARS } from "../src/constants.js";
import type { Article } from "../src/corpus/article.js";
import { respondWithArticles } from "../src/discord/articles/articleChoices.js";
import {
  citationsMessage,
  MORE_SOURCES_PREFIX,
  parseMoreSources,
  sendAnswer,
  withoutRemovedCitations,
} from "../src/discord/ask/answerReply.js";
import {
  ASK_ABOUT_PREFIX,
  askAboutModal,
  askedAboutLine,
  parseAskAbout,
  QUESTION_FIELD,
} from "../src/discord/ask/askAbout.js";
import { NO_MENTIONS } from "../src/discord/format/format.js";
import { replies } from "../src/discord/format/replies.js";
import type {
  CommandContext,
  ComponentHandler,
  ModalHandler,
  SlashCommand,
} from "../src/discord/framework/command.js";
import { replyPrivately } from "../src/discord/framework/respond.js";
import {
  conversationKind,
  FOLLOW_UP_ID,
  openFollowUpThread,
} from "../src/discord/threads/followUp.js";
import { REASON_PREFIX, VOTE_PREFIX } from "../src/discord/votes/voteButtons.js";
import { handleReason, handleVote } from "../src/discord/votes/voting.js";

const data = new SlashCommandBuilder()
  .setName("ask")
  .setDescription("Ask a question about the news; the answer quotes the articles")
  .addStringOption((option) =>
    option
      .setName("question")
      .setDescription("What you want to know")
      .setRequired(true)
      .setMaxLength(MAX_QUESTION_CHARS),
  )
  .addStringOption((option) =>
    option.setName("article").setDescription("Only search this article").setAutocomplete(true),
  )
  .addBooleanOption((option) =>
    option.setName("private").setDescription("Only you see the answer (default: everyone)"),
  )
  .toJSON();

const moreSources: ComponentHandler = {
  prefix: MORE_SOURCES_PREFIX,
  async handle(interaction, ctx) {
    const parsed = parseMoreSources(interaction.customId);
    const cached = parsed && ctx.answerCache.get(parsed.key);
    if (!parsed || !cached) {
      await replyPrivately(interaction, replies.expired);
      return "invalid";
    }
    const guildId = interaction.guildId ?? undefined;
    const live = withoutRemovedCitations(
      cached,
      parsed.offset,
      (citation) => ctx.services.answers.getArticle(citation.articleId, guildId) !== undefined,
    );
    // With citations dropped, the next offsets are the new list's: it gets a key of its own.
    const message = citationsMessage(
      ctx,
      live,
      parsed.offset,
      live === cached ? parsed.key : undefined,
    );
    await interaction.reply({
      ...message,
      flags: MessageFlags.Ephemeral,
      allowedMentions: NO_MENTIONS,
    });
    return "ok";
  },
};

/**
 * The article an "Ask about this" custom_id names, if the server it is used in may see it: the
 * article may have been removed since it was announced (retention, a moderator).
 */
function askedArticle(
  customId: string,
  guildId: string | null,
  ctx: CommandContext,
): Article | undefined {
  const articleId = parseAskAbout(customId);
  return articleId === undefined
    ? undefined
    : ctx.services.library.get(articleId, guildId ?? undefined);
}

/** "💬 Follow up": opens a thread on the answer (see followUp.ts). */
const followUp: ComponentHandler = {
  prefix: FOLLOW_UP_ID,
  handle: openFollowUpThread,
};

/** "Ask about this": opens the question modal. Showing a modal must be the first answer. */
const askAbout: ComponentHandler = {
  prefix: ASK_ABOUT_PREFIX,
  async handle(interaction, ctx) {
    const article = askedArticle(interaction.customId, interaction.guildId, ctx);
    if (!article) {
      await replyPrivately(interaction, replies.articleGone);
      return "invalid";
    }
    await interaction.showModal(askAboutModal(interaction.customId, article));
    return "ok";
  },
};

/** The question typed in the modal, answered from its article, publicly as `/ask` answers. */
const askAboutSubmit: ModalHandler = {
  prefix: ASK_ABOUT_PREFIX,
  preconditions: { cooldown: true },
  async handle(interaction, ctx) {
    const field = interaction.fields.fields.get(QUESTION_FIELD);
    const typed = field?.type === ComponentType.TextInput ? field.value : "";
    const question = typed.trim().slice(0, MAX_QUESTION_CHARS);
    if (!/[\p{L}\p{N}]/u.test(question)) {
      await replyPrivately(interaction, replies.emptyModalQuestion);
      return "invalid";
    }
    const article = askedArticle(interaction.customId, interaction.guildId, ctx);
    if (!article) {
      await replyPrivately(interaction, replies.articleGone);
      return "invalid";
    }
    await interaction.deferReply();
    const where = {
      guildId: interaction.guildId,
      channelId: interaction.channelId ?? "",
      articleId: article.id,
      inThread: interaction.channel?.isThread() ?? false,
    };
    // The modal is gone once sent: the answer says what was asked, and about what.
    const content = askedAboutLine(article.title, question);
    return sendAnswer(ctx, question, where, {
      answer: (message) =>
        interaction.editReply({ ...message, content, allowedMentions: NO_MENTIONS }),
      refuse: (why) => replyPrivately(interaction, why),
    });
  },
};

/** 👍 or 👎 under an answer: anyone who sees the answer may vote. */
const vote: ComponentHandler = { prefix: VOTE_PREFIX, handle: handleVote };

/** What was wrong, offered to a 👎 voter. */
const voteReason: ComponentHandler = { prefix: REASON_PREFIX, handle: handleReason };

export default {
  data,
  preconditions: { cooldown: true },
  async execute(interaction, ctx) {
    const question = interaction.options.getString("question", true);
    const articleId = interaction.options.getString("article") ?? undefined;
    // Discord waits 3 s for the first answer; the search is fast, but not promised to be.
    const isPrivate = interaction.options.getBoolean("private") ?? false;
    await interaction.deferReply(isPrivate ? { flags: MessageFlags.Ephemeral } : {});
    const { channel } = interaction;
    const conversation = conversationKind(
      channel,
      interaction.client.user.id,
      ctx.config.discord.qaChannelIds,
    );
    const where = {
      guildId: interaction.guildId,
      channelId: interaction.channelId,
      private: isPrivate,
      inThread: channel?.isThread() ?? false,
      ...(articleId === undefined ? {} : { articleId }),
      ...(conversation === undefined ? {} : { conversationId: interaction.channelId }),
    };
    return sendAnswer(ctx, question, where, {
      answer: (message) => interaction.editReply({ ...message, allowedMentions: NO_MENTIONS }),
      refuse: (content) => replyPrivately(interaction, content),
    });
  },
  autocomplete: respondWithArticles,
  components: [moreSources, askAbout, followUp, vote, voteReason],
  modals: [askAboutSubmit],
} satisfies SlashCommand;
