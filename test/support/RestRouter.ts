/**
 * The HTTP half of the fake Discord server: each request is recorded, then answered by an
 * injected failure (`FakeDiscord.failNext`), by Discord's 401 without the bot's token, or by the
 * route that knows its path. The gateway, user, application and guild routes are here; the
 * commands, interactions and channels each have their own module.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ChannelRoutes } from "./ChannelRoutes.js";
import type { CommandRegistry } from "./CommandRegistry.js";
import type { DiscordModel } from "./DiscordModel.js";
import { hasOversizedFile } from "./discordLimits.js";
import { buildMember, type FakeGuild } from "./fakeDiscordPayloads.js";
import type { FailOptions, RecordedRequest, RequestMatch } from "./fakeDiscordTypes.js";
import type { InteractionRoutes } from "./InteractionRoutes.js";
import {
  errors,
  failureReply,
  type Json,
  matches,
  ok,
  type Reply,
  readRequest,
} from "./restReplies.js";

interface FailureRule {
  match: RequestMatch;
  status: number;
  remaining: number;
  options: FailOptions;
}

/** A request held before it is answered: for `delayMs`, or until the client gives up (hang). */
interface HoldRule {
  match: RequestMatch;
  remaining: number;
  /** Undefined: never answered (the client must time out). */
  delayMs: number | undefined;
}

export interface RestRoutes {
  readonly model: DiscordModel;
  readonly commands: CommandRegistry;
  readonly interactions: InteractionRoutes;
  readonly channels: ChannelRoutes;
}

export interface RestOptions {
  /** What GET /gateway and /gateway/bot answer. */
  readonly gatewayUrl: string;
  /** When not empty, bot routes need `Bot <token>`. */
  readonly token: string;
  /** Where each request is recorded, in order of arrival. */
  readonly requests: RecordedRequest[];
  /** Called after every request answered. */
  changed(): void;
}

export class RestRouter {
  private readonly failures: FailureRule[] = [];
  private readonly holds: HoldRule[] = [];
  private readonly held = new Set<() => void>();

  constructor(
    private readonly routes: RestRoutes,
    private readonly options: RestOptions,
  ) {}

  /** Makes the next `options.times` (default 1) requests that match fail with `status`. */
  failNext(match: RequestMatch, status: number, options: FailOptions = {}): void {
    this.failures.push({ match, status, remaining: options.times ?? 1, options });
  }

  /**
   * Holds the next `times` (default 1) matching requests `delayMs` before routing them, as a
   * slow network would (Discord's deadlines count when the request is routed).
   */
  delayNext(match: RequestMatch, delayMs: number, times = 1): void {
    this.holds.push({ match, remaining: times, delayMs });
  }

  /** Never answers the next `times` (default 1) matching requests: the client must give up. */
  hangNext(match: RequestMatch, times = 1): void {
    this.holds.push({ match, remaining: times, delayMs: undefined });
  }

  /** Ends every held request's wait (the fake is stopping); hung requests stay unanswered. */
  releaseHeld(): void {
    for (const release of [...this.held]) release();
  }

  /** Records a request and answers it. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { requests } = this.options;
    const { request, api } = await readRequest(req, requests.length);
    requests.push(request);
    const hold = this.holds.find((r) => r.remaining > 0 && matches(request, r.match));
    if (hold) {
      hold.remaining -= 1;
      request.injected = true;
      // Waits on "this request arrived" must not wait for its answer.
      this.options.changed();
      const gaveUp = await this.hold(res, hold.delayMs);
      if (gaveUp) {
        request.abandoned = true;
        request.answeredAt = Date.now();
        this.options.changed();
        return;
      }
    }
    let reply: Reply;
    try {
      const rule = this.failures.find((r) => r.remaining > 0 && matches(request, r.match));
      if (rule) {
        rule.remaining -= 1;
        request.injected = true;
        reply = failureReply(rule.status, rule.options);
      } else if (!api) {
        reply = errors.notFound();
      } else if (!this.authorized(request)) {
        request.handled = true;
        reply = errors.unauthorized();
      } else if (hasOversizedFile(request.files)) {
        // Discord refuses the whole request before reading what it is for.
        request.handled = true;
        reply = errors.tooLarge();
      } else {
        const routed = this.route(request);
        request.handled = routed !== undefined;
        reply = routed ?? errors.notFound();
      }
    } catch (cause) {
      reply = { status: 500, body: { message: `fakeDiscord: ${String(cause)}`, code: 0 } };
    }
    request.status = reply.status;
    request.responseBody = reply.body;
    request.answeredAt = Date.now();
    const headers: Record<string, string> = { ...reply.headers };
    if (reply.body !== undefined) headers["Content-Type"] = "application/json";
    res.writeHead(reply.status, headers);
    res.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
    this.options.changed();
  }

  /**
   * Waits `delayMs` (forever when undefined) or until the client closes the request.
   * @returns true when the client gave up first
   */
  private hold(res: ServerResponse, delayMs: number | undefined): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const settle = (gaveUp: boolean) => {
        clearTimeout(timer);
        res.off("close", onClose);
        this.held.delete(release);
        resolve(gaveUp);
      };
      const onClose = () => settle(true);
      const release = () => settle(delayMs === undefined);
      res.on("close", onClose);
      this.held.add(release);
      if (delayMs !== undefined) timer = setTimeout(() => settle(false), delayMs);
    });
  }

  /** With a token, bot routes need `Bot <token>`; interaction routes need none. */
  private authorized(request: RecordedRequest): boolean {
    if (!this.options.token) return true;
    if (request.path.startsWith("/interactions/") || request.path.startsWith("/webhooks/")) {
      return true;
    }
    return request.authorization === `Bot ${this.options.token}`;
  }

  private route(r: RecordedRequest): Reply | undefined {
    const { model } = this.routes;
    const { method, path } = r;
    const { gatewayUrl } = this.options;
    if (method === "GET" && path === "/gateway") return ok({ url: gatewayUrl });
    if (method === "GET" && path === "/gateway/bot") {
      return ok({
        url: gatewayUrl,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
      });
    }
    if (method === "GET" && path === "/users/@me") return ok(model.botUser);
    if (method === "GET" && (path === "/applications/@me" || path === "/oauth2/applications/@me")) {
      return ok(this.applicationObject());
    }
    const user = /^\/users\/(\d+)$/.exec(path);
    if (user && method === "GET") {
      const found = model.users.get(user[1] ?? "");
      return found ? ok(found) : errors.unknownUser();
    }
    const commands = /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands(?:\/(\d+))?$/.exec(path);
    if (commands) {
      const [, appId, guildId, commandId] = commands;
      if (appId !== model.applicationId) return errors.unknownApplication();
      if (guildId && !model.guilds.some((g) => g.id === guildId)) return errors.unknownGuild();
      return this.routes.commands.route(method, guildId, commandId, r.body);
    }
    const callback = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path);
    if (callback && method === "POST") {
      return this.routes.interactions.callback(r, callback[1] ?? "", callback[2] ?? "");
    }
    const webhook = /^\/webhooks\/(\d+)\/([^/]+)(?:\/messages\/(@original|\d+))?$/.exec(path);
    if (webhook) {
      return this.routes.interactions.webhook(r, webhook[1] ?? "", webhook[2] ?? "", webhook[3]);
    }
    const channel = /^\/channels\/(\d+)(\/.*)?$/.exec(path);
    if (channel) {
      const found = model.channels.get(channel[1] ?? "");
      if (!found) return errors.unknownChannel();
      return this.routes.channels.route(r, found, channel[2] ?? "");
    }
    const guild = /^\/guilds\/(\d+)(\/.*)?$/.exec(path);
    if (guild && method === "GET") {
      const found = model.guilds.find((g) => g.id === guild[1]);
      if (!found) return errors.unknownGuild();
      return this.guildRoute(found, guild[2] ?? "");
    }
    return undefined;
  }

  private applicationObject(): Json {
    const { model } = this.routes;
    return {
      id: model.applicationId,
      name: model.botUser.username,
      icon: null,
      description: "",
      summary: "",
      type: null,
      bot_public: false,
      bot_require_code_grant: false,
      verify_key: "0".repeat(64),
      flags: 0,
      owner: model.users.get(model.guild.ownerId),
      team: null,
      bot: model.botUser,
      tags: [],
      install_params: null,
      approximate_guild_count: model.guilds.length,
    };
  }

  private guildRoute(guild: FakeGuild, rest: string): Reply | undefined {
    const { model } = this.routes;
    const full = model.guildCreate(guild);
    if (rest === "") {
      const { channels: _channels, members: _members, ...withoutLists } = full;
      return ok(withoutLists);
    }
    if (rest === "/channels") return ok(full.channels);
    if (rest === "/roles") return ok(full.roles);
    const member = /^\/members\/(\d+)$/.exec(rest);
    if (member) {
      const user = model.users.get(member[1] ?? "");
      if (!user) return errors.unknownMember();
      return ok(buildMember(user, user.id === model.botUser.id ? [guild.roles.bot] : []));
    }
    return undefined;
  }
}
