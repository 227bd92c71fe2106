/**
 * The one place events reach handlers: slash commands, message context-menu commands,
 * autocomplete, buttons and modal submits (InteractionCreate) and questions in messages
 * (MessageCreate). It holds the bot's only try/catch around handlers: an error is logged with a
 * short reference, and the user gets an ephemeral message carrying that reference instead of
 * "This interaction failed". It logs one line per handled event, with ids, the command, the
 * latency and the outcome; never a user name or message text.
 *
 * It also knows what is in flight, for a graceful stop: once draining, it answers new events with
 * a short "restarting, ask again" (a user prefers that to an interaction that fails in silence)
 * and waits for the events already being handled.
 */
import { randomBytes } from "node:crypto";
import type {
  ButtonInteraction,
  ChatInputCommandInteraction,
  Interaction,
  Message,
  ModalSubmitInteraction,
  RepliableInteraction,
} from "discord.js";
import type { Logger } from "../../log.js";
import { handleMessage, messageQuestion } from "../ask/messageQuestions.js";
import { errorContent, NO_MENTIONS_REPLY } from "../format/format.js";
import { replies } from "../format/replies.js";
import {
  type Command,
  type CommandContext,
  type ComponentHandler,
  type HandlerOutcome,
  isMessageCommand,
  type MessageCommand,
  type ModalHandler,
  type Outcome,
  type SlashCommand,
} from "./command.js";
import { checkPreconditions, mergePreconditions, type Preconditions } from "./preconditions.js";
import { replyPrivately } from "./respond.js";

export interface Router {
  /** Never rejects. */
  onInteraction(interaction: Interaction): Promise<void>;
  /** Never rejects. */
  onMessage(message: Message): Promise<void>;
  /** Events being handled now. */
  readonly inFlight: number;
  /**
   * Stops taking new events (each new one is told newsdesk is restarting) and resolves once those
   * in flight are done, or after `deadlineMs`. Never rejects.
   *
   * The interactions still deferred at the deadline are told to ask again.
   *
   * @returns how many were still unfinished at the deadline (0 when all finished)
   */
  drain(deadlineMs: number): Promise<number>;
}

/** How long the "ask again" edits of the replies still deferred at the drain deadline may take. */
const RELEASE_TIMEOUT_MS = 2_500;

/** What a draining router does with a new event: tells its user to ask again, privately. */
async function turnAway(event: Interaction | Message, log: Logger): Promise<void> {
  try {
    if ("isAutocomplete" in event) {
      if (event.isAutocomplete()) await event.respond([]);
      else if (event.isRepliable()) await replyPrivately(event, replies.restarting);
    } else {
      await event.reply({ content: replies.restarting, allowedMentions: NO_MENTIONS_REPLY });
    }
    log.info({ id: event.id }, "turned away while stopping");
  } catch (error) {
    log.warn({ id: event.id, err: error }, "could not turn away while stopping");
  }
}

/** A short id, to find the logged error from what the user reports. */
export function errorReference(): string {
  return randomBytes(4).toString("hex");
}

/** The handler of a custom_id: the longest prefix that is the id or starts it before a ":". */
function findComponent<T extends ComponentHandler | ModalHandler>(
  handlers: readonly T[],
  customId: string,
): T | undefined {
  let found: T | undefined;
  for (const handler of handlers) {
    const fits = customId === handler.prefix || customId.startsWith(`${handler.prefix}:`);
    if (fits && (!found || handler.prefix.length > found.prefix.length)) found = handler;
  }
  return found;
}

/** What an interaction is, for the log: the command name or the button's or modal's prefix. */
function routeOf(
  interaction: Interaction,
  handlers: readonly ComponentHandler[],
  modals: readonly ModalHandler[],
): { kind: string; command: string } {
  if (interaction.isChatInputCommand()) {
    return { kind: "command", command: interaction.commandName };
  }
  if (interaction.isAutocomplete()) {
    return { kind: "autocomplete", command: interaction.commandName };
  }
  if (interaction.isMessageContextMenuCommand()) {
    return { kind: "menu", command: interaction.commandName };
  }
  if (interaction.isButton()) {
    const handler = findComponent(handlers, interaction.customId);
    return { kind: "button", command: handler?.prefix ?? "unknown" };
  }
  if (interaction.isModalSubmit()) {
    const handler = findComponent(modals, interaction.customId);
    return { kind: "modal", command: handler?.prefix ?? "unknown" };
  }
  return { kind: "other", command: "unknown" };
}

/**
 * @param commands - as loaded by `loadCommands`
 * @param shared - the context every handler gets; its `log` is the bot's, which the router binds
 *   to each event's id and command
 */
export function createRouter(commands: readonly Command[], shared: CommandContext): Router {
  // Discord lets a slash command and a context-menu command share a name: one map each.
  const slash = new Map<string, SlashCommand>();
  const menus = new Map<string, MessageCommand>();
  for (const command of commands) {
    if (isMessageCommand(command)) menus.set(command.data.name, command);
    else slash.set(command.data.name, command);
  }
  const handlers = commands.flatMap((command) => command.components ?? []);
  const modals = commands.flatMap((command) => command.modals ?? []);

  /**
   * Runs `required` for the user of `interaction`; on a refusal, tells them privately and gives
   * the outcome to log, and the handler does not run.
   */
  async function refused(
    interaction: RepliableInteraction,
    required: Preconditions,
  ): Promise<HandlerOutcome | undefined> {
    const refusal = checkPreconditions(
      required,
      {
        userId: interaction.user.id,
        guildId: interaction.guildId,
        permissions: interaction.memberPermissions,
      },
      shared.cooldown,
    );
    if (refusal === undefined) return undefined;
    await replyPrivately(interaction, refusal.content);
    return refusal.outcome;
  }

  async function runSlash(
    interaction: ChatInputCommandInteraction,
    command: SlashCommand,
    ctx: CommandContext,
  ): Promise<HandlerOutcome> {
    if (command.subcommands === undefined) {
      return (
        (await refused(interaction, command.preconditions ?? {})) ??
        command.execute(interaction, ctx)
      );
    }
    const subcommand = command.subcommands[interaction.options.getSubcommand(false) ?? ""];
    if (subcommand === undefined) {
      await replyPrivately(interaction, replies.unknownCommand);
      return "invalid";
    }
    const required = mergePreconditions(command.preconditions, subcommand.preconditions);
    return (await refused(interaction, required)) ?? subcommand.execute(interaction, ctx);
  }

  async function dispatch(
    interaction: Interaction,
    ctx: CommandContext,
  ): Promise<HandlerOutcome | undefined> {
    if (interaction.isChatInputCommand()) {
      const command = slash.get(interaction.commandName);
      if (command) return runSlash(interaction, command, ctx);
      await replyPrivately(interaction, replies.unknownCommand);
      return "invalid";
    }
    if (interaction.isMessageContextMenuCommand()) {
      const command = menus.get(interaction.commandName);
      if (command) {
        return (
          (await refused(interaction, command.preconditions ?? {})) ??
          command.execute(interaction, ctx)
        );
      }
      await replyPrivately(interaction, replies.unknownCommand);
      return "invalid";
    }
    if (interaction.isAutocomplete()) {
      const command = slash.get(interaction.commandName);
      if (command?.autocomplete) {
        await command.autocomplete(interaction, ctx);
        return "ok";
      }
      await interaction.respond([]);
      return "invalid";
    }
    if (interaction.isButton()) {
      const handler = findComponent(handlers, interaction.customId);
      if (handler) {
        return (
          (await refused(interaction, handler.preconditions ?? {})) ??
          handler.handle(interaction as ButtonInteraction, ctx)
        );
      }
      await replyPrivately(interaction, replies.staleButton);
      return "invalid";
    }
    if (interaction.isModalSubmit()) {
      const handler = findComponent(modals, interaction.customId);
      if (handler) {
        return (
          (await refused(interaction, handler.preconditions ?? {})) ??
          handler.handle(interaction as ModalSubmitInteraction, ctx)
        );
      }
      await replyPrivately(interaction, replies.staleModal);
      return "invalid";
    }
    return undefined;
  }

  /** Tells the user something went wrong, with the reference; only logs if that fails too. */
  async function reportError(interaction: Interaction, ref: string, log: Logger): Promise<void> {
    try {
      if (interaction.isAutocomplete()) {
        if (!interaction.responded) await interaction.respond([]);
      } else if (interaction.isRepliable()) {
        await replyPrivately(interaction, errorContent(ref));
      }
    } catch (error) {
      log.warn({ ref, err: error }, "error reply failed");
    }
  }

  /** The work in flight, with its event. */
  const running = new Map<Promise<void>, Interaction | Message>();
  let draining = false;
  /** Runs `work` counted as in flight. */
  const track = (event: Interaction | Message, work: Promise<void>): Promise<void> => {
    running.set(work, event);
    return work.finally(() => running.delete(work));
  };

  /**
   * At the drain deadline: the deferred replies still "thinking" tell their users to ask again,
   * rather than think forever once the bot is gone. Bounded by {@link RELEASE_TIMEOUT_MS}.
   */
  async function releaseDeferred(events: readonly (Interaction | Message)[]): Promise<void> {
    const deferred = events.filter(
      (event): event is RepliableInteraction =>
        "isRepliable" in event && event.isRepliable() && event.deferred && !event.replied,
    );
    const released = Promise.allSettled(
      deferred.map((interaction) =>
        replyPrivately(interaction, replies.restartedBeforeAnswer).catch((error: unknown) => {
          shared.log.warn({ id: interaction.id, err: error }, "could not release a deferred reply");
        }),
      ),
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, RELEASE_TIMEOUT_MS);
    });
    await Promise.race([released, timeout]);
    clearTimeout(timer);
  }

  /**
   * The command an interaction is counted under: a name the bot registered, else "unknown", so
   * that the metrics' series stay a fixed set whatever a client sends.
   */
  const metricName = (kind: string, command: string): string => {
    if (kind === "command") return slash.has(command) ? command : "unknown";
    if (kind === "menu") return menus.has(command) ? command : "unknown";
    return command;
  };

  const router: Router = {
    get inFlight() {
      return running.size;
    },

    async drain(deadlineMs) {
      draining = true;
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<"deadline">((resolve) => {
        timer = setTimeout(resolve, deadlineMs, "deadline");
      });
      // Again and again: a "restarting" reply started while waiting is in flight too.
      while (running.size > 0) {
        const settled = Promise.allSettled([...running.keys()]).then(() => "done" as const);
        if ((await Promise.race([settled, deadline])) === "deadline") break;
      }
      clearTimeout(timer);
      const unfinished = running.size;
      if (unfinished > 0) await releaseDeferred([...running.values()]);
      return unfinished;
    },

    onInteraction(interaction) {
      if (draining) return track(interaction, turnAway(interaction, shared.log));
      return track(interaction, handleInteraction(interaction));
    },

    onMessage(message) {
      if (!draining) return track(message, handleMessageEvent(message));
      // Only messages that ask the bot something are answered at all.
      const asked = messageQuestion(
        message,
        message.client.user.id,
        shared.config.discord.qaChannelIds,
      );
      return asked ? track(message, turnAway(message, shared.log)) : Promise.resolve();
    },
  };
  return router;

  async function handleInteraction(interaction: Interaction): Promise<void> {
    const started = performance.now();
    const { kind, command } = routeOf(interaction, handlers, modals);
    const log = shared.log.child({ id: interaction.id, command });
    let outcome: Outcome | undefined;
    try {
      outcome = await dispatch(interaction, { ...shared, log });
    } catch (error) {
      outcome = "error";
      const ref = errorReference();
      log.error({ ref, kind, err: error }, "handler failed");
      await reportError(interaction, ref, log);
    }
    const elapsedMs = performance.now() - started;
    const line = {
      id: interaction.id,
      kind,
      command,
      guildId: interaction.guildId,
      channelId: interaction.channelId,
      latencyMs: Math.round(elapsedMs),
      outcome: outcome ?? "invalid",
    };
    // Autocomplete runs on every keystroke: an info line each would drown the rest, and its
    // suggestions are no reply to count beside the command's.
    if (kind === "autocomplete") shared.log.debug(line, "interaction");
    else {
      shared.log.info(line, "interaction");
      shared.metrics?.interaction(metricName(kind, command), line.outcome, elapsedMs / 1000);
    }
  }

  async function handleMessageEvent(message: Message): Promise<void> {
    const botUserId = message.client.user.id;
    const asked = messageQuestion(message, botUserId, shared.config.discord.qaChannelIds);
    if (!asked) return;
    const started = performance.now();
    const log = shared.log.child({ id: message.id, command: asked.askedBy });
    let outcome: Outcome;
    try {
      outcome = await handleMessage(message, { ...shared, log }, asked);
    } catch (error) {
      outcome = "error";
      const ref = errorReference();
      log.error({ ref, kind: "message", err: error }, "handler failed");
      try {
        await message.reply({
          content: errorContent(ref),
          allowedMentions: NO_MENTIONS_REPLY,
        });
      } catch (replyError) {
        log.warn({ ref, err: replyError }, "error reply failed");
      }
    }
    const elapsedMs = performance.now() - started;
    shared.log.info(
      {
        id: message.id,
        kind: "message",
        command: asked.askedBy,
        guildId: message.guildId,
        channelId: message.channelId,
        latencyMs: Math.round(elapsedMs),
        outcome,
      },
      "message",
    );
    shared.metrics?.interaction(asked.askedBy, outcome, elapsedMs / 1000);
  }
}
