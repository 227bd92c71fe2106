/**
 * `npm run deploy-commands`: registers the slash and context-menu commands with Discord, from
 * the same loader the bot uses, so the list is never kept twice. One bulk PUT replaces the whole
 * set: in DISCORD_GUILD_ID when it is set (instant, for development), else globally. The work is
 * {@link deployCommands} in src/discord/framework/deployCommands.ts; this file is the command
 * line.
 *
 * Hosts that share a database (DATABASE_URL) may all run it as they start: it runs while
 * holding "deploy-commands" on the database (see `withLeadership`), so two runs never overlap
 * and the last one's set is what stays. A run that waits says so once; after 60 s
 * (`WAIT_FOR_LEAD_MS`) it gives up.
 *
 * Prints one line and exits 0, or one line naming what failed (the database that cannot be
 * opened, the HTTP status and Discord's message, the other run that did not end) and exits 1.
 */
import { loadConfigOrReport, secretsOf } from "./config.js";
import {
  type DeployedCommands,
  deployCommands,
  describeDeployFailure,
} from "./discord/framework/deployCommands.js";
import { createLogger } from "./log.js";
import type { Database } from "./store/database.js";
import { StoreError } from "./store/errors.js";
import { LeadTimeout, withLeadership } from "./store/leadership.js";
import { openDatabase } from "./store/openDatabase.js";

async function main(): Promise<number> {
  const config = loadConfigOrReport();
  if (config === undefined) return 1;
  const log = createLogger({
    level: "warn",
    destination: process.stderr,
    secrets: secretsOf(config),
  });
  let database: Database;
  try {
    database = await openDatabase(config, log);
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
  let deployed: DeployedCommands;
  try {
    deployed = await withLeadership(
      database,
      "deploy-commands",
      () => deployCommands(config.discord),
      {
        onWaiting: () =>
          process.stdout.write(
            "deploy-commands: waiting for another host's deploy-commands to finish\n",
          ),
      },
    );
  } catch (error) {
    process.stderr.write(
      error instanceof LeadTimeout
        ? `deploy-commands: another host's deploy-commands was still running after ${error.waitedMs / 1000} s; try again once it is done\n`
        : `${describeDeployFailure(error, config.discord)}\n`,
    );
    return 1;
  } finally {
    await database.close();
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
