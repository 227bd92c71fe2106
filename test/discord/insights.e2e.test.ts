/**
 * `/insights` end to end (issue 14): the real bot on the fake Discord. Members ask and two of
 * them vote; a moderator gets, privately, the period's topics, the answers voted 👎, the
 * unanswered questions and the articles cited, and downloads every question as CSV, which is
 * read back. Members without Manage Messages are refused the command and the button; an empty
 * period says so; a log bigger than Discord's 10 MiB file limit is cut to its newest questions.
 * Every message sent fits Discord's limits and pings nobody (checked after each test by
 * usePinsHarness, and by the fake on every request, the attachment's size included).
 */
import {
  type APIEmbed,
  ApplicationCommandOptionType,
  InteractionContextType,
  InteractionResponseType,
} from "discord.js";
import { describe, expect, it } from "vitest";
import { CSV_COLUMNS } from "../../src/insights/questionsCsv.js";
import { parseCsv } from "../support/csv.js";
import { AttachmentLimits } from "../support/discordLimits.js";
import type { InteractionHandle, OptionValue } from "../support/fakeDiscord.js";
import { answeredPrivately, askAsNewUser, isEphemeral } from "./botHarness.js";
import {
  buttons,
  CEASEFIRE,
  clock,
  guildB,
  h,
  NOT_MODERATOR,
  outcomeOf,
  SEED_ID,
  setClock,
  usePinsHarness,
  type Who,
} from "./pinsHarness.js";

usePinsHarness();

const DAY_MS = 24 * 60 * 60 * 1000;
const OFF_TOPIC = "Who won the 1998 World Cup final?";

/** `/insights` as a new user (a moderator unless told otherwise). */
function insights(options: Record<string, OptionValue> = {}, who: Who & { guildId?: string } = {}) {
  return h.fake.sendSlashCommand({
    name: "insights",
    options,
    role: who.role ?? "moderator",
    user: who.user ?? h.newUser(),
    ...(who.guildId ? { guildId: who.guildId } : {}),
    ...(who.channelId ? { channelId: who.channelId } : {}),
  });
}

/** A member clicks a button on `messageId`; resolves once the bot has handled it. */
async function click(
  messageId: string,
  customId: string,
  who: { user?: { id: string }; role?: Who["role"] } = {},
): Promise<InteractionHandle> {
  const handle = h.fake.sendButton({
    customId,
    message: messageId,
    user: who.user ?? h.newUser(),
    role: who.role ?? "moderator",
  });
  await h.logs.eventLine(handle.id);
  return handle;
}

const field = (embed: APIEmbed | undefined, name: string) =>
  embed?.fields?.find((f) => f.name === name)?.value.split("\n") ?? [];

/** Runs /insights as a moderator: its embed, its message id and its Download CSV custom id. */
async function report(options: Record<string, OptionValue> = {}) {
  const handle = insights(options);
  const reply = await handle.final();
  expect(await outcomeOf(handle)).toBe("ok");
  const messageId = handle.message()?.id;
  if (!messageId) throw new Error("test: /insights left no message");
  return { handle, reply, embed: reply.embeds?.[0], messageId, csvId: buttons(reply)[0]?.id };
}

/** Clicks Download CSV as a moderator: the follow-up's text and the CSV's records. */
async function download(messageId: string, csvId: string) {
  const handle = await click(messageId, csvId);
  expect(await outcomeOf(handle)).toBe("ok");
  const body = await handle.followup(0);
  const message = h.fake
    .messagesIn()
    .find((m) => m.interaction_metadata?.id === handle.id && m.attachments.length > 0);
  const attachment = message?.attachments[0];
  const data = h.fake.attachment(attachment?.id ?? "");
  if (!attachment || !data) throw new Error("test: Download CSV attached no file");
  const text = data.toString("utf8");
  expect(text.startsWith("\uFEFF")).toBe(true);
  return { handle, body, attachment, data, records: parseCsv(text.slice(1)) };
}

describe("/insights", () => {
  it("is registered for Manage Messages by default, in servers only, with days 1 to 90", async () => {
    const registered = h.fake.registeredCommands(h.fake.guild.id);
    expect(registered.find((c) => c.name === "insights")).toMatchObject({
      default_member_permissions: "8192",
      contexts: [InteractionContextType.Guild],
      options: [
        expect.objectContaining({
          name: "days",
          type: ApplicationCommandOptionType.Integer,
          min_value: 1,
          max_value: 90,
        }),
      ],
    });
  });

  it("shows a moderator what was asked and voted, and the CSV of every question reads back", async () => {
    const first = await askAsNewUser(h, CEASEFIRE);
    setClock(clock + 60_000);
    await askAsNewUser(h, "how long will the CEASEFIRE last");
    await askAsNewUser(h, "How long will the ceasefire between Russia and Ukraine last?");
    setClock(clock + 60_000);
    await askAsNewUser(h, OFF_TOPIC);
    await askAsNewUser(h, '@everyone =HYPERLINK("http://evil.example") **who** won?');
    // Two members vote on the first answer and one changes her mind; one says what was wrong.
    const alice = h.newUser();
    const bob = h.newUser();
    await click(first.messageId, "ask:vote:down", { user: alice, role: "member" });
    await click(first.messageId, "ask:vote:down", { user: bob, role: "member" });
    await click(first.messageId, "ask:vote:up", { user: bob, role: "member" });
    const [logged] = await h.votes.listQuestions(h.fake.guild.id, { sinceMs: 0 });
    expect(await h.votes.setReason(h.fake.guild.id, logged?.id ?? 0, alice.id, "outdated")).toBe(
      true,
    );
    setClock(clock + 60_000);

    const { handle, reply, embed, messageId, csvId } = await report();

    // Acknowledged first, privately; then one embed and the Download CSV button.
    expect(handle.responseType).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(await answeredPrivately(handle)).toBe(true);
    expect(reply.embeds).toHaveLength(1);
    expect(embed?.title).toBe("Insights: the last 7 days");
    expect(embed?.description).toContain("**5 questions**: 3 answered");
    expect(embed?.description).toContain("2 unanswered");
    expect(embed?.description).toContain("Votes: 👍 1 · 👎 1");
    // The three ceasefire questions are one topic.
    expect(field(embed, "Most asked")[0]).toMatch(/^\*\*3×\*\* “.*ceasefire.*” \(2 phrasings\)$/i);
    expect(field(embed, "Most 👎")).toEqual([
      expect.stringMatching(
        /^\*\*👎 1\*\* · 👍 1 “How long would the ceasefire last\?” · Kremlin .* ¶\d+ \(Outdated 1\)$/,
      ),
    ]);
    const unanswered = field(embed, "Unanswered").join("\n");
    expect(unanswered).toContain(`**1×** “${OFF_TOPIC}”`);
    // Echoed text is escaped: no ping, no bold, no link.
    expect(unanswered).toContain("@\u200beveryone");
    expect(unanswered).toContain("\\*\\*who\\*\\*");
    expect(field(embed, "Most cited articles")).toEqual([
      expect.stringMatching(
        new RegExp(`^\\*\\*3×\\*\\* Kremlin .* · ${SEED_ID.replaceAll("-", "\\-")}`),
      ),
    ]);
    expect(buttons(reply)).toEqual([{ id: csvId, label: "Download CSV", disabled: false }]);

    const csv = await download(messageId, csvId ?? "");
    expect(csv.handle.responseType).toBe(InteractionResponseType.DeferredMessageUpdate);
    expect(isEphemeral(csv.body)).toBe(true);
    expect(csv.body.content).toContain("5 questions, no member ids");
    expect(csv.attachment.filename).toBe("newsdesk-questions-2025-03-13-to-2025-03-20.csv");
    const [header, ...rows] = csv.records;
    expect(header).toEqual([...CSV_COLUMNS]);
    expect(rows.map((r) => r[3])).toEqual([
      CEASEFIRE,
      "how long will the CEASEFIRE last",
      "How long will the ceasefire between Russia and Ukraine last?",
      OFF_TOPIC,
      '\'@everyone =HYPERLINK("http://evil.example") **who** won?',
    ]);
    expect(rows[0]).toMatchObject({
      2: first.messageId,
      4: "high",
      7: "1",
      8: "1",
      9: "outdated:1",
    });
    expect(rows[0]?.[10]).toMatch(new RegExp(`^${SEED_ID} ¶\\d+`));
    expect(rows[3]?.[4]).toBe("abstained");
    // No member id anywhere: neither the voters' nor the askers'.
    const text = csv.data.toString("utf8");
    for (const user of [alice, bob]) expect(text).not.toContain(user.id);
    // The report the button is on is left as it was.
    expect(h.fake.message(messageId)?.embeds[0]?.title).toBe("Insights: the last 7 days");
  });

  it("refuses a member the command and the Download CSV button, privately", async () => {
    await askAsNewUser(h, CEASEFIRE);
    const refused = insights({}, { role: "member" });
    const reply = await refused.final();
    expect(refused.responseType).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(isEphemeral(reply)).toBe(true);
    expect(reply.content).toBe(NOT_MODERATOR);
    expect(reply.embeds ?? []).toEqual([]);
    expect(await outcomeOf(refused)).toBe("forbidden");

    // The button, clicked by a member (a message forwarded to them, a shared screen): refused.
    const { messageId, csvId } = await report();
    const clickByMember = await click(messageId, csvId ?? "", { role: "member" });
    const no = await clickByMember.final();
    expect(isEphemeral(no)).toBe(true);
    expect(no.content).toBe(NOT_MODERATOR);
    expect(await outcomeOf(clickByMember)).toBe("forbidden");
    expect(h.fake.messagesIn().filter((m) => m.attachments.length > 0)).toEqual([]);

    // A forged button is told to run the command again, with no file.
    const forged = await click(messageId, "insights:csv:5:3");
    expect((await forged.final()).content).toContain("no longer works");
    expect(await outcomeOf(forged)).toBe("invalid");
  });

  it("says so for an empty period, with no download, and counts only the days asked for", async () => {
    await askAsNewUser(h, CEASEFIRE);
    setClock(clock + 8 * DAY_MS);

    const empty = await report();
    expect(empty.embed?.description).toBe(
      "No questions were asked in this server in the last 7 days.",
    );
    expect(buttons(empty.reply)).toEqual([]);

    const month = await report({ days: 30 });
    expect(month.embed?.title).toBe("Insights: the last 30 days");
    expect(month.embed?.description).toContain("**1 question**");

    // Another server's questions are not this one's.
    const elsewhere = guildB();
    const other = insights({}, elsewhere);
    const body = await other.final();
    expect(body.embeds?.[0]?.description).toContain("No questions were asked");
  });

  it("fits a log over Discord's 10 MiB file limit by its newest questions, and says so", async () => {
    // Questions of 1,000 characters (the most kept), with quotes that double in the CSV.
    const long = (i: number) =>
      `Question ${i}: ${'why "did" the ceasefire, the talks and the pledges fail? '.repeat(20)}`.slice(
        0,
        1000,
      );
    const count = 11_000;
    for (let i = 0; i < count; i++) {
      h.votes.recordQuestion({
        guildId: h.fake.guild.id,
        channelId: h.fake.channel.id,
        messageId: `9${String(i).padStart(17, "0")}`,
        question: long(i),
        outcome: i % 3 === 0 ? "abstained" : "high",
        confidence: i % 3 === 0 ? "none" : "high",
        citations: [{ articleId: SEED_ID, title: "Kremlin Confirms", paragraph: 4 }],
        at: clock - 80 * DAY_MS + i,
      });
      // The store queues what it has not written yet (at most 10,000): let it write as it goes.
      if (i % 1000 === 999) await h.votes.flush(60_000);
    }
    await h.votes.flush(60_000);

    const { embed, messageId, csvId } = await report({ days: 90 });
    expect(embed?.description).toContain(`**${count.toLocaleString("en-US")} questions**`);

    const csv = await download(messageId, csvId ?? "");
    expect(csv.data.length).toBeLessThanOrEqual(AttachmentLimits.fileSize);
    expect(csv.data.length).toBeGreaterThan(AttachmentLimits.fileSize - 2000);
    const rows = csv.records.slice(1);
    expect(rows.length).toBeLessThan(count);
    // The newest, up to the last question asked.
    expect(rows.at(-1)?.[3]).toBe(long(count - 1));
    expect(rows[0]?.[3]).toBe(long(count - rows.length));
    expect(csv.body.content).toContain(
      `the file holds the newest ${rows.length.toLocaleString("en-US")}`,
    );
    expect(csv.body.content).toContain(
      `${(count - rows.length).toLocaleString("en-US")} questions are left out`,
    );
    expect(h.fake.requests.filter((r) => r.status >= 400)).toEqual([]);
  });
});
