import { once } from "node:events";
import {
  ApplicationCommandType,
  ChannelType,
  Client,
  type ClientOptions,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  HTTPError,
  type Interaction,
  type Message,
  MessageFlags,
  PermissionFlagsBits,
  RESTEvents,
  Routes,
  SlashCommandBuilder,
} from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { loginClient, nextEvent, noIdentifyThrottle } from "./discordClient.js";
import { AttachmentLimits } from "./discordLimits.js";
import {
  FakeDiscord,
  FakePermissions,
  guildShard,
  snowflakeOnShard,
  startTwoShardFake,
} from "./fakeDiscord.js";

const guildIntents = [GatewayIntentBits.Guilds];
const messageIntents = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.MessageContent,
];

const askCommand = new SlashCommandBuilder()
  .setName("ask")
  .setDescription("Ask a question about the news")
  .addStringOption((option) =>
    option
      .setName("question")
      .setDescription("What you want to know")
      .setRequired(true)
      .setAutocomplete(true),
  )
  .addIntegerOption((option) => option.setName("limit").setDescription("How many excerpts"))
  .toJSON();

let cleanups: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function setup(intents = guildIntents, options: Partial<ClientOptions> = {}) {
  const fake = await FakeDiscord.start();
  cleanups.push(() => fake.stop());
  const client = await loginClient(fake, { ...options, intents });
  cleanups.push(() => client.destroy());
  return { fake, client };
}

function withTimeout<T>(promise: Promise<T>, what: string, timeoutMs = 5000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Runs `handler` for every interaction. `failures` keeps what it threw; `firstResult()` and
 * `firstFailure()` resolve with the first value it returned (not undefined) or threw.
 */
function onInteraction(client: Client, handler: (interaction: Interaction) => Promise<unknown>) {
  const failures: unknown[] = [];
  let reportResult: (value: unknown) => void = () => undefined;
  let reportFailure: (cause: unknown) => void = () => undefined;
  const result = new Promise<unknown>((resolve) => {
    reportResult = resolve;
  });
  const failure = new Promise<unknown>((resolve) => {
    reportFailure = resolve;
  });
  client.on(Events.InteractionCreate, (interaction) => {
    handler(interaction).then(
      (value) => {
        if (value !== undefined) reportResult(value);
      },
      (cause: unknown) => {
        failures.push(cause);
        reportFailure(cause);
      },
    );
  });
  return {
    failures,
    firstResult: () => withTimeout(result, "handler result"),
    firstFailure: () => withTimeout(failure, "handler failure"),
  };
}

describe("FakeDiscord with the real discord.js client", () => {
  it("logs the client in: READY, then the guild with its channels in the cache", async () => {
    const { fake, client } = await setup();

    const guild = client.guilds.cache.get(fake.guild.id);
    expect(guild?.available).toBe(true);
    expect(guild?.channels.cache.map((channel) => channel.name)).toEqual(["general", "news"]);
    expect(guild?.members.me?.id).toBe(fake.botUser.id);
    expect(client.user.id).toBe(fake.botUser.id);
    expect(client.application.id).toBe(fake.applicationId);
    expect(fake.identifies).toBe(1);
    expect(fake.requests[0]).toMatchObject({
      method: "GET",
      path: "/gateway/bot",
      authorization: "Bot fake-bot-token",
    });
    expect(fake.unhandledRequests).toEqual([]);
  });

  it("records guild commands set through the REST API", async () => {
    const { fake, client } = await setup();

    await client.application.commands.set([askCommand], fake.guild.id);

    const put = await fake.waitForRequest({ method: "PUT", pathPrefix: "/applications/" });
    expect(put.path).toBe(`/applications/${fake.applicationId}/guilds/${fake.guild.id}/commands`);
    expect(fake.registeredCommands(fake.guild.id).map((command) => command.name)).toEqual(["ask"]);
    expect(fake.registeredCommands()).toEqual([]);
  });

  it("rejects commands Discord would reject (upper-case name) with 50035", async () => {
    const { fake, client } = await setup();

    const result = client.application.commands.set([{ ...askCommand, name: "Ask" }], fake.guild.id);

    await expect(result).rejects.toMatchObject({ code: 50035, status: 400 });
    expect(fake.registeredCommands(fake.guild.id)).toEqual([]);
  });

  it("takes mixed case and spaces in a context-menu command's name, not in a slash command's", async () => {
    const { fake, client } = await setup();
    const menu = { name: "Pin answer", type: ApplicationCommandType.Message } as const;

    await client.application.commands.set([askCommand, menu], fake.guild.id);
    expect(fake.registeredCommands(fake.guild.id).map((command) => command.name)).toEqual([
      "ask",
      "Pin answer",
    ]);
    for (const bad of [
      { ...askCommand, name: "pin answer" },
      { ...menu, name: " Pin answer" },
      { ...menu, name: "x".repeat(33) },
    ]) {
      await expect(client.application.commands.set([bad], fake.guild.id)).rejects.toMatchObject({
        code: 50035,
      });
    }
  });

  it("delivers a slash command and records the reply with its allowed mentions", async () => {
    const { fake, client } = await setup();
    await client.application.commands.set([askCommand], fake.guild.id);
    const seen: { question: string | null; limit: number | null; canManage: boolean }[] = [];
    const { failures } = onInteraction(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      seen.push({
        question: interaction.options.getString("question"),
        limit: interaction.options.getInteger("limit"),
        canManage: interaction.memberPermissions?.has("ManageMessages") ?? false,
      });
      await interaction.reply({ content: "Pong", allowedMentions: { parse: [] } });
    });

    const handle = fake.sendSlashCommand({ name: "ask", options: { question: "who?", limit: 3 } });

    const reply = await handle.final();
    expect(reply.content).toBe("Pong");
    expect(reply.allowed_mentions).toEqual({ parse: [] });
    expect(handle.responseType).toBe(4);
    expect(handle.message()?.content).toBe("Pong");
    expect(seen).toEqual([{ question: "who?", limit: 3, canManage: false }]);
    expect(failures).toEqual([]);
  });

  it("gives moderators MANAGE_MESSAGES and members not", async () => {
    const { fake, client } = await setup();
    const { failures } = onInteraction(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      const canManage = interaction.memberPermissions?.has("ManageMessages") ?? false;
      await interaction.reply({ content: String(canManage) });
    });

    const member = fake.sendSlashCommand({ name: "pin" });
    const moderator = fake.sendSlashCommand({ name: "pin", role: "moderator" });

    expect((await member.final()).content).toBe("false");
    expect((await moderator.final()).content).toBe("true");
    expect(BigInt(FakePermissions.moderator) & 8192n).toBe(8192n);
    expect(failures).toEqual([]);
  });

  it("returns the message when the client asks withResponse", async () => {
    const { fake, client } = await setup();
    const { failures, firstResult } = onInteraction(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      const response = await interaction.reply({ content: "with body", withResponse: true });
      return response.resource?.message?.content;
    });

    const handle = fake.sendSlashCommand({ name: "ask", options: { question: "x" } });

    const callback = await handle.response();
    expect(callback.query.with_response).toBe("true");
    expect(await firstResult()).toBe("with body");
    expect(failures).toEqual([]);
  });

  it("resolves final() with the edit after deferReply()", async () => {
    const { fake, client } = await setup();
    const { failures } = onInteraction(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.deferReply();
      await interaction.editReply({ content: "after thinking", allowedMentions: { parse: [] } });
      await interaction.followUp({ content: "one more thing" });
    });

    const handle = fake.sendSlashCommand({ name: "ask", options: { question: "x" } });

    expect((await handle.final()).content).toBe("after thinking");
    expect(handle.responseType).toBe(5);
    expect((await handle.followup(0)).content).toBe("one more thing");
    expect(handle.message()?.content).toBe("after thinking");
    expect(handle.message()?.flags ?? 0).toBe(0); // the loading flag is gone
    expect(failures).toEqual([]);
  });

  it("updates the message of a button", async () => {
    const { fake, client } = await setup();
    const { failures } = onInteraction(client, async (interaction) => {
      if (!interaction.isButton()) return;
      await interaction.update({ content: `page 2 (${interaction.customId})`, components: [] });
    });
    const original = fake.seedMessage({ fromBot: true, content: "page 1" });

    const handle = fake.sendButton({ customId: "next", message: original });

    expect((await handle.final()).content).toBe("page 2 (next)");
    expect(handle.responseType).toBe(7);
    expect(fake.message(original.id)?.content).toBe("page 2 (next)");
    expect(failures).toEqual([]);
  });

  it("shows a modal from a button, and delivers its submit with the typed values", async () => {
    const { fake, client } = await setup();
    const { failures } = onInteraction(client, async (interaction) => {
      if (interaction.isButton()) {
        await interaction.showModal({
          custom_id: "ask:about:a1",
          title: "Ask about the ferry",
          components: [
            {
              type: 1,
              components: [
                {
                  type: 4,
                  custom_id: "question",
                  label: "Your question",
                  style: 2,
                  max_length: 1000,
                },
              ],
            },
          ],
        });
      } else if (interaction.isModalSubmit()) {
        const question = interaction.fields.getTextInputValue("question");
        await interaction.reply({ content: `${interaction.customId}: ${question}` });
      }
    });
    const original = fake.seedMessage({ fromBot: true, content: "an article" });

    const click = fake.sendButton({ customId: "ask:about:a1", message: original });
    const modal = await click.modal();
    expect(modal).toMatchObject({ custom_id: "ask:about:a1", title: "Ask about the ferry" });
    expect(modal.inputs).toEqual([
      { type: 4, custom_id: "question", label: "Your question", style: 2, max_length: 1000 },
    ]);

    const submit = fake.sendModalSubmit({
      customId: modal.custom_id,
      values: { question: "When does it sail?" },
      message: original,
    });
    expect((await submit.final()).content).toBe("ask:about:a1: When does it sail?");
    expect(submit.payload).toMatchObject({ type: 5, message: { id: original.id } });
    expect(failures).toEqual([]);
  });

  it("rejects a modal over Discord's limits (title, label, rows, max_length) with 50035", async () => {
    const { fake, client } = await setup();
    const input = (id: string, extra: object = {}) => ({
      type: 1,
      components: [{ type: 4, custom_id: id, label: "Question", style: 1, ...extra }],
    });
    const bad = [
      { custom_id: "m", title: "x".repeat(46), components: [input("a")] },
      { custom_id: "m", title: "ok", components: [input("a", { label: "x".repeat(46) })] },
      { custom_id: "m", title: "ok", components: [input("a", { max_length: 4001 })] },
      { custom_id: "m", title: "ok", components: [] },
      {
        custom_id: "m",
        title: "ok",
        components: ["a", "b", "c", "d", "e", "f"].map((id) => input(id)),
      },
      { custom_id: "x".repeat(101), title: "ok", components: [input("a")] },
    ];
    const refused: Promise<unknown>[] = [];
    const clicked = new Promise<void>((resolve) => {
      client.on(Events.InteractionCreate, (interaction) => {
        if (!interaction.isButton()) return;
        const modal = bad[Number(interaction.customId)];
        refused.push(
          interaction.showModal(modal as Parameters<typeof interaction.showModal>[0]).then(
            () => "shown",
            (error: unknown) => error,
          ),
        );
        if (refused.length === bad.length) resolve();
      });
    });

    const handles = bad.map((_, i) => fake.sendButton({ customId: String(i) }));

    await withTimeout(clicked, "clicks");
    for (const failure of await Promise.all(refused)) {
      expect(failure).toBeInstanceOf(DiscordAPIError);
      expect(failure).toMatchObject({ code: 50035, status: 400 });
    }
    expect(handles.map((handle) => handle.responseType)).toEqual(bad.map(() => undefined));
  });

  it("answers autocomplete with choices", async () => {
    const { fake, client } = await setup();
    await client.application.commands.set([askCommand], fake.guild.id);
    const { failures } = onInteraction(client, async (interaction) => {
      if (!interaction.isAutocomplete()) return;
      const focused = interaction.options.getFocused(true);
      await interaction.respond([
        { name: `${focused.name}: ${focused.value}…`, value: "elections" },
      ]);
    });

    const handle = fake.sendAutocomplete({
      name: "ask",
      focused: { name: "question", value: "ele" },
    });

    expect((await handle.final()).choices).toEqual([
      { name: "question: ele…", value: "elections" },
    ]);
    expect(failures).toEqual([]);
  });

  it("runs a message context-menu command on a stored message", async () => {
    const { fake, client } = await setup();
    const { failures } = onInteraction(client, async (interaction) => {
      if (!interaction.isMessageContextMenuCommand()) return;
      await interaction.reply({ content: `target: ${interaction.targetMessage.content}` });
    });
    const target = fake.seedMessage({ content: "Budget passes" });

    const handle = fake.sendMessageContextMenu({ name: "Summarize", targetMessage: target });

    expect((await handle.final()).content).toBe("target: Budget passes");
    expect(failures).toEqual([]);
  });

  it("delivers MESSAGE_CREATE; message.reply() arrives as a channel message", async () => {
    const { fake, client } = await setup(messageIntents);
    const failures: unknown[] = [];
    client.on(Events.MessageCreate, (message: Message) => {
      if (message.author.bot || !message.mentions.has(client.user)) return;
      message
        .reply({ content: `you said: ${message.content}`, allowedMentions: { parse: [] } })
        .catch((cause: unknown) => failures.push(cause));
    });

    const sent = fake.sendMessage({ content: `${fake.botMention} hello` });

    const reply = await sent.reply();
    expect(reply.content).toBe(`you said: ${fake.botMention} hello`);
    expect(reply.allowed_mentions).toEqual({ parse: [] });
    const request = await fake.waitForRequest({ method: "POST", pathPrefix: "/channels/" });
    expect(request.path).toBe(`/channels/${fake.channel.id}/messages`);
    expect(failures).toEqual([]);
  });

  it("withholds message content without the MESSAGE_CONTENT intent", async () => {
    const { fake, client } = await setup([
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMessages,
    ]);
    const received = nextEvent(client, Events.MessageCreate, {
      filter: (message) => !message.author.bot,
    });

    fake.sendMessage({ content: "not for the bot" });

    const [message] = await received;
    expect(message.content).toBe("");
  });

  it("resumes after the server drops the gateway connection (close 4000)", async () => {
    const { fake, client } = await setup();
    const { failures } = onInteraction(client, async (interaction) => {
      if (interaction.isChatInputCommand()) await interaction.reply({ content: "still here" });
    });

    fake.dropGatewayConnection();
    const handle = fake.sendSlashCommand({ name: "ask", options: { question: "x" } });

    expect((await handle.final()).content).toBe("still here");
    expect({ connections: fake.gatewayConnections, resumes: fake.resumes }).toEqual({
      connections: 2,
      resumes: 1,
    });
    expect(fake.identifies).toBe(1);
    expect(failures).toEqual([]);
  });

  it("holds a new connection's HELLO until released: the client stays unconnected, then resumes", async () => {
    const { fake, client } = await setup();
    const { failures } = onInteraction(client, async (interaction) => {
      if (interaction.isChatInputCommand()) await interaction.reply({ content: "back" });
    });

    fake.holdGatewayHello();
    fake.dropGatewayConnection();
    await fake.waitFor(() => fake.gatewayConnections === 2, 5000, "a new connection");
    const handle = fake.sendSlashCommand({ name: "ask", options: { question: "x" } });
    expect(fake.gatewayLive).toBe(false);
    expect(fake.resumes).toBe(0);

    fake.releaseGatewayHello();
    expect((await handle.final()).content).toBe("back");
    expect(fake.resumes).toBe(1);
    expect(failures).toEqual([]);
  });

  it("carries missed events to a new session when the client re-identifies (close 1000)", async () => {
    const { fake, client } = await setup(guildIntents, { ws: noIdentifyThrottle });
    const { failures } = onInteraction(client, async (interaction) => {
      if (interaction.isChatInputCommand()) await interaction.reply({ content: "new session" });
    });

    fake.dropGatewayConnection(1000);
    const handle = fake.sendSlashCommand({ name: "ask", options: { question: "x" } });

    expect((await handle.final()).content).toBe("new session");
    expect({ identifies: fake.identifies, resumes: fake.resumes }).toEqual({
      identifies: 2,
      resumes: 0,
    });
    expect(failures).toEqual([]);
  });

  it("acks heartbeats", async () => {
    const fake = await FakeDiscord.start({ heartbeatIntervalMs: 20 });
    cleanups.push(() => fake.stop());
    const client = await loginClient(fake, { intents: guildIntents });
    cleanups.push(() => client.destroy());

    await fake.waitFor(() => fake.heartbeats >= 2);

    expect(client.ws.ping).toBeGreaterThanOrEqual(0);
  });

  it("a 500 on the callback is retried by discord.js and the reply arrives", async () => {
    const { fake, client } = await setup();
    const { failures } = onInteraction(client, async (interaction) => {
      if (interaction.isChatInputCommand()) await interaction.reply({ content: "retried" });
    });
    fake.failNext({ method: "POST", pathPrefix: "/interactions/" }, 500);

    const handle = fake.sendSlashCommand({ name: "ask", options: { question: "x" } });

    expect((await handle.final()).content).toBe("retried");
    const attempts = fake.requests.filter((r) => r.path.startsWith("/interactions/"));
    expect(attempts.map((r) => r.status)).toEqual([500, 204]);
    expect(failures).toEqual([]);
  });

  it("discord.js gives up after 1 + `retries` (3) attempts of 500 with an HTTPError", async () => {
    const { fake, client } = await setup();
    const { firstFailure } = onInteraction(client, async (interaction) => {
      if (interaction.isChatInputCommand()) await interaction.reply({ content: "lost" });
    });
    fake.failNext({ method: "POST", pathPrefix: "/interactions/" }, 500, { times: 10 });

    fake.sendSlashCommand({ name: "ask", options: { question: "x" } });

    const failure = await firstFailure();
    expect(failure).toBeInstanceOf(HTTPError);
    expect(failure).toMatchObject({ status: 500 });
    const attempts = fake.requests.filter((r) => r.path.startsWith("/interactions/"));
    expect(attempts.map((r) => r.status)).toEqual([500, 500, 500, 500]);
  });

  it("a 429 with Retry-After makes discord.js wait and retry; the reply arrives", async () => {
    const { fake, client } = await setup();
    const debug: string[] = [];
    client.rest.on(RESTEvents.Debug, (line) => debug.push(line));
    const { failures } = onInteraction(client, async (interaction) => {
      if (interaction.isChatInputCommand()) await interaction.reply({ content: "after 429" });
    });
    fake.failNext({ method: "POST", pathPrefix: "/interactions/" }, 429, { retryAfter: 0.2 });

    const handle = fake.sendSlashCommand({ name: "ask", options: { question: "x" } });

    expect((await handle.final()).content).toBe("after 429");
    const attempts = fake.requests.filter((r) => r.path.startsWith("/interactions/"));
    expect(attempts.map((r) => r.status)).toEqual([429, 204]);
    // An unexpected 429 emits no RateLimited event, only this debug line; discord.js waits
    // Retry-After plus its default 50 ms offset.
    expect(debug.join("\n")).toMatch(/unexpected 429 rate limit[\s\S]*Retry After\s*:\s*250ms/);
    expect(failures).toEqual([]);
  });

  it("rejects a reply over Discord's 2000-character limit with 50035", async () => {
    const { fake, client } = await setup();
    const { firstFailure } = onInteraction(client, async (interaction) => {
      if (interaction.isChatInputCommand()) await interaction.reply({ content: "x".repeat(2001) });
    });

    const handle = fake.sendSlashCommand({ name: "ask", options: { question: "x" } });

    const failure = await firstFailure();
    expect(failure).toBeInstanceOf(DiscordAPIError);
    expect(failure).toMatchObject({ code: 50035, status: 400 });
    expect(handle.responseType).toBeUndefined();
  });

  it("types options after the registered command: subcommands, users", async () => {
    const { fake, client } = await setup();
    const pins = new SlashCommandBuilder()
      .setName("pins")
      .setDescription("Pinned articles")
      .addSubcommand((sub) =>
        sub
          .setName("list")
          .setDescription("List the pins of a user")
          .addUserOption((option) => option.setName("who").setDescription("Whose pins"))
          .addNumberOption((option) => option.setName("min").setDescription("Minimum score")),
      );
    await client.application.commands.set([pins.toJSON()], fake.guild.id);
    const { failures, firstResult } = onInteraction(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.reply({ content: "ok" });
      const { options } = interaction;
      return [options.getSubcommand(), options.getUser("who")?.username, options.getNumber("min")];
    });
    const editor = fake.resolveUser({ username: "editor" });

    fake.sendSlashCommand({
      name: "pins",
      subcommand: "list",
      options: { who: editor.id, min: 2 },
    });

    expect(await firstResult()).toEqual(["list", "editor", 2]);
    expect(() =>
      fake.sendSlashCommand({ name: "pins", subcommand: "list", options: { x: 1 } }),
    ).toThrow(/no option "x"/);
    expect(failures).toEqual([]);
  });

  it("records files and the payload_json of multipart bodies", async () => {
    const { fake, client } = await setup();
    const { failures } = onInteraction(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.reply({
        content: "see file",
        files: [{ attachment: Buffer.from("hello"), name: "note.txt" }],
      });
    });

    const handle = fake.sendSlashCommand({ name: "ask" });

    const callback = await handle.response();
    expect(callback.files).toMatchObject([{ name: "note.txt", size: 5 }]);
    expect((await handle.final()).content).toBe("see file");
    expect(handle.message()?.attachments).toMatchObject([{ filename: "note.txt", size: 5 }]);
    expect(failures).toEqual([]);
  });

  it("keeps the bytes of files sent in follow-ups, and refuses a file over 10 MiB with 413", async () => {
    const { fake, client } = await setup();
    // Settles with what the big follow-up threw: waited on, not polled.
    let refusedWith: (error: unknown) => void = () => undefined;
    const refusal = new Promise<unknown>((resolve) => {
      refusedWith = resolve;
    });
    const { failures } = onInteraction(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      await interaction.editReply({ content: "files follow" });
      const csv = Buffer.from('a,b\r\n"é",2\r\n', "utf8");
      await interaction.followUp({ files: [{ attachment: csv, name: "q.csv" }] });
      const big = Buffer.alloc(AttachmentLimits.fileSize + 1, 0x61);
      await interaction
        .followUp({ files: [{ attachment: big, name: "big.csv" }] })
        .then(() => refusedWith(new Error("test: the big file was accepted")), refusedWith);
    });

    const handle = fake.sendSlashCommand({ name: "ask" });

    await handle.followup(0);
    const refused = await refusal;
    expect(refused).toBeInstanceOf(DiscordAPIError);
    expect((refused as DiscordAPIError).code).toBe(40005);
    const [posted] = fake.messagesIn().filter((m) => m.attachments.length > 0);
    const attachment = posted?.attachments[0];
    expect(attachment).toMatchObject({ filename: "q.csv" });
    expect(fake.attachment(attachment?.id ?? "")?.toString("utf8")).toBe('a,b\r\n"é",2\r\n');
    expect(handle.followups()).toHaveLength(1);
    expect(fake.requests.find((r) => r.status === 413)?.responseBody).toEqual({
      code: 40005,
      message: "Request entity too large",
    });
    expect(failures).toEqual([]);
  });

  it("attaches the files of an edit, and drops the attachments an edit no longer lists", async () => {
    const { fake, client } = await setup();
    const attachmentIds: string[] = [];
    const { failures } = onInteraction(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      const edited = await interaction.editReply({
        content: "here",
        files: [{ attachment: Buffer.from("one"), name: "one.txt" }],
      });
      attachmentIds.push(...edited.attachments.keys());
      await interaction.editReply({ content: "gone", attachments: [] });
    });

    const handle = fake.sendSlashCommand({ name: "ask" });

    await fake.waitFor(() => (handle.edits().length === 2 ? true : undefined), 5000, "2 edits");
    const [first] = fake.requests.filter((r) => r.method === "PATCH");
    expect(first?.files.map((f) => f.data.toString())).toEqual(["one"]);
    expect(attachmentIds).toHaveLength(1);
    expect(fake.attachment(attachmentIds[0] ?? "")?.toString()).toBe("one");
    expect(handle.message()).toMatchObject({ content: "gone", attachments: [] });
    expect(failures).toEqual([]);
  });

  it("pins and unpins a user's message through message.pin()", async () => {
    const { fake, client } = await setup(messageIntents);
    const failures: unknown[] = [];
    client.on(Events.MessageCreate, (message: Message) => {
      if (message.author.bot || !message.content.startsWith("!pin")) return;
      message.pin().catch((cause: unknown) => failures.push(cause));
    });

    const sent = fake.sendMessage({ content: "!pin this" });

    await fake.waitForRequest({ method: "PUT", pathPrefix: `/channels/${fake.channel.id}/` });
    expect(fake.pinnedIn()).toEqual([sent.id]);
    expect(fake.message(sent.id)?.pinned).toBe(true);
    expect(failures).toEqual([]);
  });

  it("refuses a wrong token when the fake is given one", async () => {
    const fake = await FakeDiscord.start({ token: "right-token" });
    cleanups.push(() => fake.stop());

    const login = loginClient(fake, { intents: guildIntents }, "wrong-token");

    await expect(login).rejects.toThrow(/token/i);
    expect(fake.requests[0]).toMatchObject({ path: "/gateway/bot", status: 401 });
  });

  it("answers unknown routes with 404 and lists them as unhandled", async () => {
    const { fake, client } = await setup();

    await expect(client.rest.get("/stickers/123")).rejects.toMatchObject({ status: 404 });

    expect(fake.unhandledRequests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET /stickers/123",
    ]);
  });

  it("rejects pending waits when stopped", async () => {
    const fake = await FakeDiscord.start();
    const handle = fake.sendSlashCommand({ name: "ask" });
    const waiting = handle.final();

    await fake.stop();

    await expect(waiting).rejects.toThrow(/stopped/);
  });
});

describe("FakeDiscord's deadline and injected faults, over plain HTTP", () => {
  async function startFake(interactionDeadlineMs?: number): Promise<FakeDiscord> {
    const fake = await FakeDiscord.start(
      interactionDeadlineMs === undefined ? {} : { interactionDeadlineMs },
    );
    cleanups.push(() => fake.stop());
    return fake;
  }

  function callback(fake: FakeDiscord, id: string, token: string, signal?: AbortSignal) {
    return fetch(`${fake.apiUrl}/v10/interactions/${id}/${token}/callback`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ type: 4, data: { content: "Pong" } }),
      ...(signal ? { signal } : {}),
    });
  }

  it("accepts a callback within the deadline and tallies the interaction answered", async () => {
    const fake = await startFake();
    const handle = fake.sendSlashCommand({ name: "ask" });

    expect((await callback(fake, handle.id, handle.token)).status).toBe(204);
    expect(fake.tally()).toEqual({
      sent: 1,
      acknowledgedInTime: 1,
      answered: 1,
      thinking: 0,
      lost: 0,
      pending: 0,
      lateCallbacks: 0,
    });
  });

  it("answers a callback past the deadline with 404 Unknown interaction and counts it lost", async () => {
    const fake = await startFake(100);
    const handle = fake.sendSlashCommand({ name: "ask" });
    fake.delayNext({ path: /\/callback$/ }, 300);

    const response = await callback(fake, handle.id, handle.token);

    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 10062 });
    expect(handle.lost).toBe(true);
    expect(fake.tally()).toMatchObject({ sent: 1, lost: 1, lateCallbacks: 1, answered: 0 });
  });

  it("counts an interaction nobody answers as lost once the deadline passes", async () => {
    const fake = await startFake(50);
    fake.sendSlashCommand({ name: "ask" });
    expect(fake.tally()).toMatchObject({ pending: 1, lost: 0 });

    const tally = await fake.waitForSettled();

    expect(tally).toMatchObject({ sent: 1, pending: 0, lost: 1, lateCallbacks: 0 });
  });

  it("never answers a hung request; it is recorded as abandoned when the client gives up", async () => {
    const fake = await startFake();
    const handle = fake.sendSlashCommand({ name: "ask" });
    fake.hangNext({ path: /\/callback$/ });

    await expect(
      callback(fake, handle.id, handle.token, AbortSignal.timeout(200)),
    ).rejects.toThrow();

    const hung = await fake.waitFor(
      () => fake.requests.find((r) => r.abandoned),
      5000,
      "abandoned",
    );
    expect(hung).toMatchObject({ injected: true, status: 0 });
    // The next attempt is routed as usual.
    expect((await callback(fake, handle.id, handle.token)).status).toBe(204);
  });

  it("gives an injected 429 the scope asked for", async () => {
    const fake = await startFake();
    fake.failNext({ path: "/gateway" }, 429, { retryAfter: 1.5, scope: "shared" });

    const response = await fetch(`${fake.apiUrl}/v10/gateway`);

    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("1.5");
    expect(response.headers.get("x-ratelimit-scope")).toBe("shared");
    expect(response.headers.has("x-ratelimit-global")).toBe(false);
  });
});

describe("FakeDiscord's threads and forum posts, with the real discord.js client", () => {
  const forumGuild = {
    name: "Newsroom",
    channels: [
      { name: "general" },
      { name: "questions", kind: "forum" as const },
      { name: "locked", botDenied: PermissionFlagsBits.CreatePublicThreads.toString() },
    ],
  };

  async function setupForum() {
    const fake = await FakeDiscord.start({ guilds: [forumGuild] });
    cleanups.push(() => fake.stop());
    const client = await loginClient(fake, { intents: messageIntents });
    cleanups.push(() => client.destroy());
    const [general, forum, locked] = fake.guild.channels;
    if (!general || !forum || !locked) throw new Error("test: channels missing");
    return { fake, client, general, forum, locked };
  }

  async function botMessage(client: Client, channelId: string): Promise<Message> {
    const channel = await client.channels.fetch(channelId);
    if (!channel?.isSendable()) throw new Error("test: channel not sendable");
    return channel.send({ content: "an answer" });
  }

  it("lists a forum channel as type 15 in the guild", async () => {
    const { client, forum } = await setupForum();
    expect(client.channels.cache.get(forum.id)?.type).toBe(ChannelType.GuildForum);
  });

  it("starts a public thread from a message: its id, THREAD_CREATE, the message flagged", async () => {
    const { fake, client, general } = await setupForum();
    const message = await botMessage(client, general.id);
    const created = nextEvent(client, Events.ThreadCreate);

    const thread = await message.startThread({ name: "When would it start?" });

    expect(thread.id).toBe(message.id);
    expect(thread.type).toBe(ChannelType.PublicThread);
    expect(thread.parentId).toBe(general.id);
    expect(thread.ownerId).toBe(fake.botUser.id);
    const [event] = await created;
    expect(event.id).toBe(thread.id);
    expect(fake.threadsIn().map((t) => t.name)).toEqual(["When would it start?"]);
    const stored = fake.message(message.id);
    expect((stored?.flags ?? 0) & MessageFlags.HasThread).toBeTruthy();
    expect(stored?.thread?.id).toBe(thread.id);
    expect(fake.unhandledRequests).toEqual([]);
  });

  it("refuses a second thread on the same message with 160004", async () => {
    const { client, general } = await setupForum();
    const message = await botMessage(client, general.id);
    await message.startThread({ name: "first" });

    const again = message.startThread({ name: "second" });

    await expect(again).rejects.toMatchObject({ code: 160004, status: 400 });
  });

  it("refuses a thread name over 100 characters (or empty) with 50035", async () => {
    const { fake, client, general } = await setupForum();
    const message = await botMessage(client, general.id);

    const tooLong = message.startThread({ name: "x".repeat(101) });

    await expect(tooLong).rejects.toBeInstanceOf(DiscordAPIError);
    await expect(tooLong).rejects.toMatchObject({ code: 50035 });
    const request = await fake.waitForRequest({ method: "POST", path: /\/threads$/ });
    expect(JSON.stringify(request.responseBody)).toContain("name");
    expect(fake.threadsIn()).toEqual([]);
  });

  it("refuses a thread where the bot may not create threads with 50013, as app_permissions say", async () => {
    const { fake, client, locked } = await setupForum();
    const message = await botMessage(client, locked.id);
    const interaction = nextEvent(client, Events.InteractionCreate);
    fake.sendButton({ customId: "x", message: message.id });
    const [clicked] = await interaction;

    expect(clicked.appPermissions?.has(PermissionFlagsBits.CreatePublicThreads)).toBe(false);
    await expect(message.startThread({ name: "no" })).rejects.toMatchObject({ code: 50013 });
    expect(fake.threadsIn()).toEqual([]);
  });

  it("delivers a member's message in a thread with the thread as its channel; replies go there", async () => {
    const { fake, client, general } = await setupForum();
    const thread = await (await botMessage(client, general.id)).startThread({ name: "t" });
    const received = nextEvent(client, Events.MessageCreate, {
      filter: (message) => !message.author.bot,
    });

    const sent = fake.sendMessage({ content: "And Russia?", channelId: thread.id });

    const [message] = await received;
    expect(message.channel.isThread()).toBe(true);
    expect(message.channelId).toBe(thread.id);
    expect(message.content).toBe("And Russia?");
    await message.reply({ content: "in the thread", allowedMentions: { parse: [] } });
    expect((await sent.reply()).content).toBe("in the thread");
    expect(fake.messagesIn(thread.id).map((m) => m.content)).toEqual([
      "And Russia?",
      "in the thread",
    ]);
  });

  it("opens a forum post: THREAD_CREATE, then its first message with the thread's id", async () => {
    const { fake, client, forum } = await setupForum();
    const thread = nextEvent(client, Events.ThreadCreate);
    const first = nextEvent(client, Events.MessageCreate);

    const post = fake.createForumPost({
      forumId: forum.id,
      title: "Ceasefire",
      content: "How long would it last?",
    });

    const [created] = await thread;
    expect(created.parentId).toBe(forum.id);
    expect(created.name).toBe("Ceasefire");
    expect(created.parent?.type).toBe(ChannelType.GuildForum);
    const [message] = await first;
    expect(message.id).toBe(post.threadId);
    expect(message.channelId).toBe(post.threadId);
    expect(message.content).toBe("How long would it last?");
  });

  it("refuses a plain message posted in a forum channel, as Discord does", async () => {
    const { client, forum } = await setupForum();
    const channel = await client.channels.fetch(forum.id);
    expect(channel?.type).toBe(ChannelType.GuildForum);

    const posted = client.rest.post(Routes.channelMessages(forum.id), { body: { content: "x" } });

    await expect(posted).rejects.toMatchObject({ code: 50008 });
  });

  it("gives a client that logs in later the active threads in GUILD_CREATE", async () => {
    const { fake, client, general } = await setupForum();
    const thread = await (await botMessage(client, general.id)).startThread({ name: "kept" });

    const later = await loginClient(fake, { intents: messageIntents, ws: noIdentifyThrottle });
    cleanups.push(() => later.destroy());

    const known = later.channels.cache.get(thread.id);
    expect(known?.isThread()).toBe(true);
    expect(known?.isThread() && known.parentId).toBe(general.id);
  });
});

describe("FakeDiscord's shards, with real discord.js clients", () => {
  /** A fake with guild "Zero" on shard 0 and guild "One" on shard 1 of 2. */
  async function twoShardFake() {
    const two = await startTwoShardFake();
    cleanups.push(() => two.fake.stop());
    return two;
  }

  /**
   * A client of `shards` of 2, logged in; `seen` lists every interaction and user message it
   * receives, from its first packet on, as "what in which guild".
   */
  async function shardClient(fake: FakeDiscord, shards: number[]) {
    const client = new Client({
      intents: messageIntents,
      shards,
      shardCount: 2,
      ws: noIdentifyThrottle,
      rest: { api: fake.apiUrl },
    });
    cleanups.push(() => client.destroy());
    const seen: string[] = [];
    client.on(Events.InteractionCreate, (interaction) => {
      if (interaction.isChatInputCommand()) {
        seen.push(`/${interaction.commandName} in ${interaction.guild?.name}`);
      }
    });
    client.on(Events.MessageCreate, (message) => {
      if (!message.author.bot) seen.push(`${message.content} in ${message.guild?.name}`);
    });
    const ready = nextEvent(client, Events.ClientReady);
    await client.login("fake-bot-token");
    await ready;
    return { client, seen };
  }

  it("puts each guild on the shard of (id >> 22) % count", () => {
    expect(guildShard(snowflakeOnShard(0, 2), 2)).toBe(0);
    expect(guildShard(snowflakeOnShard(5, 8), 8)).toBe(5);
    expect(guildShard(String(7n << 22n), 4)).toBe(3);
  });

  it("gives two sessions of different shards their own guilds and only their events", async () => {
    const { fake, zero, one } = await twoShardFake();
    // Before any session: kept for the shard of its guild, whichever logs in first.
    fake.sendMessage({ content: "early", channelId: one.channels[0]?.id });

    const { client: first, seen: firstSeen } = await shardClient(fake, [0]);
    const { client: second, seen: secondSeen } = await shardClient(fake, [1]);

    expect([...first.guilds.cache.keys()]).toEqual([zero.id]);
    expect([...second.guilds.cache.keys()]).toEqual([one.id]);
    expect(fake.liveShards).toEqual([0, 1]);
    for (const client of [first, second]) {
      onInteraction(client, async (interaction) => {
        if (interaction.isChatInputCommand()) await interaction.reply({ content: "mine" });
      });
    }
    for (const guild of [one, zero]) {
      const channelId = guild.channels[0]?.id;
      const handle = fake.sendSlashCommand({ name: "ask", options: { question: "x" }, channelId });
      expect((await handle.final()).content).toBe("mine");
      fake.sendMessage({ content: "hello", channelId });
    }
    // A last message on each shard: whatever else its socket carried arrived before it.
    for (const [client, guild] of [
      [first, zero],
      [second, one],
    ] as const) {
      const last = nextEvent(client, Events.MessageCreate, {
        filter: (message) => message.content === "last",
      });
      fake.sendMessage({ content: "last", channelId: guild.channels[0]?.id });
      await last;
    }
    expect(firstSeen).toEqual(["/ask in Zero", "hello in Zero", "last in Zero"]);
    expect(secondSeen).toEqual(["early in One", "/ask in One", "hello in One", "last in One"]);
    expect(fake.identifies).toBe(2);
  });

  it("serves both guilds to one client with both shards (internal sharding)", async () => {
    const { fake, zero, one } = await twoShardFake();
    const { client } = await shardClient(fake, [0, 1]);

    expect([...client.guilds.cache.keys()].sort()).toEqual([zero.id, one.id].sort());
    expect(client.guilds.cache.get(one.id)?.shardId).toBe(1);
    expect(fake.liveShards).toEqual([0, 1]);
    expect(() => fake.dropGatewayConnection()).toThrow(
      /2 live gateway connections.*name the shard/,
    );
    const resumed = nextEvent(client, Events.ShardResume, { filter: (id) => id === 1 });
    fake.dropGatewayConnection(4000, 1);
    await resumed;
    expect(fake.resumes).toBe(1);
  });

  it("closes an IDENTIFY of a shard id not below the count with 4010", async () => {
    const fake = await FakeDiscord.start();
    cleanups.push(() => fake.stop());
    const socket = new WebSocket(fake.gatewayUrl);
    cleanups.push(async () => socket.terminate());
    await once(socket, "message"); // HELLO
    const closed = once(socket, "close").then(([code]) => code as number);

    socket.send(JSON.stringify({ op: 2, d: { token: "t", intents: 1, shard: [2, 2] } }));

    expect(await withTimeout(closed, "close")).toBe(4010);
    expect(fake.identifies).toBe(0);
  });
});
