/**
 * Escaping for Discord: text from users and articles shown as text, never as markdown, links or
 * mentions. Own escaper rather than discord.js's `escapeMarkdown`, which by default leaves single
 * `~` and `|`, brackets, and line-start headings, quotes and list markers alone.
 */
import { isWhiteSpace, LIMITS, truncate } from "./limits.js";

/**
 * Characters that take part in Discord's inline markdown, escaped wherever they are: emphasis
 * (`*`, `_`), strikethrough (`~~`), code (`` ` ``), spoilers (`||`), masked links (`[x](y)`) and
 * the escape itself. Discord drops a backslash before any punctuation, so over-escaping only
 * costs length.
 */
const INLINE = new Set(["\\", "*", "_", "~", "`", "|", "[", "]", "(", ")"]);

/** Characters that open a block at the start of a line: heading, quote, list, subtext (`-#`). */
const LINE_START = new Set(["#", ">", "-", "+", "*"]);

/** `<` followed by one of these opens a mention, channel, command, emoji or timestamp tag. */
const TAG_OPENER = /^(?:[@#/:]|a:|t:|id:)/;

/** `@` followed by one of these pings a whole server or everyone online. */
const MASS_MENTION = /^(?:everyone|here)/i;

const ZERO_WIDTH_SPACE = "\u200b";
const REPLACEMENT = "\uFFFD";

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;
const isControl = (code: number) => code < 0x20 || (code >= 0x7f && code <= 0x9f);
const isDigit = (code: number) => code >= 0x30 && code <= 0x39;

export interface EscapeOptions {
  /** Collapse every run of white space, line breaks included, into one space (titles, names). */
  readonly singleLine?: boolean;
}

/**
 * The escaped form of each code unit of `raw`, so that a caller can cut or mark the text at raw
 * offsets (highlight ranges, cuts) and join what it keeps: `pieces.join("")` is `escapeText(raw)`.
 * Context (line starts, mentions) is read from the whole text, and every piece stays safe in any
 * prefix. Leading and trailing white space become empty pieces; so does the "\r" of "\r\n".
 * Control characters and lone surrogates become U+FFFD.
 * @param raw - the raw text
 * @param options - `singleLine` to collapse white space
 */
export function escapePieces(raw: string, options: EscapeOptions = {}): string[] {
  const pieces: string[] = new Array<string>(raw.length);
  let first = 0;
  while (first < raw.length && isWhiteSpace(raw.charCodeAt(first))) pieces[first++] = "";
  let last = raw.length - 1;
  while (last >= first && isWhiteSpace(raw.charCodeAt(last))) pieces[last--] = "";

  let lineStart = true;
  /** Index of a numbered list's "." to escape ("1. item" at a line start). */
  let listDot = -1;
  for (let i = first; i <= last; i++) {
    const code = raw.charCodeAt(i);
    const char = raw[i] as string;

    if (isWhiteSpace(code)) {
      if (options.singleLine) {
        pieces[i] = isWhiteSpace(raw.charCodeAt(i - 1)) ? "" : " ";
      } else if (char === "\r") {
        pieces[i] = raw[i + 1] === "\n" ? "" : "\n";
        lineStart = true;
      } else if (char === "\n" || char === "\u2028" || char === "\u2029") {
        pieces[i] = "\n";
        lineStart = true;
      } else {
        // Tabs stay; other spaces (no-break, vertical tab, form feed...) show as one plain space.
        pieces[i] = char === "\t" ? char : " ";
      }
      continue;
    }

    let piece = char;
    if (isHighSurrogate(code)) {
      piece = isLowSurrogate(raw.charCodeAt(i + 1)) ? char : REPLACEMENT;
    } else if (isLowSurrogate(code)) {
      piece = isHighSurrogate(raw.charCodeAt(i - 1)) ? char : REPLACEMENT;
    } else if (isControl(code)) {
      piece = REPLACEMENT;
    } else if (INLINE.has(char) || i === listDot || (lineStart && LINE_START.has(char))) {
      piece = `\\${char}`;
    } else if (char === "@" && MASS_MENTION.test(raw.slice(i + 1, i + 9))) {
      piece = `@${ZERO_WIDTH_SPACE}`;
    } else if (char === "<" && TAG_OPENER.test(raw.slice(i + 1, i + 4))) {
      piece = `<${ZERO_WIDTH_SPACE}`;
    }
    if (lineStart && isDigit(code)) {
      let j = i;
      while (isDigit(raw.charCodeAt(j))) j++;
      if (raw[j] === "." && (j + 1 > last || isWhiteSpace(raw.charCodeAt(j + 1)))) listDot = j;
    }
    pieces[i] = piece;
    lineStart = false;
  }
  return pieces;
}

/**
 * Escapes text for Discord markdown (message content, embed descriptions, titles, field names and
 * values): markdown shows as typed, masked links do not form, and mentions (`@everyone`, `@here`,
 * `<@id>`, `<@&id>`, `<#id>`, commands, emoji, timestamps) get a zero-width space that stops them.
 * Leading and trailing white space is dropped; "\r\n" becomes "\n".
 * @param text - user or article text
 * @param options - `singleLine` to collapse white space (for titles and names)
 */
export function escapeText(text: string, options: EscapeOptions = {}): string {
  return escapePieces(text, options).join("");
}

/**
 * Text for places that show no markdown (footers, autocomplete choices, button labels): one line,
 * white space collapsed, control characters and lone surrogates replaced. Mentions are stopped too:
 * plain text can still be pasted.
 */
export function plainText(text: string): string {
  return escapePieces(text, { singleLine: true })
    .map((piece) => (piece.length === 2 && piece[0] === "\\" ? piece.slice(1) : piece))
    .join("");
}

/**
 * A short identifier (article id, error reference) as inline code, copyable as it is. Inline code
 * cannot escape a backtick, so an identifier with one is escaped as text instead.
 * @param text - the identifier
 * @param max - the most code units of the identifier shown (default 100, an article id's most)
 */
export function inlineCode(text: string, max: number = LIMITS.choiceValue): string {
  const line = truncate(plainText(text), max);
  if (line === "") return "";
  return line.includes("`") ? escapeText(line) : `\`${line}\``;
}

/** The most code units of a URL this formatter links; longer ones eat an embed's budget. */
export const MAX_LINK_URL = 512;

/**
 * The URL when it can be linked safely (masked link, embed URL), else undefined: http or https
 * with a host, at most `MAX_LINK_URL` long, and no white space, control characters, parentheses
 * or angle brackets, which would end a masked link early or let the text around it form another.
 */
export function safeLinkUrl(url: string | undefined): string | undefined {
  if (url === undefined || url.length > MAX_LINK_URL) return undefined;
  if (!/^https?:\/\/[^\s()<>\p{Cc}\p{Z}]+$/iu.test(url)) return undefined;
  try {
    const parsed = new URL(url);
    return (parsed.protocol === "http:" || parsed.protocol === "https:") && parsed.hostname !== ""
      ? url
      : undefined;
  } catch {
    return undefined;
  }
}

/** Allowed mentions for every message: nobody is pinged, whatever the text says. */
export const NO_MENTIONS = { parse: [] } as const;

/** Allowed mentions for replies: nobody pinged, not even the author of the message replied to. */
export const NO_MENTIONS_REPLY = { parse: [], repliedUser: false } as const;
