/**
 * The moderators' slash commands as the bot registers them in every server it is in: `/pins`
 * with add, list and remove, shown to everyone; `/unanswered` and the Pin answer menu for
 * Manage Messages by default. (The commands themselves: pinsAdd, pinsList, pinsRemove and
 * unanswered .e2e.test.ts.)
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionContextType,
  PermissionFlagsBits,
} from "discord.js";
import { describe, expect, it } from "vitest";
import { guildB, h, usePinsHarness } from "./pinsHarness.js";

usePinsHarness();

describe("registration", () => {
  it("registers /pins with add, list and remove, shown to everyone, in servers only", () => {
    const registered = h.fake.registeredCommands(h.fake.guild.id);
    const command = registered.find((c) => c.name === "pins");

    expect(command).toMatchObject({
      type: ApplicationCommandType.ChatInput,
      default_member_permissions: null,
      contexts: [InteractionContextType.Guild],
    });
    expect(command?.options).toEqual([
      expect.objectContaining({
        type: ApplicationCommandOptionType.Subcommand,
        name: "add",
        options: [
          expect.objectContaining({
            name: "question",
            type: ApplicationCommandOptionType.String,
            required: true,
            max_length: 1000,
          }),
          expect.objectContaining({
            name: "article",
            type: ApplicationCommandOptionType.String,
            required: true,
            autocomplete: true,
          }),
          expect.objectContaining({
            name: "paragraph",
            type: ApplicationCommandOptionType.Integer,
            required: true,
            min_value: 1,
          }),
        ],
      }),
      expect.objectContaining({
        type: ApplicationCommandOptionType.Subcommand,
        name: "list",
        options: [
          expect.objectContaining({
            name: "page",
            type: ApplicationCommandOptionType.Integer,
            required: false,
            min_value: 1,
          }),
        ],
      }),
      expect.objectContaining({
        type: ApplicationCommandOptionType.Subcommand,
        name: "remove",
        options: [
          expect.objectContaining({
            name: "id",
            type: ApplicationCommandOptionType.Integer,
            required: true,
            min_value: 1,
            autocomplete: true,
          }),
        ],
      }),
    ]);
    // The same in every server the bot is in.
    expect(h.fake.registeredCommands(guildB().guildId).find((c) => c.name === "pins")).toEqual({
      ...command,
      id: expect.any(String),
      version: expect.any(String),
      guild_id: guildB().guildId,
    });
  });

  it("registers /unanswered and the Pin answer menu for Manage Messages by default, in servers only", () => {
    const registered = h.fake.registeredCommands(h.fake.guild.id);
    const manageMessages = PermissionFlagsBits.ManageMessages.toString();
    expect(manageMessages).toBe("8192");

    expect(registered.find((c) => c.name === "unanswered")).toMatchObject({
      type: ApplicationCommandType.ChatInput,
      default_member_permissions: "8192",
      contexts: [InteractionContextType.Guild],
      options: [
        expect.objectContaining({
          name: "page",
          type: ApplicationCommandOptionType.Integer,
          min_value: 1,
        }),
      ],
    });
    const menu = registered.find((c) => c.name === "Pin answer");
    expect(menu).toMatchObject({
      type: ApplicationCommandType.Message,
      default_member_permissions: "8192",
      contexts: [InteractionContextType.Guild],
    });
    expect(menu?.options ?? []).toEqual([]);
  });
});
