/**
 * Builders for the Discord API objects the fake server sends: snowflakes, users, members,
 * channels, guilds and messages. Pure functions, shaped after discord-api-types v10 (re-exported
 * by discord.js), complete enough for discord.js 14 to build its structures from them.
 */
import {
  type APIAttachment,
  type APIEmbed,
  type APIGuildForumChannel,
  type APIGuildMember,
  type APIInteractionGuildMember,
  type APIMessage,
  type APIMessageReference,
  type APIMessageTopLevelComponent,
  type APIOverwrite,
  type APIRole,
  type APITextChannel,
  type APIThreadChannel,
  type APIUser,
  type ChannelFlags,
  ChannelType,
  ForumLayoutType,
  type GatewayGuildCreateDispatchData,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  type GuildMemberFlags,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildSystemChannelFlags,
  GuildVerificationLevel,
  Locale,
  MessageType,
  PermissionFlagsBits,
  type RoleFlags,
  type UserFlags,
} from "discord.js";

/** Discord's epoch (2015-01-01T00:00:00Z), the zero of every snowflake's timestamp. */
const DISCORD_EPOCH = 1_420_070_400_000n;
let snowflakeCounter = 0n;

/** A real-format snowflake: milliseconds since the Discord epoch, then a 12-bit counter. */
export function snowflake(): string {
  snowflakeCounter = (snowflakeCounter + 1n) & 0xfffn;
  return (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | snowflakeCounter).toString();
}

/**
 * The shard a guild's events go to when the bot has `count` shards (Discord's rule: the
 * snowflake's timestamp modulo the count).
 */
export function guildShard(guildId: string, count: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

/** A real-format snowflake of a guild that {@link guildShard} puts on `shard` of `count`. */
export function snowflakeOnShard(shard: number, count: number): string {
  const id = BigInt(snowflake());
  const timestamp = id >> 22n;
  const onShard = timestamp - ((timestamp - BigInt(shard)) % BigInt(count));
  return ((onShard << 22n) | (id & 0x3fffffn)).toString();
}

/** A random token such as Discord gives to each interaction (and to sessions). */
export function randomToken(length = 40): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
  let token = "";
  for (let i = 0; i < length; i++) {
    token += alphabet[Math.floor(Math.random() * alphabet.length)];
  }
  return token;
}

function bits(...flags: bigint[]): string {
  return flags.reduce((all, flag) => all | flag, 0n).toString();
}

const P = PermissionFlagsBits;

/** Discord's default `@everyone` permissions: can read and write, cannot manage messages. */
const MEMBER = 2_248_473_465_835_073n;

/**
 * Permission strings (the `member.permissions` and `app_permissions` of interactions, and the
 * role permissions in the guild). `member` is Discord's default for `@everyone`; it has no
 * MANAGE_MESSAGES and no PIN_MESSAGES. `moderator` adds both.
 */
export const FakePermissions = {
  member: MEMBER.toString(),
  moderator: bits(MEMBER, P.ManageMessages, P.PinMessages, P.ManageThreads, P.ModerateMembers),
  admin: bits(MEMBER, P.Administrator, P.ManageGuild, P.ManageMessages, P.PinMessages),
  bot: bits(MEMBER, P.ManageMessages, P.PinMessages, P.EmbedLinks, P.ReadMessageHistory),
} as const satisfies Record<string, string>;

/** Who a fake member is: decides their roles in the guild and their interaction permissions. */
export type FakeRole = "member" | "moderator" | "admin";

export interface FakeUserInit {
  id?: string;
  username?: string;
  globalName?: string | null;
  bot?: boolean;
}

export function buildUser(init: FakeUserInit & { id: string; username: string }): APIUser {
  return {
    id: init.id,
    username: init.username,
    discriminator: "0",
    global_name: init.globalName ?? null,
    avatar: null,
    bot: init.bot ?? false,
    flags: 0 as UserFlags,
    public_flags: 0 as UserFlags,
  };
}

/** The kinds of channel the fake models: text, forum, and the public threads of either. */
export type FakeChannelKind = "text" | "forum" | "thread";

export interface FakeChannel {
  readonly id: string;
  readonly name: string;
  readonly guildId: string;
  /** Default "text". */
  readonly kind?: FakeChannelKind;
  /** A thread's channel (the text channel it was started in, or its forum). */
  readonly parentId?: string;
  /** Who started a thread. */
  readonly ownerId?: string;
  /** The channel's permission overwrites (default none). */
  readonly permissionOverwrites?: readonly APIOverwrite[];
}

export interface FakeGuild {
  readonly id: string;
  readonly name: string;
  readonly channels: readonly FakeChannel[];
  /** Role ids: `@everyone` has the guild's id; moderators and admins have a role each. */
  readonly roles: { readonly moderator: string; readonly admin: string; readonly bot: string };
  readonly ownerId: string;
}

/** The bot's permissions in a channel (a thread's are its parent's): its role's, minus the denied. */
export function botPermissionsIn(channel: FakeChannel, parent?: FakeChannel): string {
  const denied = (parent ?? channel).permissionOverwrites ?? [];
  const deny = denied.reduce((all, overwrite) => all | BigInt(overwrite.deny), 0n);
  return (BigInt(FakePermissions.bot) & ~deny).toString();
}

/** A channel as the API gives it, by kind: a text channel, a forum or a public thread. */
export function buildChannel(
  channel: FakeChannel,
  position: number,
): APITextChannel | APIThreadChannel | APIGuildForumChannel {
  if (channel.kind === "thread") return buildThreadChannel(channel);
  if (channel.kind === "forum") return buildForumChannel(channel, position);
  return buildTextChannel(channel, position);
}

/** A public thread (type 11), open, as THREAD_CREATE and the thread routes give it. */
export function buildThreadChannel(channel: FakeChannel): APIThreadChannel {
  const now = new Date().toISOString();
  return {
    id: channel.id,
    type: ChannelType.PublicThread,
    guild_id: channel.guildId,
    parent_id: channel.parentId ?? null,
    owner_id: channel.ownerId ?? "",
    name: channel.name,
    last_message_id: null,
    rate_limit_per_user: 0,
    message_count: 0,
    member_count: 1,
    total_message_sent: 0,
    thread_metadata: {
      archived: false,
      auto_archive_duration: 1440,
      archive_timestamp: now,
      locked: false,
      create_timestamp: now,
    },
    flags: 0 as ChannelFlags,
    applied_tags: [],
  } as APIThreadChannel;
}

function buildForumChannel(channel: FakeChannel, position: number): APIGuildForumChannel {
  return {
    id: channel.id,
    type: ChannelType.GuildForum,
    guild_id: channel.guildId,
    name: channel.name,
    position,
    permission_overwrites: [...(channel.permissionOverwrites ?? [])],
    nsfw: false,
    parent_id: null,
    topic: null,
    last_message_id: null,
    rate_limit_per_user: 0,
    default_auto_archive_duration: 1440,
    default_thread_rate_limit_per_user: 0,
    available_tags: [],
    default_reaction_emoji: null,
    default_sort_order: null,
    default_forum_layout: ForumLayoutType.NotSet,
    flags: 0 as ChannelFlags,
  } as APIGuildForumChannel;
}

export function buildTextChannel(channel: FakeChannel, position: number): APITextChannel {
  return {
    id: channel.id,
    type: ChannelType.GuildText,
    guild_id: channel.guildId,
    name: channel.name,
    position,
    permission_overwrites: [...(channel.permissionOverwrites ?? [])],
    nsfw: false,
    parent_id: null,
    topic: null,
    last_message_id: null,
    last_pin_timestamp: null,
    rate_limit_per_user: 0,
    default_auto_archive_duration: 1440,
    flags: 0 as ChannelFlags,
  };
}

function role(id: string, name: string, permissions: string, position: number): APIRole {
  return {
    id,
    name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position,
    permissions,
    managed: false,
    mentionable: false,
    flags: 0 as RoleFlags,
  };
}

export function buildRoles(guild: FakeGuild): APIRole[] {
  return [
    role(guild.id, "@everyone", FakePermissions.member, 0),
    role(guild.roles.moderator, "Moderators", FakePermissions.moderator, 1),
    role(guild.roles.admin, "Admins", FakePermissions.admin, 2),
    role(guild.roles.bot, "newsdesk", FakePermissions.bot, 3),
  ];
}

export function rolesFor(guild: FakeGuild, who: FakeRole): string[] {
  if (who === "moderator") return [guild.roles.moderator];
  if (who === "admin") return [guild.roles.admin];
  return [];
}

const JOINED_AT = "2024-01-01T00:00:00.000Z";

export function buildMember(user: APIUser, roles: string[]): APIGuildMember & { user: APIUser } {
  return {
    user,
    nick: null,
    avatar: null,
    banner: null,
    roles,
    joined_at: JOINED_AT,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    pending: false,
    communication_disabled_until: null,
  };
}

export function buildInteractionMember(
  user: APIUser,
  roles: string[],
  permissions: string,
): APIInteractionGuildMember {
  return { ...buildMember(user, roles), permissions };
}

/** The GUILD_CREATE payload; without `channels` and `roles` discord.js waits 15 s for the guild. */
export function buildGuildCreate(
  guild: FakeGuild,
  botMember: APIGuildMember,
  threads: readonly FakeChannel[] = [],
): GatewayGuildCreateDispatchData {
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    icon_hash: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: guild.ownerId,
    region: "",
    afk_channel_id: null,
    afk_timeout: 300,
    widget_enabled: false,
    widget_channel_id: null,
    verification_level: GuildVerificationLevel.None,
    default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
    explicit_content_filter: GuildExplicitContentFilter.Disabled,
    roles: buildRoles(guild),
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: GuildMFALevel.None,
    application_id: null,
    system_channel_id: guild.channels[0]?.id ?? null,
    system_channel_flags: GuildSystemChannelFlags.SuppressJoinNotifications,
    rules_channel_id: null,
    max_presences: null,
    max_members: 500_000,
    vanity_url_code: null,
    premium_tier: GuildPremiumTier.None,
    premium_subscription_count: 0,
    preferred_locale: Locale.EnglishUS,
    public_updates_channel_id: null,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    nsfw_level: GuildNSFWLevel.Default,
    premium_progress_bar_enabled: false,
    safety_alerts_channel_id: null,
    incidents_data: null,
    hub_type: null,
    joined_at: JOINED_AT,
    large: false,
    unavailable: false,
    member_count: 2,
    voice_states: [],
    members: [botMember],
    channels: guild.channels.map((channel, index) => buildChannel(channel, index)),
    // The active threads, as Discord lists them: a restarted bot knows its threads from here.
    threads: threads.map((thread) => buildThreadChannel(thread)),
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
    // Read by discord.js; absent from older discord-api-types.
    ...({ application_command_counts: {} } as object),
  } as GatewayGuildCreateDispatchData;
}

export interface MessageInit {
  id?: string;
  channelId: string;
  guildId?: string;
  author: APIUser;
  member?: APIGuildMember;
  content?: string;
  embeds?: APIEmbed[];
  components?: APIMessageTopLevelComponent[];
  flags?: number;
  type?: MessageType;
  mentions?: APIUser[];
  messageReference?: APIMessageReference;
  referencedMessage?: APIMessage | null;
  webhookId?: string;
  applicationId?: string;
  attachments?: APIAttachment[];
  extra?: Partial<APIMessage>;
}

/** A full message object, as Discord returns it from any endpoint that creates a message. */
export function buildMessage(init: MessageInit): APIMessage {
  const message: APIMessage = {
    id: init.id ?? snowflake(),
    channel_id: init.channelId,
    author: init.author,
    content: init.content ?? "",
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: init.mentions ?? [],
    mention_roles: [],
    attachments: init.attachments ?? [],
    embeds: init.embeds ?? [],
    components: init.components ?? [],
    pinned: false,
    type: init.type ?? (init.messageReference ? MessageType.Reply : MessageType.Default),
    flags: init.flags ?? 0,
    ...init.extra,
  };
  if (init.messageReference) message.message_reference = init.messageReference;
  if (init.referencedMessage !== undefined) message.referenced_message = init.referencedMessage;
  if (init.webhookId) message.webhook_id = init.webhookId;
  if (init.applicationId) message.application_id = init.applicationId;
  // Guild messages from the gateway carry guild_id and a partial member; REST answers do not
  // need them, but discord.js uses them when present.
  const withGuild = message as APIMessage & { guild_id?: string; member?: APIGuildMember };
  if (init.guildId) withGuild.guild_id = init.guildId;
  if (init.member) withGuild.member = init.member;
  return message;
}

/**
 * The attachments Discord lists on a message created with files; each file's bytes are kept in
 * `store` by attachment id, for tests to read (`FakeDiscord.attachment`).
 */
export function buildAttachments(
  files: readonly { name: string; size: number; contentType: string; data?: Buffer }[],
  baseUrl: string,
  channelId: string,
  store?: Map<string, Buffer>,
): APIAttachment[] {
  return files.map((file) => {
    const id = snowflake();
    if (store && file.data) store.set(id, file.data);
    const url = `${baseUrl}/attachments/${channelId}/${id}/${encodeURIComponent(file.name)}`;
    return {
      id,
      filename: file.name,
      size: file.size,
      url,
      proxy_url: url,
      ...(file.contentType ? { content_type: file.contentType } : {}),
    };
  });
}
