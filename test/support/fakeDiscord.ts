/**
 * A fake Discord (REST + gateway) on 127.0.0.1 that the real discord.js `Client` logs in to, so
 * end-to-end tests of the bot never touch the internet.
 *
 * ```ts
 * const fake = await FakeDiscord.start();
 * const client = new Client({ intents, rest: { api: fake.apiUrl } });
 * await client.login("any-token");
 * const handle = fake.sendSlashCommand({ name: "ask", options: { question: "who?" } });
 * expect((await handle.final()).content).toContain("...");
 * await client.destroy();
 * await fake.stop();
 * ```
 *
 * Like Discord: READY + GUILD_CREATE, heartbeats, RESUME with replay of missed events, the
 * GUILD_MESSAGES and MESSAGE_CONTENT intents, one callback per interaction then its webhook,
 * the message limits of `discordLimits.ts` (400 / 50035), 404s with Discord's error codes, and
 * MESSAGE_CREATE echoes of the bot's own non-ephemeral messages. Not modelled: DMs, threads,
 * voice, compression, ETF, sharding, the 3-second and 15-minute interaction deadlines.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  type APIApplicationCommand,
  type APIApplicationCommandInteractionDataOption,
  type APIMessage,
  type APIUser,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ComponentType,
  GatewayDispatchEvents,
  InteractionResponseType,
  InteractionType,
  Locale,
  MessageFlags,
  MessageType,
} from "discord.js";
import { WebSocketServer } from "ws";
import { CommandRegistry } from "./CommandRegistry.js";
import { buildOptions, type OptionLookups, optionDefs } from "./commandOptions.js";
import {
  checkAutocompleteChoices,
  checkMessageBody,
  invalidFormBody,
  isEmptyMessage,
} from "./discordLimits.js";
import { FakeGateway } from "./FakeGateway.js";
import {
  buildAttachments,
  buildGuildCreate,
  buildInteractionMember,
  buildMember,
  buildMessage,
  buildTextChannel,
  buildUser,
  type FakeChannel,
  type FakeGuild,
  FakePermissions,
  type FakeUserInit,
  randomToken,
  rolesFor,
  snowflake,
} from "./fakeDiscordPayloads.js";
import type {
  AutocompleteInit,
  ButtonInit,
  FailOptions,
  FakeDiscordOptions,
  FakeGuildInit,
  InteractionOrigin,
  MessageBody,
  MessageContextMenuInit,
  RecordedRequest,
  RequestMatch,
  RequestPredicate,
  SeedMessageInit,
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
import {
  errors,
  failureReply,
  isObject,
  type Json,
  matches,
  noContent,
  ok,
  type Reply,
  readRequest,
} from "./restReplies.js";
import { DEFAULT_TIMEOUT_MS, Waiters } from "./Waiters.js";

export type { FakeChannel, FakeGuild, FakeRole, FakeUserInit } from "./fakeDiscordPayloads.js";
export { FakePermissions } from "./fakeDiscordPayloads.js";
export type * from "./fakeDiscordTypes.js";
export type { InteractionHandle } from "./InteractionHandle.js";

const defaults = {
  applicationId: "",
  botUserId: "",
  botUsername: "newsdesk",
  guilds: [{ name: "Newsroom", channels: [{ name: "general" }, { name: "news" }] }],
  token: "",
  heartbeatIntervalMs: 41_250,
  defaultUser: { username: "reader", globalName: "Reader" },
} as const satisfies Required<FakeDiscordOptions>;

/** The callback types Discord accepts for each kind of interaction. */
const allowedCallbacks: Record<InteractionKind, readonly InteractionResponseType[]> = {
  command: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.Modal,
    InteractionResponseType.PremiumRequired,
    InteractionResponseType.LaunchActivity,
  ],
  autocomplete: [InteractionResponseType.ApplicationCommandAutocompleteResult],
  component: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.DeferredMessageUpdate,
    InteractionResponseType.UpdateMessage,
    InteractionResponseType.Modal,
  ],
  modal: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.DeferredMessageUpdate,
    InteractionResponseType.UpdateMessage,
  ],
};

interface FailureRule {
  match: RequestMatch;
  status: number;
  remaining: number;
  options: FailOptions;
}

export class FakeDiscord {
  /** What to pass as `rest.api` to discord.js: `http://127.0.0.1:PORT/api`. */
  readonly apiUrl: string;
  /** `ws://127.0.0.1:PORT`, what GET /gateway/bot answers. */
  readonly gatewayUrl: string;
  readonly applicationId: string;
  readonly botUser: APIUser;
  readonly guilds: readonly FakeGuild[];
  /** The first guild. */
  readonly guild: FakeGuild;
  /** The first channel of the first guild, where interactions and messages happen by default. */
  readonly channel: FakeChannel;
  /** The user interactions and messages come from by default. */
  readonly user: APIUser;
  /** Every REST request, in order of arrival. */
  readonly requests: RecordedRequest[] = [];

  private readonly options: Required<FakeDiscordOptions>;
  private readonly gateway: FakeGateway;
  private readonly waiters: Waiters;
  private readonly commands: CommandRegistry;
  private readonly users = new Map<string, APIUser>();
  private readonly channels = new Map<string, FakeChannel>();
  private readonly messages = new Map<string, APIMessage>();
  private readonly pins = new Map<string, string[]>();
  private readonly interactions = new Map<string, InteractionState>();
  private readonly byToken = new Map<string, InteractionState>();
  private readonly failures: FailureRule[] = [];
  private stopped = false;

  private constructor(
    private readonly server: Server,
    wss: WebSocketServer,
    port: number,
    options: FakeDiscordOptions,
  ) {
    this.options = { ...defaults, ...options };
    this.apiUrl = `http://127.0.0.1:${port}/api`;
    this.gatewayUrl = `ws://127.0.0.1:${port}`;
    this.applicationId = this.options.applicationId || snowflake();
    this.botUser = this.addUser({
      id: this.options.botUserId || snowflake(),
      username: this.options.botUsername,
      bot: true,
    });
    this.user = this.resolveUser(this.options.defaultUser);
    this.guilds = this.options.guilds.map((init) => this.addGuild(init));
    const guild = this.guilds[0];
    const channel = guild?.channels[0];
    if (!guild || !channel) {
      throw new Error("fakeDiscord: options.guilds needs at least one guild with one channel");
    }
    this.guild = guild;
    this.channel = channel;
    this.waiters = new Waiters(() => this.describeRecent());
    this.commands = new CommandRegistry(this.applicationId);
    this.gateway = new FakeGateway(wss, {
      url: this.gatewayUrl,
      token: this.options.token,
      heartbeatIntervalMs: this.options.heartbeatIntervalMs,
      botUserId: this.botUser.id,
      ready: () => this.readyPayload(),
      guildCreates: () => this.guilds.map((g) => this.guildCreate(g)),
      changed: () => this.waiters.notify(),
    });
  }

  /** Starts the fake on 127.0.0.1 with a random free port. */
  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const server = createServer();
    const wss = new WebSocketServer({ server });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const fake = new FakeDiscord(server, wss, port, options);
    server.on("request", (req, res) => {
      // A body that cannot be read (the client gave up mid-request): answer, never throw.
      fake.onHttp(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(400);
        res.end();
      });
    });
    return fake;
  }

  /**
   * Closes every socket and both servers, and rejects whatever a test still awaits. Destroy the
   * client first, or it will try to reconnect to the stopped fake.
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.waiters.close("fakeDiscord: stopped");
    await this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---------------------------------------------------------------- waiting and inspecting

  /**
   * Resolves with the first value of `check` that is not undefined, null or false. It is
   * checked now and after every REST request and gateway payload the fake receives, so it suits
   * the fake's state; for the client's own state, wait on its events instead.
   */
  waitFor<T>(
    check: () => T | undefined | null | false,
    timeoutMs = DEFAULT_TIMEOUT_MS,
    what = "condition",
  ): Promise<T> {
    return this.waiters.waitFor(check, timeoutMs, what);
  }

  /** Resolves with the first request, past or future, that matches. */
  waitForRequest(
    predicate: RequestPredicate,
    timeoutMs = DEFAULT_TIMEOUT_MS,
  ): Promise<RecordedRequest> {
    return this.waiters.waitFor(
      () => this.requests.find((request) => matches(request, predicate)),
      timeoutMs,
      "matching request",
    );
  }

  /** Requests no route of the fake knew (answered 404 Not Found): calls a test did not expect. */
  get unhandledRequests(): RecordedRequest[] {
    return this.requests.filter((request) => !request.handled && !request.injected);
  }

  /** The commands the bot registered (bulk PUT or POST): in `guildId`, or global without it. */
  registeredCommands(guildId?: string): APIApplicationCommand[] {
    return this.commands.list(guildId);
  }

  /** A stored message (sent by a user through the fake, or created by the bot), current state. */
  message(id: string): APIMessage | undefined {
    const message = this.messages.get(id);
    return message ? structuredClone(message) : undefined;
  }

  /** The messages of a channel, oldest first (ephemeral interaction replies included). */
  messagesIn(channelId: string = this.channel.id): APIMessage[] {
    return [...this.messages.values()]
      .filter((message) => message.channel_id === channelId)
      .map((message) => structuredClone(message));
  }

  /** Ids of the pinned messages of a channel, most recently pinned first. */
  pinnedIn(channelId: string = this.channel.id): string[] {
    return [...(this.pins.get(channelId) ?? [])];
  }

  // ---------------------------------------------------------------- failures

  /**
   * Makes the next matching REST request(s) fail with `status`. A 429 carries `Retry-After`,
   * `X-RateLimit-*` headers and `{ message, retry_after, global }`, so discord.js waits and
   * retries; a 5xx carries `{ message, code: 0 }` (discord.js retries those at once, 3 times).
   */
  failNext(match: RequestMatch, status: number, options: FailOptions = {}): void {
    this.failures.push({ match, status, remaining: options.times ?? 1, options });
  }

  // ---------------------------------------------------------------- gateway

  /** Dispatches any gateway event to the bot (kept until it is connected). */
  dispatch(event: string, data: unknown): void {
    this.gateway.dispatch(event, data);
  }

  /** Closes the bot's gateway socket from the server side; 4000 lets discord.js RESUME. */
  dropGatewayConnection(closeCode = 4000): void {
    this.gateway.drop(closeCode);
  }

  /** Sends op 7 RECONNECT: discord.js closes and resumes. */
  requestReconnect(): void {
    this.gateway.requestReconnect();
  }

  /** True while the bot has an identified or resumed gateway connection. */
  get gatewayLive(): boolean {
    return this.gateway.isLive;
  }

  get gatewayConnections(): number {
    return this.gateway.connections;
  }

  get identifies(): number {
    return this.gateway.identifies;
  }

  get resumes(): number {
    return this.gateway.resumes;
  }

  get heartbeats(): number {
    return this.gateway.heartbeats;
  }

  /** Every payload the bot sent on the gateway (op and d). */
  get gatewayPayloads(): readonly { op: number; d: unknown }[] {
    return this.gateway.received;
  }

  // ---------------------------------------------------------------- users act

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

  /** `<@botId>`, to mention the bot in message content. */
  get botMention(): string {
    return `<@${this.botUser.id}>`;
  }

  /**
   * A user posts a message (MESSAGE_CREATE). `<@id>` in the content mentions that user, e.g.
   * `${fake.botMention} hello` mentions the bot.
   */
  sendMessage(init: UserMessageInit): SentMessage {
    const channel = this.resolveChannel(init.channelId);
    const guild = this.guildOf(channel);
    const author = this.resolveUser(init.user ?? this.user);
    const mentions = this.mentionsIn(init.content);
    const referenced = init.replyTo ? this.storedMessage(init.replyTo) : undefined;
    if (referenced && !mentions.some((user) => user.id === referenced.author.id)) {
      mentions.push(referenced.author);
    }
    const { user: _user, ...member } = buildMember(author, rolesFor(guild, init.role ?? "member"));
    const message = buildMessage({
      channelId: channel.id,
      guildId: guild.id,
      author,
      member: member as ReturnType<typeof buildMember>,
      content: init.content,
      mentions,
      ...(referenced ? this.replyFields(referenced, guild.id) : {}),
    });
    this.messages.set(message.id, message);
    this.gateway.dispatch(GatewayDispatchEvents.MessageCreate, message);
    const path = `/channels/${channel.id}/messages`;
    return {
      id: message.id,
      channelId: channel.id,
      message: structuredClone(message),
      reply: (timeoutMs = DEFAULT_TIMEOUT_MS) =>
        this.waiters.waitFor(
          () => {
            const reply = this.requests.find(
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

  /** A user types in an option with autocomplete; the bot answers with choices (type 8). */
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
    const target = this.storedMessage(init.targetMessage);
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

  // ---------------------------------------------------------------- model

  private addUser(init: FakeUserInit & { id: string; username: string }): APIUser {
    const user = buildUser(init);
    this.users.set(user.id, user);
    return user;
  }

  private addGuild(init: FakeGuildInit): FakeGuild {
    const id = init.id ?? snowflake();
    const channels = (init.channels ?? [{ name: "general" }]).map((channel) => ({
      id: channel.id ?? snowflake(),
      name: channel.name,
      guildId: id,
    }));
    for (const channel of channels) this.channels.set(channel.id, channel);
    return {
      id,
      name: init.name ?? "Newsroom",
      channels,
      roles: { moderator: snowflake(), admin: snowflake(), bot: snowflake() },
      ownerId: this.resolveUser({ username: "owner" }).id,
    };
  }

  private resolveChannel(channelId: string | undefined): FakeChannel {
    if (!channelId) return this.channel;
    const channel = this.channels.get(channelId);
    if (!channel) throw new Error(`fakeDiscord: no channel ${channelId}`);
    return channel;
  }

  private guildOf(channel: FakeChannel): FakeGuild {
    const guild = this.guilds.find((g) => g.id === channel.guildId);
    if (!guild) throw new Error(`fakeDiscord: channel ${channel.id} has no guild`);
    return guild;
  }

  private storedMessage(ref: string | APIMessage): APIMessage {
    const id = typeof ref === "string" ? ref : ref.id;
    const message = this.messages.get(id);
    if (!message) throw new Error(`fakeDiscord: message ${id} is not stored (use seedMessage)`);
    return message;
  }

  private mentionsIn(content: string): APIUser[] {
    const found = new Map<string, APIUser>();
    for (const match of content.matchAll(/<@!?(\d+)>/g)) {
      const user = match[1] ? this.users.get(match[1]) : undefined;
      if (user) found.set(user.id, user);
    }
    return [...found.values()];
  }

  private replyFields(referenced: APIMessage, guildId: string) {
    return {
      messageReference: {
        message_id: referenced.id,
        channel_id: referenced.channel_id,
        guild_id: guildId,
      },
      referencedMessage: structuredClone(referenced),
    };
  }

  private findCommand(init: InteractionOrigin & { name: string }, type: ApplicationCommandType) {
    return this.commands.find(init.name, type, init.guildId ?? this.guild.id);
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
    return {
      user: (id) => this.resolveUser({ id }),
      channel: (id) => {
        const channel = this.resolveChannel(id);
        const full = buildTextChannel(channel, this.guildOf(channel).channels.indexOf(channel));
        return { id: full.id, name: full.name, type: full.type };
      },
    };
  }

  private sendComponent(init: ButtonInit, data: Json): InteractionHandle {
    const message =
      init.message === undefined
        ? this.seedMessage({
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
        : this.storedMessage(init.message);
    return this.sendInteraction(
      { channelId: message.channel_id, ...init },
      InteractionType.MessageComponent,
      "component",
      { data, message: this.messages.get(message.id) },
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
    const channel = this.resolveChannel(origin.channelId);
    const guild = this.guildOf(channel);
    const user = this.resolveUser(origin.user ?? this.user);
    const role = origin.role ?? "member";
    const id = snowflake();
    const token = Buffer.from(`interaction:${id}:${randomToken(64)}`).toString("base64url");
    const payload: Json = {
      id,
      application_id: this.applicationId,
      type,
      token,
      version: 1,
      guild_id: guild.id,
      guild: { id: guild.id, locale: Locale.EnglishUS, features: [] },
      channel: buildTextChannel(channel, guild.channels.indexOf(channel)),
      channel_id: channel.id,
      member: buildInteractionMember(
        user,
        rolesFor(guild, role),
        origin.permissions ?? FakePermissions[role],
      ),
      app_permissions: FakePermissions.bot,
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
      edits: [],
      followupIds: [],
      followups: [],
      ...(componentMessageId ? { componentMessageId } : {}),
    };
    this.interactions.set(id, state);
    this.byToken.set(token, state);
    this.gateway.dispatch(GatewayDispatchEvents.InteractionCreate, payload);
    return new InteractionHandle(state, this.waiters, (messageId) => this.message(messageId));
  }

  private readyPayload(): Json {
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

  private guildCreate(guild: FakeGuild) {
    return buildGuildCreate(guild, buildMember(this.botUser, [guild.roles.bot]));
  }

  private describeRecent(): string {
    const lines = this.requests
      .slice(-12)
      .map((r) => `  ${r.method} ${r.path} -> ${r.status}${r.handled ? "" : " (unhandled)"}`);
    return [
      `REST requests (last ${lines.length} of ${this.requests.length}):`,
      ...lines,
      `gateway: ${this.gatewayConnections} connections, ${this.identifies} identifies, ` +
        `${this.resumes} resumes, live: ${this.gatewayLive}`,
    ].join("\n");
  }

  // ---------------------------------------------------------------- REST

  private async onHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { request, api } = await readRequest(req, this.requests.length);
    this.requests.push(request);
    let reply: Reply;
    try {
      const rule = this.failures.find((r) => r.remaining > 0 && matches(request, r.match));
      if (rule) {
        rule.remaining -= 1;
        request.injected = true;
        reply = failureReply(rule.status, rule.options);
      } else if (!api) {
        reply = errors.notFound();
      } else if (!this.authorized(request)) {
        request.handled = true;
        reply = errors.unauthorized();
      } else {
        const routed = this.route(request);
        request.handled = routed !== undefined;
        reply = routed ?? errors.notFound();
      }
    } catch (cause) {
      reply = { status: 500, body: { message: `fakeDiscord: ${String(cause)}`, code: 0 } };
    }
    request.status = reply.status;
    request.responseBody = reply.body;
    const headers: Record<string, string> = { ...reply.headers };
    if (reply.body !== undefined) headers["Content-Type"] = "application/json";
    res.writeHead(reply.status, headers);
    res.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
    this.waiters.notify();
  }

  /** With `options.token`, bot routes need `Bot <token>`; interaction routes need none. */
  private authorized(request: RecordedRequest): boolean {
    if (!this.options.token) return true;
    if (request.path.startsWith("/interactions/") || request.path.startsWith("/webhooks/")) {
      return true;
    }
    return request.authorization === `Bot ${this.options.token}`;
  }

  private route(r: RecordedRequest): Reply | undefined {
    const { method, path } = r;
    if (method === "GET" && path === "/gateway") return ok({ url: this.gatewayUrl });
    if (method === "GET" && path === "/gateway/bot") {
      return ok({
        url: this.gatewayUrl,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
      });
    }
    if (method === "GET" && path === "/users/@me") return ok(this.botUser);
    if (method === "GET" && (path === "/applications/@me" || path === "/oauth2/applications/@me")) {
      return ok(this.applicationObject());
    }
    const user = /^\/users\/(\d+)$/.exec(path);
    if (user && method === "GET") {
      const found = this.users.get(user[1] ?? "");
      return found ? ok(found) : errors.unknownUser();
    }
    const commands = /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands(?:\/(\d+))?$/.exec(path);
    if (commands) {
      const [, appId, guildId, commandId] = commands;
      if (appId !== this.applicationId) return errors.unknownApplication();
      if (guildId && !this.guilds.some((g) => g.id === guildId)) return errors.unknownGuild();
      return this.commands.route(method, guildId, commandId, r.body);
    }
    const callback = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path);
    if (callback && method === "POST") {
      return this.interactionCallback(r, callback[1] ?? "", callback[2] ?? "");
    }
    const webhook = /^\/webhooks\/(\d+)\/([^/]+)(?:\/messages\/(@original|\d+))?$/.exec(path);
    if (webhook) {
      const state =
        webhook[1] === this.applicationId ? this.byToken.get(webhook[2] ?? "") : undefined;
      if (!state) return errors.unknownWebhook();
      return this.webhookRoute(r, state, webhook[3]);
    }
    const channel = /^\/channels\/(\d+)(\/.*)?$/.exec(path);
    if (channel) {
      const found = this.channels.get(channel[1] ?? "");
      if (!found) return errors.unknownChannel();
      return this.channelRoute(r, found, channel[2] ?? "");
    }
    const guild = /^\/guilds\/(\d+)(\/.*)?$/.exec(path);
    if (guild && method === "GET") {
      const found = this.guilds.find((g) => g.id === guild[1]);
      if (!found) return errors.unknownGuild();
      return this.guildRoute(found, guild[2] ?? "");
    }
    return undefined;
  }

  private applicationObject(): Json {
    return {
      id: this.applicationId,
      name: this.botUser.username,
      icon: null,
      description: "",
      summary: "",
      type: null,
      bot_public: false,
      bot_require_code_grant: false,
      verify_key: "0".repeat(64),
      flags: 0,
      owner: this.users.get(this.guild.ownerId),
      team: null,
      bot: this.botUser,
      tags: [],
      install_params: null,
      approximate_guild_count: this.guilds.length,
    };
  }

  private interactionCallback(r: RecordedRequest, id: string, token: string): Reply {
    const state = this.interactions.get(id);
    if (!state || state.token !== token) return errors.unknownInteraction();
    if (state.callback) return errors.acknowledged();
    const body = isObject(r.body) ? r.body : {};
    const type = body.type as InteractionResponseType;
    const data = (isObject(body.data) ? body.data : {}) as MessageBody;
    if (!allowedCallbacks[state.kind].includes(type)) {
      const message = `Callback type ${String(type)} is not valid for a ${state.kind} interaction`;
      return {
        status: 400,
        body: invalidFormBody([
          { path: "type", code: "INTERACTION_RESPONSE_TYPE_INVALID", message },
        ]),
      };
    }
    const violations =
      type === InteractionResponseType.ApplicationCommandAutocompleteResult
        ? checkAutocompleteChoices(data)
        : checkMessageBody(data);
    if (violations.length) return { status: 400, body: invalidFormBody(violations, "data") };
    if (
      type === InteractionResponseType.ChannelMessageWithSource &&
      isEmptyMessage(data, r.files.length)
    ) {
      return errors.emptyMessage();
    }

    let message: APIMessage | undefined;
    const componentMessage = state.componentMessageId
      ? this.messages.get(state.componentMessageId)
      : undefined;
    switch (type) {
      case InteractionResponseType.ChannelMessageWithSource:
        message = this.createInteractionMessage(state, data, r, 0);
        state.originalId = message.id;
        break;
      case InteractionResponseType.DeferredChannelMessageWithSource:
        message = this.createInteractionMessage(
          state,
          {},
          r,
          MessageFlags.Loading | (data.flags ?? 0),
        );
        state.originalId = message.id;
        break;
      case InteractionResponseType.DeferredMessageUpdate:
        message = componentMessage;
        state.originalId = state.componentMessageId;
        break;
      case InteractionResponseType.UpdateMessage:
        message = componentMessage;
        if (message) applyEdit(message, data);
        state.originalId = state.componentMessageId;
        break;
      default:
        break;
    }
    state.callback = r;
    if (r.query.with_response !== "true") return noContent;
    const flags = message?.flags ?? 0;
    return ok({
      interaction: {
        id: state.id,
        type: state.type,
        ...(message
          ? {
              response_message_id: message.id,
              response_message_loading: (flags & MessageFlags.Loading) !== 0,
              response_message_ephemeral: (flags & MessageFlags.Ephemeral) !== 0,
            }
          : {}),
      },
      resource: { type, ...(message ? { message: structuredClone(message) } : {}) },
    });
  }

  private createInteractionMessage(
    state: InteractionState,
    data: MessageBody,
    r: RecordedRequest,
    extraFlags: number,
  ): APIMessage {
    const message = buildMessage({
      channelId: state.channelId,
      author: this.botUser,
      content: data.content ?? "",
      embeds: data.embeds ?? [],
      components: data.components ?? [],
      attachments: buildAttachments(r.files, this.apiUrl, state.channelId),
      flags: (data.flags ?? 0) | extraFlags,
      type: state.originalType,
      webhookId: this.applicationId,
      applicationId: this.applicationId,
      extra: {
        interaction_metadata: {
          id: state.id,
          type: state.type,
          user: state.user,
          authorizing_integration_owners: { "0": state.guildId },
        } as APIMessage["interaction_metadata"],
      },
    });
    this.messages.set(message.id, message);
    this.gateway.echo(message, state.guildId);
    return message;
  }

  private webhookRoute(
    r: RecordedRequest,
    state: InteractionState,
    messageRef: string | undefined,
  ): Reply | undefined {
    const body = (isObject(r.body) ? r.body : {}) as MessageBody;
    if (!messageRef) {
      if (r.method !== "POST") return undefined;
      if (!state.callback) return errors.unknownWebhook();
      const violations = checkMessageBody(body);
      if (violations.length) return { status: 400, body: invalidFormBody(violations) };
      if (isEmptyMessage(body, r.files.length)) return errors.emptyMessage();
      const message = this.createInteractionMessage(state, body, r, 0);
      state.followupIds.push(message.id);
      state.followups.push(r);
      return r.query.wait === "true" ? ok(message) : noContent;
    }
    const id = messageRef === "@original" ? state.originalId : messageRef;
    const owned = id !== undefined && (id === state.originalId || state.followupIds.includes(id));
    const message = owned ? this.messages.get(id) : undefined;
    if (!message) return errors.unknownMessage();
    if (r.method === "GET") return ok(message);
    if (r.method === "DELETE") {
      this.messages.delete(message.id);
      return noContent;
    }
    if (r.method === "PATCH") {
      const violations = checkMessageBody(body);
      if (violations.length) return { status: 400, body: invalidFormBody(violations) };
      applyEdit(message, body);
      if (message.id === state.originalId) state.edits.push(r);
      return ok(message);
    }
    return undefined;
  }

  private channelRoute(r: RecordedRequest, channel: FakeChannel, rest: string): Reply | undefined {
    const { method } = r;
    const guild = this.guildOf(channel);
    if (rest === "" && method === "GET") {
      return ok(buildTextChannel(channel, guild.channels.indexOf(channel)));
    }
    if (rest === "/typing" && method === "POST") return noContent;
    if (rest === "/messages" && method === "GET") {
      const limit = Number(r.query.limit ?? 50);
      return ok(this.messagesIn(channel.id).reverse().slice(0, limit));
    }
    if (rest === "/messages" && method === "POST") return this.postChannelMessage(r, channel);
    if ((rest === "/pins" || rest === "/messages/pins") && method === "GET") {
      const pinned = this.pinnedIn(channel.id).flatMap((id) => this.message(id) ?? []);
      if (rest === "/pins") return ok(pinned);
      const items = pinned.map((message) => ({ pinned_at: new Date().toISOString(), message }));
      return ok({ items, has_more: false });
    }
    const pin = /^\/(?:messages\/)?pins\/(\d+)$/.exec(rest);
    if (pin && (method === "PUT" || method === "DELETE")) {
      return this.pinRoute(method, channel, pin[1] ?? "");
    }
    const single = /^\/messages\/(\d+)(\/reactions\/[^/]+\/[^/]+)?$/.exec(rest);
    if (!single) return undefined;
    const message = this.messages.get(single[1] ?? "");
    if (!message || message.channel_id !== channel.id) return errors.unknownMessage();
    if (single[2]) return method === "PUT" || method === "DELETE" ? noContent : undefined;
    if (method === "GET") return ok(message);
    if (method === "DELETE") {
      this.messages.delete(message.id);
      return noContent;
    }
    if (method === "PATCH") {
      if (message.author.id !== this.botUser.id) return errors.notAuthor();
      const body = (isObject(r.body) ? r.body : {}) as MessageBody;
      const violations = checkMessageBody(body);
      if (violations.length) return { status: 400, body: invalidFormBody(violations) };
      applyEdit(message, body);
      return ok(message);
    }
    return undefined;
  }

  private postChannelMessage(r: RecordedRequest, channel: FakeChannel): Reply {
    const body = (isObject(r.body) ? r.body : {}) as MessageBody;
    const violations = checkMessageBody(body);
    if (violations.length) return { status: 400, body: invalidFormBody(violations) };
    if (isEmptyMessage(body, r.files.length)) return errors.emptyMessage();
    const refId = body.message_reference?.message_id;
    const referenced = refId ? this.messages.get(refId) : undefined;
    if (refId && !referenced && body.message_reference?.fail_if_not_exists !== false) {
      return {
        status: 400,
        body: invalidFormBody([
          {
            path: "message_reference",
            code: "REPLIES_UNKNOWN_MESSAGE",
            message: "Unknown message",
          },
        ]),
      };
    }
    const message = buildMessage({
      channelId: channel.id,
      author: this.botUser,
      content: body.content ?? "",
      embeds: body.embeds ?? [],
      components: body.components ?? [],
      attachments: buildAttachments(r.files, this.apiUrl, channel.id),
      flags: body.flags ?? 0,
      ...(referenced ? this.replyFields(referenced, channel.guildId) : {}),
    });
    this.messages.set(message.id, message);
    this.gateway.echo(message, channel.guildId);
    return ok(message);
  }

  private pinRoute(method: "PUT" | "DELETE", channel: FakeChannel, messageId: string): Reply {
    const message = this.messages.get(messageId);
    if (!message || message.channel_id !== channel.id) return errors.unknownMessage();
    const others = (this.pins.get(channel.id) ?? []).filter((id) => id !== message.id);
    message.pinned = method === "PUT";
    this.pins.set(channel.id, message.pinned ? [message.id, ...others] : others);
    return noContent;
  }

  private guildRoute(guild: FakeGuild, rest: string): Reply | undefined {
    const full = this.guildCreate(guild);
    if (rest === "") {
      const { channels: _channels, members: _members, ...withoutLists } = full;
      return ok(withoutLists);
    }
    if (rest === "/channels") return ok(full.channels);
    if (rest === "/roles") return ok(full.roles);
    const member = /^\/members\/(\d+)$/.exec(rest);
    if (member) {
      const user = this.users.get(member[1] ?? "");
      if (!user) return errors.unknownMember();
      return ok(buildMember(user, user.id === this.botUser.id ? [guild.roles.bot] : []));
    }
    return undefined;
  }
}

/** An edit replaces the fields it names; it ends a deferred message's loading state. */
function applyEdit(message: APIMessage, body: MessageBody): void {
  if (body.content !== undefined) message.content = body.content ?? "";
  if (body.embeds !== undefined) message.embeds = body.embeds ?? [];
  if (body.components !== undefined) message.components = body.components ?? [];
  const flags = (message.flags ?? 0) & ~MessageFlags.Loading;
  message.flags = typeof body.flags === "number" ? flags | body.flags : flags;
  message.edited_timestamp = new Date().toISOString();
}
