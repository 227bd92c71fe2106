/**
 * Discord's size limits, and the cutting that keeps any text within them.
 *
 * Lengths are counted in UTF-16 code units (`string.length`), as discord.js counts them
 * (`embedLength`). Discord documents its limits in "characters" and its own validators count code
 * points; a code point is one or two code units, so a text within a limit in code units is within
 * it in code points too. Cuts never fall inside a surrogate pair, nor, as far as a short look back
 * can tell, inside a grapheme cluster (an emoji with skin tone, a flag, a letter with accents).
 */
import type { APIEmbed, APIEmbedField } from "discord.js";

/** Discord's limits, in UTF-16 code units for lengths (see the module comment). */
export const LIMITS = {
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  fields: 25,
  embeds: 10,
  embedTotal: 6000,
  customId: 100,
  buttonLabel: 80,
  choiceName: 100,
  choiceValue: 100,
  choices: 25,
  /** A thread's name (channel names): 1 to 100. */
  threadName: 100,
  /**
   * Bytes of one attached file: 10 MiB, a bot's upload limit in a server without boosts since
   * 2024 (a boosted server allows more, which the bot does not count on).
   */
  attachmentBytes: 10 * 1024 * 1024,
} as const;

export const ELLIPSIS = "…";

/**
 * A cut this much shorter than asked for, to end on a word, is still worth it; a word boundary
 * further back (one very long word, a URL) is not, and the word is cut instead.
 */
const WORD_CUT_SHARE = 0.5;

/** How far back a cut looks for a grapheme boundary; longer clusters are cut between code points. */
const GRAPHEME_WINDOW = 64;

const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/**
 * Whether a UTF-16 code unit is white space as JavaScript's `\s` has it (NaN, past the end of a
 * string, is not): one comparison for ASCII, which a per-character regular expression is not.
 */
export function isWhiteSpace(code: number): boolean {
  if (code < 0x80) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

const isSpace = (char: string | undefined) =>
  char !== undefined && isWhiteSpace(char.charCodeAt(0));

/** The largest index <= `index` that does not fall inside a surrogate pair. */
function codePointBoundary(text: string, index: number): number {
  if (index <= 0) return 0;
  if (index >= text.length) return text.length;
  const before = text.charCodeAt(index - 1);
  const at = text.charCodeAt(index);
  return isHighSurrogate(before) && isLowSurrogate(at) ? index - 1 : index;
}

/** The largest index <= `index` at a grapheme cluster boundary (or, failing that, a code point's). */
function graphemeBoundary(text: string, index: number): number {
  const end = codePointBoundary(text, index);
  if (end === 0 || end === text.length) return end;
  const start = codePointBoundary(text, Math.max(0, end - GRAPHEME_WINDOW));
  let best = start;
  for (const { index: at } of graphemes.segment(text.slice(start, end + GRAPHEME_WINDOW))) {
    const absolute = start + at;
    if (absolute > end) break;
    best = absolute;
  }
  return best === start && start > 0 ? end : best;
}

/**
 * Where to cut `text` so that what is kept is at most `max` code units: at a word boundary when
 * one is near enough, else between graphemes; trailing white space is dropped.
 * @param text - the raw text
 * @param max - the most code units to keep
 * @returns the index to cut at (`text.slice(0, index)` is kept)
 */
export function cutIndex(text: string, max: number): number {
  if (max >= text.length) return text.length;
  if (max <= 0) return 0;
  let index: number;
  if (isSpace(text[max])) {
    index = max;
  } else {
    let space = max - 1;
    while (space > 0 && !isSpace(text[space])) space--;
    index = space > 0 && space >= max * WORD_CUT_SHARE ? space : graphemeBoundary(text, max);
  }
  while (index > 0 && isSpace(text[index - 1])) index--;
  return index;
}

/**
 * Cuts a text to at most `max` code units, at a word boundary when one is near, ending it with
 * "…" when anything was cut. A text that fits is returned as it is.
 * @param text - any text (plain; markdown in it may be cut open, see `fitPrefix`)
 * @param max - the limit in UTF-16 code units
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max < ELLIPSIS.length) return "";
  return `${text.slice(0, cutIndex(text, max - ELLIPSIS.length))}${ELLIPSIS}`;
}

/**
 * The longest rendering of a prefix of `raw` that fits `max` code units, for text whose rendering
 * is longer than the raw text (escaped, quoted, bolded): `render(end, cut)` renders
 * `raw.slice(0, end)`, adding "…" where it belongs when `cut` is true. The prefix ends at a word
 * boundary when one is near (see `cutIndex`).
 * @param raw - the raw text
 * @param max - the limit in UTF-16 code units
 * @param render - renders a prefix; its length must not shrink as `end` grows
 */
export function fitPrefix(
  raw: string,
  max: number,
  render: (end: number, cut: boolean) => string,
): string {
  const whole = render(raw.length, false);
  if (whole.length <= max) return whole;
  // Every raw code unit renders to at least one, so no prefix longer than `max` can fit.
  let low = 0;
  let high = Math.min(raw.length - 1, max - 1);
  let best: string | undefined;
  while (low <= high) {
    const middle = Math.floor((low + high) / 2);
    const rendered = render(cutIndex(raw, middle), true);
    if (rendered.length <= max) {
      best = rendered;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  // Only when the rendering of nothing at all is too long: a caller's budget is wrong.
  return best ?? truncate(render(0, true), max);
}

/** Discord's count of an embed's text: title, description, field names and values, footer, author. */
export function embedLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0)
  );
}

/** Below this a shrunk text is a stub not worth showing, and is dropped instead. */
const MIN_SHRUNK = 16;

/** What a field shows for a blank name or value, which Discord refuses. */
const BLANK = "\u200b";

const nonBlank = (text: string) => (text.trim() === "" ? BLANK : text);

const hasText = (embed: APIEmbed) =>
  Boolean(
    embed.title ||
      embed.description ||
      embed.fields?.length ||
      embed.footer?.text ||
      embed.author?.name ||
      embed.image ||
      embed.thumbnail,
  );

/** A copy of the embed with every text within its own limit (and copies of its parts). */
function clampEmbed(embed: APIEmbed): APIEmbed {
  const out: APIEmbed = { ...embed };
  if (out.title !== undefined) out.title = truncate(out.title, LIMITS.embedTitle);
  if (out.description !== undefined) {
    out.description = truncate(out.description, LIMITS.embedDescription);
  }
  if (out.footer)
    out.footer = { ...out.footer, text: truncate(out.footer.text, LIMITS.footerText) };
  if (out.author)
    out.author = { ...out.author, name: truncate(out.author.name, LIMITS.authorName) };
  if (out.fields) {
    out.fields = out.fields.slice(0, LIMITS.fields).map(
      (field): APIEmbedField => ({
        ...field,
        name: nonBlank(truncate(field.name, LIMITS.fieldName)),
        value: nonBlank(truncate(field.value, LIMITS.fieldValue)),
      }),
    );
  }
  return out;
}

/** A text shorter by `excess` code units or more, or undefined when that leaves only a stub. */
function shrunk(text: string, excess: number): string | undefined {
  const target = text.length - excess;
  return target >= MIN_SHRUNK ? truncate(text, target) : undefined;
}

/**
 * Shrinks one embed's texts by `excess` code units (or as much as it has), last field first,
 * then description, footer, author, title; it works on the copies `clampEmbed` made.
 * @returns the code units still in excess
 */
function shrinkEmbed(embed: APIEmbed, excess: number): number {
  let left = excess;
  const fields = embed.fields ?? [];
  for (let field = fields.at(-1); left > 0 && field !== undefined; field = fields.at(-1)) {
    const value = shrunk(field.value, left);
    if (value === undefined) {
      fields.pop();
      left -= field.name.length + field.value.length;
    } else {
      left -= field.value.length - value.length;
      field.value = value;
      break;
    }
  }
  if (embed.fields && fields.length === 0) delete embed.fields;
  if (left > 0 && embed.description !== undefined) {
    const description = shrunk(embed.description, left);
    left -= embed.description.length - (description?.length ?? 0);
    if (description === undefined) delete embed.description;
    else embed.description = description;
  }
  if (left > 0 && embed.footer) {
    const text = shrunk(embed.footer.text, left);
    left -= embed.footer.text.length - (text?.length ?? 0);
    if (text === undefined) delete embed.footer;
    else embed.footer.text = text;
  }
  if (left > 0 && embed.author) {
    const name = shrunk(embed.author.name, left);
    left -= embed.author.name.length - (name?.length ?? 0);
    if (name === undefined) delete embed.author;
    else embed.author.name = name;
  }
  if (left > 0 && embed.title !== undefined) {
    const title = shrunk(embed.title, left);
    left -= embed.title.length - (title?.length ?? 0);
    if (title === undefined) delete embed.title;
    else embed.title = title;
  }
  return left;
}

/**
 * Makes embeds fit one message: each text within its limit, at most 25 fields and 10 embeds, and
 * at most 6,000 code units over all of them. Over the total, texts shrink from the end: the last
 * embed first, in it the last field first, then its description, footer, author and title; a
 * text that would shrink below a stub is dropped, and an embed left empty is dropped.
 * Cuts here do not know markdown (a bold may be cut open); formatters that build within these
 * budgets themselves never get cut here.
 * @param embeds - any embeds (not modified)
 * @returns new embeds within every limit
 */
export function fitEmbeds(embeds: readonly APIEmbed[]): APIEmbed[] {
  const out = embeds.slice(0, LIMITS.embeds).map(clampEmbed);
  let excess = out.reduce((sum, embed) => sum + embedLength(embed), 0) - LIMITS.embedTotal;
  for (let e = out.length - 1; e >= 0 && excess > 0; e--) {
    const embed = out[e];
    if (embed) excess = shrinkEmbed(embed, excess);
  }
  return out.filter(hasText);
}
