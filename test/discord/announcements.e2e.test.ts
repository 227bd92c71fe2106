/**
 * Feed announcements end to end: the announcer posts through the bot's own REST client to the
 * fake Discord (new articles in the feed's channel, failing and recovered notices to the feed's
 * moderators), and "Ask about this" on a posted announcement opens a modal whose question is
 * answered from that article only. Two servers: Home follows the feed; Away must not reach its
 * articles.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Article } from "../../src/corpus/article.js";
import { type Announcer, createAnnouncer } from "../../src/discord/feeds/announcement.js";
import { replies } from "../../src/discord/format/replies.js";
import type { StoredFeed } from "../../src/feeds/FeedStore.js";
import { createLogger } from "../../src/log.js";
import { loadServices, type Services } from "../../src/services.js";
import { makeTempDir, removeTempDir, writeFiles } from "../corpus/tempDir.js";
import { checkMessageBody } from "../support/discordLimits.js";
import type { MessageBody, RecordedRequest } from "../support/fakeDiscord.js";
import {
  askAsNewUser,
  customIds,
  embedText,
  type Harness,
  isEphemeral,
  LogCapture,
  startHarness,
} from "./botHarness.js";

const ARTICLE: Article = {
  id: "feed-0123456789abcdef",
  title: "Stone bridge *closes* for repairs @everyone",
  url: "https://news.example/bridge?id=1",
  source: "Home Gazette",
  published: "2026-03-03T07:30:00Z",
  paragraphs: [
    "The old stone bridge in Home town closes for repairs for six weeks from June, the council said on Monday.",
    "Engineers found cracks in two of the arches of the stone bridge during an inspection in the winter.",
    "Buses will take a detour through the valley while the bridge is closed for the repairs.",
    "The council said the repairs would cost four hundred thousand pounds.",
  ],
};

let h: Harness;
let dir: string;
let services: Services;
let announcer: Announcer;
let logs: LogCapture;
let home: string;
let away: string;
/** Home's channels: where the feed announces, where it was added, and #general. */
let news: string;
let mods: string;
let general: string;
let awayGeneral: string;

beforeAll(async () => {
  dir = await makeTempDir();
  await writeFiles(dir, {
    "tolls.txt":
      "Bridge tolls rise\n\nThe toll on the stone bridge rises to two pounds in June, the council said.",
  });
  services = await loadServices({ dataDir: dir });
  h = await startHarness({
    services,
    guilds: [
      { name: "Home", channels: [{ name: "general" }, { name: "news" }, { name: "mods" }] },
      { name: "Away", channels: [{ name: "general" }] },
    ],
  });
  const [homeGuild, awayGuild] = h.fake.guilds;
  home = homeGuild?.id ?? "";
  away = awayGuild?.id ?? "";
  [general, news, mods] = (homeGuild?.channels ?? []).map((c) => c.id) as [string, string, string];
  awayGeneral = awayGuild?.channels[0]?.id ?? "";
  services.library.add(ARTICLE, { guildId: home });
  logs = new LogCapture();
  const log = createLogger({ level: "debug", destination: logs.stream });
  announcer = createAnnouncer({ rest: h.bot.client.rest, summaries: services.summaries, log });
});

afterAll(async () => {
  await h?.stop();
  if (dir) await removeTempDir(dir);
});

/** A Home feed that announces in #news and has been polled before. */
function homeFeed(overrides: Partial<StoredFeed> = {}): StoredFeed {
  return {
    id: 7,
    scope: { guildId: home },
    url: "https://news.example/feed.xml",
    channelId: news,
    noticeChannelId: mods,
    title: "Home Gazette",
    nextPollAt: 0,
    lastSuccessAt: Date.now() - 600_000,
    state: { failures: 0 },
    addedBy: "500000000000000005",
    addedAt: 0,
    ...overrides,
  };
}

/** The bot's posts to channels (not interaction replies), from request `from` on. */
function channelPosts(from = 0): RecordedRequest[] {
  return h.fake.requests
    .slice(from)
    .filter((r) => r.method === "POST" && /^\/channels\/\d+\/messages$/.test(r.path));
}

/** Announces ARTICLE in #news and returns the post. */
async function announce(): Promise<{ body: MessageBody; messageId: string }> {
  const mark = h.fake.requests.length;
  await announcer.onArticle(ARTICLE, homeFeed());
  const [post, ...more] = channelPosts(mark);
  if (post === undefined) throw new Error("no announcement posted");
  expect(more).toEqual([]);
  expect(post.path).toBe(`/channels/${news}/messages`);
  expect(post.status).toBe(200);
  return { body: post.body as MessageBody, messageId: (post.responseBody as { id: string }).id };
}

describe("announcements of new articles", () => {
  it("posts the article in the feed's channel: linked title, source · date, two central sentences, Ask about this", async () => {
    const { body } = await announce();

    const embed = body.embeds?.[0];
    // Escaped: the emphasis shows as typed and @everyone cannot form.
    expect(embed?.title).toBe("Stone bridge \\*closes\\* for repairs @\u200beveryone");
    expect(embed?.url).toBe(ARTICLE.url);
    const [byline, ...sentences] = embed?.description?.split("\n\n") ?? [];
    expect(byline).toBe("*Home Gazette · 3 Mar 2026*");
    const central = services.summaries
      .summarizeArticle(ARTICLE.id, { sentences: 2, guildId: home })
      .sentences.map((s) => s.text);
    expect(central).toHaveLength(2);
    expect(sentences).toEqual(central);
    expect(embed?.footer?.text).toBe("From the feed Home Gazette");
    expect(customIds(body)).toEqual([`ask:about:${ARTICLE.id}`]);
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(checkMessageBody(body)).toEqual([]);
    await logs.waitFor(
      (line) => line.msg === "feeds: announcement posted" && line.channelId === news,
    );
  });

  it("keeps a huge article within Discord's limits", async () => {
    const huge: Article = {
      id: "feed-aaaaaaaaaaaaaaaa",
      title: `Huge ${"headline ".repeat(100)}`,
      url: `https://news.example/${"x".repeat(600)}`,
      source: "S".repeat(300),
      published: "sometime in the long and winding spring of the year",
      paragraphs: [
        `${"word ".repeat(2000)}ends here`,
        `${"another ".repeat(2000)}ends too`,
        `${"third ".repeat(2000)}ends at last`,
      ],
    };
    services.library.add(huge, { guildId: home });
    try {
      const mark = h.fake.requests.length;
      await announcer.onArticle(huge, homeFeed({ title: "T".repeat(500) }));
      const [post] = channelPosts(mark);
      expect(post?.status).toBe(200);
      const body = post?.body as MessageBody;
      expect(checkMessageBody(body)).toEqual([]);
      // Too long a URL is not linked rather than cut.
      expect(body.embeds?.[0]?.url).toBeUndefined();
      expect(body.embeds?.[0]?.title?.length).toBeLessThanOrEqual(256);
    } finally {
      services.library.remove(huge.id);
    }
  });

  it("announces nothing for a feed's first poll (its back catalogue), a feed without a channel or an article gone", async () => {
    const mark = h.fake.requests.length;
    const { lastSuccessAt: _first, ...firstPoll } = homeFeed();
    const { channelId: _none, ...noChannel } = homeFeed();

    await announcer.onArticle(ARTICLE, firstPoll);
    await announcer.onArticle(ARTICLE, noChannel);
    await announcer.onArticle(ARTICLE, {
      ...noChannel,
      scope: "global",
      noticeChannelId: undefined,
    });
    // Removed from the library before its turn (a server's article limit, a moderator).
    await announcer.onArticle({ ...ARTICLE, id: "feed-ffffffffffffffff" }, homeFeed());

    expect(channelPosts(mark)).toEqual([]);
    await logs.waitFor(
      (line) =>
        line.msg === "feeds: not announced, article no longer there" &&
        line.article === "feed-ffffffffffffffff",
    );
    await logs.waitFor(
      (line) => line.msg === "feeds: not announced, first poll of the feed" && line.feedId === 7,
    );
  });

  it("logs a post Discord refuses (missing access, unknown channel) with the feed and channel, and never throws", async () => {
    const mark = h.fake.requests.length;
    h.fake.failNext({ method: "POST", path: `/channels/${news}/messages` }, 403, {
      body: { code: 50001, message: "Missing Access" },
    });

    await expect(announcer.onArticle(ARTICLE, homeFeed())).resolves.toBeUndefined();
    const denied = await logs.waitFor(
      (line) => line.msg === "feeds: announcement not posted" && line.code === 50001,
    );
    expect(denied).toMatchObject({
      level: "warn",
      channelId: news,
      feed: "https://news.example/feed.xml",
      article: ARTICLE.id,
    });

    const gone = "999999999999999999";
    await expect(
      announcer.onArticle(ARTICLE, homeFeed({ channelId: gone })),
    ).resolves.toBeUndefined();
    const unknown = await logs.waitFor(
      (line) => line.msg === "feeds: announcement not posted" && line.code === 10003,
    );
    expect(unknown).toMatchObject({ channelId: gone, feedId: 7 });

    // The moderators are told once, where the feed was added: not at every refused post.
    const told = channelPosts(mark).filter((r) => r.path === `/channels/${mods}/messages`);
    expect(told).toHaveLength(1);
    const notice = told[0]?.body as MessageBody | undefined;
    const content = notice?.content ?? "";
    expect(content).toBe(
      `⚠️ New articles from the feed **Home Gazette** (<https://news.example/feed.xml>) cannot be posted in <#${news}>: newsdesk may no longer see or write there (it needs View Channel, Send Messages and Embed Links). They are still answerable here. Give newsdesk those permissions there, or \`/feeds remove\` the feed and \`/feeds add\` it with another channel.`,
    );
    expect(notice?.allowed_mentions).toEqual({ parse: [] });
  });

  it("does not tell the moderators about a refusal a retry may mend, nor in the refused channel itself", async () => {
    const mark = h.fake.requests.length;
    h.fake.failNext({ method: "POST", path: `/channels/${news}/messages` }, 403, {
      body: { code: 50013, message: "Missing Permissions" },
    });
    // Announced and told in one channel: there is nowhere else to say it.
    await announcer.onArticle(ARTICLE, homeFeed({ id: 8, noticeChannelId: news }));
    h.fake.failNext({ method: "POST", path: `/channels/${news}/messages` }, 400, {
      body: { code: 50035, message: "Invalid Form Body" },
    });
    await announcer.onArticle(ARTICLE, homeFeed({ id: 9 }));
    expect(channelPosts(mark).filter((r) => r.path === `/channels/${mods}/messages`)).toEqual([]);
  });
});

describe("the announcer at a stop", () => {
  it("waits for the posts under way, up to the time given, and says how many are left", async () => {
    h.fake.delayNext({ method: "POST", path: `/channels/${news}/messages` }, 400);
    const mark = h.fake.requests.length;

    const posting = announcer.onArticle(ARTICLE, homeFeed());

    expect(await announcer.settle(20)).toBe(1);
    expect(await announcer.settle(5000)).toBe(0);
    expect(channelPosts(mark).map((r) => r.status)).toEqual([200]);
    await posting;
  });
});

describe("failing and recovered notices", () => {
  it("tells the feed's moderators where it was added when it fails, and when it works again", async () => {
    const mark = h.fake.requests.length;
    const feed = homeFeed({ channelId: undefined, title: "Home *Gazette*" });

    await announcer.onNotice(feed, {
      kind: "failing",
      reason: "fetch: https://news.example/feed.xml: HTTP 500 <@&123>",
      failures: 5,
    });
    await announcer.onNotice(feed, { kind: "recovered", failingSince: Date.UTC(2026, 2, 1) });

    const [failing, recovered, ...more] = channelPosts(mark);
    expect(more).toEqual([]);
    expect(failing?.path).toBe(`/channels/${mods}/messages`);
    const failingBody = failing?.body as MessageBody;
    expect(failingBody.content).toContain(
      "⚠️ The feed **Home \\*Gazette\\*** (<https://news.example/feed.xml>) stopped working after 5 failed tries",
    );
    expect(failingBody.content).toContain("HTTP 500 <\u200b@&123>");
    expect(failingBody.content).toContain("`/feeds list`");
    expect(failingBody.allowed_mentions).toEqual({ parse: [] });
    expect(recovered?.path).toBe(`/channels/${mods}/messages`);
    const recoveredBody = recovered?.body as MessageBody;
    expect(recoveredBody.content).toContain("works again");
    expect(recoveredBody.content).toContain(`<t:${Date.UTC(2026, 2, 1) / 1000}:R>`);
  });

  it("tells the feed's own channel when it has one; an operator's feed is only logged", async () => {
    const mark = h.fake.requests.length;
    await announcer.onNotice(homeFeed(), { kind: "failing", reason: "timed out", failures: 5 });
    await announcer.onNotice(
      homeFeed({ scope: "global", channelId: undefined, noticeChannelId: undefined }),
      { kind: "failing", reason: "timed out", failures: 5 },
    );

    expect(channelPosts(mark).map((r) => r.path)).toEqual([`/channels/${news}/messages`]);
  });
});

describe("Ask about this", () => {
  it("opens a modal, and answers its question from that article only, publicly, showing the question", async () => {
    const { messageId } = await announce();
    const user = h.newUser();

    const click = h.fake.sendButton({
      customId: `ask:about:${ARTICLE.id}`,
      message: messageId,
      user,
    });
    const modal = await click.modal();
    expect(modal.custom_id).toBe(`ask:about:${ARTICLE.id}`);
    expect(modal.title).toBe("Ask about Stone bridge *closes* for repairs…");
    expect(modal.title.length).toBeLessThanOrEqual(45);
    expect(modal.inputs).toEqual([
      expect.objectContaining({
        custom_id: "question",
        label: "Your question",
        style: 2,
        required: true,
        max_length: 1000,
      }),
    ]);
    expect((await h.logs.eventLine(click.id)).outcome).toBe("ok");

    // Both articles speak of the bridge in June, the folder's best (see /ask below); only the
    // announced one may answer.
    const question = "What happens to the stone bridge in June?";
    const submit = h.fake.sendModalSubmit({
      customId: modal.custom_id,
      values: { question },
      message: messageId,
      user,
    });
    const answer = await submit.final();
    expect(isEphemeral(answer)).toBe(false);
    expect(answer.content).toBe(
      `❓ About *Stone bridge \\*closes\\* for repairs @\u200beveryone*: ${question}`,
    );
    const text = embedText(answer.embeds);
    expect(text).toContain("Stone bridge");
    expect(text).not.toContain("Bridge tolls");
    expect(submit.message()?.channel_id).toBe(news);
    expect(await h.logs.eventLine(submit.id)).toMatchObject({
      kind: "modal",
      command: "ask:about",
      outcome: "ok",
    });
    expect(answer.allowed_mentions).toEqual({ parse: [] });

    const { reply: everywhere } = await askAsNewUser(h, question, general);
    expect(embedText(everywhere.embeds)).toContain("Bridge tolls");
  });

  it("tells privately that a server which cannot see the article has nothing to ask about", async () => {
    const click = h.fake.sendButton({
      customId: `ask:about:${ARTICLE.id}`,
      channelId: awayGeneral,
      user: h.newUser(),
    });

    const reply = await click.final();
    expect(click.responseType).toBe(4);
    expect(isEphemeral(reply)).toBe(true);
    expect(reply.content).toBe(replies.articleGone);
    expect(click.guildId).toBe(away);
  });

  it("tells privately when the article was removed, before or after the modal", async () => {
    const user = h.newUser();
    const { messageId } = await announce();
    const click = h.fake.sendButton({
      customId: `ask:about:${ARTICLE.id}`,
      message: messageId,
      user,
    });
    const modal = await click.modal();
    services.library.remove(ARTICLE.id);
    try {
      const submit = h.fake.sendModalSubmit({
        customId: modal.custom_id,
        values: { question: "When does it close?" },
        message: messageId,
        user,
      });
      const late = await submit.final();
      expect(isEphemeral(late)).toBe(true);
      expect(late.content).toBe(replies.articleGone);
      expect((await h.logs.eventLine(submit.id)).outcome).toBe("invalid");

      const again = h.fake.sendButton({ customId: modal.custom_id, message: messageId, user });
      const gone = await again.final();
      expect(again.responseType).toBe(4);
      expect(isEphemeral(gone)).toBe(true);
      expect(gone.content).toBe(replies.articleGone);
    } finally {
      services.library.add(ARTICLE, { guildId: home });
    }
  });

  it("asks privately for words when the question sent is blank", async () => {
    const submit = h.fake.sendModalSubmit({
      customId: `ask:about:${ARTICLE.id}`,
      values: { question: "  ?!  " },
      channelId: news,
      user: h.newUser(),
    });

    const reply = await submit.final();
    expect(isEphemeral(reply)).toBe(true);
    expect(reply.content).toBe(replies.emptyModalQuestion);
  });

  it("answers a modal nobody handles with a private line, as a stale button", async () => {
    const submit = h.fake.sendModalSubmit({
      customId: "nothing:here",
      values: { question: "hello" },
      channelId: general,
    });

    const reply = await submit.final();
    expect(isEphemeral(reply)).toBe(true);
    expect(reply.content).toBe(replies.staleModal);
    expect(await h.logs.eventLine(submit.id)).toMatchObject({
      kind: "modal",
      command: "unknown",
      outcome: "invalid",
    });
  });

  it("counts a modal's question against the asker's cooldown, as /ask", async () => {
    const user = h.newUser();
    const ask = () =>
      h.fake.sendModalSubmit({
        customId: `ask:about:${ARTICLE.id}`,
        values: { question: "How long will the bridge be closed?" },
        channelId: news,
        user,
      });
    for (let i = 0; i < h.config.cooldown.questions; i++) {
      const handle = ask();
      await handle.final();
      expect((await h.logs.eventLine(handle.id)).outcome).toBe("ok");
    }

    const refused = ask();
    const reply = await refused.final();
    expect(isEphemeral(reply)).toBe(true);
    expect((await h.logs.eventLine(refused.id)).outcome).toBe("cooldown");
  });
});
