/**
 * The application commands the bot registers with the fake (global or per guild), behind the
 * REST routes `/applications/{app}[/guilds/{guild}]/commands[/{id}]`.
 */
import { type APIApplicationCommand, ApplicationCommandType } from "discord.js";
import { checkCommands, invalidFormBody } from "./discordLimits.js";
import { snowflake } from "./fakeDiscordPayloads.js";
import { errors, isObject, type Json, noContent, ok, type Reply } from "./restReplies.js";

const GLOBAL = "global";

export class CommandRegistry {
  private readonly scopes = new Map<string, APIApplicationCommand[]>();

  constructor(private readonly applicationId: string) {}

  /** The commands of a guild, or the global ones without `guildId`. */
  list(guildId?: string): APIApplicationCommand[] {
    return structuredClone(this.scopes.get(guildId ?? GLOBAL) ?? []);
  }

  /** The command a user would run in `guildId`: the guild's own first, then the global one. */
  find(
    name: string,
    type: ApplicationCommandType,
    guildId: string,
  ): APIApplicationCommand | undefined {
    for (const scope of [guildId, GLOBAL]) {
      const found = this.scopes
        .get(scope)
        ?.find((c) => c.name === name && (c.type ?? ApplicationCommandType.ChatInput) === type);
      if (found) return found;
    }
    return undefined;
  }

  /** Answers a commands route; undefined for a method the route does not have. */
  route(
    method: string,
    guildId: string | undefined,
    commandId: string | undefined,
    body: unknown,
  ): Reply | undefined {
    const scope = guildId ?? GLOBAL;
    const list = this.scopes.get(scope) ?? [];
    const sameAs = (b: Json) => (c: APIApplicationCommand) =>
      c.name === b.name && c.type === (b.type ?? ApplicationCommandType.ChatInput);

    if (!commandId) {
      if (method === "GET") return ok(list);
      if (method === "PUT") {
        const violations = checkCommands(body);
        if (violations.length) return { status: 400, body: invalidFormBody(violations) };
        const next = (body as Json[]).map((b) =>
          this.toCommand(b, guildId, list.find(sameAs(b))?.id),
        );
        this.scopes.set(scope, next);
        return ok(next);
      }
      if (method === "POST" && isObject(body)) {
        const violations = checkCommands([body]);
        if (violations.length) return { status: 400, body: invalidFormBody(violations) };
        const existing = list.find(sameAs(body));
        const command = this.toCommand(body, guildId, existing?.id);
        this.scopes.set(scope, [...list.filter((c) => c !== existing), command]);
        return { status: existing ? 200 : 201, body: command };
      }
      return undefined;
    }
    const existing = list.find((c) => c.id === commandId);
    if (!existing) return errors.unknownCommand();
    if (method === "GET") return ok(existing);
    if (method === "DELETE") {
      this.scopes.set(
        scope,
        list.filter((c) => c !== existing),
      );
      return noContent;
    }
    if (method === "PATCH" && isObject(body)) {
      const command = this.toCommand({ ...existing, ...body }, guildId, existing.id);
      this.scopes.set(
        scope,
        list.map((c) => (c === existing ? command : c)),
      );
      return ok(command);
    }
    return undefined;
  }

  /** The command as Discord stores it: the body plus id, version and defaults. */
  private toCommand(body: Json, guildId: string | undefined, id?: string): APIApplicationCommand {
    return {
      type: ApplicationCommandType.ChatInput,
      description: "",
      default_member_permissions: null,
      nsfw: false,
      integration_types: [0],
      contexts: null,
      ...body,
      id: id ?? snowflake(),
      application_id: this.applicationId,
      version: snowflake(),
      ...(guildId ? { guild_id: guildId } : {}),
    } as APIApplicationCommand;
  }
}
