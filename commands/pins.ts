/**
 * `/pins add question:<text> article:<id> paragraph:<n>`: a moderator pins an answer written
 * from a paragraph (posted in the channel and pinned there).
 * `/pins list [page]`: the server's pinned answers, for everyone, privately; a pin readers voted
 * down (on its own message and the answers it led: see `isPinFlagged`) is marked ⚠️.
 * `/pins remove id:<n>`: a moderator removes a pin and unpins its message.
 * Also handles the "📌 Pin answer" button on the bot's answers and the list's page buttons.
 *
 * No default_member_permissions: `list` is for everyone and Discord sets permissions per
 * command, not per subcommand, so `add` and `remove` check the member in the handler.
 */
import {
  type ChatInputCommandInteraction,
  InteractionContextType,
  MessageFlags,
  RESTJSONErrorCodes,
  SlashCommandBuilder,
} from "discord.js";
import { AnswerError } from "../src/answer/errors.js";
import { MAX_QUESTION_CHARS } from "../src/constants.js";
import { MAX_CHOICES, respondWithArticles } from "../src/discord/articles/articleChoices.js";
import {
  choiceName,
  NO_MENTIONS,
  pinListEmbed,
  pinnedAnswerEmbed,
} from "../src/discord/format/format.js";
import { replies } from "../src/discord/format/replies.js";
import type {
  ChatInputHandler,
  CommandContext,
  ComponentHandler,
  HandlerOutcome,
  SlashCommand,
} from "../src/discord/framework/command.js";
import {
  listMessage,
  PAGE_SIZE,
  type PagedList,
  pageTurner,
} from "../src/discord/framework/paging.js";
import { requireGuildId } from "../src/discord/framework/preconditions.js";
import { replyPrivately } from "../src/discord/framework/respond.js";
import { storeChoices } from "../src/discord/framework/storeChoices.js";
import { orStoreRefusal } from "../src/discord/framework/storeRefusal.js";
import {
  markPinRemoved,
  PIN_ANSWER_ID,
  pinAnswerMessage,
  pinnedContent,
  setChannelPin,
} from "../src/discord/pins/pinning.js";
import type { Pin } from "../src/pins/types.js";
import { isPinFlagged } from "../src/votes/types.js";

const data = new SlashCommandBuilder()
  .setName("pins")
  .setDescription("Answers moderators pinned: similar questions get them first")
  .setContexts(InteractionContextType.Guild)
  .addSubcommand((sub) =>
    sub
      .setName("add")
      .setDescription("Pin a paragraph as the answer to a question (moderators)")
      .addStringOption((option) =>
        option
          .setName("question")
          .setDescription("The question this paragraph answers")
          .setRequired(true)
          .setMaxLength(MAX_QUESTION_CHARS),
      )
      .addStringOption((option) =>
        option
          .setName("article")
          .setDescription("The article")
          .setRequired(true)
          .setAutocomplete(true),
      )
      .addIntegerOption((option) =>
        option
          .setName("paragraph")
          .setDescription("Paragraph number, from 1 (see /source)")
          .setRequired(true)
          .setMinValue(1),
      ),
  )
  .addSubcommand((sub) =>
    sub
      .setName("list")
      .setDescription("The pinned answers of this server")
      .addIntegerOption((option) =>
        option.setName("page").setDescription("Page number, from 1").setMinValue(1),
      ),
  )
  .addSubcommand((sub) =>
    sub
      .setName("remove")
      .setDescription("Remove a pinned answer and unpin its message (moderators)")
      .addIntegerOption((option) =>
        option
          .setName("id")
          .setDescription("The pin's number, as /pins list shows it")
          .setRequired(true)
          .setMinValue(1)
          .setAutocomplete(true),
      ),
  )
  .toJSON();

const pinList: PagedList = {
  prefix: "pins:list",
  preconditions: { guildOnly: true },
  readsStore: true,
  async render(interaction, ctx, page) {
    const guildId = requireGuildId(interaction);
    const pins = await ctx.pins.listPins(guildId, { page, pageSize: PAGE_SIZE });
    const votes = await ctx.votes.pinVotes(guildId, pins.items);
    const flagged = new Map([...votes].filter(([, tally]) => isPinFlagged(tally)));
    return { page: pins, embed: pinListEmbed(pins, PAGE_SIZE, flagged) };
  },
};

const add: ChatInputHandler = async (interaction, ctx) => {
  const guildId = requireGuildId(interaction);
  const question = interaction.options.getString("question", true);
  const articleId = interaction.options.getString("article", true);
  const paragraph = interaction.options.getInteger("paragraph", true);
  let citation: ReturnType<typeof ctx.services.answers.cite>;
  try {
    citation = ctx.services.answers.cite(question, articleId, paragraph, guildId);
  } catch (error) {
    if (!(error instanceof AnswerError)) throw error;
    const article = ctx.services.answers.getArticle(articleId, guildId);
    const content =
      error.code === "EMPTY_QUESTION"
        ? replies.emptyPinQuestion
        : article === undefined
          ? replies.unknownArticle(articleId)
          : replies.paragraphOutOfRange(article.title, article.paragraphs.length, paragraph);
    await replyPrivately(interaction, content);
    return "invalid";
  }
  return orStoreRefusal(interaction, ctx, replies.pinNotKept, async () => {
    // A file check, not a database call: a database that cannot keep the pin is said at once,
    // before anything is posted in the channel.
    ctx.pins.checkWritable();
    // The answer is posted in the channel, then pinned there: its message is what the pin
    // links to. If the store then refuses, the post is deleted and the moderator told why.
    await interaction.deferReply();
    const posted = await interaction.fetchReply();
    const pin = await ctx.pins.addPin({
      guildId,
      channelId: posted.channelId,
      messageId: posted.id,
      question,
      citations: [citation],
      pinnedBy: interaction.user.id,
      pinnedAt: ctx.now(),
    });
    return confirmPost(interaction, ctx, pin, posted);
  });
};

/** `/pins add` once the pin is kept: the post shows it, is pinned, and the moderator is told. */
async function confirmPost(
  interaction: ChatInputCommandInteraction,
  ctx: CommandContext,
  pin: Pin,
  posted: { readonly id: string; readonly channelId: string },
): Promise<HandlerOutcome> {
  ctx.log.info({ pinId: pin.id, messageId: posted.id }, "answer pinned");
  await interaction.editReply({ embeds: [pinnedAnswerEmbed(pin)], allowedMentions: NO_MENTIONS });
  const channel = await setChannelPin(
    interaction.client,
    posted.channelId,
    posted.id,
    true,
    ctx.log,
  );
  await interaction.followUp({
    content: pinnedContent(pin, channel),
    flags: MessageFlags.Ephemeral,
    allowedMentions: NO_MENTIONS,
  });
  return "ok";
}

const remove: ChatInputHandler = async (interaction, ctx) => {
  const guildId = requireGuildId(interaction);
  const id = interaction.options.getInteger("id", true);
  // Acknowledged before the store is touched: a locked database must not cost Discord's 3 s.
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  return orStoreRefusal(interaction, ctx, replies.pinNotRemoved, async () => {
    const pin = await ctx.pins.removePin(guildId, id);
    if (!pin) {
      await replyPrivately(interaction, replies.unknownPin(id));
      return "invalid";
    }
    ctx.log.info({ pinId: pin.id, messageId: pin.messageId }, "pin removed");
    await interaction.editReply({
      content: await unpinRemoved(interaction, ctx, pin),
      allowedMentions: NO_MENTIONS,
    });
    return "ok";
  });
};

/**
 * Once pin `pin` is removed: unpins its message and unmarks its post; what to tell the
 * moderator.
 */
async function unpinRemoved(
  interaction: ChatInputCommandInteraction,
  ctx: CommandContext,
  pin: Pin,
): Promise<string> {
  let content = replies.pinRemoved(pin.id, pin.question);
  if (pin.messageId === undefined) return content;
  const channel = await setChannelPin(
    interaction.client,
    pin.channelId,
    pin.messageId,
    false,
    ctx.log,
  );
  if (!channel.done) content += `\n${replies.channelUnpinFailed(channel.reason)}`;
  const gone = !channel.done && channel.code === RESTJSONErrorCodes.UnknownMessage;
  if (!gone) await markPinRemoved(interaction.client, pin, ctx.log);
  return content;
}

const list: ChatInputHandler = async (interaction, ctx) => {
  const page = interaction.options.getInteger("page") ?? 1;
  // The page is read from the database: acknowledged first.
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  await interaction.editReply(await listMessage(pinList, interaction, ctx, page));
  return "ok";
};

/** Pins the `id` autocomplete looks through: the newest this many. */
const ID_CHOICES_FROM = 100;

/**
 * The choices for `/pins remove id:`: the guild's pins, newest first, `#12 · question · Title ¶p`;
 * digits typed match the start of the number, words the question or the article title.
 */
async function pinChoices(ctx: CommandContext, guildId: string, typed: string) {
  const needle = typed.trim().toLowerCase();
  const listed = await storeChoices(
    ctx,
    ctx.pins.listPins(guildId, { page: 1, pageSize: ID_CHOICES_FROM }),
    "pin",
  );
  return (listed?.items ?? [])
    .filter((pin) => {
      if (needle === "") return true;
      if (/^#?\d+$/.test(needle)) return String(pin.id).startsWith(needle.replace("#", ""));
      const title = pin.citations[0]?.title ?? "";
      return `${pin.question} ${title}`.toLowerCase().includes(needle);
    })
    .slice(0, MAX_CHOICES)
    .map((pin) => {
      const first = pin.citations[0];
      const source = first ? ` · ${first.title} ¶${first.paragraph}` : "";
      return { name: choiceName(`#${pin.id} · ${pin.question}${source}`), value: pin.id };
    });
}

const pinAnswer: ComponentHandler = {
  prefix: PIN_ANSWER_ID,
  preconditions: { moderatorOnly: true },
  handle: (interaction, ctx) => pinAnswerMessage(interaction, interaction.message, ctx),
};

export default {
  data,
  preconditions: { guildOnly: true },
  subcommands: {
    add: { preconditions: { moderatorOnly: true }, execute: add },
    list: { execute: list },
    remove: { preconditions: { moderatorOnly: true }, execute: remove },
  },
  async autocomplete(interaction, ctx) {
    const focused = interaction.options.getFocused(true);
    if (focused.name !== "id") return respondWithArticles(interaction, ctx);
    const guildId = interaction.guildId;
    await interaction.respond(
      guildId === null ? [] : await pinChoices(ctx, guildId, String(focused.value)),
    );
  },
  components: [pinAnswer, pageTurner(pinList)],
} satisfies SlashCommand;
