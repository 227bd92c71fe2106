/**
 * One way to page a list (`/articles list`, `/pins list`, `/unanswered`): a list says how to render
 * page N (from 1) as an embed; this module adds the Previous / Next buttons, whose custom ids are
 * `<prefix>:<page>`, and turns the page when one is clicked, under the list's preconditions.
 */
import type { APIEmbed, RepliableInteraction } from "discord.js";
import type { Page } from "../../page.js";
import { NO_MENTIONS, pageButtons } from "../format/format.js";
import type { CommandContext, ComponentHandler } from "./command.js";
import type { Preconditions } from "./preconditions.js";

/** Items a page of every list shows. */
export const PAGE_SIZE = 10;

/** A paged list: its buttons' custom id prefix, who may turn its pages, and how to show one. */
export interface PagedList {
  /** `<command name>:<list>`: the page buttons carry `<prefix>:<page from 1>`. */
  readonly prefix: string;
  /** Checked before a page button turns the page (those of the list's own command). */
  readonly preconditions?: Preconditions;
  /**
   * The list is read from the pin database: a page button is acknowledged (deferred update)
   * before the page is read, since Discord gives an interaction 3 s and a lock may not.
   */
  readonly readsStore?: boolean;
  /**
   * Page `page` (from 1) of the list: the page as the data source gives it, and its embed.
   * @param interaction - the command or the button (for its server)
   */
  render(
    interaction: RepliableInteraction,
    ctx: CommandContext,
    page: number,
  ): Promise<{ readonly page: Page<unknown>; readonly embed: APIEmbed }>;
}

/** The message showing page `page` (from 1) of `list`, with its page buttons. */
export async function listMessage(
  list: PagedList,
  interaction: RepliableInteraction,
  ctx: CommandContext,
  page: number,
) {
  const shown = await list.render(interaction, ctx, Math.max(1, Math.floor(page) || 1));
  return {
    embeds: [shown.embed],
    components: pageButtons(list.prefix, shown.page.page, shown.page.pageCount),
    allowedMentions: NO_MENTIONS,
  };
}

/**
 * The page a page button of `prefix` asks for, from its custom id; 1 when the id is malformed.
 */
export function pageFromCustomId(prefix: string, customId: string): number {
  if (!customId.startsWith(`${prefix}:`)) return 1;
  const text = customId.slice(prefix.length + 1);
  return /^\d{1,6}$/.test(text) ? Math.max(1, Number(text)) : 1;
}

/** The button handler that turns `list`'s pages in place. */
export function pageTurner(list: PagedList): ComponentHandler {
  return {
    prefix: list.prefix,
    ...(list.preconditions === undefined ? {} : { preconditions: list.preconditions }),
    async handle(interaction, ctx) {
      const page = pageFromCustomId(list.prefix, interaction.customId);
      if (list.readsStore) {
        await interaction.deferUpdate();
        await interaction.editReply(await listMessage(list, interaction, ctx, page));
      } else {
        await interaction.update(await listMessage(list, interaction, ctx, page));
      }
      return "ok";
    },
  };
}
