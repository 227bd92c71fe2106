/**
 * What every paged list shows alike (`/articles list`, `/pins list`, `/unanswered`): "Page X of Y",
 * the description of an empty page, and the Previous / Next buttons. Pages count from 1
 * everywhere, in the buttons' custom ids too.
 */
import {
  type APIActionRowComponent,
  type APIButtonComponent,
  ButtonStyle,
  ComponentType,
} from "discord.js";
import type { Page } from "../../page.js";
import { LIMITS } from "./limits.js";
import { linesWithin } from "./parts.js";

/** "Page X of Y", X the page asked for (at least 1), Y at least 1. */
export function pagePosition(page: Page<unknown>): { current: number; pages: number } {
  const current = Math.max(1, Math.floor(page.page) || 1);
  return { current, pages: Math.max(1, Math.floor(page.pageCount) || 0) };
}

/**
 * A list page's description: its lines, or what to say when there are none (no items at all,
 * or a page past the end).
 */
export function listDescription(
  lines: readonly (readonly string[])[],
  page: Page<unknown>,
  empty: string,
  what: string,
): string {
  const list = linesWithin(lines, LIMITS.embedDescription);
  if (list !== "") return list;
  if (page.total <= 0) return empty;
  const { current, pages } = pagePosition(page);
  return `There is no page ${current}; the ${what} end at page ${pages}.`;
}

/**
 * The Previous / Next buttons of a paged list: none when the list has no page, or one page and
 * it is shown; else one row whose buttons' custom ids are `prefix:<page number from 1>`, Previous disabled on the first
 * page, Next on the last. Past the last page, Previous goes to the last page.
 * @param prefix - the custom id prefix the list's component handler listens to
 * @param page - the page shown, from 1
 * @param pageCount - how many pages there are
 * @throws RangeError when a custom id would be longer than Discord's 100 (a prefix too long)
 */
export function pageButtons(
  prefix: string,
  page: number,
  pageCount: number,
): APIActionRowComponent<APIButtonComponent>[] {
  const pages = Math.floor(pageCount) || 0;
  const current = Math.max(1, Math.floor(page) || 1);
  // One page shown needs no buttons; a page past the end of a one-page list needs the way back.
  if (pages === 0 || (pages === 1 && current <= 1)) return [];
  const button = (label: string, to: number, disabled: boolean): APIButtonComponent => {
    const customId = `${prefix}:${to}`;
    if (customId.length > LIMITS.customId) {
      throw new RangeError(`custom id longer than ${LIMITS.customId}: ${customId.slice(0, 40)}…`);
    }
    return {
      type: ComponentType.Button,
      style: ButtonStyle.Secondary,
      label,
      custom_id: customId,
      disabled,
    };
  };
  return [
    {
      type: ComponentType.ActionRow,
      components: [
        button("Previous", Math.min(current - 1, pages), current <= 1),
        button("Next", current + 1, current >= pages),
      ],
    },
  ];
}
