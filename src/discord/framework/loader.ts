/**
 * Loads the commands from `commands/`: one file per command, the file name being the command's
 * name (a slash command, type 1) or its name in lower case with hyphens (a message context-menu
 * command, type 3: "Pin answer" in `pin-answer.ts`). The bot and the deploy script both load the list from here, so it is never
 * kept by hand twice. A bad file stops the load with an error naming the file and the problem:
 * a command that silently went missing would only show up as "This interaction failed".
 */
import fs from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { DEFAULT_COMMANDS_DIR } from "../../paths.js";
import { type Command, commandFileName } from "./command.js";

/** Command modules: TypeScript under tsx and vitest, JavaScript once compiled. */
const MODULE = /^(?!\.)(?!.*\.d\.[mc]?ts$)(.+)\.(?:[mc]?ts|[mc]?js)$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/**
 * What is wrong with a command's `subcommands`: each must have an execute function, and their
 * names must be exactly the subcommands `data` registers (a registered subcommand without a
 * handler would fail only when someone uses it).
 */
function subcommandProblem(
  data: Record<string, unknown>,
  subcommands: unknown,
): string | undefined {
  if (!isObject(subcommands)) return "subcommands is not an object";
  for (const [name, sub] of Object.entries(subcommands)) {
    if (!isObject(sub) || typeof sub.execute !== "function") {
      return `subcommands.${name} has no execute function`;
    }
  }
  const options = Array.isArray(data.options) ? data.options : [];
  const registered = options
    .filter((option) => isObject(option) && option.type === 1)
    .map((option) => String((option as Record<string, unknown>).name))
    .sort();
  const handled = Object.keys(subcommands).sort();
  if (registered.join() !== handled.join()) {
    return `subcommands handles [${handled.join(", ")}] but data registers [${registered.join(", ")}]`;
  }
  return undefined;
}

/** What is wrong with a module's default export, or undefined when it is a {@link Command}. */
function problemOf(exported: unknown, name: string): string | undefined {
  if (exported === undefined) {
    return "has no default export (export default { data, execute } satisfies SlashCommand)";
  }
  if (!isObject(exported)) return "default export is not an object";
  const { data, execute, autocomplete, components } = exported;
  if (!isObject(data)) return "default export has no data object";
  if (typeof data.name !== "string") return "data.name is not a string";
  if (data.type !== undefined && data.type !== 1 && data.type !== 3) {
    return `data.type is ${String(data.type)}: only slash commands (type 1) and message context-menu commands (type 3) are loaded`;
  }
  const menu = data.type === 3;
  if (menu ? commandFileName(data.name) !== name : data.name !== name) {
    const expected = menu ? `${commandFileName(data.name)}.ts` : `${data.name}.ts`;
    return `data.name is "${data.name}", so the file should be ${expected}, not "${name}": rename one`;
  }
  const { subcommands } = exported;
  if (subcommands !== undefined) {
    if (menu) return "a context-menu command has no subcommands";
    if (execute !== undefined) return "give either execute or subcommands, not both";
    const problem = subcommandProblem(data, subcommands);
    if (problem) return problem;
  } else if (typeof execute !== "function") {
    return "default export has no execute function";
  }
  if (autocomplete !== undefined && (menu || typeof autocomplete !== "function")) {
    return menu
      ? "a context-menu command has no options to autocomplete"
      : "autocomplete is not a function";
  }
  return (
    handlersProblem(components, "components", name) ??
    handlersProblem(exported.modals, "modals", name)
  );
}

/**
 * What is wrong with a command's button or modal handlers: each must have a `handle` function and
 * a prefix starting with the command's name, so that a custom_id says which file answers it.
 */
function handlersProblem(
  handlers: unknown,
  key: "components" | "modals",
  name: string,
): string | undefined {
  if (handlers === undefined) return undefined;
  if (!Array.isArray(handlers)) return `${key} is not an array`;
  for (const [i, handler] of handlers.entries()) {
    if (!isObject(handler) || typeof handler.handle !== "function") {
      return `${key}[${i}] has no handle function`;
    }
    const prefix = handler.prefix;
    if (typeof prefix !== "string" || !prefix.startsWith(`${name}:`)) {
      return `${key}[${i}].prefix must start with "${name}:", got ${JSON.stringify(prefix)}`;
    }
  }
  return undefined;
}

/**
 * Imports every command module of `dir` (not recursively; dotfiles and `.d.ts` skipped), in
 * file-name order.
 *
 * @param dir - the commands folder (default {@link DEFAULT_COMMANDS_DIR})
 * @throws Error `loader: <file>: <problem>` for a module that does not load or whose default
 *   export is not a {@link Command} named after the file, and for two modules of one name, two
 *   buttons of one custom_id prefix or two modals of one
 */
export async function loadCommands(dir: string = DEFAULT_COMMANDS_DIR): Promise<Command[]> {
  let names: string[];
  try {
    names = (await fs.readdir(dir, { withFileTypes: true }))
      .filter((entry) => entry.isFile() && MODULE.test(entry.name))
      .map((entry) => entry.name)
      .sort();
  } catch (cause) {
    throw new Error(`loader: cannot read the commands folder ${dir}: ${String(cause)}`, { cause });
  }
  const commands: Command[] = [];
  const files = new Map<string, string>();
  const buttonPrefixes = new Map<string, string>();
  const modalPrefixes = new Map<string, string>();
  for (const file of names) {
    const name = MODULE.exec(file)?.[1] ?? file;
    const shown = path.join(path.basename(dir), file);
    const earlier = files.get(name);
    if (earlier !== undefined) {
      throw new Error(`loader: ${shown}: a second command named "${name}" (first: ${earlier})`);
    }
    files.set(name, shown);
    let module: Record<string, unknown>;
    try {
      module = await import(pathToFileURL(path.join(dir, file)).href);
    } catch (cause) {
      throw new Error(`loader: ${shown}: cannot be imported: ${String(cause)}`, { cause });
    }
    const problem = problemOf(module.default, name);
    if (problem) throw new Error(`loader: ${shown}: ${problem}`);
    const command = module.default as Command;
    // Buttons and modals are separate: a button may open a modal of its own custom_id.
    for (const [kind, handlers, seen] of [
      ["button", command.components ?? [], buttonPrefixes],
      ["modal", command.modals ?? [], modalPrefixes],
    ] as const) {
      for (const { prefix } of handlers) {
        const owner = seen.get(prefix);
        if (owner !== undefined) {
          throw new Error(
            `loader: ${shown}: ${kind} prefix "${prefix}" is already handled by ${owner}`,
          );
        }
        seen.set(prefix, shown);
      }
    }
    commands.push(command);
  }
  return commands;
}
