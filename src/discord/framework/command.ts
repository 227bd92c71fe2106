/**
 * The contract every file in `commands/` fulfils, and what the router hands each handler.
 *
 * ```ts
 * export default { data, execute } satisfies SlashCommand; // or MessageCommand
 * ```
 *
 * A command file reads as: what it registers (`data`), what it requires (`preconditions`, run
 * by the router before any handler: see preconditions.ts), what it does (`execute`, or one
 * handler per subcommand in `subcommands`).
 *
 * A handler returns its outcome as a value ("ok", "abstained", "invalid"): expected failures are
 * answered by the handler itself. Anything it throws is unexpected and handled in one place, the
 * router, which logs it with a reference and answers "error".
 */
import type {
  ApplicationCommandType,
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  MessageContextMenuCommandInteraction,
  ModalSubmitInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
  RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from "discord.js";
import type { ConversationRecords } from "../../answer/answerPolicy.js";
import type { Config } from "../../config.js";
import type { FeedStore } from "../../feeds/FeedStore.js";
import type { InteractionOutcome, Metrics } from "../../health/metrics.js";
import type { Fetcher } from "../../ingest/safeFetch.js";
import type { Logger } from "../../log.js";
import type { PinStore } from "../../pins/types.js";
import type { Services } from "../../services.js";
import type { VoteStore } from "../../votes/VoteStore.js";
import type { AnswerCache } from "../ask/AnswerCache.js";
import type { Cooldown } from "./Cooldown.js";
import type { Preconditions } from "./preconditions.js";

/**
 * How an interaction or message ended, as logged: one value per handled event. "forbidden" is a
 * moderator action refused to someone without the permission.
 */
export type Outcome = InteractionOutcome;

/** The outcomes a handler reports itself; "error" is the router's, for what a handler throws. */
export type HandlerOutcome = Exclude<Outcome, "error">;

/**
 * Where the news comes from beside the articles folder: the database's feeds and fetched
 * articles, the fetcher that reads the links and feeds members give (safeFetch.ts), and the
 * feed poller's nudge.
 */
export interface LiveSources {
  readonly store: FeedStore;
  readonly fetch: Fetcher;
  /** A feed was added: the poller looks at the due feeds now (a no-op where none polls). */
  wakePoller(): void;
}

/** What every handler gets: the shared services and the bot's state, built once at start-up. */
export interface CommandContext {
  readonly services: Services;
  readonly config: Config;
  /** Bound to the interaction or message being handled (its id and command). */
  readonly log: Logger;
  /** Questions per user (`/ask`, questions in messages and `/summary`). */
  readonly cooldown: Cooldown;
  /** Answers behind "More sources" buttons. */
  readonly answerCache: AnswerCache;
  /** Pinned answers, answers sent, and questions the articles could not answer, per guild. */
  readonly pins: PinStore;
  /** Feeds, fetched articles and the fetcher (see {@link LiveSources}). */
  readonly sources: LiveSources;
  /** The turns of the conversations in threads and forum posts (ConversationStore). */
  readonly conversations: ConversationRecords;
  /** The question log and the 👍/👎 votes on answers (on the pin database). */
  readonly votes: VoteStore;
  /** The clock (epoch milliseconds) of pins, cooldowns and caches. */
  readonly now: () => number;
  /** What is counted for `/metrics`; undefined when HEALTH_PORT is not set (nothing counted). */
  readonly metrics?: Metrics;
}

/**
 * A button handler, found by the start of the button's custom_id: `prefix` is
 * `<command name>:<action>` and the custom_id is `prefix` or `prefix:<arguments>`.
 */
export interface ComponentHandler {
  readonly prefix: string;
  /** Checked before `handle`, as for a command. */
  readonly preconditions?: Preconditions;
  handle(interaction: ButtonInteraction, ctx: CommandContext): Promise<HandlerOutcome>;
}

/**
 * A modal handler, found by the start of the submitted modal's custom_id as a button is: `prefix`
 * is `<command name>:<action>`. Buttons and modals are told apart by Discord (a modal submit is
 * its own kind of interaction), so a button may open a modal of the same custom_id.
 */
export interface ModalHandler {
  readonly prefix: string;
  /** Checked before `handle`, as for a command. */
  readonly preconditions?: Preconditions;
  handle(interaction: ModalSubmitInteraction, ctx: CommandContext): Promise<HandlerOutcome>;
}

/** The handler of a slash command, or of one of its subcommands. */
export type ChatInputHandler = (
  interaction: ChatInputCommandInteraction,
  ctx: CommandContext,
) => Promise<HandlerOutcome>;

/** One subcommand (`/pins add`): what it requires beyond its command's, and what it does. */
export interface Subcommand {
  readonly preconditions?: Preconditions;
  readonly execute: ChatInputHandler;
}

/** One slash command: its registration payload and its handlers. */
export type SlashCommand = SlashCommandBase &
  (
    | { readonly execute: ChatInputHandler; readonly subcommands?: undefined }
    | {
        /** One handler per subcommand name of `data`. */
        readonly subcommands: Readonly<Record<string, Subcommand>>;
        readonly execute?: undefined;
      }
  );

interface SlashCommandBase {
  /** What `deploy` registers; `data.name` is the command's file name. */
  readonly data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  /** Checked before any handler of the command (a subcommand may add its own). */
  readonly preconditions?: Preconditions;
  /** Answers the options declared with `autocomplete: true`. */
  autocomplete?(interaction: AutocompleteInteraction, ctx: CommandContext): Promise<void>;
  /** The buttons this command's replies carry. */
  readonly components?: readonly ComponentHandler[];
  /** The modals this command's buttons open. */
  readonly modals?: readonly ModalHandler[];
}

/**
 * One message context-menu command (type 3, "Apps" on a message): `data.name` is what the menu
 * shows, e.g. "Pin answer", and the file is named after it in lower case with hyphens
 * (`pin-answer.ts`); see {@link commandFileName}.
 */
export interface MessageCommand {
  readonly data: RESTPostAPIContextMenuApplicationCommandsJSONBody & {
    readonly type: ApplicationCommandType.Message;
  };
  readonly preconditions?: Preconditions;
  execute(
    interaction: MessageContextMenuCommandInteraction,
    ctx: CommandContext,
  ): Promise<HandlerOutcome>;
  readonly components?: readonly ComponentHandler[];
  readonly modals?: readonly ModalHandler[];
}

/** What a file in `commands/` exports. */
export type Command = SlashCommand | MessageCommand;

/** Whether `command` is a message context-menu command. */
export function isMessageCommand(command: Command): command is MessageCommand {
  return (command.data.type as number | undefined) === 3;
}

/**
 * The file name (without extension) a command lives in: its name, lower-cased, with runs of
 * characters other than letters, digits, "_" and "-" made one "-". A slash command's name is
 * already that ("ask"); a context menu's "Pin answer" lives in `pin-answer.ts`.
 */
export function commandFileName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^\p{L}\p{N}_-]+/gu, "-")
    .replace(/^-+|-+$/g, "");
}
