/**
 * The gateway half of the fake Discord server (JSON encoding, no compression): HELLO, IDENTIFY
 * -> READY + GUILD_CREATE, heartbeats, RESUME with replay, intents, shards.
 *
 * Shards as Discord has them: an IDENTIFY's `shard: [id, count]` opens the session of shard `id`,
 * which gets the guilds that {@link guildShard} puts on it (in READY and GUILD_CREATE) and only
 * their events; events of no guild go to shard 0. One session per shard id: a second IDENTIFY of
 * a shard takes its events over (Discord would send them to both).
 *
 * Events dispatched while their shard is not connected are kept: a RESUME replays them by
 * sequence number as Discord does; a new IDENTIFY of the shard (after a non-resumable close, or
 * the first login) also gets them, after its GUILD_CREATEs, so a test may dispatch without
 * waiting for the bot.
 */
import {
  type APIMessage,
  GatewayDispatchEvents,
  GatewayIntentBits,
  GatewayOpcodes,
  MessageFlags,
} from "discord.js";
import type { RawData, WebSocket, WebSocketServer } from "ws";
import { guildShard, randomToken } from "./fakeDiscordPayloads.js";
import { isObject, type Json } from "./restReplies.js";

export interface GatewayOptions {
  /** `ws://127.0.0.1:PORT`, sent as `resume_gateway_url`. */
  url: string;
  /** When not empty, IDENTIFY must carry it (else close 4004). */
  token: string;
  heartbeatIntervalMs: number;
  botUserId: string;
  /**
   * Whether the application may use the Message Content intent (Developer Portal > Bot >
   * Privileged Gateway Intents); when not, an IDENTIFY asking for it is closed with 4014.
   */
  messageContentIntent: boolean;
  /** The READY payload without the session fields. */
  ready(): Json;
  /** The GUILD_CREATE payloads sent after READY. */
  guildCreates(): unknown[];
  /** Called after every payload received and every connection change. */
  changed(): void;
}

interface LoggedDispatch {
  s: number;
  t: string;
  d: unknown;
  delivered: boolean;
}

interface Session {
  id: string;
  /** The shard id and the shard count of its IDENTIFY. */
  shard: readonly [number, number];
  seq: number;
  intents: number;
  log: LoggedDispatch[];
  /** Its identified or resumed connection, while there is one. */
  live: WebSocket | undefined;
}

/** The guild an event belongs to: its guild_id, or the id of a guild event's guild. */
function guildOf(event: string, d: unknown): string | undefined {
  if (!isObject(d)) return undefined;
  if (typeof d.guild_id === "string") return d.guild_id;
  const isGuild =
    event === GatewayDispatchEvents.GuildCreate ||
    event === GatewayDispatchEvents.GuildUpdate ||
    event === GatewayDispatchEvents.GuildDelete;
  return isGuild && typeof d.id === "string" ? d.id : undefined;
}

/** Whether `session` is the one that gets events of `guildId` (of no guild: shard 0). */
function serves(session: Session, guildId: string | undefined): boolean {
  const [id, count] = session.shard;
  return id === (guildId === undefined ? 0 : guildShard(guildId, count));
}

const messageEvents: readonly string[] = [
  GatewayDispatchEvents.MessageCreate,
  GatewayDispatchEvents.MessageUpdate,
  GatewayDispatchEvents.MessageDelete,
];

export class FakeGateway {
  connections = 0;
  identifies = 0;
  resumes = 0;
  heartbeats = 0;
  /** Every payload the bot sent (op and d). */
  readonly received: { op: number; d: unknown }[] = [];

  private readonly sockets = new Set<WebSocket>();
  private readonly authenticated = new WeakSet<WebSocket>();
  /** By shard id. */
  private readonly sessions = new Map<number, Session>();
  private pending: { t: string; d: unknown }[] = [];
  private closed = false;
  /** Connections waiting for their HELLO while held (see {@link holdHello}); else undefined. */
  private held: WebSocket[] | undefined;

  constructor(
    private readonly wss: WebSocketServer,
    private readonly options: GatewayOptions,
  ) {
    wss.on("connection", (socket) => this.onConnection(socket));
  }

  /**
   * True while the bot has an identified or resumed connection: on every shard identified so
   * far, when there are several.
   */
  get isLive(): boolean {
    const sessions = [...this.sessions.values()];
    return sessions.length > 0 && sessions.every((session) => session.live !== undefined);
  }

  /** The ids of the shards with an identified or resumed connection, ascending. */
  get liveShards(): number[] {
    return [...this.sessions.values()]
      .filter((session) => session.live !== undefined)
      .map((session) => session.shard[0])
      .sort((a, b) => a - b);
  }

  /**
   * Sends an event to the bot on the shard of its guild now, or keeps it until that shard
   * (re)connects.
   */
  dispatch(event: string, data: unknown): void {
    const d = structuredClone(data);
    const guildId = guildOf(event, d);
    const session = [...this.sessions.values()].find((candidate) => serves(candidate, guildId));
    if (!session) {
      this.pending.push({ t: event, d });
      return;
    }
    this.deliver(session, event, d);
  }

  /** Discord tells the bot about its own non-ephemeral messages too (MESSAGE_CREATE). */
  echo(message: APIMessage, guildId: string): void {
    if ((message.flags ?? 0) & MessageFlags.Ephemeral) return;
    this.dispatch(GatewayDispatchEvents.MessageCreate, { ...message, guild_id: guildId });
  }

  /**
   * Closes a live connection from the server side with `code` (4000: resumable): the one of
   * `shardId`, or the only one.
   */
  drop(code: number, shardId?: number): void {
    const session = this.liveSession(shardId);
    const socket = session.live;
    session.live = undefined;
    socket?.close(code, "fakeDiscord: dropped");
  }

  /**
   * New connections get no HELLO until {@link releaseHello}: the bot stays connecting, as while
   * Discord's gateway is unreachable, for as long as a test needs to look at it.
   */
  holdHello(): void {
    this.held ??= [];
  }

  /** Sends the held connections their HELLO, and new ones at once again. */
  releaseHello(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const socket of held) {
      if (socket.readyState === socket.OPEN) this.hello(socket);
    }
  }

  /** Sends op 7 RECONNECT on the connection of `shardId` (or the only one); discord.js resumes. */
  requestReconnect(shardId?: number): void {
    const session = this.liveSession(shardId);
    if (session.live) this.send(session.live, { op: GatewayOpcodes.Reconnect, d: null });
  }

  /** Terminates every connection and closes the WebSocket server. */
  async close(): Promise<void> {
    this.closed = true;
    for (const socket of this.sockets) socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  /** The session of `shardId` when it is live, or the only live one without `shardId`. */
  private liveSession(shardId: number | undefined): Session {
    const live = [...this.sessions.values()].filter(
      (session) =>
        session.live !== undefined && (shardId === undefined || session.shard[0] === shardId),
    );
    const [session] = live;
    if (session === undefined) {
      const which = shardId === undefined ? "" : ` of shard ${shardId}`;
      throw new Error(`fakeDiscord: no live gateway connection${which}`);
    }
    if (live.length > 1) {
      throw new Error(
        `fakeDiscord: ${live.length} live gateway connections (shards ${this.liveShards.join(", ")}): name the shard`,
      );
    }
    return session;
  }

  /** Logs an event in `session` (for a RESUME) and sends it at once when the session is live. */
  private deliver(session: Session, event: string, d: unknown): void {
    const filtered = this.applyIntents(event, d, session.intents);
    if (filtered === undefined) return;
    const entry: LoggedDispatch = { s: ++session.seq, t: event, d: filtered, delivered: false };
    session.log.push(entry);
    if (session.live) {
      this.send(session.live, { op: GatewayOpcodes.Dispatch, t: entry.t, s: entry.s, d: entry.d });
      entry.delivered = true;
    }
  }

  private send(socket: WebSocket, payload: { op: number; d: unknown; s?: number; t?: string }) {
    socket.send(JSON.stringify({ s: null, t: null, ...payload }));
  }

  private onConnection(socket: WebSocket): void {
    if (this.closed) {
      socket.terminate();
      return;
    }
    this.connections += 1;
    this.sockets.add(socket);
    socket.on("message", (raw) => this.onMessage(socket, raw));
    socket.on("error", () => socket.terminate());
    socket.on("close", () => {
      this.sockets.delete(socket);
      for (const session of this.sessions.values()) {
        if (session.live === socket) session.live = undefined;
      }
      this.options.changed();
    });
    if (this.held) this.held.push(socket);
    else this.hello(socket);
    this.options.changed();
  }

  private hello(socket: WebSocket): void {
    this.send(socket, {
      op: GatewayOpcodes.Hello,
      d: { heartbeat_interval: this.options.heartbeatIntervalMs },
    });
  }

  private onMessage(socket: WebSocket, raw: RawData): void {
    let payload: { op?: unknown; d?: unknown };
    try {
      payload = JSON.parse(raw.toString());
    } catch {
      socket.close(4002, "Error while decoding payload.");
      return;
    }
    const op = Number(payload.op);
    this.received.push({ op, d: payload.d });
    const d = isObject(payload.d) ? payload.d : {};
    switch (op) {
      case GatewayOpcodes.Heartbeat:
        this.heartbeats += 1;
        this.send(socket, { op: GatewayOpcodes.HeartbeatAck, d: null });
        break;
      case GatewayOpcodes.Identify:
        this.identify(socket, d);
        break;
      case GatewayOpcodes.Resume:
        this.resume(socket, d);
        break;
      case GatewayOpcodes.PresenceUpdate:
      case GatewayOpcodes.VoiceStateUpdate:
      case GatewayOpcodes.RequestGuildMembers:
        break;
      default:
        socket.close(4001, "Unknown opcode.");
    }
    this.options.changed();
  }

  private identify(socket: WebSocket, d: Json): void {
    if (this.authenticated.has(socket)) {
      socket.close(4005, "Already authenticated.");
      return;
    }
    if (this.options.token && d.token !== this.options.token) {
      socket.close(4004, "Authentication failed.");
      return;
    }
    if (
      !this.options.messageContentIntent &&
      Number(d.intents ?? 0) & GatewayIntentBits.MessageContent
    ) {
      socket.close(4014, "Disallowed intent(s).");
      return;
    }
    const shard = Array.isArray(d.shard) ? d.shard : [0, 1];
    const [shardId, shardCount] = shard;
    if (
      shard.length !== 2 ||
      !Number.isInteger(shardId) ||
      !Number.isInteger(shardCount) ||
      shardId < 0 ||
      shardId >= shardCount
    ) {
      socket.close(4010, "Invalid shard.");
      return;
    }
    this.identifies += 1;
    this.authenticated.add(socket);
    const session: Session = {
      id: randomToken(32),
      shard: [shardId, shardCount],
      seq: 0,
      intents: Number(d.intents ?? 0),
      log: [],
      live: socket,
    };
    const ours = (entry: { t: string; d: unknown }) => serves(session, guildOf(entry.t, entry.d));
    const carried = [
      ...this.pending.filter(ours),
      ...(this.sessions.get(shardId)?.log.filter((entry) => !entry.delivered) ?? []),
    ].map(({ t, d: data }) => ({ t, d: data }));
    this.pending = this.pending.filter((entry) => !ours(entry));
    this.sessions.set(shardId, session);
    const ready = this.options.ready();
    const readyGuilds = Array.isArray(ready.guilds) ? ready.guilds : [];
    this.deliver(session, GatewayDispatchEvents.Ready, {
      ...ready,
      guilds: readyGuilds.filter((guild) =>
        ours({ t: GatewayDispatchEvents.GuildCreate, d: guild }),
      ),
      session_id: session.id,
      session_type: "normal",
      resume_gateway_url: this.options.url,
      shard: [shardId, shardCount],
    });
    for (const guild of this.options.guildCreates()) {
      if (ours({ t: GatewayDispatchEvents.GuildCreate, d: guild })) {
        this.deliver(session, GatewayDispatchEvents.GuildCreate, guild);
      }
    }
    for (const { t, d: data } of carried) this.deliver(session, t, data);
  }

  private resume(socket: WebSocket, d: Json): void {
    this.resumes += 1;
    const session = [...this.sessions.values()].find((known) => known.id === d.session_id);
    if (!session) {
      this.send(socket, { op: GatewayOpcodes.InvalidSession, d: false });
      return;
    }
    this.authenticated.add(socket);
    session.live = socket;
    const seq = Number(d.seq ?? 0);
    for (const entry of session.log) {
      if (entry.s <= seq) continue;
      this.send(socket, { op: GatewayOpcodes.Dispatch, t: entry.t, s: entry.s, d: entry.d });
      entry.delivered = true;
    }
    this.deliver(session, GatewayDispatchEvents.Resumed, null);
  }

  /**
   * What Discord withholds by intent: guild message events need GUILD_MESSAGES; without
   * MESSAGE_CONTENT, content, embeds, attachments and components are empty unless the bot is
   * mentioned or is the author.
   */
  private applyIntents(event: string, d: unknown, intents: number): unknown {
    if (!messageEvents.includes(event) || !isObject(d)) return d;
    if (!(intents & GatewayIntentBits.GuildMessages)) return undefined;
    if (intents & GatewayIntentBits.MessageContent) return d;
    const botId = this.options.botUserId;
    const author = isObject(d.author) ? d.author.id : undefined;
    const mentioned =
      Array.isArray(d.mentions) && d.mentions.some((user) => isObject(user) && user.id === botId);
    if (author === botId || mentioned) return d;
    return { ...d, content: "", embeds: [], attachments: [], components: [] };
  }
}
