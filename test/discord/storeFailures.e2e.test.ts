/**
 * Issue 11, the database's part: the real bot on the fake Discord, its pin database a real file
 * in a temp folder, and the three failures measured from outside:
 * - another process holds the write lock: every `/ask` is still acknowledged within Discord's
 *   3 s (the fake refuses a later first callback with 10062, as Discord does), and what follows
 *   the answers is written once the lock is free;
 * - the database's folder is deleted while the bot runs: a pin is refused with the reason, never
 *   confirmed and lost, and the next start says a new empty database is created;
 * - the file is made read-only: a pin is refused with the reason, not "no record of this answer".
 */
import { execFile } from "node:child_process";
import { chmod, rm } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/log.js";
import { makeTempDir, openPinStore, removeTempDir } from "../pins/fixtures.js";
import { runningAsRoot, startWorker } from "../pins/workers.js";
import {
  answeredPrivately,
  askAsNewUser,
  embedText,
  type Harness,
  sentBodies,
  startHarness,
} from "./botHarness.js";

const CEASEFIRE = "How long would the ceasefire last?";
const SEED_ID = "kremlin-putin-message-trump-ceasefire";
/** Discord's deadline for an interaction's first callback. */
const DISCORD_DEADLINE_MS = 3_000;
/** Questions asked at once while the database is locked. */
const BURST = 10;

let dir: string;
let file: string;
let h: Harness;

beforeEach(async () => {
  dir = await makeTempDir();
  file = path.join(dir, "var", "newsdesk.sqlite");
  h = await startHarness({ databasePath: file, interactionDeadlineMs: DISCORD_DEADLINE_MS });
});

afterEach(async () => {
  try {
    await h.stop();
  } finally {
    await removeTempDir(dir);
  }
});

/** The texts of every message the bot sent that confirms a pin. */
const confirmations = () =>
  sentBodies(h.fake)
    .map(({ body }) => body.content ?? "")
    .filter((content) => content.includes("Pinned as #"));

/** `/pins add` of the seed article's paragraph 4, by a new moderator. */
const pinsAdd = () =>
  h.fake.sendSlashCommand({
    name: "pins",
    subcommand: "add",
    options: { question: CEASEFIRE, article: SEED_ID, paragraph: 4 },
    role: "moderator",
    user: h.newUser(),
  });

/** A moderator clicks "📌 Pin answer" on the answer in message `messageId`. */
const pinButton = (messageId: string) =>
  h.fake.sendButton({
    customId: "pins:answer",
    message: messageId,
    role: "moderator",
    user: h.newUser(),
  });

describe("another process holds the database's write lock", () => {
  it("acknowledges every /ask of a burst in time, and writes their records once the lock is free", {
    timeout: 60_000,
  }, async () => {
    const holder = startWorker(["hold", file]);
    expect(await holder.nextLine()).toBe("locked");
    let messageIds: string[];
    try {
      const handles = Array.from({ length: BURST }, () =>
        h.fake.sendSlashCommand({
          name: "ask",
          options: { question: CEASEFIRE },
          user: h.newUser(),
        }),
      );
      const replies = await Promise.all(handles.map((handle) => handle.final(15_000)));
      const tally = h.fake.tally();
      expect(tally.lateCallbacks).toBe(0);
      expect(tally.lost).toBe(0);
      for (const reply of replies) expect(embedText(reply.embeds)).toContain("ceasefire");
      await Promise.all(handles.map((handle) => h.logs.eventLine(handle.id)));
      messageIds = handles.map((handle) => handle.message()?.id ?? "");
      // Queued, not lost: a moderator could pin them already.
      for (const id of messageIds) {
        expect((await h.pins.getAnswer(h.fake.guild.id, id))?.question).toBe(CEASEFIRE);
      }
      expect(h.logs.lines.filter((line) => line.level === "error")).toEqual([]);
    } finally {
      holder.child.stdin.write("release\n");
    }
    expect(await holder.nextLine()).toBe("released");

    await h.pins.flush();
    // Another connection sees them in the file.
    const reader = await openPinStore(file, { log: createLogger({ level: "error" }) });
    try {
      for (const id of messageIds) {
        expect((await reader.getAnswer(h.fake.guild.id, id))?.question).toBe(CEASEFIRE);
      }
    } finally {
      await reader.close();
    }
    expect(h.logs.lines.some((line) => line.msg === "pins: queued records written")).toBe(true);
  });
});

describe("the database's folder is deleted while the bot runs", () => {
  it("refuses a pin with the reason, confirms none, and the next start says it creates a new database", async () => {
    const { messageId } = await askAsNewUser(h, CEASEFIRE);
    await rm(path.dirname(file), { recursive: true });

    const added = pinsAdd();
    const addTold = await added.final();
    expect(addTold.content).toMatch(
      /^Nothing was pinned: .*pins: the database at .* is not writable: it is gone/,
    );
    expect(await answeredPrivately(added)).toBe(true);
    const clicked = pinButton(messageId);
    const clickTold = await clicked.final();
    expect(clickTold.content).toMatch(/^Nothing was pinned: .* is not writable: it is gone/);
    expect(await answeredPrivately(clicked)).toBe(true);
    expect(confirmations()).toEqual([]);

    await h.restartBot();
    const notice = await h.logs.waitFor(
      (line) =>
        typeof line.msg === "string" && line.msg.includes("a new empty database is created"),
    );
    expect(notice.level).toBe("info");
    expect((await h.pins.listPins(h.fake.guild.id, { page: 1, pageSize: 10 })).total).toBe(0);
  });
});

const run = promisify(execFile);

/**
 * Makes `target` unwritable for this process, and returns how to undo it; undefined when it
 * cannot here. Root writes any file whatever its mode, so as root the file is made immutable
 * (chattr +i, which needs a file system that has the flag), else its mode is 0444.
 */
async function makeReadOnly(target: string): Promise<(() => Promise<unknown>) | undefined> {
  if (!runningAsRoot) {
    await chmod(target, 0o444);
    return () => chmod(target, 0o644);
  }
  try {
    await run("chattr", ["+i", target]);
  } catch {
    return undefined;
  }
  return () => run("chattr", ["-i", target]);
}

describe("the database file is made read-only while the bot runs", () => {
  it("refuses a pin with the reason, not 'no record of this answer', and confirms none", async ({
    skip,
  }) => {
    const { messageId } = await askAsNewUser(h, CEASEFIRE);
    const undo = await makeReadOnly(file);
    if (!undo) return skip("root, and chattr +i does not work on this file system");
    try {
      const clicked = pinButton(messageId);
      const clickTold = await clicked.final();
      expect(clickTold.content).toMatch(
        /^Nothing was pinned: .*pins: the database at .* is not writable: E[A-Z]+/,
      );
      expect(await answeredPrivately(clicked)).toBe(true);
      const added = pinsAdd();
      expect((await added.final()).content).toMatch(/^Nothing was pinned: .* is not writable: /);
      expect(await answeredPrivately(added)).toBe(true);
    } finally {
      await undo();
    }
    expect(confirmations()).toEqual([]);
    expect(await h.pins.getPinByMessage(h.fake.guild.id, messageId)).toBeUndefined();
  });
});
