/**
 * Builds the `data.options` (and `data.resolved`) of command and autocomplete interactions
 * from what a test names, typed after the command the bot registered when there is one.
 */
import {
  type APIApplicationCommand,
  type APIApplicationCommandInteractionDataOption,
  type APIApplicationCommandOption,
  type APIInteractionDataResolved,
  type APIInteractionDataResolvedChannel,
  type APIUser,
  ApplicationCommandOptionType,
} from "discord.js";
import { buildInteractionMember, FakePermissions } from "./fakeDiscordPayloads.js";
import type { OptionValue, SlashCommandInit } from "./fakeDiscordTypes.js";
import { isObject, type Json } from "./restReplies.js";

/** How USER and CHANNEL option values (ids) become `resolved` entries. */
export interface OptionLookups {
  user(id: string): APIUser;
  channel(id: string): Omit<APIInteractionDataResolvedChannel, "permissions">;
}

export interface BuiltOptions {
  options: APIApplicationCommandInteractionDataOption[];
  resolved: APIInteractionDataResolved | undefined;
}

/** The option definitions at the level a test addresses (command, subcommand, group). */
export function optionDefs(
  command: APIApplicationCommand | undefined,
  init: Pick<SlashCommandInit, "subcommand" | "subcommandGroup">,
): APIApplicationCommandOption[] | undefined {
  if (!command) return undefined;
  let defs: unknown[] | undefined = command.options;
  for (const level of [init.subcommandGroup, init.subcommand]) {
    if (!level) continue;
    const parent = defs?.find((def) => isObject(def) && def.name === level);
    if (!isObject(parent)) {
      throw new Error(`fakeDiscord: /${command.name} has no subcommand (group) "${level}"`);
    }
    defs = Array.isArray(parent.options) ? parent.options : [];
  }
  return defs as APIApplicationCommandOption[] | undefined;
}

/**
 * @param command - the registered command, to type the options; without it types follow the
 *   values (integer -> INTEGER, other number -> NUMBER, boolean, else STRING)
 * @param focused - for autocomplete: the option being typed in
 */
export function buildOptions(
  init: SlashCommandInit,
  command: APIApplicationCommand | undefined,
  lookups: OptionLookups,
  focused?: APIApplicationCommandInteractionDataOption,
): BuiltOptions {
  const defs = optionDefs(command, init);
  let resolved: APIInteractionDataResolved | undefined;
  let leaf: Json[];
  if (Array.isArray(init.options)) {
    leaf = init.options as unknown as Json[];
  } else {
    leaf = Object.entries(init.options ?? {}).map(([name, value]) => {
      const def = defs?.find((d) => d.name === name);
      if (defs && !def) {
        const known = defs.map((d) => d.name).join(", ");
        throw new Error(`fakeDiscord: /${init.name} has no option "${name}" (has: ${known})`);
      }
      const type = def?.type ?? inferType(value);
      resolved = resolve(type, String(value), lookups, resolved);
      return { name, type, value: coerce(type, value) };
    });
  }
  if (focused) {
    leaf = [...leaf.filter((o) => o.name !== focused.name), focused as unknown as Json];
  }
  let options = leaf;
  if (init.subcommand) {
    options = [
      { name: init.subcommand, type: ApplicationCommandOptionType.Subcommand, options: leaf },
    ];
  }
  if (init.subcommandGroup) {
    options = [
      { name: init.subcommandGroup, type: ApplicationCommandOptionType.SubcommandGroup, options },
    ];
  }
  return { options: options as unknown as APIApplicationCommandInteractionDataOption[], resolved };
}

function resolve(
  type: ApplicationCommandOptionType,
  id: string,
  lookups: OptionLookups,
  resolved: APIInteractionDataResolved | undefined,
): APIInteractionDataResolved | undefined {
  if (type === ApplicationCommandOptionType.User) {
    const user = lookups.user(id);
    const { user: _user, ...member } = buildInteractionMember(user, [], FakePermissions.member);
    const next = resolved ?? {};
    next.users = { ...next.users, [id]: user };
    next.members = { ...next.members, [id]: member };
    return next;
  }
  if (type === ApplicationCommandOptionType.Channel) {
    const channel = { ...lookups.channel(id), permissions: FakePermissions.member };
    const next = resolved ?? {};
    next.channels = { ...next.channels, [id]: channel as APIInteractionDataResolvedChannel };
    return next;
  }
  return resolved;
}

function inferType(value: OptionValue): ApplicationCommandOptionType {
  if (typeof value === "boolean") return ApplicationCommandOptionType.Boolean;
  if (typeof value === "number") {
    return Number.isInteger(value)
      ? ApplicationCommandOptionType.Integer
      : ApplicationCommandOptionType.Number;
  }
  return ApplicationCommandOptionType.String;
}

function coerce(type: ApplicationCommandOptionType, value: OptionValue): OptionValue {
  switch (type) {
    case ApplicationCommandOptionType.Integer:
    case ApplicationCommandOptionType.Number:
      return Number(value);
    case ApplicationCommandOptionType.Boolean:
      return value === true || value === "true";
    default:
      return String(value);
  }
}
