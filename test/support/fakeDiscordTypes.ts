/**
 * The public types of the fake Discord server: its options, what it records, and what tests
 * pass to make users act.
 */
import type { IncomingHttpHeaders } from "node:http";
import type {
  APIAllowedMentions,
  APIApplicationCommandInteractionDataOption,
  APIApplicationCommandOptionChoice,
  APIEmbed,
  APIMessage,
  APIMessageTopLevelComponent,
  Locale,
} from "discord.js";
import type { FakeRole, FakeUserInit } from "./fakeDiscordPayloads.js";

export interface FakeGuildInit {
  id?: string;
  name?: string;
  /**
   * Channels, in order; the first is the default channel (a text channel). `kind`: "text"
   * (default) or "forum" (type 15: members open posts, threads, in it). `botDenied`: permission
   * bits the bot's role is denied in that channel (a role overwrite), e.g. Send Messages; its
   * threads inherit them.
   */
  channels?: { id?: string; name: string; kind?: "text" | "forum"; botDenied?: string }[];
}

export interface FakeDiscordOptions {
  applicationId?: string;
  botUserId?: string;
  botUsername?: string;
  /** Default: one guild "Newsroom" with text channels #general and #news. */
  guilds?: FakeGuildInit[];
  /** When set, REST calls and IDENTIFY must carry this token (else 401 / close 4004). */
  token?: string;
  /** The heartbeat interval sent in HELLO; discord.js heartbeats at this pace. */
  heartbeatIntervalMs?: number;
  /** The user interactions and messages come from when a test names none. */
  defaultUser?: FakeUserInit;
  /**
   * Discord's deadline for the first answer (callback) to an interaction, counted from its
   * dispatch: a later callback gets 404 Unknown interaction (10062) and the interaction is lost.
   * Default 3000, as Discord; 0 for none.
   */
  interactionDeadlineMs?: number;
  /**
   * Whether the Message Content intent is enabled for the application (a privileged intent the
   * owner turns on in the Developer Portal); when false, an IDENTIFY asking for it is closed
   * with 4014, as Discord does. Default true.
   */
  messageContentIntent?: boolean;
}

/** A file part of a multipart request. */
export interface RecordedFile {
  field: string;
  name: string;
  size: number;
  contentType: string;
  /** The file's bytes, as sent. */
  data: Buffer;
}

/** One REST request the fake received, and what it answered. */
export interface RecordedRequest {
  /** Position in `requests`, to wait for requests after a point: `r => r.index >= mark`. */
  index: number;
  method: string;
  /** Decoded, without the `/api/v10` prefix: `/webhooks/1/tok/messages/@original`. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  authorization: string | undefined;
  /** Parsed JSON; for multipart bodies the `payload_json` part. */
  body: unknown;
  files: RecordedFile[];
  status: number;
  responseBody: unknown;
  /** False when no route of the fake knew the request (answered 404): an unexpected call. */
  handled: boolean;
  /** True when the answer came from `failNext`, `delayNext` or `hangNext`. */
  injected: boolean;
  /** When it arrived (`Date.now()`). */
  receivedAt: number;
  /** When it was answered (`Date.now()`), or when the client gave up on it (`abandoned`). */
  answeredAt?: number;
  /** True when the client closed the request before the fake answered (a hung request). */
  abandoned?: boolean;
}

/** Selects requests: every given field must match. `path` is exact (string) or a RegExp. */
export interface RequestMatch {
  method?: string;
  path?: string | RegExp;
  pathPrefix?: string;
}

export type RequestPredicate = RequestMatch | ((request: RecordedRequest) => boolean);

/** A message as the bot sent it (the `data` of a callback, or a webhook / channel body). */
export interface MessageBody {
  [key: string]: unknown;
  content?: string;
  embeds?: APIEmbed[];
  components?: APIMessageTopLevelComponent[];
  flags?: number;
  allowed_mentions?: APIAllowedMentions;
  message_reference?: { message_id?: string; channel_id?: string; fail_if_not_exists?: boolean };
  /** Autocomplete answers (callback type 8). */
  choices?: APIApplicationCommandOptionChoice[];
  /** Modals (callback type 9). */
  custom_id?: string;
  title?: string;
}

/** Where an interaction comes from and who sends it. */
export interface InteractionOrigin {
  guildId?: string;
  channelId?: string;
  user?: FakeUserInit;
  /** Sets the member's roles and, unless `permissions` is given, their permissions. */
  role?: FakeRole;
  /** `member.permissions` of the interaction; default from `role` (`FakePermissions`). */
  permissions?: string;
  locale?: Locale;
}

export type OptionValue = string | number | boolean;

export interface SlashCommandInit extends InteractionOrigin {
  name: string;
  /**
   * Options by name. Types come from the registered command when the bot registered it through
   * the fake, else from the value (integer -> INTEGER, other number -> NUMBER). USER and CHANNEL
   * options take an id and get their `resolved` entry. A raw array is sent as it is.
   */
  options?: Record<string, OptionValue> | APIApplicationCommandInteractionDataOption[];
  subcommand?: string;
  subcommandGroup?: string;
}

export interface AutocompleteInit extends SlashCommandInit {
  /** The option being typed in, and what the user has typed so far. */
  focused: { name: string; value: string };
}

export interface ButtonInit extends InteractionOrigin {
  customId: string;
  /** The message the button is on: a stored message (id or object). Default: a new bot message. */
  message?: string | APIMessage;
}

/**
 * A user sends a modal the bot showed: its custom_id and what they typed, by the custom_id of
 * each text input.
 */
export interface ModalSubmitInit extends InteractionOrigin {
  customId: string;
  values: Record<string, string>;
  /**
   * The message whose button opened the modal (a stored message, id or object); Discord sends it
   * with the submit. Default: none (a modal opened by a slash command).
   */
  message?: string | APIMessage;
}

/** A modal the bot showed (callback type 9), as a test reads it. */
export interface ShownModal {
  custom_id: string;
  title: string;
  /** Its text inputs, in order, from action rows or labels (a label's text as `label`). */
  inputs: {
    custom_id: string;
    label?: string;
    style: number;
    required?: boolean;
    min_length?: number;
    max_length?: number;
    placeholder?: string;
    value?: string;
  }[];
}

export interface SelectInit extends ButtonInit {
  values: string[];
}

export interface MessageContextMenuInit extends InteractionOrigin {
  name: string;
  /** The message the command is used on: a stored message (id or object). */
  targetMessage: string | APIMessage;
}

export interface SeedMessageInit {
  content?: string;
  channelId?: string;
  user?: FakeUserInit;
  /** Author the message as the bot (default: the user). */
  fromBot?: boolean;
  embeds?: APIEmbed[];
  components?: APIMessageTopLevelComponent[];
}

export interface UserMessageInit {
  content: string;
  channelId?: string;
  user?: FakeUserInit;
  role?: FakeRole;
  /** Id of a stored message this one replies to (adds its author to `mentions`). */
  replyTo?: string;
}

/** A member opens a post in a forum channel: a thread, with its first message. */
export interface ForumPostInit {
  /** The forum channel (`kind: "forum"`). */
  forumId: string;
  /** The post's title: the thread's name. */
  title: string;
  /** Its first message. */
  content: string;
  user?: FakeUserInit;
  role?: FakeRole;
}

/** A message a user sent (MESSAGE_CREATE dispatched to the bot). */
export interface SentMessage {
  id: string;
  channelId: string;
  message: APIMessage;
  /** Resolves with the first channel message the bot sends as a reply to this one. */
  reply(timeoutMs?: number): Promise<MessageBody>;
}

export interface FailOptions {
  /** How many matching requests fail (default 1). */
  times?: number;
  /** Seconds, for 429 (default 0.2): the `Retry-After` header and `retry_after` field. */
  retryAfter?: number;
  /** A 429 on the global limit (`X-RateLimit-Global`, scope "global"). */
  global?: boolean;
  /** A 429's `X-RateLimit-Scope`: "user" (default), "global" (with `global`) or "shared". */
  scope?: "user" | "global" | "shared";
  /** JSON body of the failure instead of Discord's default for the status. */
  body?: unknown;
}

/**
 * What became of the interactions the fake dispatched, as their users saw it. An interaction is
 * lost when Discord's deadline passed without an accepted callback (none came, or it came late
 * and got 404 Unknown interaction): the user saw "This interaction failed".
 */
export interface InteractionTally {
  /** Dispatched to the bot. */
  sent: number;
  /** Got an accepted callback (a reply, a deferral, an update...) before the deadline. */
  acknowledgedInTime: number;
  /** Show the user a final answer: a reply, or a deferral then an edit or a follow-up. */
  answered: number;
  /** Deferred and never edited nor followed up: still "thinking". */
  thinking: number;
  /** Past the deadline without an accepted callback. */
  lost: number;
  /** Still within the deadline, no callback yet. */
  pending: number;
  /** Callbacks refused because they came after the deadline (404 10062). */
  lateCallbacks: number;
}
