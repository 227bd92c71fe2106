/**
 * What the fake Discord server holds: the application and its bot user, the users, guilds and
 * channels, every message (the users' and the bot's, as edited) and each channel's pins, with
 * the lookups that the users' actions and the REST routes share. It dispatches nothing.
 */
import { type APIMessage, type APIUser, MessageFlags, OverwriteType } from "discord.js";
import {
  buildChannel,
  buildGuildCreate,
  buildMember,
  buildMessage,
  buildUser,
  type FakeChannel,
  type FakeGuild,
  type FakeUserInit,
  snowflake,
} from "./fakeDiscordPayloads.js";
import type {
  FakeDiscordOptions,
  FakeGuildInit,
  MessageBody,
  SeedMessageInit,
} from "./fakeDiscordTypes.js";
import type { Json } from "./restReplies.js";

/** The options that shape the model (the rest are the servers'). */
export type ModelOptions = Pick<
  Required<FakeDiscordOptions>,
  "applicationId" | "botUserId" | "botUsername" | "guilds" | "defaultUser"
>;

export class DiscordModel {
  readonly applicationId: string;
  readonly botUser: APIUser;
  readonly guilds: readonly FakeGuild[];
  /** The first guild. */
  readonly guild: FakeGuild;
  /** The first channel of the first guild, where interactions and messages happen by default. */
  readonly channel: FakeChannel;
  /** The user interactions and messages come from by default. */
  readonly user: APIUser;
  readonly users = new Map<string, APIUser>();
  readonly channels = new Map<string, FakeChannel>();
  /** Every message by id, as it is now (edits applied, deleted ones gone). */
  readonly messages = new Map<string, APIMessage>();
  /** The ids of each channel's pinned messages, most recently pinned first. */
  readonly pins = new Map<string, string[]>();
  /** The bytes of every file the bot attached, by attachment id. */
  readonly attachments = new Map<string, Buffer>();

  constructor(options: ModelOptions) {
    this.applicationId = options.applicationId || snowflake();
    this.botUser = this.addUser({
      id: options.botUserId || snowflake(),
      username: options.botUsername,
      bot: true,
    });
    this.user = this.resolveUser(options.defaultUser);
    this.guilds = options.guilds.map((init) => this.addGuild(init));
    const guild = this.guilds[0];
    const channel = guild?.channels[0];
    if (!guild || !channel) {
      throw new Error("fakeDiscord: options.guilds needs at least one guild with one channel");
    }
    this.guild = guild;
    this.channel = channel;
  }

  /** Finds or creates a user: by id, else by username, else a new one. */
  resolveUser(init: FakeUserInit = {}): APIUser {
    if (init.id) {
      const known = this.users.get(init.id);
      if (known) return known;
    } else if (init.username) {
      for (const user of this.users.values()) if (user.username === init.username) return user;
    }
    const id = init.id ?? snowflake();
    return this.addUser({ ...init, id, username: init.username ?? `user${id.slice(-4)}` });
  }

  /** Stores a message without dispatching it (e.g. the target of a context-menu command). */
  seedMessage(init: SeedMessageInit = {}): APIMessage {
    const channel = this.resolveChannel(init.channelId);
    const message = buildMessage({
      channelId: channel.id,
      guildId: channel.guildId,
      author: init.fromBot ? this.botUser : this.resolveUser(init.user ?? this.user),
      content: init.content ?? "",
      ...(init.embeds ? { embeds: init.embeds } : {}),
      ...(init.components ? { components: init.components } : {}),
      ...(init.fromBot ? { applicationId: this.applicationId } : {}),
    });
    this.messages.set(message.id, message);
    return structuredClone(message);
  }

  /** A copy of a stored message, as it is now. */
  message(id: string): APIMessage | undefined {
    const message = this.messages.get(id);
    return message ? structuredClone(message) : undefined;
  }

  /** Copies of the messages of a channel, oldest first (ephemeral interaction replies included). */
  messagesIn(channelId: string = this.channel.id): APIMessage[] {
    return [...this.messages.values()]
      .filter((message) => message.channel_id === channelId)
      .map((message) => structuredClone(message));
  }

  /** Ids of the pinned messages of a channel, most recently pinned first. */
  pinnedIn(channelId: string = this.channel.id): string[] {
    return [...(this.pins.get(channelId) ?? [])];
  }

  /** The channel with this id (it must exist); the default channel without one. */
  resolveChannel(channelId: string | undefined): FakeChannel {
    if (!channelId) return this.channel;
    const channel = this.channels.get(channelId);
    if (!channel) throw new Error(`fakeDiscord: no channel ${channelId}`);
    return channel;
  }

  guildOf(channel: FakeChannel): FakeGuild {
    const guild = this.guilds.find((g) => g.id === channel.guildId);
    if (!guild) throw new Error(`fakeDiscord: channel ${channel.id} has no guild`);
    return guild;
  }

  /** The stored message itself (not a copy), which must exist. */
  storedMessage(ref: string | APIMessage): APIMessage {
    const id = typeof ref === "string" ? ref : ref.id;
    const message = this.messages.get(id);
    if (!message) throw new Error(`fakeDiscord: message ${id} is not stored (use seedMessage)`);
    return message;
  }

  /** The known users that `<@id>` (or `<@!id>`) in some content mentions, each once. */
  mentionsIn(content: string): APIUser[] {
    const found = new Map<string, APIUser>();
    for (const match of content.matchAll(/<@!?(\d+)>/g)) {
      const user = match[1] ? this.users.get(match[1]) : undefined;
      if (user) found.set(user.id, user);
    }
    return [...found.values()];
  }

  /** The fields of a message that replies to `referenced`. */
  replyFields(referenced: APIMessage, guildId: string) {
    return {
      messageReference: {
        message_id: referenced.id,
        channel_id: referenced.channel_id,
        guild_id: guildId,
      },
      referencedMessage: structuredClone(referenced),
    };
  }

  /** The READY payload, without the session fields the gateway adds. */
  readyPayload(): Json {
    return {
      v: 10,
      user: { ...this.botUser, verified: true, mfa_enabled: false, email: null },
      user_settings: {},
      private_channels: [],
      relationships: [],
      presences: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      guilds: this.guilds.map((guild) => ({ id: guild.id, unavailable: true })),
      application: { id: this.applicationId, flags: 0 },
      _trace: ["fakeDiscord"],
    };
  }

  /** A guild as GUILD_CREATE gives it, with its channels, threads, roles and the bot as member. */
  guildCreate(guild: FakeGuild) {
    return buildGuildCreate(
      guild,
      buildMember(this.botUser, [guild.roles.bot]),
      this.threadsOf(guild.id),
    );
  }

  /** The threads of a guild, oldest first (every thread is active: the fake archives none). */
  threadsOf(guildId: string): FakeChannel[] {
    return [...this.channels.values()].filter(
      (channel) => channel.kind === "thread" && channel.guildId === guildId,
    );
  }

  /** Stores a new public thread of `parent`; `id` is the starter message's, as Discord does. */
  addThread(
    parent: FakeChannel,
    init: { id?: string; name: string; ownerId: string },
  ): FakeChannel {
    const thread: FakeChannel = {
      id: init.id ?? snowflake(),
      name: init.name,
      guildId: parent.guildId,
      kind: "thread",
      parentId: parent.id,
      ownerId: init.ownerId,
    };
    this.channels.set(thread.id, thread);
    return thread;
  }

  /** The channel a thread belongs to (the channel itself when it is no thread). */
  parentOf(channel: FakeChannel): FakeChannel {
    return channel.parentId ? this.resolveChannel(channel.parentId) : channel;
  }

  /** A channel as the API gives it, with its position among the guild's channels. */
  channelPayload(channel: FakeChannel) {
    return buildChannel(channel, this.guildOf(channel).channels.indexOf(channel));
  }

  private addUser(init: FakeUserInit & { id: string; username: string }): APIUser {
    const user = buildUser(init);
    this.users.set(user.id, user);
    return user;
  }

  private addGuild(init: FakeGuildInit): FakeGuild {
    const id = init.id ?? snowflake();
    const roles = { moderator: snowflake(), admin: snowflake(), bot: snowflake() };
    const channels = (init.channels ?? [{ name: "general" }]).map((channel) => ({
      id: channel.id ?? snowflake(),
      name: channel.name,
      guildId: id,
      ...(channel.kind === "forum" ? { kind: "forum" as const } : {}),
      // What the bot's role is denied there, as a role overwrite (as a server admin sets it).
      ...(channel.botDenied === undefined
        ? {}
        : {
            permissionOverwrites: [
              { id: roles.bot, type: OverwriteType.Role, allow: "0", deny: channel.botDenied },
            ],
          }),
    }));
    for (const channel of channels) this.channels.set(channel.id, channel);
    return {
      id,
      name: init.name ?? "Newsroom",
      channels,
      roles,
      ownerId: this.resolveUser({ username: "owner" }).id,
    };
  }
}

/** An edit replaces the fields it names; it ends a deferred message's loading state. */
export function applyEdit(message: APIMessage, body: MessageBody): void {
  if (body.content !== undefined) message.content = body.content ?? "";
  if (body.embeds !== undefined) message.embeds = body.embeds ?? [];
  if (body.components !== undefined) message.components = body.components ?? [];
  const flags = (message.flags ?? 0) & ~MessageFlags.Loading;
  message.flags = typeof body.flags === "number" ? flags | body.flags : flags;
  message.edited_timestamp = new Date().toISOString();
}
