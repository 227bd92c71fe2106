/**
 * The bot's REST transport against the fake Discord, under Discord's rules for interactions:
 * their webhooks are not held by the client-side global limiter, a real 429 is honoured and
 * logged once, a hung callback is given up before Discord's 3-second deadline and logged with
 * the interaction.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, type LogLine, startHarness } from "../botHarness.js";

const CEASEFIRE = "How long would the ceasefire last?";
const RATE_LIMITED = "rate limited by Discord (429)";

/** Log lines about rate limits (Discord's 429s, or the client holding requests back). */
function rateLimitLines(lines: readonly LogLine[]): LogLine[] {
  return lines.filter((line) => /rate limit/i.test(String(line.msg)));
}

describe("with a client-side global limit of 2 requests a second", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({
      cooldown: { questions: 100, perSeconds: 60 },
      rest: { globalRequestsPerSecond: 2 },
    });
  });

  afterAll(async () => {
    await h?.stop();
  });

  it("answers 8 questions at once without holding their edits back (Discord exempts interactions)", async () => {
    const before = h.logs.lines.length;
    const handles = Array.from({ length: 8 }, () =>
      h.fake.sendSlashCommand({ name: "ask", options: { question: CEASEFIRE }, user: h.newUser() }),
    );
    await Promise.all(handles.map((handle) => h.logs.eventLine(handle.id)));

    const edits = handles.map((handle) => handle.edits().length);
    expect(edits).toEqual(handles.map(() => 1));
    expect(h.fake.tally()).toMatchObject({ lost: 0, thinking: 0 });
    // Neither a 429 (there was none) nor an edit waiting for the client's own limiter.
    expect(rateLimitLines(h.logs.lines.slice(before))).toEqual([]);
  });
});

describe("faults on interaction routes", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ cooldown: { questions: 100, perSeconds: 60 } });
  });

  afterAll(async () => {
    await h?.stop();
  });

  it("retries a callback Discord answers with 429, and logs that 429 once, with route, wait and scope", async () => {
    h.fake.failNext({ method: "POST", path: /\/callback$/ }, 429, { retryAfter: 0.2 });
    const handle = h.fake.sendSlashCommand({
      name: "ask",
      options: { question: CEASEFIRE },
      user: h.newUser(),
    });

    await handle.final();
    const logged = h.logs.lines.filter(
      (line) => line.msg === RATE_LIMITED && line.interactionId === handle.id,
    );
    expect(logged).toEqual([
      expect.objectContaining({
        level: "warn",
        method: "POST",
        route: "/interactions/:id/:token/callback",
        retryAfterMs: 200,
        scope: "user",
        global: false,
      }),
    ]);
    expect(h.fake.tally()).toMatchObject({ lost: 0, thinking: 0 });
  });

  it("retries an edit Discord answers with a global 429, and logs it as global", async () => {
    const before = h.logs.lines.length;
    h.fake.failNext({ method: "PATCH", pathPrefix: "/webhooks/" }, 429, {
      retryAfter: 0.1,
      global: true,
    });
    const handle = h.fake.sendSlashCommand({
      name: "ask",
      options: { question: CEASEFIRE },
      user: h.newUser(),
    });

    await handle.final();
    const logged = h.logs.lines.slice(before).filter((line) => line.msg === RATE_LIMITED);
    expect(logged).toEqual([
      expect.objectContaining({
        route: "/webhooks/:id/:token/messages/%40original",
        retryAfterMs: 100,
        scope: "global",
        global: true,
      }),
    ]);
    expect(JSON.stringify(logged)).not.toContain(handle.token);
  });

  it("gives up a hung callback before Discord's 3-second deadline and logs it with the interaction id", async () => {
    h.fake.hangNext({ method: "POST", path: /\/callback$/ });
    const handle = h.fake.sendSlashCommand({
      name: "ask",
      options: { question: CEASEFIRE },
      user: h.newUser(),
    });

    const hung = await h.fake.waitFor(
      () =>
        h.fake.requests.find(
          (r) => r.abandoned && r.path.startsWith(`/interactions/${handle.id}/`),
        ),
      5000,
      "the hung callback abandoned by the bot",
    );
    // While Discord still waits: the bot knew in time, instead of 15 s later.
    expect(hung.answeredAt).toBeLessThan(handle.createdAt + 3000);
    const failed = await h.logs.waitFor((line) => line.id === handle.id && line.level === "error");
    expect(failed).toMatchObject({
      msg: "handler failed",
      err: expect.objectContaining({ type: "InteractionCallbackTimeoutError" }),
    });
    expect(String((failed.err as { message: string }).message)).toContain(handle.id);
  });
});
