/**
 * `npm run deploy-commands`: registers the slash and context-menu commands with Discord, from
 * the same loader the bot uses, so the list is never kept twice. One bulk PUT replaces the whole
 * set: in DISCORD_GUILD_ID when it is set (instant, for development), else globally. The work is
 * {@link deployCommands} in src/discord/framework/deployCommands.ts; this file is the command
 * line.
 *
 * Prints one line and exits 0, or one line naming the HTTP status and Discord's message and
 * exits 1.
 */
import { loadConfigOrReport } from "./config.js";
import {
  type DeployedCommands,
  deployCommands,
  describeDeployFailure,
} from "./discord/framework/deployCommands.js";

async function main(): Promise<number> {
  const config = loadConfigOrReport();
  if (config === undefined) return 1;
  let deployed: DeployedCommands;
  try {
    deployed = await deployCommands(config.discord);
  } catch (error) {
    process.stderr.write(`${describeDeployFailure(error, config.discord)}\n`);
    return 1;
  }
  const { names, guildId } = deployed;
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
