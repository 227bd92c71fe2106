/**
 * What a test holds after the fake dispatched an interaction: promises for the bot's answer.
 */
import {
  type APIMessage,
  type APIUser,
  InteractionResponseType,
  type InteractionType,
  type MessageType,
} from "discord.js";
import type { MessageBody, RecordedRequest, ShownModal } from "./fakeDiscordTypes.js";
import { isObject } from "./restReplies.js";
import { DEFAULT_TIMEOUT_MS, type Waiters } from "./Waiters.js";

export type InteractionKind = "command" | "autocomplete" | "component" | "modal";

/** What the fake knows about one interaction; the REST routes fill it in as the bot answers. */
export interface InteractionState {
  id: string;
  token: string;
  type: InteractionType;
  kind: InteractionKind;
  channelId: string;
  guildId: string;
  user: APIUser;
  payload: Record<string, unknown>;
  /** The message type of responses: 20 for slash commands, 23 for context menus, else 0. */
  originalType: MessageType;
  /** For components: the message the component is on. */
  componentMessageId?: string;
  /** When it was dispatched (`Date.now()`). */
  createdAt: number;
  /** Discord's deadline for the callback (`Date.now()` scale); undefined: none. */
  deadline: number | undefined;
  /** Callbacks refused with 404 Unknown interaction because the deadline had passed. */
  lateCallbacks: number;
  /** The accepted callback (failed attempts are not kept here). */
  callback?: RecordedRequest;
  originalId?: string;
  edits: RecordedRequest[];
  followupIds: string[];
  followups: RecordedRequest[];
}

/** Past Discord's deadline without an accepted callback. */
export function isLost(state: InteractionState, now: number): boolean {
  return state.callback === undefined && state.deadline !== undefined && now > state.deadline;
}

function bodyOf(request: RecordedRequest | undefined): MessageBody | undefined {
  if (!request) return undefined;
  return isObject(request.body) ? (request.body as MessageBody) : {};
}

/** A modal's data as a test reads it: its text inputs flattened out of rows and labels. */
function shownModal(data: Record<string, unknown>): ShownModal {
  const rows = Array.isArray(data.components) ? data.components : [];
  const inputs = rows.flatMap((row: unknown): ShownModal["inputs"] => {
    if (!isObject(row)) return [];
    if (row.type === 18 && isObject(row.component)) {
      return [{ ...(row.component as ShownModal["inputs"][number]), label: String(row.label) }];
    }
    const children = Array.isArray(row.components) ? row.components : [];
    return children.filter(isObject) as ShownModal["inputs"];
  });
  return { custom_id: String(data.custom_id), title: String(data.title), inputs };
}

export class InteractionHandle {
  readonly id: string;
  readonly token: string;
  readonly channelId: string;
  readonly guildId: string;
  /** The INTERACTION_CREATE payload as dispatched. */
  readonly payload: Readonly<Record<string, unknown>>;

  constructor(
    private readonly state: InteractionState,
    private readonly waiters: Waiters,
    private readonly lookupMessage: (id: string) => APIMessage | undefined,
  ) {
    this.id = state.id;
    this.token = state.token;
    this.channelId = state.channelId;
    this.guildId = state.guildId;
    this.payload = state.payload;
  }

  /** The callback type the bot answered with, once it has (4 reply, 5 defer, 7 update, ...). */
  get responseType(): InteractionResponseType | undefined {
    const body = this.state.callback?.body;
    return isObject(body) ? (body.type as InteractionResponseType) : undefined;
  }

  /** Resolves with the bot's accepted callback request (failed attempts are not counted). */
  response(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<RecordedRequest> {
    return this.waiters.waitFor(
      () => this.state.callback,
      timeoutMs,
      `callback to ${this.describe()}`,
    );
  }

  /**
   * Resolves with what the user finally sees as the answer: the data of a type 4 (reply) or
   * 7 (update) callback, the choices of an autocomplete (8), the modal (9); after a deferral
   * (5 or 6), the body of the first edit of `@original` or else of the first follow-up.
   */
  final(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<MessageBody> {
    return this.waiters.waitFor(() => this.finalBody(), timeoutMs, `answer to ${this.describe()}`);
  }

  /**
   * Resolves with the modal the bot showed (an accepted callback of type 9); rejects at the
   * timeout, or at once when the bot answered otherwise.
   */
  modal(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<ShownModal> {
    return this.waiters.waitFor(
      () => {
        const body = this.state.callback?.body;
        if (!isObject(body)) return undefined;
        if (body.type !== InteractionResponseType.Modal) {
          throw new Error(
            `${this.describe()} was answered with type ${String(body.type)}, not a modal`,
          );
        }
        return shownModal(isObject(body.data) ? body.data : {});
      },
      timeoutMs,
      `modal shown for ${this.describe()}`,
    );
  }

  /** Resolves with the body of the bot's follow-up number `index` (0 = first). */
  followup(index = 0, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<MessageBody> {
    return this.waiters.waitFor(
      () => bodyOf(this.state.followups[index]),
      timeoutMs,
      `follow-up #${index} of ${this.describe()}`,
    );
  }

  /** The bodies of the follow-ups so far. */
  followups(): MessageBody[] {
    return this.state.followups.map((request) => bodyOf(request) ?? {});
  }

  /** The bodies of the accepted edits of `@original` so far. */
  edits(): MessageBody[] {
    return this.state.edits.map((request) => bodyOf(request) ?? {});
  }

  /** When the fake dispatched it (`Date.now()`). */
  get createdAt(): number {
    return this.state.createdAt;
  }

  /** True when Discord's deadline passed without an accepted callback: the user saw it fail. */
  get lost(): boolean {
    return isLost(this.state, Date.now());
  }

  /** The current original response message (after edits), if there is one. */
  message(): APIMessage | undefined {
    return this.state.originalId ? this.lookupMessage(this.state.originalId) : undefined;
  }

  /**
   * When the fake received what the user sees as the answer (as {@link final}), in
   * `Date.now()` ms; undefined until then.
   */
  get finalAt(): number | undefined {
    const callback = this.state.callback;
    if (!callback || !isObject(callback.body)) return undefined;
    const type = callback.body.type;
    if (
      type === InteractionResponseType.DeferredChannelMessageWithSource ||
      type === InteractionResponseType.DeferredMessageUpdate
    ) {
      return (this.state.edits[0] ?? this.state.followups[0])?.receivedAt;
    }
    return callback.receivedAt;
  }

  private finalBody(): MessageBody | undefined {
    const callback = this.state.callback;
    if (!callback || !isObject(callback.body)) return undefined;
    const type = callback.body.type;
    if (
      type === InteractionResponseType.DeferredChannelMessageWithSource ||
      type === InteractionResponseType.DeferredMessageUpdate
    ) {
      return bodyOf(this.state.edits[0]) ?? bodyOf(this.state.followups[0]);
    }
    return isObject(callback.body.data) ? (callback.body.data as MessageBody) : {};
  }

  private describe(): string {
    const data = this.state.payload.data;
    const name = isObject(data) ? (data.name ?? data.custom_id) : undefined;
    return `${this.state.kind} interaction ${this.id} (${String(name)})`;
  }
}
