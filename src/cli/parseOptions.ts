/**
 * The one argv parser of the command-line programs: node:util's `parseArgs` (strict, positionals
 * allowed, `-h`/`--help` built in), with the project's rules on top and its errors turned into
 * the project's one-line messages. Each program declares its options and interprets the values.
 */
import { type ParseArgsConfig, parseArgs } from "node:util";

/** A program's options, by long name (without `--`); `help` is added by {@link parseOptions}. */
export type OptionSpec = Readonly<Record<string, { readonly type: "string" | "boolean" }>>;

/** The values of a {@link OptionSpec}: a flag is true or false, a value option its text, if given. */
export type OptionValues<T extends OptionSpec> = {
  readonly [K in keyof T]: T[K]["type"] extends "boolean" ? boolean : string | undefined;
};

/** The options and positionals, as typed (positionals before and after a `--`, in order). */
export interface ParsedOptions<T extends OptionSpec> {
  readonly kind: "options";
  readonly values: OptionValues<T>;
  readonly positionals: readonly string[];
}

/** `-h` or `--help` was given: print the usage. */
export interface HelpRequest {
  readonly kind: "help";
}

/** The arguments make no sense: show `message` and the usage, exit 2. */
export interface UsageError {
  readonly kind: "usageError";
  readonly message: string;
}

/** A {@link UsageError} with this message. */
export function usageError(message: string): UsageError {
  return { kind: "usageError", message };
}

/**
 * Parses a whole number written in digits only (no sign, space, exponent or point).
 *
 * @param text - e.g. `"3"`
 * @param max - the largest number accepted
 * @returns the number, or undefined unless it is from 1 to `max`
 */
export function parseCount(text: string, max: number): number | undefined {
  if (!/^\d+$/.test(text)) return undefined;
  const count = Number(text);
  return count >= 1 && count <= max ? count : undefined;
}

/**
 * Parses a program's arguments with node:util `parseArgs`. On top of what it does (`--name
 * value`, `--name=value`, everything after `--` positional, a value may not look like an option
 * except `-` alone, unknown options refused), the project's rules:
 *
 * - `-h` or `--help` before any `--` asks for help even beside a bad option;
 * - a value option given twice is an error (parseArgs would keep the last), and so is a blank
 *   value (`--data=`);
 * - an error is one line: `unknown option --x`, `--top needs a value`, `--json takes no value`.
 *
 * @param argv - the arguments after the script name
 * @param spec - the program's options, see {@link OptionSpec}
 */
export function parseOptions<const T extends OptionSpec>(
  argv: readonly string[],
  spec: T,
): ParsedOptions<T> | HelpRequest | UsageError {
  const options: NonNullable<ParseArgsConfig["options"]> = {
    help: { type: "boolean", short: "h" },
  };
  for (const [name, { type }] of Object.entries(spec)) {
    // multiple: so that an option given twice can be refused instead of silently overridden.
    options[name] = type === "string" ? { type, multiple: true } : { type };
  }
  const args = [...argv];

  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (error) {
    // parseArgs stops at the first error; read again, leniently, only to see if help was asked.
    const lenient = parseArgs({ args, options, strict: false, allowPositionals: true });
    if (lenient.values.help) return { kind: "help" };
    return usageError(parseArgsErrorMessage(error, spec));
  }
  if (parsed.values.help === true) return { kind: "help" };

  const values: Record<string, string | boolean | undefined> = {};
  for (const [name, { type }] of Object.entries(spec)) {
    const value = parsed.values[name];
    if (type === "boolean") {
      values[name] = value === true;
      continue;
    }
    const given = (value ?? []) as string[];
    if (given.length > 1) return usageError(`--${name} is given twice`);
    const [text] = given;
    if (text !== undefined && text.trim() === "") return usageError(`--${name} needs a value`);
    values[name] = text;
  }
  return { kind: "options", values: values as OptionValues<T>, positionals: parsed.positionals };
}

/**
 * parseArgs's error as the project's one-line message. parseArgs names the option only in its
 * message (`Unknown option '--x'. To specify...`, `Option '--top <value>' argument missing`,
 * `Option '-h, --help' does not take an argument`), so the name is read from there; the kind of
 * error comes from the error's code and the option's type. Anything else keeps parseArgs's own
 * first line.
 */
function parseArgsErrorMessage(error: unknown, spec: OptionSpec): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (!(error instanceof Error) || !code?.startsWith("ERR_PARSE_ARGS_")) throw error;
  const firstLine = error.message.split("\n")[0] ?? error.message;
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const raw = /'([^']+)'/.exec(firstLine)?.[1];
    if (raw !== undefined) return `unknown option ${raw}`;
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    const name = /--([\w-]+)/.exec(firstLine)?.[1];
    const type = name === "help" ? "boolean" : name === undefined ? undefined : spec[name]?.type;
    if (type === "boolean") return `--${name} takes no value`;
    if (type === "string") return `--${name} needs a value`;
  }
  return firstLine;
}
