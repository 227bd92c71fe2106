/**
 * `npm run deploy-commands`: registers the slash and context-menu commands with Discord, from
 * the same loader the bot uses, so the list is never kept twice. One bulk PUT replaces the whole
 * set: in DISCORD_GUILD_ID when it is set (instant, for development), else globally.
 *
 * Prints one line and exits 0, or one line naming the HTTP status and Discord's message and
 * exits 1.
 */
import { DiscordAPIError, HTTPError, REST, Routes } from "discord.js";
import { type Config, ConfigError, loadConfig } from "./config.js";
import { loadCommands } from "./discord/loader.js";
import { redact } from "./log.js";

/** What one bulk PUT sends: every command's JSON payload, from the bot's own loader. */
async function commandPayloads(): Promise<{ names: string[]; body: unknown[] }> {
  const commands = await loadCommands();
  return {
    names: commands.map((command) => command.data.name),
    body: commands.map((command) => command.data),
  };
}

/** One line for a failed request: status, Discord's message, and what to check. */
function describeFailure(error: unknown, config: Config): string {
  let what: string;
  if (error instanceof DiscordAPIError) {
    what = `Discord answered ${error.status}: ${error.message}`;
    if (error.status === 401) what += " (check DISCORD_TOKEN)";
    else if (error.status === 403 || error.status === 404) {
      what +=
        " (check DISCORD_APPLICATION_ID, and DISCORD_GUILD_ID: the bot must be in that guild)";
    }
  } else if (error instanceof HTTPError) {
    what = `Discord answered ${error.status}: ${error.message}`;
  } else if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : "";
    what = `could not reach ${config.discord.apiUrl}: ${error.message}${cause}`;
  } else {
    what = String(error);
  }
  // Discord's form errors span lines; keep the one-line promise.
  return redact(`deploy-commands: ${what}`, [config.discord.token]).replace(/\s*\n\s*/g, "; ");
}

async function main(): Promise<number> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const { applicationId, guildId, token, apiUrl } = config.discord;
  let payloads: Awaited<ReturnType<typeof commandPayloads>>;
  try {
    payloads = await commandPayloads();
  } catch (error) {
    // The loader's messages name the file and the problem ("loader: commands/x.ts: ...").
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  const { names, body } = payloads;
  const rest = new REST({ api: apiUrl }).setToken(token);
  const route =
    guildId === undefined
      ? Routes.applicationCommands(applicationId)
      : Routes.applicationGuildCommands(applicationId, guildId);
  try {
    await rest.put(route, { body });
  } catch (error) {
    process.stderr.write(`${describeFailure(error, config)}\n`);
    return 1;
  }
  const count = names.length === 1 ? "1 command" : `${names.length} commands`;
  const list = names.length > 0 ? ` (${names.join(", ")})` : "";
  const where =
    guildId === undefined
      ? "globally; global commands can take up to an hour to appear"
      : `in guild ${guildId}`;
  process.stdout.write(`deploy-commands: registered ${count}${list} ${where}\n`);
  return 0;
}

process.exitCode = await main();
