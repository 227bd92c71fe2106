/**
 * The interactions the fake Discord server dispatched, and the REST routes the bot answers them
 * on: the one callback per interaction (`/interactions/{id}/{token}/callback`), then its webhook
 * (`/webhooks/{app}/{token}`): follow-ups, and getting, editing and deleting `@original` and the
 * follow-ups. Callback types are checked against the kind of interaction, and message bodies
 * and modals against `discordLimits.ts`.
 */
import { type APIMessage, InteractionResponseType, MessageFlags } from "discord.js";
import { applyEdit, type DiscordModel } from "./DiscordModel.js";
import {
  checkAutocompleteChoices,
  checkMessageBody,
  checkModal,
  invalidFormBody,
  isEmptyMessage,
} from "./discordLimits.js";
import type { FakeGateway } from "./FakeGateway.js";
import { buildAttachments, buildMessage } from "./fakeDiscordPayloads.js";
import type { InteractionTally, MessageBody, RecordedRequest } from "./fakeDiscordTypes.js";
import { type InteractionKind, type InteractionState, isLost } from "./InteractionHandle.js";
import { errors, isObject, noContent, ok, type Reply } from "./restReplies.js";

/** The callback types Discord accepts for each kind of interaction. */
const allowedCallbacks: Record<InteractionKind, readonly InteractionResponseType[]> = {
  command: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.Modal,
    InteractionResponseType.PremiumRequired,
    InteractionResponseType.LaunchActivity,
  ],
  autocomplete: [InteractionResponseType.ApplicationCommandAutocompleteResult],
  component: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.DeferredMessageUpdate,
    InteractionResponseType.UpdateMessage,
    InteractionResponseType.Modal,
  ],
  modal: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.DeferredMessageUpdate,
    InteractionResponseType.UpdateMessage,
  ],
};

export class InteractionRoutes {
  private readonly interactions = new Map<string, InteractionState>();
  private readonly byToken = new Map<string, InteractionState>();

  /** @param apiUrl - where the bot's attachments are served from */
  constructor(
    private readonly model: DiscordModel,
    private readonly gateway: FakeGateway,
    private readonly apiUrl: string,
  ) {}

  /** Keeps a dispatched interaction, for the bot to answer through the routes. */
  add(state: InteractionState): void {
    this.interactions.set(state.id, state);
    this.byToken.set(state.token, state);
  }

  /** What became of every interaction dispatched so far, at `now`. */
  tally(now: number): InteractionTally {
    const tally: InteractionTally = {
      sent: 0,
      acknowledgedInTime: 0,
      answered: 0,
      thinking: 0,
      lost: 0,
      pending: 0,
      lateCallbacks: 0,
    };
    for (const state of this.interactions.values()) {
      tally.sent += 1;
      tally.lateCallbacks += state.lateCallbacks;
      if (isLost(state, now)) tally.lost += 1;
      else if (!state.callback) tally.pending += 1;
      else {
        tally.acknowledgedInTime += 1;
        if (this.isThinking(state)) tally.thinking += 1;
        else tally.answered += 1;
      }
    }
    return tally;
  }

  /** Deferred (type 5 or 6) and neither edited nor followed up yet. */
  private isThinking(state: InteractionState): boolean {
    const type = isObject(state.callback?.body) ? state.callback.body.type : undefined;
    const deferred =
      type === InteractionResponseType.DeferredChannelMessageWithSource ||
      type === InteractionResponseType.DeferredMessageUpdate;
    return deferred && state.edits.length === 0 && state.followups.length === 0;
  }

  /** Answers POST `/interactions/{id}/{token}/callback`. */
  callback(r: RecordedRequest, id: string, token: string): Reply {
    const state = this.interactions.get(id);
    if (!state || state.token !== token) return errors.unknownInteraction();
    if (state.callback) return errors.acknowledged();
    // Checked when the request is routed: a request `delayNext` holds reaches Discord late.
    if (state.deadline !== undefined && Date.now() > state.deadline) {
      // Discord forgets an interaction nobody answered within 3 s: the user saw it fail.
      state.lateCallbacks += 1;
      return errors.unknownInteraction();
    }
    const body = isObject(r.body) ? r.body : {};
    const type = body.type as InteractionResponseType;
    const data = (isObject(body.data) ? body.data : {}) as MessageBody;
    if (!allowedCallbacks[state.kind].includes(type)) {
      const message = `Callback type ${String(type)} is not valid for a ${state.kind} interaction`;
      return {
        status: 400,
        body: invalidFormBody([
          { path: "type", code: "INTERACTION_RESPONSE_TYPE_INVALID", message },
        ]),
      };
    }
    const violations =
      type === InteractionResponseType.ApplicationCommandAutocompleteResult
        ? checkAutocompleteChoices(data)
        : type === InteractionResponseType.Modal
          ? checkModal(data)
          : checkMessageBody(data);
    if (violations.length) return { status: 400, body: invalidFormBody(violations, "data") };
    if (
      type === InteractionResponseType.ChannelMessageWithSource &&
      isEmptyMessage(data, r.files.length)
    ) {
      return errors.emptyMessage();
    }

    let message: APIMessage | undefined;
    const componentMessage = state.componentMessageId
      ? this.model.messages.get(state.componentMessageId)
      : undefined;
    switch (type) {
      case InteractionResponseType.ChannelMessageWithSource:
        message = this.createMessage(state, data, r, 0);
        state.originalId = message.id;
        break;
      case InteractionResponseType.DeferredChannelMessageWithSource:
        message = this.createMessage(state, {}, r, MessageFlags.Loading | (data.flags ?? 0));
        state.originalId = message.id;
        break;
      case InteractionResponseType.DeferredMessageUpdate:
        message = componentMessage;
        state.originalId = state.componentMessageId;
        break;
      case InteractionResponseType.UpdateMessage:
        message = componentMessage;
        if (message) applyEdit(message, data);
        state.originalId = state.componentMessageId;
        break;
      default:
        break;
    }
    state.callback = r;
    if (r.query.with_response !== "true") return noContent;
    const flags = message?.flags ?? 0;
    return ok({
      interaction: {
        id: state.id,
        type: state.type,
        ...(message
          ? {
              response_message_id: message.id,
              response_message_loading: (flags & MessageFlags.Loading) !== 0,
              response_message_ephemeral: (flags & MessageFlags.Ephemeral) !== 0,
            }
          : {}),
      },
      resource: { type, ...(message ? { message: structuredClone(message) } : {}) },
    });
  }

  /**
   * Answers `/webhooks/{app}/{token}[/messages/{messageRef}]`: the interaction's follow-ups
   * (POST) and its `@original` or follow-up messages (GET, PATCH, DELETE).
   */
  webhook(
    r: RecordedRequest,
    applicationId: string,
    token: string,
    messageRef: string | undefined,
  ): Reply | undefined {
    const state = applicationId === this.model.applicationId ? this.byToken.get(token) : undefined;
    if (!state) return errors.unknownWebhook();
    const body = (isObject(r.body) ? r.body : {}) as MessageBody;
    if (!messageRef) {
      if (r.method !== "POST") return undefined;
      if (!state.callback) return errors.unknownWebhook();
      const violations = checkMessageBody(body);
      if (violations.length) return { status: 400, body: invalidFormBody(violations) };
      if (isEmptyMessage(body, r.files.length)) return errors.emptyMessage();
      const message = this.createMessage(state, body, r, 0);
      state.followupIds.push(message.id);
      state.followups.push(r);
      return r.query.wait === "true" ? ok(message) : noContent;
    }
    const id = messageRef === "@original" ? state.originalId : messageRef;
    const owned = id !== undefined && (id === state.originalId || state.followupIds.includes(id));
    const message = owned ? this.model.messages.get(id) : undefined;
    if (!message) return errors.unknownMessage();
    if (r.method === "GET") return ok(message);
    if (r.method === "DELETE") {
      this.model.messages.delete(message.id);
      return noContent;
    }
    if (r.method === "PATCH") {
      const violations = checkMessageBody(body);
      if (violations.length) return { status: 400, body: invalidFormBody(violations) };
      applyEdit(message, body);
      this.editAttachments(message, body, r, state.channelId);
      if (message.id === state.originalId) state.edits.push(r);
      return ok(message);
    }
    return undefined;
  }

  /**
   * An edit's attachments, as API v10 has them: a given `attachments` list is every attachment
   * the message keeps (the old ones by id), and the edit's files are added.
   */
  private editAttachments(
    message: APIMessage,
    body: MessageBody,
    r: RecordedRequest,
    channelId: string,
  ): void {
    const listed = Array.isArray(body.attachments) ? (body.attachments as unknown[]) : undefined;
    if (listed === undefined && r.files.length === 0) return;
    const keptIds = new Set(listed?.map((a) => (isObject(a) ? String(a.id) : "")));
    const kept =
      listed === undefined
        ? message.attachments
        : message.attachments.filter((a) => keptIds.has(a.id));
    const added = buildAttachments(r.files, this.apiUrl, channelId, this.model.attachments);
    message.attachments = [...kept, ...added];
  }

  /** Stores the bot's message answering an interaction, and echoes it on the gateway. */
  private createMessage(
    state: InteractionState,
    data: MessageBody,
    r: RecordedRequest,
    extraFlags: number,
  ): APIMessage {
    const message = buildMessage({
      channelId: state.channelId,
      author: this.model.botUser,
      content: data.content ?? "",
      embeds: data.embeds ?? [],
      components: data.components ?? [],
      attachments: buildAttachments(r.files, this.apiUrl, state.channelId, this.model.attachments),
      flags: (data.flags ?? 0) | extraFlags,
      type: state.originalType,
      webhookId: this.model.applicationId,
      applicationId: this.model.applicationId,
      extra: {
        interaction_metadata: {
          id: state.id,
          type: state.type,
          user: state.user,
          authorizing_integration_owners: { "0": state.guildId },
        } as APIMessage["interaction_metadata"],
      },
    });
    this.model.messages.set(message.id, message);
    this.gateway.echo(message, state.guildId);
    return message;
  }
}
