/**
 * The bot end to end: the real discord.js client, logged in to the fake Discord server, answering
 * from the project's articles. One fake and one bot for the file; each test asks as a new user so
 * that the cooldown of one test does not touch another.
 */
import {
  ApplicationCommandOptionType,
  GatewayIntentBits,
  InteractionResponseType,
  MessageFlags,
} from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ABSTAIN_TEXT } from "../../src/discord/format/format.js";
import type { MessageBody } from "../support/fakeDiscord.js";
import {
  customIds,
  embedText,
  type Harness,
  isEphemeral,
  sentBodies,
  startHarness,
} from "./botHarness.js";
import { assertChoicesWithinLimits, assertMessageWithinLimits } from "./limitsAssert.js";

const SEED_ID = "kremlin-putin-message-trump-ceasefire";
const CEASEFIRE = "How long would the ceasefire last?";

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ qaChannel: true });
});

afterAll(async () => {
  await h?.stop();
});

function ask(options: Record<string, string | boolean>, user = h.newUser()) {
  return h.fake.sendSlashCommand({ name: "ask", options, user });
}

describe("newsdesk on the fake Discord", () => {
  it("logs in with guilds, guild messages and (for the Q&A channel) message content", async () => {
    expect(h.bot.client.user.id).toBe(h.fake.botUser.id);
    const identify = h.fake.gatewayPayloads.find((payload) => payload.op === 2);
    const intents = (identify?.d as { intents?: number } | undefined)?.intents;
    expect(intents).toBe(
      GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages | GatewayIntentBits.MessageContent,
    );
  });

  it("registers the loaded commands as Discord stores them", () => {
    const registered = h.fake.registeredCommands(h.fake.guild.id);
    expect(registered.map((command) => command.name).sort()).toEqual([
      "Pin answer",
      "articles",
      "ask",
      "feeds",
      "help",
      "insights",
      "pins",
      "source",
      "summary",
      "unanswered",
    ]);
    const options = (name: string) => registered.find((c) => c.name === name)?.options;
    expect(options("ask")).toEqual([
      expect.objectContaining({
        name: "question",
        type: ApplicationCommandOptionType.String,
        required: true,
        max_length: 1000,
      }),
      expect.objectContaining({
        name: "article",
        type: ApplicationCommandOptionType.String,
        autocomplete: true,
      }),
      expect.objectContaining({ name: "private", type: ApplicationCommandOptionType.Boolean }),
    ]);
    expect(options("source")).toEqual([
      expect.objectContaining({ name: "article", required: true, autocomplete: true }),
      expect.objectContaining({
        name: "paragraph",
        type: ApplicationCommandOptionType.Integer,
        required: true,
        min_value: 1,
      }),
    ]);
    // list for everyone, add and remove for managers: no command-level permissions.
    const articles = registered.find((c) => c.name === "articles");
    expect(articles?.default_member_permissions ?? null).toBeNull();
    expect(options("articles")).toEqual([
      expect.objectContaining({
        name: "list",
        type: ApplicationCommandOptionType.Subcommand,
        options: [
          expect.objectContaining({ name: "page", type: ApplicationCommandOptionType.Integer }),
        ],
      }),
      expect.objectContaining({
        name: "add",
        type: ApplicationCommandOptionType.Subcommand,
        options: [
          expect.objectContaining({
            name: "url",
            type: ApplicationCommandOptionType.String,
            required: true,
            max_length: 2000,
          }),
        ],
      }),
      expect.objectContaining({
        name: "remove",
        type: ApplicationCommandOptionType.Subcommand,
        options: [expect.objectContaining({ name: "article", required: true, autocomplete: true })],
      }),
    ]);
  });

  it("/ask defers, then answers with the cited paragraph", async () => {
    const handle = ask({ question: CEASEFIRE });

    const reply = await handle.final();

    expect(handle.responseType).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(isEphemeral((await handle.response()).body as MessageBody)).toBe(false);
    const text = embedText(reply.embeds);
    expect(text).toContain("¶4");
    expect(text).toContain("30-day");
    expect(reply.allowed_mentions).toEqual({ parse: [] });
    // One citation: no "More sources", only the moderators' "Pin answer" and "Follow up", then
    // the 👍/👎 row every answer in a server ends with.
    expect(customIds(reply)).toEqual([
      "pins:answer",
      "ask:followup",
      "ask:vote:up",
      "ask:vote:down",
    ]);
    assertMessageWithinLimits(reply);
    expect(await h.logs.eventLine(handle.id)).toMatchObject({
      msg: "interaction",
      command: "ask",
      guildId: h.fake.guild.id,
      channelId: h.fake.channel.id,
      outcome: "ok",
      latencyMs: expect.any(Number),
    });
    expect(h.logs.text.join("\n")).not.toContain(CEASEFIRE);
  });

  it("/ask private:true answers ephemerally", async () => {
    const handle = ask({ question: CEASEFIRE, private: true });

    await handle.final();

    const deferral = (await handle.response()).body as { data?: MessageBody };
    expect(isEphemeral(deferral.data ?? {})).toBe(true);
    expect((handle.message()?.flags ?? 0) & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
  });

  it("/ask abstains on what the articles do not say, suggesting no unrelated article", async () => {
    const handle = ask({ question: "What is the capital of Australia?" });

    const reply = await handle.final();

    expect(embedText(reply.embeds)).toContain(ABSTAIN_TEXT);
    expect(embedText(reply.embeds)).not.toContain("might help"); // no word in common
    expect((await h.logs.eventLine(handle.id)).outcome).toBe("abstained");
  });

  it("/ask names an unknown article, and asks for words, to the asker only", async () => {
    const unknown = ask({ question: CEASEFIRE, article: "no-such-article" });
    const empty = ask({ question: "?!" });

    const unknownReply = await unknown.final();
    const emptyReply = await empty.final();

    expect(unknownReply.content).toContain('No article has the id "no-such-article"');
    expect(emptyReply.content).toContain("Ask a question in words");
    for (const handle of [unknown, empty]) {
      expect(isEphemeral(handle.followups()[0] ?? {})).toBe(true);
      expect(handle.message()).toBeUndefined(); // the public "thinking…" is gone
      expect((await h.logs.eventLine(handle.id)).outcome).toBe("invalid");
    }
  });

  it("/ask article: searches one article", async () => {
    const reply = await ask({ question: CEASEFIRE, article: SEED_ID }).final();

    expect(embedText(reply.embeds)).toContain("30-day");
    expect(embedText(reply.embeds)).toMatch(/Searched 1 article\b/);
  });

  it("completes article ids from titles and ids, ignoring case", async () => {
    const byTitle = h.fake.sendAutocomplete({
      name: "ask",
      options: { question: "x" },
      focused: { name: "article", value: "KREMLIN conf" },
    });
    const none = h.fake.sendAutocomplete({
      name: "source",
      focused: { name: "article", value: "zzz" },
    });

    const choices = (await byTitle.final()).choices ?? [];
    expect(choices).toEqual([
      { name: expect.stringContaining("Kremlin Confirms"), value: SEED_ID },
    ]);
    assertChoicesWithinLimits(choices as { name: string; value: string }[]);
    expect((await none.final()).choices).toEqual([]);
  });

  it('"More sources" shows the next citations to whoever clicks, then expires', async () => {
    const handle = ask({ question: "What about the ceasefire proposal?" });
    const reply = await handle.final();
    const [more] = customIds(reply);
    expect(more).toMatch(/^ask:more:[\w-]+:3$/);
    expect(more?.length).toBeLessThanOrEqual(100);
    const message = handle.message();
    if (!more || !message) throw new Error("no More sources button");

    const click = h.fake.sendButton({ customId: more, message, user: h.newUser() });
    const next = await click.final();

    expect(click.responseType).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(isEphemeral(next)).toBe(true);
    expect(embedText(next.embeds)).toMatch(/¶\d/);
    expect(embedText(next.embeds)).not.toBe(embedText(reply.embeds));
    assertMessageWithinLimits(next);
    // Three more a click, until the last page, which has no button.
    let page = next;
    const seen = [embedText(reply.embeds), embedText(next.embeds)];
    for (let [after] = customIds(page); after !== undefined; [after] = customIds(page)) {
      expect(after).toMatch(new RegExp(`^ask:more:[\\w-]+:${3 * seen.length}$`));
      page = await h.fake.sendButton({ customId: after, message, user: h.newUser() }).final();
      expect(seen).not.toContain(embedText(page.embeds));
      seen.push(embedText(page.embeds));
    }
    expect(seen.length).toBeLessThanOrEqual(4); // at most 10 citations are kept

    const stale = await h.fake.sendButton({ customId: "ask:more:gone0000:3", message }).final();
    expect(stale.content).toBe("This answer has expired; ask again with `/ask`.");
    expect(isEphemeral(stale)).toBe(true);
  });

  it("answers a message that mentions the bot, with a reply that pings nobody", async () => {
    const sent = h.fake.sendMessage({ content: `${h.fake.botMention} ${CEASEFIRE}` });

    const reply = await sent.reply();

    expect(embedText(reply.embeds)).toContain("30-day");
    expect(reply.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(await h.logs.eventLine(sent.id)).toMatchObject({ command: "mention", outcome: "ok" });
  });

  it("hints at how to ask when the mention comes without a question", async () => {
    const reply = await h.fake.sendMessage({ content: `${h.fake.botMention}` }).reply();

    expect(reply.content).toContain("Ask me a question after the mention");
  });

  it("answers questions in the Q&A channel without a mention, and nothing elsewhere", async () => {
    const qaChannel = h.config.discord.qaChannelIds[0];
    const elsewhere = h.fake.sendMessage({ content: "What did Putin say about the ceasefire?" });
    const statement = h.fake.sendMessage({ content: "Putin said things.", channelId: qaChannel });
    const bot = h.fake.resolveUser({ username: "otherbot", bot: true });
    const fromBot = h.fake.sendMessage({ content: `${h.fake.botMention} ${CEASEFIRE}`, user: bot });
    const question = h.fake.sendMessage({ content: CEASEFIRE, channelId: qaChannel });

    const reply = await question.reply();

    expect(embedText(reply.embeds)).toContain("30-day");
    // Messages are handled in order: had the earlier ones been answered, it would be by now.
    const repliedTo = sentBodies(h.fake).map(({ body }) => body.message_reference?.message_id);
    expect(repliedTo).not.toContain(elsewhere.id);
    expect(repliedTo).not.toContain(statement.id);
    expect(repliedTo).not.toContain(fromBot.id);
    expect((await h.logs.eventLine(question.id)).command).toBe("qa-channel");
  });

  it("does not take a reply to the bot as a question", async () => {
    const answered = h.fake.sendMessage({ content: `${h.fake.botMention} ${CEASEFIRE}` });
    await answered.reply();
    const botMessage = h.fake.messagesIn().findLast((m) => m.author.id === h.fake.botUser.id);
    const replyPing = h.fake.sendMessage({ content: "thanks!", replyTo: botMessage?.id });
    const next = h.fake.sendMessage({ content: `${h.fake.botMention} ${CEASEFIRE}` });

    await next.reply();

    const repliedTo = sentBodies(h.fake).map(({ body }) => body.message_reference?.message_id);
    expect(repliedTo).not.toContain(replyPing.id);
  });

  it("/articles lists the articles; /source shows a paragraph or the valid range", async () => {
    const list = await h.fake.sendSlashCommand({ name: "articles", subcommand: "list" }).final();
    const paragraph = await h.fake
      .sendSlashCommand({ name: "source", options: { article: SEED_ID, paragraph: 4 } })
      .final();
    const outOfRange = await h.fake
      .sendSlashCommand({ name: "source", options: { article: SEED_ID, paragraph: 99 } })
      .final();
    const unknown = await h.fake
      .sendSlashCommand({ name: "source", options: { article: "nope", paragraph: 1 } })
      .final();

    expect(embedText(list.embeds)).toContain(SEED_ID);
    expect(list.components ?? []).toEqual([]); // one page: no buttons
    expect(embedText(paragraph.embeds)).toContain("30-day halt to fighting");
    expect(outOfRange.content).toContain("has paragraphs 1 to 8; there is no paragraph 99");
    expect(unknown.content).toContain('No article has the id "nope"');
    expect([outOfRange, unknown].every(isEphemeral)).toBe(true);
  });

  it("/help explains, to the asker only", async () => {
    const help = await h.fake.sendSlashCommand({ name: "help" }).final();

    expect(isEphemeral(help)).toBe(true);
    expect(embedText(help.embeds)).toContain("Q&A channels");
    expect(embedText(help.embeds)).toContain("5 questions every 60 seconds");
  });

  it("refuses the 6th /ask of a minute, to the asker only, with the time to retry", async () => {
    const user = h.newUser();
    const handles = Array.from({ length: 5 }, () => ask({ question: CEASEFIRE }, user));
    await Promise.all(handles.map((handle) => handle.final()));

    const sixth = ask({ question: CEASEFIRE }, user);
    const refused = await sixth.final();

    expect(refused.content).toMatch(/You can ask again <t:\d+:R>/);
    expect(isEphemeral(refused)).toBe(true);
    expect(sixth.responseType).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect((await h.logs.eventLine(sixth.id)).outcome).toBe("cooldown");
  });

  it("refuses the 6th message question with one reply, then only a reaction", async () => {
    const user = h.newUser();
    const question = () =>
      h.fake.sendMessage({ content: `${h.fake.botMention} ${CEASEFIRE}`, user });
    const answered = Array.from({ length: 5 }, question);
    await Promise.all(answered.map((sent) => sent.reply()));

    const sixth = question();
    expect((await sixth.reply()).content).toMatch(/You can ask again <t:\d+:R>/);
    const seventh = question();
    await h.fake.waitForRequest({
      method: "PUT",
      path: new RegExp(`/messages/${seventh.id}/reactions/`),
    });

    expect((await h.logs.eventLine(seventh.id)).outcome).toBe("cooldown");
    const repliedTo = sentBodies(h.fake).map(({ body }) => body.message_reference?.message_id);
    expect(repliedTo).not.toContain(seventh.id);
  });

  it("answers again after the server drops the gateway connection", async () => {
    const before = h.fake.resumes;
    h.fake.dropGatewayConnection();

    const reply = await ask({ question: CEASEFIRE }).final();

    expect(embedText(reply.embeds)).toContain("30-day");
    expect(h.fake.resumes).toBe(before + 1);
    await h.logs.waitFor((line) => line.msg === "shard reconnecting");
    await h.logs.waitFor((line) => line.msg === "shard resumed");
  });

  it("still answers after a 500 and a 429 with Retry-After on the interaction callback", async () => {
    h.fake.failNext({ method: "POST", pathPrefix: "/interactions/" }, 500);
    const after500 = ask({ question: CEASEFIRE });
    expect(embedText((await after500.final()).embeds)).toContain("30-day");

    h.fake.failNext({ method: "POST", pathPrefix: "/interactions/" }, 429, { retryAfter: 0.1 });
    const after429 = ask({ question: CEASEFIRE });
    expect(embedText((await after429.final()).embeds)).toContain("30-day");

    const injected = h.fake.requests.filter((r) => r.injected).map((r) => r.status);
    expect(injected).toEqual([500, 429]);
  });

  // Last: it checks what every test above made the bot send.
  it("sent every message with no mentions allowed, within limits, with no 4xx answer", () => {
    const bodies = sentBodies(h.fake);
    expect(bodies.length).toBeGreaterThan(20);
    for (const { body } of bodies) {
      expect(body.allowed_mentions?.parse).toEqual([]);
      assertMessageWithinLimits(body);
    }
    const refused = h.fake.requests.filter((r) => r.status >= 400 && !r.injected);
    expect(refused.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([]);
    expect(h.fake.unhandledRequests).toEqual([]);
  });
});
