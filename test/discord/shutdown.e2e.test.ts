/**
 * A graceful stop end to end (`bot.stop()`, what SIGTERM calls): the questions in flight are
 * finished, the ones that come meanwhile are told to ask again, and nothing is left thinking or
 * unacknowledged; a handler that never ends delays the stop by the drain deadline only, and its
 * asker is told to ask again instead of watching "thinking…" forever.
 */
import { MessageFlags } from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import { embedText, type Harness, startHarness } from "./botHarness.js";

const CEASEFIRE = "How long would the ceasefire last?";

let h: Harness | undefined;

afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe("bot.stop()", () => {
  it("finishes the questions in flight and tells a new one to ask again, privately", async () => {
    const harness = await startHarness({ cooldown: { questions: 100, perSeconds: 60 } });
    h = harness;
    // The deferrals are held a little, so the questions are still in flight when the stop comes.
    harness.fake.delayNext({ method: "POST", path: /\/callback$/ }, 400, 3);
    const inFlight = Array.from({ length: 3 }, () =>
      harness.fake.sendSlashCommand({
        name: "ask",
        options: { question: CEASEFIRE },
        user: harness.newUser(),
      }),
    );
    await harness.fake.waitFor(
      () =>
        inFlight.every((handle) =>
          harness.fake.requests.some((r) => r.path.startsWith(`/interactions/${handle.id}/`)),
        ),
      5000,
      "the three deferrals",
    );

    const stopped = harness.bot.stop();
    await harness.logs.waitFor((line) => line.msg === "draining");
    const late = harness.fake.sendSlashCommand({
      name: "ask",
      options: { question: CEASEFIRE },
      user: harness.newUser(),
    });
    const turnedAway = await late.final();
    await stopped;

    expect(turnedAway.content).toContain("restarting");
    expect((turnedAway.flags ?? 0) & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    for (const handle of inFlight)
      expect(embedText((await handle.final()).embeds)).toContain("30-day");
    expect(harness.fake.tally()).toMatchObject({ sent: 4, lost: 0, thinking: 0, pending: 0 });
    expect(harness.logs.lines).toContainEqual(
      expect.objectContaining({ msg: "drained", finished: 3 }),
    );
  });

  it("tells a button click and a modal sent while stopping to ask again, privately", async () => {
    const harness = await startHarness();
    h = harness;
    // One question held in flight keeps the bot draining while the others come.
    harness.fake.delayNext({ method: "POST", path: /\/callback$/ }, 400);
    const held = harness.fake.sendSlashCommand({ name: "ask", options: { question: CEASEFIRE } });
    await harness.fake.waitForRequest((r) => r.path.startsWith(`/interactions/${held.id}/`));

    const stopped = harness.bot.stop();
    await harness.logs.waitFor((line) => line.msg === "draining");
    const article = harness.services.library.list(harness.fake.guild.id)[0];
    const click = harness.fake.sendButton({ customId: `ask:about:${article?.id}` });
    const submit = harness.fake.sendModalSubmit({
      customId: `ask:about:${article?.id}`,
      values: { question: CEASEFIRE },
    });
    const [clicked, submitted] = [await click.final(), await submit.final()];
    await stopped;

    for (const reply of [clicked, submitted]) {
      expect(reply.content).toContain("restarting");
      expect((reply.flags ?? 0) & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    }
    expect(harness.fake.tally()).toMatchObject({ sent: 3, lost: 0, thinking: 0, pending: 0 });
  });

  it("stops after the drain deadline when a reply never completes, saying how many were left and telling the asker", async () => {
    const harness = await startHarness({ drainSeconds: 1 });
    h = harness;
    harness.fake.hangNext({ method: "PATCH", pathPrefix: "/webhooks/" });
    const handle = harness.fake.sendSlashCommand({
      name: "ask",
      options: { question: CEASEFIRE },
      user: harness.newUser(),
    });
    await harness.fake.waitForRequest({ method: "PATCH", pathPrefix: `/webhooks/` });
    expect(handle.lost).toBe(false);

    await harness.bot.stop();

    expect(harness.logs.lines).toContainEqual(
      expect.objectContaining({ level: "warn", msg: "drain deadline passed", unfinished: 1 }),
    );
    // Its "thinking…" did not stay: the asker was told, privately, to ask again.
    const told = await handle.followup(0);
    expect(told.content).toContain("ask again");
    expect((told.flags ?? 0) & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(harness.fake.tally()).toMatchObject({ lost: 0, thinking: 0 });
  });
});
