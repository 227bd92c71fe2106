/**
 * Per-server articles end to end: two servers on the fake Discord, each with an article of its
 * own in the library beside the folder's. Everything a member of one server can reach (answers,
 * the list, a paragraph, autocomplete, summaries) shows its own and the global articles, never
 * the other server's.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadServices } from "../../src/services.js";
import { makeTempDir, removeTempDir, writeFiles } from "../corpus/tempDir.js";
import { embedText, type Harness, isEphemeral, startHarness } from "./botHarness.js";

let h: Harness;
let dir: string;
let home: string;
let away: string;

beforeAll(async () => {
  dir = await makeTempDir();
  await writeFiles(dir, {
    "ferry.txt": "Ferry timetable changes\n\nThe island ferry will sail twice a day from May.",
  });
  const services = await loadServices({ dataDir: dir });
  h = await startHarness({
    services,
    guilds: [
      { name: "Home", channels: [{ name: "general" }] },
      { name: "Away", channels: [{ name: "general" }] },
    ],
  });
  [home, away] = h.fake.guilds.map((g) => g.id) as [string, string];
  services.library.add(
    {
      id: "home-bridge",
      title: "Home bridge closes for repairs",
      paragraphs: ["The old stone bridge in Home town closes for repairs for six weeks in June."],
    },
    { guildId: home },
  );
  services.library.add(
    {
      id: "away-bridge",
      title: "Away bridge reopens",
      paragraphs: ["The stone bridge in Away town reopened in June after repairs of six weeks."],
    },
    { guildId: away },
  );
});

afterAll(async () => {
  await h?.stop();
  if (dir) await removeTempDir(dir);
});

/** The fake places an interaction in the guild of its channel: each server's #general. */
const channelOf = (guildId: string) =>
  h.fake.guilds.find((g) => g.id === guildId)?.channels[0]?.id ?? "";

function command(
  guildId: string,
  name: string,
  options: Record<string, string | number>,
  subcommand?: string,
) {
  return h.fake.sendSlashCommand({
    name,
    ...(subcommand === undefined ? {} : { subcommand }),
    options,
    guildId,
    channelId: channelOf(guildId),
    user: h.newUser(),
  });
}

const QUESTION = "How long will the stone bridge close for repairs in June?";

describe("per-server articles on the fake Discord", () => {
  it("/ask cites the asking server's article, never the other's", async () => {
    const homeText = embedText((await command(home, "ask", { question: QUESTION }).final()).embeds);
    const awayText = embedText((await command(away, "ask", { question: QUESTION }).final()).embeds);
    expect(homeText).toContain("Home bridge closes");
    expect(homeText).not.toContain("Away bridge");
    expect(awayText).toContain("Away bridge reopens");
    expect(awayText).not.toContain("Home bridge");
  });

  it("/articles lists the global articles and the server's own only", async () => {
    const text = embedText((await command(away, "articles", {}, "list").final()).embeds);
    expect(text).toContain("Ferry timetable changes");
    expect(text).toContain("Away bridge reopens");
    expect(text).not.toContain("Home bridge");
  });

  it("/source and /summary treat another server's article as unknown", async () => {
    const source = await command(away, "source", { article: "home-bridge", paragraph: 1 }).final();
    expect(isEphemeral(source)).toBe(true);
    expect(source.content).toContain("home-bridge");
    expect(embedText(source.embeds)).not.toContain("six weeks");
    const summary = await command(away, "summary", { article: "home-bridge" }).final();
    expect(isEphemeral(summary)).toBe(true);
    expect(embedText(summary.embeds)).not.toContain("Home bridge");
    const own = await command(home, "source", { article: "home-bridge", paragraph: 1 }).final();
    expect(embedText(own.embeds)).toContain("six weeks");
  });

  it("topic summaries and autocomplete leave the other server's article out", async () => {
    const topic = await command(away, "summary", { topic: "stone bridge repairs" }).final();
    expect(embedText(topic.embeds)).toContain("Away bridge");
    expect(embedText(topic.embeds)).not.toContain("Home bridge");
    const choices = await h.fake
      .sendAutocomplete({
        name: "source",
        guildId: away,
        channelId: channelOf(away),
        user: h.newUser(),
        focused: { name: "article", value: "bridge" },
      })
      .final();
    expect((choices.choices ?? []).map((c) => c.value)).toEqual(["away-bridge"]);
  });
});
