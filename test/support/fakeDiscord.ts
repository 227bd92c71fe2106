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
 * the message and modal limits of `discordLimits.ts` (400 / 50035), 404s with Discord's error codes, and
 * MESSAGE_CREATE echoes of the bot's own non-ephemeral messages, the 3-second deadline of an
 * interaction's first callback (a late one gets 404 Unknown interaction, and `tally()` counts
 * the interaction as lost). Faults on demand: statuses (`failNext`: 429 with Retry-After and
 * scope, 500...), slow and hung requests (`delayNext`, `hangNext`), gateway closes with any code
 * (`dropGatewayConnection`). Public threads: the bot starts one from a message (name checked,
 * THREAD_CREATE, listed in later GUILD_CREATEs), members post in it; forum channels, where
 * members open posts (`createForumPost`). Shards: each IDENTIFY's `shard: [id, count]` is a
 * session of its own that gets only the guilds `(guild_id >> 22) % count` puts on it and their
 * events, so several clients (or one client with several shards) can log in to one fake; guilds
 * made with `snowflakeOnShard` land on the shard a test wants. Not modelled: DMs, private
 * threads, archiving, thread members, voice, compression, ETF, the 15-minute token lifetime.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { APIApplicationCommand, APIMessage, APIUser } from "discord.js";
import { WebSocketServer } from "ws";
import { ChannelRoutes } from "./ChannelRoutes.js";
import { CommandRegistry } from "./CommandRegistry.js";
import { DiscordModel } from "./DiscordModel.js";
import { FakeGateway } from "./FakeGateway.js";
import {
  type FakeChannel,
  type FakeGuild,
  type FakeUserInit,
  snowflakeOnShard,
} from "./fakeDiscordPayloads.js";
import type {
  AutocompleteInit,
  ButtonInit,
  FailOptions,
  FakeDiscordOptions,
  ForumPostInit,
  InteractionTally,
  MessageContextMenuInit,
  ModalSubmitInit,
  RecordedRequest,
  RequestMatch,
  RequestPredicate,
  SeedMessageInit,
  SelectInit,
  SentMessage,
  SlashCommandInit,
  UserMessageInit,
} from "./fakeDiscordTypes.js";
import type { InteractionHandle } from "./InteractionHandle.js";
import { InteractionRoutes } from "./InteractionRoutes.js";
import { RestRouter } from "./RestRouter.js";
import { matches } from "./restReplies.js";
import { UserActions } from "./UserActions.js";
import { DEFAULT_TIMEOUT_MS, Waiters } from "./Waiters.js";

export type { FakeChannel, FakeGuild, FakeRole, FakeUserInit } from "./fakeDiscordPayloads.js";
export { FakePermissions, guildShard, snowflakeOnShard } from "./fakeDiscordPayloads.js";
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
  interactionDeadlineMs: 3000,
  messageContentIntent: true,
} as const satisfies Required<FakeDiscordOptions>;

/**
 * The fake server: its public face for tests. What it holds is a {@link DiscordModel}; users act
 * through {@link UserActions}; the bot is answered by the {@link RestRouter} (with the commands,
 * interaction and channel routes) and the {@link FakeGateway}.
 */
export class FakeDiscord {
  /** What to pass as `rest.api` to discord.js: `http://127.0.0.1:PORT/api`. */
  readonly apiUrl: string;
  /** `ws://127.0.0.1:PORT`, what GET /gateway/bot answers. */
  readonly gatewayUrl: string;
  /** Every REST request, in order of arrival. */
  readonly requests: RecordedRequest[] = [];

  private readonly model: DiscordModel;
  private readonly gateway: FakeGateway;
  private readonly waiters: Waiters;
  private readonly commands: CommandRegistry;
  private readonly rest: RestRouter;
  private readonly actions: UserActions;
  private readonly interactions: InteractionRoutes;
  private stopped = false;

  private constructor(
    private readonly server: Server,
    wss: WebSocketServer,
    port: number,
    init: FakeDiscordOptions,
  ) {
    const options = { ...defaults, ...init };
    this.apiUrl = `http://127.0.0.1:${port}/api`;
    this.gatewayUrl = `ws://127.0.0.1:${port}`;
    const model = new DiscordModel(options);
    this.model = model;
    this.waiters = new Waiters(() => this.describeRecent());
    this.commands = new CommandRegistry(this.applicationId);
    this.gateway = new FakeGateway(wss, {
      url: this.gatewayUrl,
      token: options.token,
      heartbeatIntervalMs: options.heartbeatIntervalMs,
      botUserId: this.botUser.id,
      messageContentIntent: options.messageContentIntent,
      ready: () => model.readyPayload(),
      guildCreates: () => this.guilds.map((g) => model.guildCreate(g)),
      changed: () => this.waiters.notify(),
    });
    const interactions = new InteractionRoutes(model, this.gateway, this.apiUrl);
    const channels = new ChannelRoutes(model, this.gateway, this.apiUrl);
    this.rest = new RestRouter(
      { model, commands: this.commands, interactions, channels },
      {
        gatewayUrl: this.gatewayUrl,
        token: options.token,
        requests: this.requests,
        changed: () => this.waiters.notify(),
      },
    );
    this.actions = new UserActions({
      model,
      commands: this.commands,
      gateway: this.gateway,
      interactions,
      waiters: this.waiters,
      requests: this.requests,
      deadlineMs: options.interactionDeadlineMs,
    });
    this.interactions = interactions;
  }

  get applicationId(): string {
    return this.model.applicationId;
  }

  get botUser(): APIUser {
    return this.model.botUser;
  }

  get guilds(): readonly FakeGuild[] {
    return this.model.guilds;
  }

  /** The first guild. */
  get guild(): FakeGuild {
    return this.model.guild;
  }

  /** The first channel of the first guild, where interactions and messages happen by default. */
  get channel(): FakeChannel {
    return this.model.channel;
  }

  /** The user interactions and messages come from by default. */
  get user(): APIUser {
    return this.model.user;
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
      fake.rest.handle(req, res).catch(() => {
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
    this.rest.releaseHeld();
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
    return this.model.message(id);
  }

  /** The messages of a channel, oldest first (ephemeral interaction replies included). */
  messagesIn(channelId: string = this.channel.id): APIMessage[] {
    return this.model.messagesIn(channelId);
  }

  /** The bytes of a file the bot attached to a message, by attachment id. */
  attachment(id: string): Buffer | undefined {
    return this.model.attachments.get(id);
  }

  /** Ids of the pinned messages of a channel, most recently pinned first. */
  pinnedIn(channelId: string = this.channel.id): string[] {
    return this.model.pinnedIn(channelId);
  }

  // ---------------------------------------------------------------- failures

  /**
   * Makes the next matching REST request(s) fail with `status`. A 429 carries `Retry-After`,
   * `X-RateLimit-*` headers and `{ message, retry_after, global }`, so discord.js waits and
   * retries; a 5xx carries `{ message, code: 0 }` (discord.js retries those at once, 3 times).
   */
  failNext(match: RequestMatch, status: number, options: FailOptions = {}): void {
    this.rest.failNext(match, status, options);
  }

  /**
   * Holds the next `times` (default 1) matching requests `delayMs` before answering them, as a
   * slow network would: Discord's interaction deadline counts when the request is answered.
   */
  delayNext(match: RequestMatch, delayMs: number, times = 1): void {
    this.rest.delayNext(match, delayMs, times);
  }

  /**
   * Never answers the next `times` (default 1) matching requests: the client has to time out
   * (the request is recorded with `abandoned` once it does).
   */
  hangNext(match: RequestMatch, times = 1): void {
    this.rest.hangNext(match, times);
  }

  /** What became of the interactions dispatched so far (lost, thinking, answered...). */
  tally(): InteractionTally {
    return this.interactions.tally(Date.now());
  }

  /** Resolves once no interaction is pending (each is acknowledged or lost) and none is thinking. */
  waitForSettled(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<InteractionTally> {
    return this.waiters.waitFor(
      () => {
        const tally = this.tally();
        return tally.pending === 0 && tally.thinking === 0 ? tally : undefined;
      },
      timeoutMs,
      "settled interactions",
    );
  }

  // ---------------------------------------------------------------- gateway

  /** Dispatches any gateway event to the bot (kept until it is connected). */
  dispatch(event: string, data: unknown): void {
    this.gateway.dispatch(event, data);
  }

  /**
   * Closes the bot's gateway socket from the server side; 4000 lets discord.js RESUME. With
   * several shards connected, name the shard.
   */
  dropGatewayConnection(closeCode = 4000, shardId?: number): void {
    this.gateway.drop(closeCode, shardId);
  }

  /** Sends op 7 RECONNECT (to `shardId`'s connection when several): discord.js resumes. */
  requestReconnect(shardId?: number): void {
    this.gateway.requestReconnect(shardId);
  }

  /** New gateway connections wait for their HELLO (the bot stays connecting) until released. */
  holdGatewayHello(): void {
    this.gateway.holdHello();
  }

  /** Sends the held gateway connections their HELLO; new ones get it at once again. */
  releaseGatewayHello(): void {
    this.gateway.releaseHello();
  }

  /**
   * True while the bot has an identified or resumed gateway connection (on every shard
   * identified so far).
   */
  get gatewayLive(): boolean {
    return this.gateway.isLive;
  }

  /** The ids of the shards with an identified or resumed gateway connection, ascending. */
  get liveShards(): number[] {
    return this.gateway.liveShards;
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
    return this.model.resolveUser(init);
  }

  /** Stores a message without dispatching it (e.g. the target of a context-menu command). */
  seedMessage(init: SeedMessageInit = {}): APIMessage {
    return this.model.seedMessage(init);
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
    return this.actions.sendMessage(init);
  }

  /**
   * A member opens a post in a forum channel (THREAD_CREATE, then MESSAGE_CREATE of its first
   * message, whose id is the thread's). `reply()` waits for the bot's reply in the post.
   */
  createForumPost(init: ForumPostInit): SentMessage & { threadId: string } {
    return this.actions.createForumPost(init);
  }

  /** The threads of a guild (default the first), oldest first. */
  threadsIn(guildId: string = this.guild.id): FakeChannel[] {
    return this.model.threadsOf(guildId);
  }

  /** A user runs a slash command. */
  sendSlashCommand(init: SlashCommandInit): InteractionHandle {
    return this.actions.sendSlashCommand(init);
  }

  /** A user types in an option with autocomplete; the bot answers with choices (type 8). */
  sendAutocomplete(init: AutocompleteInit): InteractionHandle {
    return this.actions.sendAutocomplete(init);
  }

  /** A user runs a message context-menu command on a message. */
  sendMessageContextMenu(init: MessageContextMenuInit): InteractionHandle {
    return this.actions.sendMessageContextMenu(init);
  }

  /** A user clicks a button on a message. */
  sendButton(init: ButtonInit): InteractionHandle {
    return this.actions.sendButton(init);
  }

  /** A user picks values in a string select menu on a message. */
  sendStringSelect(init: SelectInit): InteractionHandle {
    return this.actions.sendStringSelect(init);
  }

  /**
   * A user sends a modal the bot showed, with what they typed in its text inputs; pass the
   * message whose button opened it, as Discord does. See `InteractionHandle.modal()`.
   */
  sendModalSubmit(init: ModalSubmitInit): InteractionHandle {
    return this.actions.sendModalSubmit(init);
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
}

/**
 * A fake with two guilds, each with #general: "Zero" on shard 0 and "One" on shard 1 of 2;
 * `options` as for {@link FakeDiscord.start}. The caller stops it.
 */
export async function startTwoShardFake(
  options: Omit<FakeDiscordOptions, "guilds"> = {},
): Promise<{ fake: FakeDiscord; zero: FakeGuild; one: FakeGuild }> {
  const fake = await FakeDiscord.start({
    ...options,
    guilds: [
      { id: snowflakeOnShard(0, 2), name: "Zero", channels: [{ name: "general" }] },
      { id: snowflakeOnShard(1, 2), name: "One", channels: [{ name: "general" }] },
    ],
  });
  const [zero, one] = fake.guilds;
  if (!zero || !one) {
    await fake.stop();
    throw new Error("fake discord: two guilds expected");
  }
  return { fake, zero, one };
}
