/**
 * The contract every file in `commands/` fulfils, and what the router hands each handler.
 *
 * ```ts
 * export default { data, execute } satisfies Command;
 * ```
 *
 * A handler returns its outcome as a value ("ok", "abstained", "cooldown", "invalid"): expected
 * failures are answered by the handler itself. Anything it throws is unexpected and handled in
 * one place, the router, which logs it with a reference and answers "error".
 */
import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import type { Config } from "../config.js";
import type { Logger } from "../log.js";
import type { Services } from "../services.js";
import type { AnswerCache } from "./AnswerCache.js";
import type { Cooldown } from "./Cooldown.js";
import type { ArticleSuggestion } from "./format.js";

/** How an interaction or message ended, as logged: one value per handled event. */
export type Outcome = "ok" | "abstained" | "cooldown" | "error" | "invalid";

/** The outcomes a handler reports itself; "error" is the router's, for what a handler throws. */
export type HandlerOutcome = Exclude<Outcome, "error">;

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
  /** Up to `max` articles closest to a question, for an abstention to point somewhere. */
  readonly suggestArticles: (question: string, max: number) => ArticleSuggestion[];
}

/**
 * A button handler, found by the start of the button's custom_id: `prefix` is
 * `<command name>:<action>` and the custom_id is `prefix` or `prefix:<arguments>`.
 */
export interface ComponentHandler {
  readonly prefix: string;
  handle(interaction: ButtonInteraction, ctx: CommandContext): Promise<HandlerOutcome>;
}

/** One slash command: its registration payload and its handlers. */
export interface Command {
  /** What `deploy` registers; `data.name` is the command's file name. */
  readonly data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<HandlerOutcome>;
  /** Answers the options declared with `autocomplete: true`. */
  autocomplete?(interaction: AutocompleteInteraction, ctx: CommandContext): Promise<void>;
  /** The buttons this command's replies carry. */
  readonly components?: readonly ComponentHandler[];
}
