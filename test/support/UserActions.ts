/**
 * What users do on the fake Discord server, dispatched to the bot on the gateway: post messages
 * (MESSAGE_CREATE) and run interactions (INTERACTION_CREATE) — slash commands, autocomplete,
 * message context menus, buttons, select menus and modal submits — built as Discord builds them
 * from the commands the bot registered.
 */
import {
  type APIApplicationCommand,
  type APIApplicationCommandInteractionDataOption,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ComponentType,
  GatewayDispatchEvents,
  InteractionType,
  Locale,
  MessageType,
} from "discord.js";
import type { CommandRegistry } from "./CommandRegistry.js";
import { buildOptions, type OptionLookups, optionDefs } from "./commandOptions.js";
import type { DiscordModel } from "./DiscordModel.js";
import { ThreadLimits } from "./discordLimits.js";
import type { FakeGateway } from "./FakeGateway.js";
import {
  botPermissionsIn,
  buildInteractionMember,
  buildMember,
  buildMessage,
  buildThreadChannel,
  FakePermissions,
  randomToken,
  rolesFor,
  snowflake,
} from "./fakeDiscordPayloads.js";
import type {
  AutocompleteInit,
  ButtonInit,
  ForumPostInit,
  InteractionOrigin,
  MessageBody,
  MessageContextMenuInit,
  ModalSubmitInit,
  RecordedRequest,
  SelectInit,
  SentMessage,
  SlashCommandInit,
  UserMessageInit,
} from "./fakeDiscordTypes.js";
import {
  InteractionHandle,
  type InteractionKind,
  type InteractionState,
} from "./InteractionHandle.js";
import type { InteractionRoutes } from "./InteractionRoutes.js";
import { isObject, type Json } from "./restReplies.js";
import { DEFAULT_TIMEOUT_MS, type Waiters } from "./Waiters.js";

export interface UserActionsParts {
  readonly model: DiscordModel;
  readonly commands: CommandRegistry;
  readonly gateway: FakeGateway;
  readonly interactions: InteractionRoutes;
  readonly waiters: Waiters;
  /** The REST requests so far, where the bot's replies to messages are found. */
  readonly requests: readonly RecordedRequest[];
  /** Discord's deadline for an interaction's callback, from its dispatch (0: none). */
  readonly deadlineMs: number;
}

export class UserActions {
  constructor(private readonly parts: UserActionsParts) {}

  /**
   * A member opens a post in a forum: THREAD_CREATE (the thread, named by the title, owned by
   * the member), then MESSAGE_CREATE of its first message, whose id is the thread's, as Discord
   * sends them.
   */
  createForumPost(init: ForumPostInit): SentMessage & { threadId: string } {
    const { model } = this.parts;
    const forum = model.resolveChannel(init.forumId);
    if (forum.kind !== "forum") throw new Error(`fakeDiscord: ${forum.id} is not a forum`);
    if (init.title.length < 1 || init.title.length > ThreadLimits.name) {
      throw new Error(`fakeDiscord: a post title has 1 to ${ThreadLimits.name} characters`);
    }
    const author = model.resolveUser(init.user ?? model.user);
    const thread = model.addThread(forum, { name: init.title, ownerId: author.id });
    this.parts.gateway.dispatch(GatewayDispatchEvents.ThreadCreate, {
      ...buildThreadChannel(thread),
      newly_created: true,
    });
    const sent = this.sendMessage(
      {
        content: init.content,
        channelId: thread.id,
        user: author,
        ...(init.role ? { role: init.role } : {}),
      },
      thread.id,
    );
    return { ...sent, threadId: thread.id };
  }

  /** A user posts a message (MESSAGE_CREATE); `<@id>` in the content mentions that user. */
  sendMessage(init: UserMessageInit, id?: string): SentMessage {
    const { model, waiters, requests } = this.parts;
    const channel = model.resolveChannel(init.channelId);
    const guild = model.guildOf(channel);
    const author = model.resolveUser(init.user ?? model.user);
    const mentions = model.mentionsIn(init.content);
    const referenced = init.replyTo ? model.storedMessage(init.replyTo) : undefined;
    if (referenced && !mentions.some((user) => user.id === referenced.author.id)) {
      mentions.push(referenced.author);
    }
    const { user: _user, ...member } = buildMember(author, rolesFor(guild, init.role ?? "member"));
    const message = buildMessage({
      ...(id ? { id } : {}),
      channelId: channel.id,
      guildId: guild.id,
      author,
      member: member as ReturnType<typeof buildMember>,
      content: init.content,
      mentions,
      ...(referenced ? model.replyFields(referenced, guild.id) : {}),
    });
    model.messages.set(message.id, message);
    this.parts.gateway.dispatch(GatewayDispatchEvents.MessageCreate, message);
    const path = `/channels/${channel.id}/messages`;
    return {
      id: message.id,
      channelId: channel.id,
      message: structuredClone(message),
      reply: (timeoutMs = DEFAULT_TIMEOUT_MS) =>
        waiters.waitFor(
          () => {
            const reply = requests.find(
              (r) =>
                r.method === "POST" &&
                r.path === path &&
                r.status < 300 &&
                isObject(r.body) &&
                isObject(r.body.message_reference) &&
                r.body.message_reference.message_id === message.id,
            );
            return reply ? (reply.body as MessageBody) : undefined;
          },
          timeoutMs,
          `reply to message ${message.id}`,
        ),
    };
  }

  /** A user runs a slash command. */
  sendSlashCommand(init: SlashCommandInit): InteractionHandle {
    const command = this.findCommand(init, ApplicationCommandType.ChatInput);
    const { options, resolved } = buildOptions(init, command, this.optionLookups());
    return this.sendInteraction(init, InteractionType.ApplicationCommand, "command", {
      data: {
        ...this.commandData(init.name, ApplicationCommandType.ChatInput, command),
        options,
        ...(resolved ? { resolved } : {}),
      },
    });
  }

  /** A user types in an option with autocomplete. */
  sendAutocomplete(init: AutocompleteInit): InteractionHandle {
    const command = this.findCommand(init, ApplicationCommandType.ChatInput);
    const def = optionDefs(command, init)?.find((d) => d.name === init.focused.name);
    const focused = {
      name: init.focused.name,
      type: def?.type ?? ApplicationCommandOptionType.String,
      value: init.focused.value,
      focused: true,
    } as APIApplicationCommandInteractionDataOption;
    const { options } = buildOptions(init, command, this.optionLookups(), focused);
    return this.sendInteraction(
      init,
      InteractionType.ApplicationCommandAutocomplete,
      "autocomplete",
      {
        data: {
          ...this.commandData(init.name, ApplicationCommandType.ChatInput, command),
          options,
        },
      },
    );
  }

  /** A user runs a message context-menu command on a message. */
  sendMessageContextMenu(init: MessageContextMenuInit): InteractionHandle {
    const target = this.parts.model.storedMessage(init.targetMessage);
    const command = this.findCommand(init, ApplicationCommandType.Message);
    return this.sendInteraction(
      { channelId: target.channel_id, ...init },
      InteractionType.ApplicationCommand,
      "command",
      {
        data: {
          ...this.commandData(init.name, ApplicationCommandType.Message, command),
          target_id: target.id,
          resolved: { messages: { [target.id]: target } },
        },
      },
    );
  }

  /** A user clicks a button on a message. */
  sendButton(init: ButtonInit): InteractionHandle {
    return this.sendComponent(init, {
      custom_id: init.customId,
      component_type: ComponentType.Button,
    });
  }

  /** A user picks values in a string select menu on a message. */
  sendStringSelect(init: SelectInit): InteractionHandle {
    return this.sendComponent(init, {
      custom_id: init.customId,
      component_type: ComponentType.StringSelect,
      values: init.values,
    });
  }

  /**
   * A user sends a modal (type 5, MODAL_SUBMIT): `data.components` holds one action row per
   * value, each with its text input's custom_id and value, as Discord sends them.
   */
  sendModalSubmit(init: ModalSubmitInit): InteractionHandle {
    const { model } = this.parts;
    const message = init.message === undefined ? undefined : model.storedMessage(init.message);
    const components = Object.entries(init.values).map(([customId, value]) => ({
      type: ComponentType.ActionRow,
      components: [{ type: ComponentType.TextInput, custom_id: customId, value }],
    }));
    return this.sendInteraction(
      { ...(message ? { channelId: message.channel_id } : {}), ...init },
      InteractionType.ModalSubmit,
      "modal",
      {
        data: { custom_id: init.customId, components },
        ...(message ? { message: model.messages.get(message.id) } : {}),
      },
      message?.id,
    );
  }

  private findCommand(init: InteractionOrigin & { name: string }, type: ApplicationCommandType) {
    return this.parts.commands.find(init.name, type, init.guildId ?? this.parts.model.guild.id);
  }

  private commandData(
    name: string,
    type: ApplicationCommandType,
    command: APIApplicationCommand | undefined,
  ): Json {
    return {
      id: command?.id ?? snowflake(),
      name,
      type,
      ...(command?.guild_id ? { guild_id: command.guild_id } : {}),
    };
  }

  private optionLookups(): OptionLookups {
    const { model } = this.parts;
    return {
      user: (id) => model.resolveUser({ id }),
      channel: (id) => {
        const full = model.channelPayload(model.resolveChannel(id));
        return { id: full.id, name: full.name, type: full.type };
      },
    };
  }

  private sendComponent(init: ButtonInit, data: Json): InteractionHandle {
    const { model } = this.parts;
    const message =
      init.message === undefined
        ? model.seedMessage({
            fromBot: true,
            content: "(message with components)",
            ...(init.channelId ? { channelId: init.channelId } : {}),
            components: [
              {
                type: ComponentType.ActionRow,
                components: [
                  { type: ComponentType.Button, style: 1, custom_id: init.customId, label: "go" },
                ],
              },
            ],
          })
        : model.storedMessage(init.message);
    return this.sendInteraction(
      { channelId: message.channel_id, ...init },
      InteractionType.MessageComponent,
      "component",
      { data, message: model.messages.get(message.id) },
      message.id,
    );
  }

  private sendInteraction(
    origin: InteractionOrigin,
    type: InteractionType,
    kind: InteractionKind,
    extra: Json,
    componentMessageId?: string,
  ): InteractionHandle {
    const { model } = this.parts;
    const channel = model.resolveChannel(origin.channelId);
    const guild = model.guildOf(channel);
    const user = model.resolveUser(origin.user ?? model.user);
    const role = origin.role ?? "member";
    const id = snowflake();
    const token = Buffer.from(`interaction:${id}:${randomToken(64)}`).toString("base64url");
    const payload: Json = {
      id,
      application_id: model.applicationId,
      type,
      token,
      version: 1,
      guild_id: guild.id,
      guild: { id: guild.id, locale: Locale.EnglishUS, features: [] },
      channel: model.channelPayload(channel),
      channel_id: channel.id,
      member: buildInteractionMember(
        user,
        rolesFor(guild, role),
        origin.permissions ?? FakePermissions[role],
      ),
      app_permissions: botPermissionsIn(channel, model.parentOf(channel)),
      locale: origin.locale ?? Locale.EnglishUS,
      guild_locale: Locale.EnglishUS,
      entitlements: [],
      authorizing_integration_owners: { "0": guild.id },
      context: 0,
      attachment_size_limit: 10_485_760,
      ...extra,
    };
    const data = extra.data;
    const state: InteractionState = {
      id,
      token,
      type,
      kind,
      channelId: channel.id,
      guildId: guild.id,
      user,
      payload,
      originalType:
        kind !== "command"
          ? MessageType.Default
          : isObject(data) && data.type === ApplicationCommandType.ChatInput
            ? MessageType.ChatInputCommand
            : MessageType.ContextMenuCommand,
      createdAt: Date.now(),
      deadline: this.parts.deadlineMs > 0 ? Date.now() + this.parts.deadlineMs : undefined,
      lateCallbacks: 0,
      edits: [],
      followupIds: [],
      followups: [],
      ...(componentMessageId ? { componentMessageId } : {}),
    };
    this.parts.interactions.add(state);
    this.parts.gateway.dispatch(GatewayDispatchEvents.InteractionCreate, payload);
    const deadline = state.deadline;
    if (deadline !== undefined) {
      // Nothing else changes when the deadline passes: wake waits on the tally then (a timer may
      // fire a millisecond early by the wall clock, hence the check).
      const wake = () => {
        if (Date.now() > deadline) this.parts.waiters.notify();
        else setTimeout(wake, deadline + 1 - Date.now()).unref();
      };
      setTimeout(wake, this.parts.deadlineMs + 1).unref();
    }
    return new InteractionHandle(state, this.parts.waiters, (messageId) =>
      model.message(messageId),
    );
  }
}
