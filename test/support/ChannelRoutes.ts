/**
 * The REST routes under `/channels/{channel}` of the fake Discord server: the channel itself,
 * typing, its messages (list, post, get, edit, delete, reactions), its pins and the public
 * threads started from its messages, with the checks Discord makes on what the bot posts
 * (`discordLimits.ts`) and on the threads it starts (name, permission, one thread a message).
 */
import { GatewayDispatchEvents, MessageFlags, PermissionFlagsBits } from "discord.js";
import { applyEdit, type DiscordModel } from "./DiscordModel.js";
import {
  checkMessageBody,
  checkThreadBody,
  invalidFormBody,
  isEmptyMessage,
} from "./discordLimits.js";
import type { FakeGateway } from "./FakeGateway.js";
import {
  botPermissionsIn,
  buildAttachments,
  buildMessage,
  buildThreadChannel,
  type FakeChannel,
} from "./fakeDiscordPayloads.js";
import type { MessageBody, RecordedRequest } from "./fakeDiscordTypes.js";
import { errors, isObject, noContent, ok, type Reply } from "./restReplies.js";

export class ChannelRoutes {
  /** @param apiUrl - where the bot's attachments are served from */
  constructor(
    private readonly model: DiscordModel,
    private readonly gateway: FakeGateway,
    private readonly apiUrl: string,
  ) {}

  /** Answers `/channels/{channel}{rest}`; undefined for a route it does not have. */
  route(r: RecordedRequest, channel: FakeChannel, rest: string): Reply | undefined {
    const { method } = r;
    if (rest === "" && method === "GET") return ok(this.model.channelPayload(channel));
    if (rest === "/typing" && method === "POST") return noContent;
    if (rest === "/messages" && method === "GET") {
      const limit = Number(r.query.limit ?? 50);
      return ok(this.model.messagesIn(channel.id).reverse().slice(0, limit));
    }
    if (rest === "/messages" && method === "POST") return this.postMessage(r, channel);
    if ((rest === "/pins" || rest === "/messages/pins") && method === "GET") {
      const pinned = this.model.pinnedIn(channel.id).flatMap((id) => this.model.message(id) ?? []);
      if (rest === "/pins") return ok(pinned);
      const items = pinned.map((message) => ({ pinned_at: new Date().toISOString(), message }));
      return ok({ items, has_more: false });
    }
    const pin = /^\/(?:messages\/)?pins\/(\d+)$/.exec(rest);
    if (pin && (method === "PUT" || method === "DELETE")) {
      return this.pin(method, channel, pin[1] ?? "");
    }
    const thread = /^\/messages\/(\d+)\/threads$/.exec(rest);
    if (thread && method === "POST") return this.startThread(r, channel, thread[1] ?? "");
    const single = /^\/messages\/(\d+)(\/reactions\/[^/]+\/[^/]+)?$/.exec(rest);
    if (!single) return undefined;
    const message = this.model.messages.get(single[1] ?? "");
    if (!message || message.channel_id !== channel.id) return errors.unknownMessage();
    if (single[2]) return method === "PUT" || method === "DELETE" ? noContent : undefined;
    if (method === "GET") return ok(message);
    if (method === "DELETE") {
      this.model.messages.delete(message.id);
      return noContent;
    }
    if (method === "PATCH") {
      if (message.author.id !== this.model.botUser.id) return errors.notAuthor();
      const body = (isObject(r.body) ? r.body : {}) as MessageBody;
      const violations = checkMessageBody(body);
      if (violations.length) return { status: 400, body: invalidFormBody(violations) };
      applyEdit(message, body);
      return ok(message);
    }
    return undefined;
  }

  /**
   * The bot starts a public thread from a message: it gets the message's id, the message is
   * flagged HAS_THREAD and carries it, and THREAD_CREATE goes out on the gateway.
   */
  private startThread(r: RecordedRequest, channel: FakeChannel, messageId: string): Reply {
    if (channel.kind === "thread" || channel.kind === "forum") {
      return { status: 400, body: { message: "Cannot start a thread here", code: 50024 } };
    }
    const message = this.model.messages.get(messageId);
    if (!message || message.channel_id !== channel.id) return errors.unknownMessage();
    const permissions = BigInt(botPermissionsIn(channel));
    if (!(permissions & PermissionFlagsBits.CreatePublicThreads)) {
      return errors.missingPermissions();
    }
    const body = isObject(r.body) ? r.body : {};
    const violations = checkThreadBody(body);
    if (violations.length) return { status: 400, body: invalidFormBody(violations) };
    if (this.model.channels.has(message.id)) return errors.threadExists();
    const created = this.model.addThread(channel, {
      id: message.id,
      name: String(body.name),
      ownerId: this.model.botUser.id,
    });
    const payload = buildThreadChannel(created);
    message.flags = (message.flags ?? 0) | MessageFlags.HasThread;
    message.thread = payload;
    this.gateway.dispatch(GatewayDispatchEvents.ThreadCreate, { ...payload, newly_created: true });
    return { status: 201, body: payload };
  }

  private postMessage(r: RecordedRequest, channel: FakeChannel): Reply {
    if (channel.kind === "forum") {
      // A forum takes posts (threads), not messages.
      return { status: 400, body: { message: "Cannot send messages in a forum", code: 50008 } };
    }
    const body = (isObject(r.body) ? r.body : {}) as MessageBody;
    const violations = checkMessageBody(body);
    if (violations.length) return { status: 400, body: invalidFormBody(violations) };
    if (isEmptyMessage(body, r.files.length)) return errors.emptyMessage();
    const refId = body.message_reference?.message_id;
    const referenced = refId ? this.model.messages.get(refId) : undefined;
    if (refId && !referenced && body.message_reference?.fail_if_not_exists !== false) {
      return {
        status: 400,
        body: invalidFormBody([
          {
            path: "message_reference",
            code: "REPLIES_UNKNOWN_MESSAGE",
            message: "Unknown message",
          },
        ]),
      };
    }
    const message = buildMessage({
      channelId: channel.id,
      author: this.model.botUser,
      content: body.content ?? "",
      embeds: body.embeds ?? [],
      components: body.components ?? [],
      attachments: buildAttachments(r.files, this.apiUrl, channel.id, this.model.attachments),
      flags: body.flags ?? 0,
      ...(referenced ? this.model.replyFields(referenced, channel.guildId) : {}),
    });
    this.model.messages.set(message.id, message);
    this.gateway.echo(message, channel.guildId);
    return ok(message);
  }

  private pin(method: "PUT" | "DELETE", channel: FakeChannel, messageId: string): Reply {
    const message = this.model.messages.get(messageId);
    if (!message || message.channel_id !== channel.id) return errors.unknownMessage();
    const others = (this.model.pins.get(channel.id) ?? []).filter((id) => id !== message.id);
    message.pinned = method === "PUT";
    this.model.pins.set(channel.id, message.pinned ? [message.id, ...others] : others);
    return noContent;
  }
}
