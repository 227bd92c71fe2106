/**
 * The limits Discord enforces on what a bot sends, so the fake server rejects what the real one
 * would (HTTP 400 with code 50035 "Invalid Form Body", or 50006 for an empty message) instead of
 * letting a too-long reply pass in tests and fail in production.
 *
 * Sources: discord.com/developers/docs, "Message Resource" (content 2000), "Embed Limits",
 * "Component Reference", "Application Commands" (names, descriptions, options, choices),
 * "Receiving and Responding" (modals) and "Component Reference › Text Input".
 */

/** One broken limit: where (dotted path inside the JSON body), Discord's code, a message. */
export interface LimitViolation {
  path: string;
  code: string;
  message: string;
}

/** The JSON body of Discord's 400 answer. */
export interface DiscordErrorBody {
  code: number;
  message: string;
  errors?: Record<string, unknown>;
}

export const MessageLimits = {
  content: 2000,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  embedFieldName: 256,
  embedFieldValue: 1024,
  embedFooter: 2048,
  embedAuthor: 256,
  embedTotal: 6000,
  actionRows: 5,
  rowComponents: 5,
  customId: 100,
  buttonLabel: 80,
  autocompleteChoices: 25,
  choiceName: 100,
  choiceValue: 100,
} as const;

/**
 * The largest file a bot may attach: 10 MiB, the upload limit of a server without boosts since
 * 2024 (what `attachment_size_limit` of an interaction says); a bigger one gets 413, code 40005.
 */
export const AttachmentLimits = { fileSize: 10 * 1024 * 1024 } as const;

/** Whether a request's files break Discord's per-file size limit. */
export function hasOversizedFile(files: readonly { size: number }[]): boolean {
  return files.some((file) => file.size > AttachmentLimits.fileSize);
}

export const ModalLimits = {
  title: 45,
  customId: 100,
  rows: 5,
  label: 45,
  placeholder: 100,
  /** A text input's max_length, min_length and value, at most. */
  textInputLength: 4000,
} as const;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function maxLength(
  out: LimitViolation[],
  path: string,
  value: unknown,
  limit: number,
  min = 0,
): void {
  const length = text(value).length;
  if (value !== undefined && value !== null && typeof value !== "string") {
    out.push({ path, code: "BASE_TYPE_STRING", message: "Must be a string." });
  } else if (length > limit) {
    out.push({
      path,
      code: "BASE_TYPE_MAX_LENGTH",
      message: `Must be ${limit} or fewer in length.`,
    });
  } else if (min > 0 && length < min) {
    out.push({
      path,
      code: "BASE_TYPE_BAD_LENGTH",
      message: `Must be between ${min} and ${limit} in length.`,
    });
  }
}

function checkUrl(out: LimitViolation[], path: string, value: unknown): void {
  if (value === undefined || value === null) return;
  let ok = false;
  try {
    const url = new URL(text(value));
    ok = url.protocol === "http:" || url.protocol === "https:" || url.protocol === "attachment:";
  } catch {
    ok = false;
  }
  if (!ok) out.push({ path, code: "URL_TYPE_INVALID_URL", message: "Not a well formed URL." });
}

function checkEmbeds(out: LimitViolation[], embeds: unknown[]): void {
  if (embeds.length > MessageLimits.embeds) {
    out.push({
      path: "embeds",
      code: "BASE_TYPE_MAX_LENGTH",
      message: `Must be ${MessageLimits.embeds} or fewer in length.`,
    });
  }
  let total = 0;
  embeds.forEach((embed, i) => {
    if (!isObject(embed)) return;
    const at = `embeds.${i}`;
    maxLength(out, `${at}.title`, embed.title, MessageLimits.embedTitle);
    maxLength(out, `${at}.description`, embed.description, MessageLimits.embedDescription);
    checkUrl(out, `${at}.url`, embed.url);
    total += text(embed.title).length + text(embed.description).length;
    if (isObject(embed.footer)) {
      maxLength(out, `${at}.footer.text`, embed.footer.text, MessageLimits.embedFooter, 1);
      total += text(embed.footer.text).length;
    }
    if (isObject(embed.author)) {
      maxLength(out, `${at}.author.name`, embed.author.name, MessageLimits.embedAuthor, 1);
      checkUrl(out, `${at}.author.url`, embed.author.url);
      total += text(embed.author.name).length;
    }
    if (typeof embed.color === "number" && (embed.color < 0 || embed.color > 0xffffff)) {
      out.push({ path: `${at}.color`, code: "NUMBER_TYPE_MAX", message: "int value out of range" });
    }
    const fields = Array.isArray(embed.fields) ? embed.fields : [];
    if (fields.length > MessageLimits.embedFields) {
      out.push({
        path: `${at}.fields`,
        code: "BASE_TYPE_MAX_LENGTH",
        message: `Must be ${MessageLimits.embedFields} or fewer in length.`,
      });
    }
    fields.forEach((field: unknown, j) => {
      if (!isObject(field)) return;
      maxLength(out, `${at}.fields.${j}.name`, field.name, MessageLimits.embedFieldName, 1);
      maxLength(out, `${at}.fields.${j}.value`, field.value, MessageLimits.embedFieldValue, 1);
      total += text(field.name).length + text(field.value).length;
    });
  });
  if (total > MessageLimits.embedTotal) {
    out.push({
      path: "embeds",
      code: "MAX_EMBED_SIZE_EXCEEDED",
      message: `Embed size exceeds maximum size of ${MessageLimits.embedTotal}`,
    });
  }
}

function checkComponents(out: LimitViolation[], rows: unknown[]): void {
  if (rows.length > MessageLimits.actionRows) {
    out.push({
      path: "components",
      code: "BASE_TYPE_MAX_LENGTH",
      message: `Must be ${MessageLimits.actionRows} or fewer in length.`,
    });
  }
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    if (!isObject(row) || row.type !== 1) return; // only classic action rows are checked
    const children = Array.isArray(row.components) ? row.components : [];
    if (children.length < 1 || children.length > MessageLimits.rowComponents) {
      out.push({
        path: `components.${i}.components`,
        code: "BASE_TYPE_BAD_LENGTH",
        message: `Must be between 1 and ${MessageLimits.rowComponents} in length.`,
      });
    }
    children.forEach((child: unknown, j) => {
      if (!isObject(child)) return;
      const at = `components.${i}.components.${j}`;
      const isLink = child.type === 2 && child.style === 5;
      if (isLink) {
        checkUrl(out, `${at}.url`, child.url);
      } else {
        maxLength(out, `${at}.custom_id`, child.custom_id, MessageLimits.customId, 1);
        const id = text(child.custom_id);
        if (seen.has(id)) {
          out.push({
            path: `${at}.custom_id`,
            code: "COMPONENT_CUSTOM_ID_DUPLICATED",
            message: "Component custom id cannot be duplicated",
          });
        }
        seen.add(id);
      }
      if (child.type === 2) maxLength(out, `${at}.label`, child.label, MessageLimits.buttonLabel);
    });
  });
}

/**
 * Checks a message body (channel message, interaction reply, follow-up or edit).
 * @param body - the JSON the bot sent (`data` of an interaction callback)
 * @returns the broken limits, empty when Discord would accept the body
 */
export function checkMessageBody(body: Json): LimitViolation[] {
  const out: LimitViolation[] = [];
  maxLength(out, "content", body.content, MessageLimits.content);
  if (Array.isArray(body.embeds)) checkEmbeds(out, body.embeds);
  if (Array.isArray(body.components)) checkComponents(out, body.components);
  return out;
}

function outOfRange(
  out: LimitViolation[],
  path: string,
  value: unknown,
  min: number,
  max: number,
): void {
  if (value === undefined || value === null) return;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    out.push({
      path,
      code: "NUMBER_TYPE_MAX",
      message: `int value should be between ${min} and ${max}.`,
    });
  }
}

/** Checks one text input of a modal (in an action row, or in a label). */
function checkTextInput(out: LimitViolation[], at: string, input: Json, labelled: boolean): void {
  if (input.type !== 4) {
    out.push({
      path: `${at}.type`,
      code: "COMPONENT_TYPE_INVALID",
      message: "Only text inputs are checked in modals here",
    });
    return;
  }
  maxLength(out, `${at}.custom_id`, input.custom_id, ModalLimits.customId, 1);
  // In a label (type 18) the label is the label's; in an action row the input's own.
  if (!labelled) maxLength(out, `${at}.label`, input.label, ModalLimits.label, 1);
  if (input.style !== 1 && input.style !== 2) {
    out.push({
      path: `${at}.style`,
      code: "BASE_TYPE_CHOICES",
      message: "Value must be one of (1, 2).",
    });
  }
  maxLength(out, `${at}.placeholder`, input.placeholder, ModalLimits.placeholder);
  maxLength(out, `${at}.value`, input.value, ModalLimits.textInputLength);
  outOfRange(out, `${at}.min_length`, input.min_length, 0, ModalLimits.textInputLength);
  outOfRange(out, `${at}.max_length`, input.max_length, 1, ModalLimits.textInputLength);
  if (
    typeof input.min_length === "number" &&
    typeof input.max_length === "number" &&
    input.min_length > input.max_length
  ) {
    out.push({
      path: `${at}.min_length`,
      code: "BASE_TYPE_BAD_LENGTH",
      message: "min_length must not be greater than max_length.",
    });
  }
}

/**
 * Checks a modal (the `data` of an interaction callback of type 9): a title of 1 to 45, a
 * custom_id of 1 to 100, 1 to 5 rows, each an action row holding one text input or a label
 * (type 18) around one, labels of 1 to 45, text inputs of at most 4000 characters.
 */
export function checkModal(data: Json): LimitViolation[] {
  const out: LimitViolation[] = [];
  maxLength(out, "title", data.title, ModalLimits.title, 1);
  maxLength(out, "custom_id", data.custom_id, ModalLimits.customId, 1);
  const rows = Array.isArray(data.components) ? data.components : [];
  if (rows.length < 1 || rows.length > ModalLimits.rows) {
    out.push({
      path: "components",
      code: "BASE_TYPE_BAD_LENGTH",
      message: `Must be between 1 and ${ModalLimits.rows} in length.`,
    });
  }
  const ids = new Set<string>();
  rows.forEach((row: unknown, i) => {
    const at = `components.${i}`;
    if (!isObject(row)) return;
    let inputs: [string, Json, boolean][] = [];
    if (row.type === 1) {
      const children = Array.isArray(row.components) ? row.components : [];
      if (children.length !== 1) {
        out.push({
          path: `${at}.components`,
          code: "BASE_TYPE_BAD_LENGTH",
          message: "Must be between 1 and 1 in length.",
        });
      }
      inputs = children.flatMap((child: unknown, j) =>
        isObject(child) ? [[`${at}.components.${j}`, child, false] as [string, Json, boolean]] : [],
      );
    } else if (row.type === 18) {
      maxLength(out, `${at}.label`, row.label, ModalLimits.label, 1);
      if (isObject(row.component)) inputs = [[`${at}.component`, row.component, true]];
    } else {
      out.push({
        path: `${at}.type`,
        code: "COMPONENT_TYPE_INVALID",
        message: "A modal's top-level components are action rows or labels",
      });
    }
    for (const [path, input, labelled] of inputs) {
      checkTextInput(out, path, input, labelled);
      const id = text(input.custom_id);
      if (ids.has(id)) {
        out.push({
          path: `${path}.custom_id`,
          code: "COMPONENT_CUSTOM_ID_DUPLICATED",
          message: "Component custom id cannot be duplicated",
        });
      }
      ids.add(id);
    }
  });
  return out;
}

export const ThreadLimits = {
  name: 100,
  /** The minutes a thread may be left idle before it archives: Discord takes only these. */
  autoArchiveDurations: [60, 1440, 4320, 10080],
} as const;

/**
 * Checks the body of a thread the bot starts from a message: a name of 1 to 100 characters,
 * and an auto_archive_duration, when given, that Discord knows.
 */
export function checkThreadBody(body: Json): LimitViolation[] {
  const out: LimitViolation[] = [];
  if (body.name === undefined || body.name === null) {
    out.push({ path: "name", code: "BASE_TYPE_REQUIRED", message: "This field is required" });
  } else {
    maxLength(out, "name", body.name, ThreadLimits.name, 1);
  }
  const duration = body.auto_archive_duration;
  if (
    duration !== undefined &&
    duration !== null &&
    !(ThreadLimits.autoArchiveDurations as readonly unknown[]).includes(duration)
  ) {
    out.push({
      path: "auto_archive_duration",
      code: "BASE_TYPE_CHOICES",
      message: `Value must be one of {${ThreadLimits.autoArchiveDurations.join(", ")}}.`,
    });
  }
  return out;
}

/** True when a message to be created would have nothing to show (Discord code 50006). */
export function isEmptyMessage(body: Json, fileCount: number): boolean {
  const hasContent = text(body.content).length > 0;
  const hasEmbeds = Array.isArray(body.embeds) && body.embeds.length > 0;
  const hasComponents = Array.isArray(body.components) && body.components.length > 0;
  const hasStickers = Array.isArray(body.sticker_ids) && body.sticker_ids.length > 0;
  return !hasContent && !hasEmbeds && !hasComponents && !hasStickers && !body.poll && !fileCount;
}

/** Checks the `choices` of an autocomplete answer (callback type 8). */
export function checkAutocompleteChoices(data: Json): LimitViolation[] {
  const out: LimitViolation[] = [];
  const choices = Array.isArray(data.choices) ? data.choices : [];
  if (choices.length > MessageLimits.autocompleteChoices) {
    out.push({
      path: "choices",
      code: "BASE_TYPE_MAX_LENGTH",
      message: `Must be ${MessageLimits.autocompleteChoices} or fewer in length.`,
    });
  }
  choices.forEach((choice: unknown, i) => {
    if (!isObject(choice)) return;
    maxLength(out, `choices.${i}.name`, choice.name, MessageLimits.choiceName, 1);
    if (typeof choice.value === "string") {
      maxLength(out, `choices.${i}.value`, choice.value, MessageLimits.choiceValue, 1);
    }
  });
  return out;
}

const NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
/** User and message (context-menu) command names: mixed case, and spaces allowed. */
const MENU_NAME = /^[-_' \p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

/**
 * @param chatInput - a slash command's or option's name (lower case, no spaces), else a
 *   context-menu command's
 */
function checkName(out: LimitViolation[], path: string, name: unknown, chatInput: boolean): void {
  const value = text(name);
  const valid = chatInput
    ? NAME.test(value) && value === value.toLowerCase()
    : MENU_NAME.test(value) && value.trim() === value;
  if (!valid) {
    out.push({
      path,
      code: "APPLICATION_COMMAND_INVALID_NAME",
      message: `Command name is invalid: ${JSON.stringify(value)}`,
    });
  }
}

function checkOptions(out: LimitViolation[], path: string, options: unknown[]): void {
  if (options.length > 25) {
    out.push({ path, code: "BASE_TYPE_MAX_LENGTH", message: "Must be 25 or fewer in length." });
  }
  const names = new Set<string>();
  let sawOptional = false;
  options.forEach((option, i) => {
    if (!isObject(option)) return;
    const at = `${path}.${i}`;
    checkName(out, `${at}.name`, option.name, true);
    maxLength(out, `${at}.description`, option.description, 100, 1);
    const name = text(option.name);
    if (names.has(name)) {
      out.push({
        path: `${at}.name`,
        code: "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS",
        message: "Option names must be unique",
      });
    }
    names.add(name);
    const isSub = option.type === 1 || option.type === 2;
    if (option.required === true && sawOptional) {
      out.push({
        path: `${at}.required`,
        code: "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
        message: "Required options must be placed before non-required options",
      });
    }
    if (!isSub && option.required !== true) sawOptional = true;
    const choices = Array.isArray(option.choices) ? option.choices : [];
    if (choices.length > 25) {
      out.push({
        path: `${at}.choices`,
        code: "BASE_TYPE_MAX_LENGTH",
        message: "Must be 25 or fewer in length.",
      });
    }
    if (choices.length > 0 && option.autocomplete === true) {
      out.push({
        path: `${at}.autocomplete`,
        code: "APPLICATION_COMMAND_AUTOCOMPLETE_INVALID",
        message: "Autocomplete cannot be set on options that have choices",
      });
    }
    choices.forEach((choice: unknown, j) => {
      if (isObject(choice)) maxLength(out, `${at}.choices.${j}.name`, choice.name, 100, 1);
    });
    if (isSub && Array.isArray(option.options)) checkOptions(out, `${at}.options`, option.options);
  });
}

/**
 * Checks a bulk overwrite of application commands (PUT .../commands).
 * @param commands - the JSON array the deploy code sent
 */
export function checkCommands(commands: unknown): LimitViolation[] {
  const out: LimitViolation[] = [];
  if (!Array.isArray(commands)) {
    return [{ path: "", code: "BASE_TYPE_ARRAY", message: "Must be an array." }];
  }
  const seen = new Set<string>();
  commands.forEach((command, i) => {
    if (!isObject(command)) return;
    const type = typeof command.type === "number" ? command.type : 1;
    const chatInput = type === 1;
    checkName(out, `${i}.name`, command.name, chatInput);
    if (chatInput) maxLength(out, `${i}.description`, command.description, 100, 1);
    else if (text(command.description) !== "") {
      out.push({
        path: `${i}.description`,
        code: "APPLICATION_COMMAND_INVALID_DESCRIPTION",
        message: "Context menu commands cannot have a description",
      });
    }
    const key = `${type}:${text(command.name)}`;
    if (seen.has(key)) {
      out.push({
        path: `${i}.name`,
        code: "APPLICATION_COMMANDS_DUPLICATE_NAME",
        message: `Application command names must be unique: ${text(command.name)}`,
      });
    }
    seen.add(key);
    if (Array.isArray(command.options)) checkOptions(out, `${i}.options`, command.options);
  });
  return out;
}

/**
 * Turns violations into Discord's "Invalid Form Body" answer, nesting each dotted path the way
 * Discord does: `embeds.0.description` -> `{ embeds: { "0": { description: { _errors } } } }`.
 * @param prefix - where the checked object sits in the request (`data` for interaction callbacks)
 */
export function invalidFormBody(violations: LimitViolation[], prefix = ""): DiscordErrorBody {
  const errors: Record<string, unknown> = {};
  for (const violation of violations) {
    const keys = [prefix, violation.path].filter(Boolean).join(".").split(".").filter(Boolean);
    let node = errors;
    for (const key of keys) {
      const next = isObject(node[key]) ? (node[key] as Json) : {};
      node[key] = next;
      node = next;
    }
    const list = Array.isArray(node._errors) ? node._errors : [];
    list.push({ code: violation.code, message: violation.message });
    node._errors = list;
  }
  return { code: 50035, message: "Invalid Form Body", errors };
}
