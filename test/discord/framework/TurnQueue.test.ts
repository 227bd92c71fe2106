import { describe, expect, it } from "vitest";
import { TurnQueue } from "../../../src/discord/framework/TurnQueue.js";

describe("TurnQueue", () => {
  it("resumes waiters in order, one per event-loop turn, letting other queued work run between", async () => {
    const turns = new TurnQueue();
    const marks: string[] = [];
    const waited = [1, 2, 3].map((n) => turns.wait().then(() => marks.push(`turn ${n}`)));
    // Work that became ready meanwhile (as a gateway event or a response would).
    setImmediate(() => marks.push("other work"));
    expect(turns.size).toBe(3);

    await Promise.all(waited);

    expect(marks).toEqual(["turn 1", "other work", "turn 2", "turn 3"]);
    expect(turns.size).toBe(0);
  });
});
