import { describe, expect, it } from "vitest";
import { feedChoice, feedListEmbed, feedName } from "../../../src/discord/format/format.js";
import type { StoredFeed } from "../../../src/feeds/FeedStore.js";
import { pageOf } from "../../../src/page.js";
import {
  assertChoicesWithinLimits,
  assertNoLiveMentions,
  assertWithinLimits,
} from "../limitsAssert.js";

const NOW = Date.parse("2025-03-20T12:00:00.000Z");
const seconds = (ms: number) => Math.floor(ms / 1000);

function feed(id: number, overrides: Partial<StoredFeed> = {}): StoredFeed {
  return {
    id,
    scope: { guildId: "100000000000000001" },
    url: `https://news.example/feed/${id}.xml`,
    title: `Desk ${id}`,
    nextPollAt: NOW,
    state: { failures: 0 },
    addedBy: "400000000000000004",
    addedAt: NOW,
    ...overrides,
  };
}

const linesOf = (feeds: StoredFeed[], limit = 20) =>
  (feedListEmbed(pageOf(feeds, { page: 1, pageSize: 10 }), 10, limit).description ?? "").split(
    "\n",
  );

describe("feedListEmbed", () => {
  it("shows each feed's state: read, failing with why, not read yet, a failed try after a read", () => {
    const lines = linesOf([
      feed(1, { channelId: "300000000000000003", lastSuccessAt: NOW - 60_000 }),
      feed(2, {
        state: { failures: 6, failingSince: NOW - 7_200_000, lastError: "fetch: x: timed out" },
      }),
      feed(3),
      feed(4, {
        lastSuccessAt: NOW - 600_000,
        state: { failures: 1, lastError: "fetch: x: the site answered 500" },
      }),
    ]);

    expect(lines).toEqual([
      `**#1** [Desk 1](https://news.example/feed/1.xml) · posted in <#300000000000000003> · ✅ read <t:${seconds(NOW - 60_000)}:R>`,
      `**#2** [Desk 2](https://news.example/feed/2.xml) · not posted · ⚠️ failing since <t:${seconds(NOW - 7_200_000)}:R>: fetch: x: timed out`,
      "**#3** [Desk 3](https://news.example/feed/3.xml) · not posted · ⏳ not read yet",
      `**#4** [Desk 4](https://news.example/feed/4.xml) · not posted · ✅ read <t:${seconds(NOW - 600_000)}:R> · last try failed: fetch: x: the site answered 500`,
    ]);
  });

  it("escapes what the sites wrote, and links only safe addresses", () => {
    const embed = feedListEmbed(
      pageOf(
        [
          feed(1, {
            title: "@everyone <@123456789012345678> **big** [x](https://evil.example)",
            url: "https://news.example/feed(1).xml",
            state: { failures: 5, failingSince: NOW, lastError: "<#300000000000000003> @here" },
          }),
        ],
        { page: 1, pageSize: 10 },
      ),
      10,
      20,
    );

    assertNoLiveMentions([embed.title ?? "", embed.description ?? "", embed.footer?.text ?? ""]);
    expect(embed.description).toContain("\\*\\*big\\*\\* \\[x\\]\\(https://evil.example\\)");
    // The address has parentheses, which would end a masked link early: the title is not linked.
    expect(embed.description).toMatch(/^\*\*#1\*\* @\u200beveryone/);
  });

  it("stays within Discord's limits with long titles, addresses and errors", () => {
    const feeds = Array.from({ length: 10 }, (_, i) =>
      feed(i + 1, {
        title: `${"Very long title ".repeat(20)}${i}`,
        url: `https://news.example/${"segment/".repeat(60)}${i}.xml`,
        channelId: "300000000000000003",
        state: { failures: 9, failingSince: NOW, lastError: "x".repeat(2000) },
      }),
    );
    const embed = feedListEmbed(pageOf(feeds, { page: 1, pageSize: 10 }), 10, 20);

    assertWithinLimits([embed]);
    // Every feed is shown, or counted in the "…and N more" that ends the list.
    const lines = (embed.description ?? "").split("\n");
    const shown = lines.filter((line) => /^\*\*#\d+\*\* /.test(line)).length;
    const more = Number(/^…and (\d+) more$/.exec(lines.at(-1) ?? "")?.[1] ?? 0);
    expect(shown).toBeGreaterThan(0);
    expect(shown + more).toBe(10);
  });

  it("says how to add a feed when there is none, and where the list ends past its end", () => {
    const empty = feedListEmbed(pageOf([], { page: 1, pageSize: 10 }), 10, 20);
    expect(empty.description).toContain("This server follows no feed yet.");
    expect(empty.footer?.text).toBe("Page 1 of 1 · 0 of 20 feeds allowed");

    const past = feedListEmbed(pageOf([feed(1)], { page: 3, pageSize: 10 }), 10, 20);
    expect(past.description).toBe("There is no page 3; the feeds end at page 1.");
    expect(past.footer?.text).toBe("Page 3 of 1 · 1 of 20 feeds allowed");
  });
});

describe("feedName and feedChoice", () => {
  it("names a feed without a title by its host and path", () => {
    const { title: _title, ...untitled } = feed(1);
    expect(feedName(untitled)).toBe("news.example/feed/1.xml");
    expect(feedName({ url: "https://news.example/" })).toBe("news.example");
    expect(feedName({ url: "https://news.example/", title: "  " })).toBe("news.example");
    expect(feedChoice(untitled)).toEqual({ name: "#1 · news.example/feed/1.xml", value: 1 });
  });

  it("gives number, title and address as plain text within 100 characters", () => {
    const choice = feedChoice(
      feed(7, {
        title: "**Big** <@123456789012345678>",
        url: `https://x.example/${"a".repeat(200)}`,
      }),
    );
    assertChoicesWithinLimits([choice]);
    expect(choice.name).toMatch(
      /^#7 · \*\*Big\*\* <\u200b@123456789012345678> · https:\/\/x\.example\/a+…$/,
    );
    expect(choice.value).toBe(7);
  });
});
