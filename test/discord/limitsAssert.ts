/**
 * Assertions that what newsdesk sends fits Discord's limits, for the formatter's tests and the
 * end-to-end tests alike. Each collects every problem, then fails once listing them all.
 * Lengths are checked in UTF-16 code units and in code points (Discord says "characters").
 */
import type { APIEmbed } from "discord.js";
import { expect } from "vitest";
import { LIMITS } from "../../src/discord/format/limits.js";

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function checkText(
  problems: string[],
  where: string,
  text: string | undefined,
  max: number,
  required = false,
): void {
  if (text === undefined) {
    if (required) problems.push(`${where}: missing`);
    return;
  }
  if (text.length > max) problems.push(`${where}: ${text.length} code units > ${max}`);
  const codePoints = Array.from(text).length;
  if (codePoints > max) problems.push(`${where}: ${codePoints} code points > ${max}`);
  if (text.trim() === "") problems.push(`${where}: blank`);
  if (LONE_SURROGATE.test(text)) problems.push(`${where}: lone surrogate (a cut emoji?)`);
}

/** The problems of some embeds against Discord's limits (empty when they fit). */
export function embedProblems(embeds: readonly APIEmbed[], where = "embeds"): string[] {
  const problems: string[] = [];
  if (embeds.length > LIMITS.embeds) {
    problems.push(`${where}: ${embeds.length} embeds > ${LIMITS.embeds}`);
  }
  let total = 0;
  embeds.forEach((embed, e) => {
    const at = `${where}[${e}]`;
    checkText(problems, `${at}.title`, embed.title, LIMITS.embedTitle);
    checkText(problems, `${at}.description`, embed.description, LIMITS.embedDescription);
    checkText(problems, `${at}.footer.text`, embed.footer?.text, LIMITS.footerText, !!embed.footer);
    checkText(problems, `${at}.author.name`, embed.author?.name, LIMITS.authorName, !!embed.author);
    const fields = embed.fields ?? [];
    if (fields.length > LIMITS.fields) {
      problems.push(`${at}.fields: ${fields.length} fields > ${LIMITS.fields}`);
    }
    fields.forEach((field, f) => {
      checkText(problems, `${at}.fields[${f}].name`, field.name, LIMITS.fieldName, true);
      checkText(problems, `${at}.fields[${f}].value`, field.value, LIMITS.fieldValue, true);
    });
    const texts = [
      embed.title,
      embed.description,
      embed.footer?.text,
      embed.author?.name,
      ...fields.flatMap((field) => [field.name, field.value]),
    ];
    const units = texts.reduce((sum, text) => sum + (text?.length ?? 0), 0);
    if (!(units > 0 || embed.image || embed.thumbnail)) problems.push(`${at}: empty embed`);
    total += units;
  });
  if (total > LIMITS.embedTotal) {
    problems.push(`${where}: ${total} code units over all embeds > ${LIMITS.embedTotal}`);
  }
  return problems;
}

/** Fails, listing every problem, unless the embeds fit every Discord limit. */
export function assertWithinLimits(embeds: readonly APIEmbed[]): void {
  expect(embedProblems(embeds)).toEqual([]);
}

/** A message payload as the API (snake_case) or discord.js options take it, loosely typed. */
export interface MessageLike {
  readonly content?: string | undefined;
  readonly embeds?: readonly APIEmbed[] | undefined;
  readonly components?: readonly unknown[] | undefined;
}

interface ComponentLike {
  type?: number;
  label?: string;
  custom_id?: string;
  customId?: string;
  options?: readonly { label?: string; value?: string; description?: string }[];
  components?: readonly ComponentLike[];
}

/**
 * Fails, listing every problem, unless a whole message fits: content, embeds, and components
 * (at most 5 rows of at most 5 components; button labels, custom ids, select options).
 */
export function assertMessageWithinLimits(message: MessageLike): void {
  const problems: string[] = [];
  if (message.content !== undefined) {
    checkText(problems, "content", message.content, LIMITS.content);
  }
  problems.push(...embedProblems(message.embeds ?? []));
  const rows = (message.components ?? []) as readonly ComponentLike[];
  if (rows.length > 5) problems.push(`components: ${rows.length} rows > 5`);
  rows.forEach((row, r) => {
    const children = row.components ?? [];
    if (children.length > 5) problems.push(`components[${r}]: ${children.length} children > 5`);
    children.forEach((child, c) => {
      const at = `components[${r}][${c}]`;
      checkText(problems, `${at}.custom_id`, child.custom_id ?? child.customId, LIMITS.customId);
      checkText(problems, `${at}.label`, child.label, LIMITS.buttonLabel);
      const options = child.options ?? [];
      if (options.length > LIMITS.choices) {
        problems.push(`${at}.options: ${options.length} > ${LIMITS.choices}`);
      }
      options.forEach((option, o) => {
        checkText(problems, `${at}.options[${o}].label`, option.label, 100, true);
        checkText(problems, `${at}.options[${o}].value`, option.value, 100, true);
        checkText(problems, `${at}.options[${o}].description`, option.description, 100);
      });
    });
  });
  expect(problems).toEqual([]);
}

/** Fails unless autocomplete or option choices fit: at most 25, names and values at most 100. */
export function assertChoicesWithinLimits(
  choices: readonly { readonly name: string; readonly value: string | number }[],
): void {
  const problems: string[] = [];
  if (choices.length > LIMITS.choices) {
    problems.push(`${choices.length} choices > ${LIMITS.choices}`);
  }
  choices.forEach((c, i) => {
    checkText(problems, `choices[${i}].name`, c.name, LIMITS.choiceName, true);
    if (typeof c.value === "string") {
      checkText(problems, `choices[${i}].value`, c.value, LIMITS.choiceValue, true);
    }
  });
  expect(problems).toEqual([]);
}

/** Every text of some embeds, for checks on what a reader sees (mentions, markdown). */
export function embedTexts(embeds: readonly APIEmbed[]): string[] {
  return embeds.flatMap((embed) => [
    embed.title ?? "",
    embed.description ?? "",
    embed.footer?.text ?? "",
    embed.author?.name ?? "",
    ...(embed.fields ?? []).flatMap((field) => [field.name, field.value]),
  ]);
}

/** Mentions that would render or ping: `@everyone`, `@here`, `<@id>`, `<@&id>`, `<#id>`. */
export const LIVE_MENTION = /@(?:everyone|here)|<@[!&]?\d+>|<#\d+>/i;

/** Fails if any text would show a live mention. */
export function assertNoLiveMentions(texts: readonly string[]): void {
  expect(texts.filter((text) => LIVE_MENTION.test(text))).toEqual([]);
}
