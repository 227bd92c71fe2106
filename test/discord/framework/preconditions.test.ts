import { PermissionFlagsBits, PermissionsBitField } from "discord.js";
import { describe, expect, it } from "vitest";
import { replies } from "../../../src/discord/format/replies.js";
import { Cooldown } from "../../../src/discord/framework/Cooldown.js";
import {
  type Asker,
  checkPreconditions,
  mergePreconditions,
  requireGuildId,
} from "../../../src/discord/framework/preconditions.js";

const member = (...flags: bigint[]): Asker => ({
  userId: "200000000000000001",
  guildId: "100000000000000001",
  permissions: new PermissionsBitField(flags),
});
const direct: Asker = { userId: "200000000000000001", guildId: null, permissions: null };

describe("checkPreconditions", () => {
  it("lets everything through when nothing is required", () => {
    expect(checkPreconditions({}, direct, new Cooldown({ questions: 1, perSeconds: 60 }))).toBe(
      undefined,
    );
  });

  it("refuses guild-only and moderator-only outside a server, as invalid", () => {
    const cooldown = new Cooldown({ questions: 5, perSeconds: 60 });
    for (const required of [{ guildOnly: true }, { moderatorOnly: true }, { managerOnly: true }]) {
      expect(checkPreconditions(required, direct, cooldown)).toMatchObject({
        outcome: "invalid",
        content: replies.guildOnly,
      });
    }
  });

  it("accepts Manage Messages or Pin Messages as a moderator, refuses other members", () => {
    const cooldown = new Cooldown({ questions: 5, perSeconds: 60 });
    const required = { moderatorOnly: true };
    expect(checkPreconditions(required, member(PermissionFlagsBits.ManageMessages), cooldown)).toBe(
      undefined,
    );
    expect(checkPreconditions(required, member(PermissionFlagsBits.PinMessages), cooldown)).toBe(
      undefined,
    );
    expect(
      checkPreconditions(required, member(PermissionFlagsBits.SendMessages), cooldown),
    ).toEqual({ outcome: "forbidden", content: replies.notModerator, firstRefusal: true });
  });

  it("accepts Manage Server as a manager of news sources, refuses moderators without it", () => {
    const cooldown = new Cooldown({ questions: 5, perSeconds: 60 });
    const required = { managerOnly: true };
    expect(checkPreconditions(required, member(PermissionFlagsBits.ManageGuild), cooldown)).toBe(
      undefined,
    );
    for (const flag of [PermissionFlagsBits.ManageMessages, PermissionFlagsBits.PinMessages]) {
      expect(checkPreconditions(required, member(flag), cooldown)).toEqual({
        outcome: "forbidden",
        content: replies.notManager,
        firstRefusal: true,
      });
    }
  });

  it("takes a question from the cooldown, and says when to ask again once it is spent", () => {
    let now = 1_000_000;
    const cooldown = new Cooldown({ questions: 2, perSeconds: 60 }, () => now);
    const asker = member();
    expect(checkPreconditions({ cooldown: true }, asker, cooldown)).toBeUndefined();
    expect(checkPreconditions({ cooldown: true }, asker, cooldown)).toBeUndefined();
    const first = checkPreconditions({ cooldown: true }, asker, cooldown);
    expect(first).toMatchObject({ outcome: "cooldown", firstRefusal: true });
    expect(first?.content).toContain(`<t:${Math.ceil((1_000_000 + 60_000) / 1000)}:R>`);
    expect(checkPreconditions({ cooldown: true }, asker, cooldown)?.firstRefusal).toBe(false);
    now += 60_000;
    expect(checkPreconditions({ cooldown: true }, asker, cooldown)).toBeUndefined();
  });

  it("costs no question when a moderator action is refused", () => {
    const cooldown = new Cooldown({ questions: 1, perSeconds: 60 });
    const asker = member();
    const required = { moderatorOnly: true, cooldown: true };
    expect(checkPreconditions(required, asker, cooldown)?.outcome).toBe("forbidden");
    expect(checkPreconditions({ cooldown: true }, asker, cooldown)).toBeUndefined();
  });
});

describe("mergePreconditions and requireGuildId", () => {
  it("adds a subcommand's preconditions to its command's", () => {
    expect(mergePreconditions({ guildOnly: true }, { moderatorOnly: true }, undefined)).toEqual({
      guildOnly: true,
      moderatorOnly: true,
    });
  });

  it("gives the server, or throws for a handler that forgot to declare guildOnly", () => {
    expect(requireGuildId({ guildId: "100000000000000001" })).toBe("100000000000000001");
    expect(() => requireGuildId({ guildId: null })).toThrow(/declare guildOnly/);
  });
});
