/**
 * The gateway half of the fake Discord server (JSON encoding, no compression, one shard):
 * HELLO, IDENTIFY -> READY + GUILD_CREATE, heartbeats, RESUME with replay, intents.
 *
 * Events dispatched while the bot is not connected are kept: a RESUME replays them by sequence
 * number as Discord does; a new IDENTIFY (after a non-resumable close, or the first login) also
 * gets them, after its GUILD_CREATEs, so a test may dispatch without waiting for the bot.
 */
import {
  type APIMessage,
  GatewayDispatchEvents,
  GatewayIntentBits,
  GatewayOpcodes,
  MessageFlags,
} from "discord.js";
import type { RawData, WebSocket, WebSocketServer } from "ws";
import { randomToken } from "./fakeDiscordPayloads.js";
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
  seq: number;
  intents: number;
  log: LoggedDispatch[];
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
  private session: Session | undefined;
  private live: WebSocket | undefined;
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

  /** True while the bot has an identified or resumed connection. */
  get isLive(): boolean {
    return this.live !== undefined;
  }

  /** Sends an event to the bot now, or keeps it until the bot (re)connects. */
  dispatch(event: string, data: unknown): void {
    const d = structuredClone(data);
    if (!this.session) {
      this.pending.push({ t: event, d });
      return;
    }
    const filtered = this.applyIntents(event, d, this.session.intents);
    if (filtered === undefined) return;
    const entry: LoggedDispatch = {
      s: ++this.session.seq,
      t: event,
      d: filtered,
      delivered: false,
    };
    this.session.log.push(entry);
    if (this.live) {
      this.send(this.live, { op: GatewayOpcodes.Dispatch, t: entry.t, s: entry.s, d: entry.d });
      entry.delivered = true;
    }
  }

  /** Discord tells the bot about its own non-ephemeral messages too (MESSAGE_CREATE). */
  echo(message: APIMessage, guildId: string): void {
    if ((message.flags ?? 0) & MessageFlags.Ephemeral) return;
    this.dispatch(GatewayDispatchEvents.MessageCreate, { ...message, guild_id: guildId });
  }

  /** Closes the live connection from the server side with `code` (4000: resumable). */
  drop(code: number): void {
    if (!this.live) throw new Error("fakeDiscord: no live gateway connection to drop");
    const socket = this.live;
    this.live = undefined;
    socket.close(code, "fakeDiscord: dropped");
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

  /** Sends op 7 RECONNECT; discord.js closes and resumes. */
  requestReconnect(): void {
    if (!this.live) throw new Error("fakeDiscord: no live gateway connection");
    this.send(this.live, { op: GatewayOpcodes.Reconnect, d: null });
  }

  /** Terminates every connection and closes the WebSocket server. */
  async close(): Promise<void> {
    this.closed = true;
    for (const socket of this.sockets) socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
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
      if (this.live === socket) this.live = undefined;
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
    this.identifies += 1;
    this.authenticated.add(socket);
    const carried = [
      ...this.pending,
      ...(this.session?.log.filter((entry) => !entry.delivered) ?? []),
    ].map(({ t, d: data }) => ({ t, d: data }));
    this.pending = [];
    this.session = { id: randomToken(32), seq: 0, intents: Number(d.intents ?? 0), log: [] };
    this.live = socket;
    this.dispatch(GatewayDispatchEvents.Ready, {
      ...this.options.ready(),
      session_id: this.session.id,
      session_type: "normal",
      resume_gateway_url: this.options.url,
      shard: Array.isArray(d.shard) ? d.shard : [0, 1],
    });
    for (const guild of this.options.guildCreates()) {
      this.dispatch(GatewayDispatchEvents.GuildCreate, guild);
    }
    for (const { t, d: data } of carried) this.dispatch(t, data);
  }

  private resume(socket: WebSocket, d: Json): void {
    this.resumes += 1;
    const session = this.session;
    if (!session || d.session_id !== session.id) {
      this.send(socket, { op: GatewayOpcodes.InvalidSession, d: false });
      return;
    }
    this.authenticated.add(socket);
    this.live = socket;
    const seq = Number(d.seq ?? 0);
    for (const entry of session.log) {
      if (entry.s <= seq) continue;
      this.send(socket, { op: GatewayOpcodes.Dispatch, t: entry.t, s: entry.s, d: entry.d });
      entry.delivered = true;
    }
    this.dispatch(GatewayDispatchEvents.Resumed, null);
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
