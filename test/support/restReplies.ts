/**
 * The HTTP side of the fake Discord server: reading and recording requests, Discord's error
 * answers, and the injected failures of `FakeDiscord.failNext`.
 */
import type { IncomingMessage } from "node:http";
import type { DiscordErrorBody } from "./discordLimits.js";
import type {
  FailOptions,
  RecordedFile,
  RecordedRequest,
  RequestPredicate,
} from "./fakeDiscordTypes.js";

/** What a route answers; a body means JSON. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function ok(body: unknown): Reply {
  return { status: 200, body };
}

export const noContent: Reply = { status: 204 };

export function error(status: number, code: number, message: string): Reply {
  return { status, body: { code, message } satisfies DiscordErrorBody };
}

/** Discord's answers for what does not exist or is not allowed, with their JSON codes. */
export const errors = {
  notFound: () => error(404, 0, "404: Not Found"),
  unauthorized: () => error(401, 0, "401: Unauthorized"),
  unknownApplication: () => error(404, 10002, "Unknown Application"),
  unknownChannel: () => error(404, 10003, "Unknown Channel"),
  unknownGuild: () => error(404, 10004, "Unknown Guild"),
  unknownMember: () => error(404, 10007, "Unknown Member"),
  unknownMessage: () => error(404, 10008, "Unknown Message"),
  unknownUser: () => error(404, 10013, "Unknown User"),
  unknownWebhook: () => error(404, 10015, "Unknown Webhook"),
  unknownInteraction: () => error(404, 10062, "Unknown interaction"),
  unknownCommand: () => error(404, 10063, "Unknown application command"),
  acknowledged: () => error(400, 40060, "Interaction has already been acknowledged."),
  emptyMessage: () => error(400, 50006, "Cannot send an empty message"),
  notAuthor: () => error(403, 50005, "Cannot edit a message authored by another user"),
  missingPermissions: () => error(403, 50013, "Missing Permissions"),
  threadExists: () => error(400, 160004, "A thread has already been created for this message"),
  tooLarge: () => error(413, 40005, "Request entity too large"),
};

export function matches(request: RecordedRequest, predicate: RequestPredicate): boolean {
  if (typeof predicate === "function") return predicate(request);
  if (predicate.method && predicate.method.toUpperCase() !== request.method) return false;
  if (predicate.pathPrefix && !request.path.startsWith(predicate.pathPrefix)) return false;
  if (typeof predicate.path === "string" && predicate.path !== request.path) return false;
  if (predicate.path instanceof RegExp && !predicate.path.test(request.path)) return false;
  return true;
}

/**
 * Reads a request into a record (status still 0); its path loses the `/api/v10` prefix.
 * @returns the record, and whether the path was under `/api` at all
 */
export async function readRequest(
  req: IncomingMessage,
  index: number,
): Promise<{ request: RecordedRequest; api: boolean }> {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const { body, files } = await parseBody(Buffer.concat(chunks), req.headers["content-type"]);
  const api = /^\/api(?:\/v\d+)?(\/.*)?$/.exec(url.pathname);
  const raw = api ? (api[1] ?? "/") : url.pathname;
  let path = raw;
  try {
    path = decodeURIComponent(raw);
  } catch {
    // keep the raw path: a test will see it in `unhandledRequests`
  }
  const request: RecordedRequest = {
    index,
    method: (req.method ?? "GET").toUpperCase(),
    path,
    query: Object.fromEntries(url.searchParams),
    headers: req.headers,
    authorization: req.headers.authorization,
    body,
    files,
    status: 0,
    responseBody: undefined,
    handled: false,
    injected: false,
    receivedAt: Date.now(),
  };
  return { request, api: api !== null };
}

async function parseBody(
  raw: Buffer,
  contentType: string | undefined,
): Promise<{ body: unknown; files: RecordedFile[] }> {
  if (raw.length === 0) return { body: undefined, files: [] };
  if (contentType?.startsWith("multipart/form-data")) {
    const form = await new Response(raw, { headers: { "content-type": contentType } })
      .formData()
      .catch(() => new FormData());
    const files: RecordedFile[] = [];
    let body: unknown;
    for (const [field, value] of form.entries()) {
      if (typeof value === "string") {
        if (field === "payload_json") body = parseJson(value);
      } else {
        const data = Buffer.from(await value.arrayBuffer());
        files.push({ field, name: value.name, size: value.size, contentType: value.type, data });
      }
    }
    return { body, files };
  }
  return { body: parseJson(raw.toString("utf8")), files: [] };
}

/** JSON, or the text itself when it is not JSON (the route then sees no object). */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The answer of an injected failure. A 429 carries what discord.js reads to wait and retry:
 * `Retry-After` (seconds), `X-RateLimit-*` headers and `{ message, retry_after, global }`.
 */
export function failureReply(status: number, options: FailOptions): Reply {
  if (status !== 429) {
    return {
      status,
      body: options.body ?? { message: `${status}: fakeDiscord failNext`, code: 0 },
    };
  }
  const retryAfter = options.retryAfter ?? 0.2;
  const headers: Record<string, string> = {
    "Retry-After": String(retryAfter),
    "X-RateLimit-Limit": "1",
    "X-RateLimit-Remaining": "0",
    "X-RateLimit-Reset-After": String(retryAfter),
    "X-RateLimit-Reset": String(Date.now() / 1000 + retryAfter),
    "X-RateLimit-Scope": options.scope ?? (options.global ? "global" : "user"),
  };
  if (options.global) headers["X-RateLimit-Global"] = "true";
  const body = options.body ?? {
    message: "You are being rate limited.",
    retry_after: retryAfter,
    global: options.global ?? false,
  };
  return { status, headers, body };
}
