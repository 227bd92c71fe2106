import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadCommands } from "../../../src/discord/framework/loader.js";
import { DEFAULT_COMMANDS_DIR } from "../../../src/paths.js";

const fixtures = fileURLToPath(new URL("fixtures/loader/", import.meta.url));
const folder = (name: string) => path.join(fixtures, name);

describe("loadCommands", () => {
  it("loads every command module in file-name order, skipping dotfiles, .d.ts and other files", async () => {
    const commands = await loadCommands(folder("good"));

    expect(commands.map((command) => command.data.name)).toEqual(["echo", "ping", "Quote this"]);
    expect(commands[2]?.data.type).toBe(3);
    expect(commands[1]?.components?.map((component) => component.prefix)).toEqual(["ping:again"]);
  });

  it("names the file of a module without a default export", async () => {
    await expect(loadCommands(folder("missing-export"))).rejects.toThrow(
      /^loader: missing-export[/\\]ping\.ts: has no default export/,
    );
  });

  it("names both files of a duplicate command name", async () => {
    await expect(loadCommands(folder("duplicate"))).rejects.toThrow(
      /^loader: duplicate[/\\]echo\.ts: a second command named "echo" \(first: duplicate[/\\]echo\.js\)/,
    );
  });

  it("refuses a data.name that is not the file name", async () => {
    await expect(loadCommands(folder("mismatch"))).rejects.toThrow(
      /^loader: mismatch[/\\]pong\.ts: data\.name is "ping", so the file should be ping\.ts, not "pong"/,
    );
  });

  it("names a context-menu command's file after its name in lower case with hyphens", async () => {
    await expect(loadCommands(folder("menu-mismatch"))).rejects.toThrow(
      /^loader: menu-mismatch[/\\]quote\.ts: data\.name is "Quote this", so the file should be quote-this\.ts/,
    );
  });

  it("refuses user context-menu commands (type 2), which nothing handles", async () => {
    await expect(loadCommands(folder("user-menu"))).rejects.toThrow(
      /^loader: user-menu[/\\]profile\.ts: data\.type is 2: only slash commands/,
    );
  });

  it("refuses a command without an execute function", async () => {
    await expect(loadCommands(folder("no-execute"))).rejects.toThrow(
      /^loader: no-execute[/\\]ping\.ts: default export has no execute function/,
    );
  });

  it("refuses subcommand handlers that are not the subcommands the command registers", async () => {
    await expect(loadCommands(folder("subcommand-mismatch"))).rejects.toThrow(
      /^loader: subcommand-mismatch[/\\]notes\.ts: subcommands handles \[add\] but data registers \[add, remove\]/,
    );
  });

  it("refuses two buttons with one custom_id prefix", async () => {
    await expect(loadCommands(folder("duplicate-prefix"))).rejects.toThrow(
      /^loader: duplicate-prefix[/\\]ping\.ts: button prefix "ping:again" is already handled/,
    );
  });

  it("refuses two modals with one custom_id prefix, not a button and a modal", async () => {
    await expect(loadCommands(folder("duplicate-modal"))).rejects.toThrow(
      /^loader: duplicate-modal[/\\]ping\.ts: modal prefix "ping:again" is already handled/,
    );
  });

  it("refuses a modal whose prefix is not its command's", async () => {
    await expect(loadCommands(folder("modal-prefix"))).rejects.toThrow(
      /^loader: modal-prefix[/\\]ping\.ts: modals\[0\]\.prefix must start with "ping:", got "pong:form"/,
    );
  });

  it("passes on the error of a module that throws when imported", async () => {
    await expect(loadCommands(folder("throws"))).rejects.toThrow(
      /^loader: throws[/\\]boom\.ts: cannot be imported: Error: boom at import/,
    );
  });

  it("names a missing folder", async () => {
    await expect(loadCommands(folder("nowhere"))).rejects.toThrow(
      /^loader: cannot read the commands folder .*nowhere/,
    );
  });

  it("loads the project's commands, each named after its file", async () => {
    const commands = await loadCommands();

    expect(DEFAULT_COMMANDS_DIR).toMatch(/commands$/);
    expect(commands.map((command) => command.data.name)).toEqual([
      "articles",
      "ask",
      "feeds",
      "help",
      "insights",
      "Pin answer",
      "pins",
      "source",
      "summary",
      "unanswered",
    ]);
  });
});
