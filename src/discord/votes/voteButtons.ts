/**
 * The 👍/👎 buttons under an answer, and the "what was wrong" buttons a 👎 offers: how they
 * look, their custom_ids, and the answer's rows with new counts. Pure: the handlers that store
 * the votes are in voting.ts.
 *
 * The vote buttons are a row of their own, the answer's last: the rows before it ("More
 * sources", "📌 Pin answer", "Follow up") belong to other features and are left as they are.
 */
import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIComponentInMessageActionRow,
  type APIMessageTopLevelComponent,
  ButtonStyle,
  ComponentType,
} from "discord.js";
import { VOTE_REASONS, type Vote, type VoteReason, type VoteTally } from "../../votes/types.js";

/** custom_id prefix of 👍 and 👎: `ask:vote:up`, `ask:vote:down` (the message says which answer). */
export const VOTE_PREFIX = "ask:vote";

/** custom_id prefix of a 👎 reason: `ask:why:<logged question id>:<reason>`. */
export const REASON_PREFIX = "ask:why";

const EMOJI: Record<Vote, string> = { up: "👍", down: "👎" };

/** What a 👎 voter is offered, in the order shown. */
export const REASON_LABELS: Record<VoteReason, string> = {
  "wrong-passage": "Wrong passage",
  outdated: "Outdated",
  "not-in-articles": "Not in the articles",
  other: "Other",
};

/** A vote button's label: the emoji and the count ("👍 2"), short whatever the count. */
export function voteLabel(vote: Vote, count: number): string {
  const shown = Number.isSafeInteger(count) && count > 0 ? count : 0;
  return `${EMOJI[vote]} ${shown.toLocaleString("en-US")}`;
}

function voteButton(vote: Vote, count: number): APIButtonComponent {
  return {
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    label: voteLabel(vote, count),
    custom_id: `${VOTE_PREFIX}:${vote}`,
  };
}

/** The row of 👍 and 👎 with these counts. */
export function voteRow(tally: VoteTally): APIActionRowComponent<APIButtonComponent> {
  return {
    type: ComponentType.ActionRow,
    components: [voteButton("up", tally.up), voteButton("down", tally.down)],
  };
}

/** The vote a 👍/👎 custom_id asks for, or undefined when it is not one. */
export function parseVote(customId: string): Vote | undefined {
  if (customId === `${VOTE_PREFIX}:up`) return "up";
  if (customId === `${VOTE_PREFIX}:down`) return "down";
  return undefined;
}

const isVoteRow = (
  row: APIMessageTopLevelComponent,
): row is APIActionRowComponent<APIComponentInMessageActionRow> =>
  row.type === ComponentType.ActionRow &&
  row.components.some((c) => "custom_id" in c && c.custom_id.startsWith(`${VOTE_PREFIX}:`));

/**
 * An answer's rows (as its message has them) with the vote row's counts set to `tally`; the
 * other rows unchanged. A message without a vote row gets none.
 */
export function withTally(
  rows: readonly APIMessageTopLevelComponent[],
  tally: VoteTally,
): APIMessageTopLevelComponent[] {
  return rows.map((row) => (isVoteRow(row) ? voteRow(tally) : row));
}

/** The "what was wrong" buttons for the member's 👎 on logged question `askedId`. */
export function reasonRow(askedId: number): APIActionRowComponent<APIButtonComponent> {
  return {
    type: ComponentType.ActionRow,
    components: VOTE_REASONS.map((reason) => ({
      type: ComponentType.Button,
      style: ButtonStyle.Secondary,
      label: REASON_LABELS[reason],
      custom_id: `${REASON_PREFIX}:${askedId}:${reason}`,
    })),
  };
}

const REASON_ID = new RegExp(`^${REASON_PREFIX}:(\\d{1,16}):([a-z-]{1,20})$`);

/** The logged question and reason of a 👎 reason's custom_id, or undefined when malformed. */
export function parseReason(
  customId: string,
): { readonly askedId: number; readonly reason: VoteReason } | undefined {
  const match = REASON_ID.exec(customId);
  const reason = VOTE_REASONS.find((known) => known === match?.[2]);
  const askedId = Number(match?.[1]);
  if (!Number.isSafeInteger(askedId) || reason === undefined) return undefined;
  return { askedId, reason };
}
