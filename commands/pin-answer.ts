/**
 * "Pin answer" (Apps → Pin answer, on a message): a moderator pins one of newsdesk's answers,
 * the same as its "📌 Pin answer" button. Shown to members with Manage Messages by default;
 * `moderatorOnly` checks again.
 */
import {
  ApplicationCommandType,
  ContextMenuCommandBuilder,
  InteractionContextType,
} from "discord.js";
import type { MessageCommand } from "../src/discord/framework/command.js";
import { MODERATOR_PERMISSIONS } from "../src/discord/framework/preconditions.js";
import { pinAnswerMessage } from "../src/discord/pins/pinning.js";

const data = new ContextMenuCommandBuilder()
  .setName("Pin answer")
  .setType(ApplicationCommandType.Message)
  .setContexts(InteractionContextType.Guild)
  .setDefaultMemberPermissions(MODERATOR_PERMISSIONS)
  .toJSON();

export default {
  data: { ...data, type: ApplicationCommandType.Message },
  preconditions: { moderatorOnly: true },
  execute: (interaction, ctx) => pinAnswerMessage(interaction, interaction.targetMessage, ctx),
} satisfies MessageCommand;
