/**
 * Registers the slash and context-menu commands with Discord, from the same loader the bot uses,
 * so the list is never kept twice. One bulk PUT replaces the whole set: in the guild when one is
 * given (instant, for development), else globally. `src/deploy.ts` is the command line around it.
 */
import { DiscordAPIError, HTTPError, REST, Routes } from "discord.js";
import type { Config } from "../../config.js";
import { redact } from "../../log.js";
import { CONNECT_TIMEOUT_MS, ConnectTimeoutError } from "./connectTimeout.js";
import { loadCommands } from "./loader.js";

/** Where and as whom to register: the `discord` part of the configuration. */
export type DeployTarget = Pick<
  Config["discord"],
  "applicationId" | "guildId" | "token" | "apiUrl"
>;

/** What one deploy registered. */
export interface DeployedCommands {
  /** The registered commands' names, in the loader's order. */
  readonly names: readonly string[];
  /** The guild they were registered in, or undefined for global commands. */
  readonly guildId: string | undefined;
}

/**
 * Discord refused the bulk PUT, or could not be reached. `cause` is what discord.js threw
 * (`DiscordAPIError`, `HTTPError`, or a network error).
 */
export class CommandRegistrationError extends Error {
  /** @param cause - what the PUT threw */
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = "CommandRegistrationError";
  }
}

/**
 * Loads every command with {@link loadCommands} and registers them with one bulk PUT, replacing
 * the set already registered there.
 *
 * @param target - the application, the optional guild, the token and the REST base URL
 * @param timeoutMs - how long the PUT may take, retries included
 * @returns the names registered and where
 * @throws Error `loader: ...` when a command file does not load (from {@link loadCommands})
 * @throws {@link CommandRegistrationError} when the PUT fails
 */
export async function deployCommands(
  target: DeployTarget,
  timeoutMs: number = CONNECT_TIMEOUT_MS,
): Promise<DeployedCommands> {
  const commands = await loadCommands();
  const names = commands.map((command) => command.data.name);
  const body = commands.map((command) => command.data);
  const { applicationId, guildId, token, apiUrl } = target;
  const rest = new REST({ api: apiUrl }).setToken(token);
  const route =
    guildId === undefined
      ? Routes.applicationCommands(applicationId)
      : Routes.applicationGuildCommands(applicationId, guildId);
  const deadline = AbortSignal.timeout(timeoutMs);
  try {
    await rest.put(route, { body, signal: deadline });
  } catch (error) {
    throw new CommandRegistrationError(
      deadline.aborted ? new ConnectTimeoutError(apiUrl, timeoutMs) : error,
    );
  }
  return { names, guildId };
}

/**
 * One line for a failed {@link deployCommands}, without the token. A loader failure keeps the
 * loader's own message, which names the file and the problem (`loader: commands/x.ts: ...`); a
 * failed PUT gives the HTTP status, Discord's message and what to check.
 *
 * @param error - what {@link deployCommands} threw
 * @param target - the target it was given (for the API URL and the token to redact)
 */
export function describeDeployFailure(
  error: unknown,
  target: Pick<DeployTarget, "token" | "apiUrl">,
): string {
  if (!(error instanceof CommandRegistrationError)) {
    return error instanceof Error ? error.message : String(error);
  }
  const failure = error.cause;
  let what: string;
  if (failure instanceof DiscordAPIError) {
    what = `Discord answered ${failure.status}: ${failure.message}`;
    if (failure.status === 401) what += " (check DISCORD_TOKEN)";
    else if (failure.status === 403 || failure.status === 404) {
      what +=
        " (check DISCORD_APPLICATION_ID, and DISCORD_GUILD_ID: the bot must be in that guild)";
    }
  } else if (failure instanceof ConnectTimeoutError) {
    what = failure.message;
  } else if (failure instanceof HTTPError) {
    what = `Discord answered ${failure.status}: ${failure.message}`;
  } else if (failure instanceof Error) {
    const cause = failure.cause instanceof Error ? ` (${failure.cause.message})` : "";
    what = `could not reach ${target.apiUrl}: ${failure.message}${cause}`;
  } else {
    what = String(failure);
  }
  // Discord's form errors span lines; keep the one-line promise.
  return redact(`deploy-commands: ${what}`, [target.token]).replace(/\s*\n\s*/g, "; ");
}
