/**
 * Huge inputs end to end: a 1,000-character question of long words, an article with a
 * 10,000-character title and a 20,000-character paragraph (asked about and summarized), thirty
 * articles and ten citations to page through. Everything the bot sends must fit Discord's
 * limits; the fake answers anything over them with 400 / 50035, so no 4xx may be recorded either.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { InteractionResponseType } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ABSTAIN_TEXT } from "../../src/discord/format/format.js";
import { FOLLOW_UP_ID } from "../../src/discord/threads/followUp.js";
import { loadServices } from "../../src/services.js";
import { customIds, embedText, type Harness, sentBodies, startHarness } from "./botHarness.js";
import {
  assertChoicesWithinLimits,
  assertMessageWithinLimits,
  assertNoLiveMentions,
  embedTexts,
} from "./limitsAssert.js";

/** `text` repeated and cut to exactly `length` characters. */
const repeatTo = (text: string, length: number) =>
  text.repeat(Math.ceil(length / text.length)).slice(0, length);

const HUGE_TITLE = repeatTo("Lighthouse keeper extraordinarily luminous beacon ", 10_000);
const HUGE_PARAGRAPH = repeatTo(
  "the lighthouse keeper counted the extraordinarily luminous beacons over the harbour and ",
  20_000,
);
const LONG_QUESTION = repeatTo(
  "extraordinarily luminous lighthouse beacons counterrevolutionaries internationalization ",
  1000,
);

const articles = [
  {
    id: "huge",
    title: HUGE_TITLE,
    url: "https://example.com/huge",
    paragraphs: [
      HUGE_PARAGRAPH,
      "The keeper wrote @everyone <@123456789012345678> **urgent** [click](https://evil.example) here.",
    ],
  },
  {
    id: "ferries",
    title: "Harbour ferry timetable changes",
    paragraphs: Array.from(
      { length: 12 },
      (_, i) => `The harbour ferry timetable changed again on day ${i + 1}, the council said.`,
    ),
  },
  ...Array.from({ length: 28 }, (_, i) => {
    const n = String(i + 1).padStart(2, "0");
    return {
      id: `note-${n}`,
      title: `Council note ${n}`,
      paragraphs: [`Routine council minutes number ${n} about parking permits.`],
    };
  }),
];

let dataDir: string;
let h: Harness;

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "newsdesk-discord-"));
  await fs.writeFile(path.join(dataDir, "articles.json"), JSON.stringify(articles));
  const services = await loadServices({ dataDir });
  expect(services.corpus.problems).toEqual([]);
  h = await startHarness({ services, cooldown: { questions: 100, perSeconds: 60 } });
});

afterAll(async () => {
  await h?.stop();
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
});

describe("huge inputs stay within Discord's limits", () => {
  it("answers a 1,000-character question of long words", async () => {
    const reply = await h.fake
      .sendSlashCommand({ name: "ask", options: { question: LONG_QUESTION } })
      .final();

    expect(LONG_QUESTION).toHaveLength(1000);
    expect(reply.embeds?.length).toBeGreaterThan(0);
    assertMessageWithinLimits(reply);

    const mention = `${h.fake.botMention} ${repeatTo(LONG_QUESTION, 1950)}?`;
    const byMessage = await h.fake.sendMessage({ content: mention }).reply();
    expect(byMessage.embeds?.length).toBeGreaterThan(0);
    assertMessageWithinLimits(byMessage);
  });

  it("quotes a 20,000-character paragraph of an article with a 10,000-character title", async () => {
    const question = "What did the lighthouse keeper count over the harbour?";
    const reply = await h.fake
      .sendSlashCommand({ name: "ask", options: { question, article: "huge" } })
      .final();
    const source = await h.fake
      .sendSlashCommand({ name: "source", options: { article: "huge", paragraph: 1 } })
      .final();

    expect(embedText(reply.embeds)).toContain("lighthouse keeper");
    assertMessageWithinLimits(reply);
    expect(embedText(source.embeds)).toContain("the lighthouse keeper counted");
    assertMessageWithinLimits(source);
  });

  it("shows article text with mentions and markdown inert", async () => {
    const source = await h.fake
      .sendSlashCommand({ name: "source", options: { article: "huge", paragraph: 2 } })
      .final();

    assertNoLiveMentions(embedTexts(source.embeds ?? []));
    expect(embedText(source.embeds)).not.toContain("](https://evil.example)");
  });

  it("suggests the closest articles when it abstains, even with a huge title", async () => {
    const reply = await h.fake
      .sendSlashCommand({
        name: "ask",
        options: { question: "Did Queen Victoria ever visit the lighthouse?" },
      })
      .final();

    const text = embedText(reply.embeds);
    expect(text).toContain(ABSTAIN_TEXT);
    expect(text).toContain("`huge`");
    assertMessageWithinLimits(reply);
  });

  it("completes at most 25 articles, names within 100 characters", async () => {
    const council = await h.fake
      .sendAutocomplete({ name: "source", focused: { name: "article", value: "council" } })
      .final();
    const lighthouse = await h.fake
      .sendAutocomplete({ name: "source", focused: { name: "article", value: "lighthouse" } })
      .final();

    expect(council.choices).toHaveLength(25);
    expect(lighthouse.choices).toEqual([{ name: expect.stringMatching(/…$/), value: "huge" }]);
    for (const { choices } of [council, lighthouse]) {
      assertChoicesWithinLimits((choices ?? []) as { name: string; value: string }[]);
    }
  });

  it("pages through 10 citations with More sources: 3, then 3, 3 and 1", async () => {
    const handle = h.fake.sendSlashCommand({
      name: "ask",
      options: { question: "What did the council say about the harbour ferry timetable?" },
    });
    const first = await handle.final();
    const message = handle.message();
    if (!message) throw new Error("no answer message");

    const offsets: string[] = [];
    let ids = customIds(first);
    while (ids[0]) {
      offsets.push(ids[0].split(":").at(-1) ?? "");
      const next = await h.fake.sendButton({ customId: ids[0], message }).final();
      assertMessageWithinLimits(next);
      ids = customIds(next);
    }

    expect(offsets).toEqual(["3", "6", "9"]);
  });

  it("pages /articles with Previous and Next, updating the message", async () => {
    const handle = h.fake.sendSlashCommand({ name: "articles", subcommand: "list" });
    const first = await handle.final();
    const message = handle.message();
    if (!message) throw new Error("no list message");

    expect(embedText(first.embeds)).toContain("Page 1 of 3");
    expect(customIds(first)).toEqual(["articles:page:0", "articles:page:2"]);
    const click = h.fake.sendButton({ customId: "articles:page:2", message });
    const second = await click.final();

    expect(click.responseType).toBe(InteractionResponseType.UpdateMessage);
    expect(embedText(second.embeds)).toContain("Page 2 of 3");
    expect(embedText(h.fake.message(message.id)?.embeds)).toContain("Page 2 of 3");
    // Past the end, as in the pin lists: where the list ends, and Previous goes there.
    const past = await h.fake
      .sendSlashCommand({ name: "articles", subcommand: "list", options: { page: 99 } })
      .final();
    expect(embedText(past.embeds)).toContain("There is no page 99; the articles end at page 3.");
    expect(customIds(past)).toEqual(["articles:page:3", "articles:page:100"]);
  });

  it("summarizes the article with a huge title and a 20,000-character paragraph", async () => {
    const summary = (options: Record<string, string | number>) =>
      h.fake.sendSlashCommand({ name: "summary", options }).final();
    const article = await summary({ article: "huge", sentences: 10 });
    const topic = await summary({ topic: LONG_QUESTION.slice(0, 200), sentences: 10 });
    const ferries = await summary({ topic: "harbour ferry timetable", sentences: 10 });
    const mentions = await summary({ topic: "keeper wrote urgent click", sentences: 10 });

    const [embed] = article.embeds ?? [];
    expect(embed?.title).toMatch(/^Lighthouse keeper .*…$/);
    expect(embed?.description?.split("\n")[0]).toMatch(
      /^1\. the lighthouse keeper counted .* \(\[¶1\]\(https:\/\/example\.com\/huge\)\)$/,
    );
    expect(embedText(topic.embeds)).toMatch(/\(\[?Lighthouse keeper .*… ¶1/);
    expect(
      embedText(ferries.embeds).match(/^\d+\. .*\(Harbour ferry timetable changes ¶\d+\)$/gm),
    ).toHaveLength(10);
    expect(embedText(mentions.embeds)).toContain("The keeper wrote @\u200beveryone");
    for (const reply of [article, topic, ferries, mentions]) {
      assertMessageWithinLimits(reply);
      assertNoLiveMentions(embedTexts(reply.embeds ?? []));
      expect(embedText(reply.embeds)).not.toContain("](https://evil.example)");
    }
  });

  it("opens a Follow up thread named within 100 on a 1,000-character question, and answers in it", async () => {
    const handle = h.fake.sendSlashCommand({ name: "ask", options: { question: LONG_QUESTION } });
    const reply = await handle.final();
    await h.logs.eventLine(handle.id);
    const messageId = handle.message()?.id ?? "";
    expect(customIds(reply)).toContain(FOLLOW_UP_ID);

    const click = h.fake.sendButton({ customId: FOLLOW_UP_ID, message: messageId });
    assertMessageWithinLimits(await click.final());
    const thread = h.fake.threadsIn().find((t) => t.id === messageId);
    expect(thread?.name.length).toBeLessThanOrEqual(100);
    expect(thread?.name.endsWith("…")).toBe(true);

    const inThread = await h.fake
      .sendMessage({ content: repeatTo(LONG_QUESTION, 1999), channelId: messageId })
      .reply();
    assertMessageWithinLimits(inThread);
  });

  it("sent nothing over a limit: no 4xx answers at all", () => {
    for (const { body } of sentBodies(h.fake)) assertMessageWithinLimits(body);
    const refused = h.fake.requests.filter((r) => r.status >= 400);
    expect(refused.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([]);
  });
});
