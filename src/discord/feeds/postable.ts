/**
 * Whether the bot can post a feed's articles in a channel, known before the feed is added: a
 * moderator told at `/feeds add` fixes the channel's permissions at once, where one told nothing
 * would wait for announcements that Discord then refuses one by one.
 */
import { type Guild, PermissionFlagsBits } from "discord.js";

/** What posting an article needs in a channel, with the names Discord's settings show. */
const NEEDED = [
  { bit: PermissionFlagsBits.ViewChannel, name: "View Channel" },
  { bit: PermissionFlagsBits.SendMessages, name: "Send Messages" },
  { bit: PermissionFlagsBits.EmbedLinks, name: "Embed Links" },
] as const;

/**
 * The permissions the bot lacks to post articles in channel `channelId` of `guild`, from the
 * cache the gateway keeps (roles, overwrites, the bot's member): no request is made.
 *
 * @returns the missing permissions' names (empty when it can post), or undefined when the cache
 *   does not know (the guild, channel or bot member not cached): the caller goes on, unsure
 */
export function missingPostPermissions(
  guild: Guild | null,
  channelId: string,
): string[] | undefined {
  const me = guild?.members.me;
  const channel = guild?.channels.cache.get(channelId);
  if (!me || !channel) return undefined;
  const permissions = channel.permissionsFor(me);
  return NEEDED.filter(({ bit }) => !permissions.has(bit)).map(({ name }) => name);
}
