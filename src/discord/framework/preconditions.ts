/**
 * Checks that many commands share, declared on the command instead of written in each handler
 * (Sapphire's preconditions are the model): `guildOnly`, `moderatorOnly` and `cooldown`. The
 * router runs them before the handler; a refusal is answered privately and logged as the
 * handler's outcome, and the handler never runs. Questions asked in messages go through the
 * same checks.
 */
import { PermissionFlagsBits, type PermissionsBitField } from "discord.js";
import { cooldownContent } from "../format/format.js";
import { replies } from "../format/replies.js";
import type { Cooldown } from "./Cooldown.js";

/** What a command, subcommand, button or context menu requires before its handler runs. */
export interface Preconditions {
  /** Only in a server (pins, feeds and unanswered questions belong to one). */
  readonly guildOnly?: boolean;
  /**
   * Only members with Manage Messages or Pin Messages in the channel; implies `guildOnly`. A
   * button is covered by no command permission, and server admins can change who sees a
   * command, so the check runs whatever Discord showed to whom.
   */
  readonly moderatorOnly?: boolean;
  /**
   * Only members with Manage Server (the news sources a server follows: `/feeds`, `/articles
   * add|remove`); implies `guildOnly`, checked in the handler's turn for the same reason.
   */
  readonly managerOnly?: boolean;
  /** Counts against the user's questions (`COOLDOWN_QUESTIONS` per `COOLDOWN_SECONDS`). */
  readonly cooldown?: boolean;
}

/**
 * `default_member_permissions` of the moderator commands: Manage Messages. Discord shows the
 * command only to members with every bit of it (server admins can change that in Server
 * Settings → Integrations); `moderatorOnly` checks again, accepting Pin Messages too.
 */
export const MODERATOR_PERMISSIONS = PermissionFlagsBits.ManageMessages;

/** `default_member_permissions` of the commands that change a server's news sources. */
export const MANAGER_PERMISSIONS = PermissionFlagsBits.ManageGuild;

/** Who is asking, as the checks need it. */
export interface Asker {
  readonly userId: string;
  /** null outside a server. */
  readonly guildId: string | null;
  /** The member's permissions in the channel; null outside a server. */
  readonly permissions: Readonly<PermissionsBitField> | null;
}

/** Why a precondition refused: the outcome to log and what to tell the user. */
export interface Refusal {
  readonly outcome: "invalid" | "forbidden" | "cooldown";
  readonly content: string;
  /**
   * For a cooldown, whether this is the first refusal of the window: a message question is then
   * answered with the notice, later ones only with a reaction.
   */
  readonly firstRefusal: boolean;
}

/** Whether a member with `permissions` may moderate pins: Manage Messages or Pin Messages. */
export function canModerate(permissions: Readonly<PermissionsBitField> | null): boolean {
  if (!permissions) return false;
  return (
    permissions.has(PermissionFlagsBits.ManageMessages) ||
    permissions.has(PermissionFlagsBits.PinMessages)
  );
}

/**
 * Runs `required` for `asker`, cheapest and least surprising first: where, then who, then the
 * cooldown (so a refused moderator action costs no question).
 *
 * @returns undefined when every precondition holds (a cooldown is then taken), else the refusal
 */
export function checkPreconditions(
  required: Preconditions,
  asker: Asker,
  cooldown: Cooldown,
): Refusal | undefined {
  if (
    (required.guildOnly || required.moderatorOnly || required.managerOnly) &&
    asker.guildId === null
  ) {
    return { outcome: "invalid", content: replies.guildOnly, firstRefusal: true };
  }
  if (required.managerOnly && !asker.permissions?.has(PermissionFlagsBits.ManageGuild)) {
    return { outcome: "forbidden", content: replies.notManager, firstRefusal: true };
  }
  if (required.moderatorOnly && !canModerate(asker.permissions)) {
    return { outcome: "forbidden", content: replies.notModerator, firstRefusal: true };
  }
  if (required.cooldown) {
    const limit = cooldown.take(asker.userId);
    if (!limit.allowed) {
      return {
        outcome: "cooldown",
        content: cooldownContent(Math.ceil(limit.retryAt / 1000)),
        firstRefusal: limit.firstRefusal,
      };
    }
  }
  return undefined;
}

/** The preconditions of a command and of its subcommand together. */
export function mergePreconditions(...all: readonly (Preconditions | undefined)[]): Preconditions {
  return Object.assign({}, ...all.filter((p) => p !== undefined));
}

/**
 * The server of an interaction whose handler declared `guildOnly` or `moderatorOnly`.
 * @throws Error when there is none: the handler forgot to declare the precondition (a bug the
 *   router reports with a reference)
 */
export function requireGuildId(interaction: { readonly guildId: string | null }): string {
  if (interaction.guildId === null) {
    throw new Error("preconditions: a guild-only handler ran outside a server; declare guildOnly");
  }
  return interaction.guildId;
}
