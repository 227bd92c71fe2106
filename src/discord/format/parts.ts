/**
 * Parts shared by the Discord formatters: colours, counted nouns, escaped lines cut to a budget,
 * quotes with highlights, citation labels and links.
 */
import { escapePieces, safeLinkUrl } from "./escape.js";
import { ELLIPSIS, fitPrefix, isWhiteSpace } from "./limits.js";

/** Embed colours (the bar on the left). */
export const COLORS = {
  /** An answer with citations. */
  answer: 0x2f6fde,
  /** A low-confidence answer ("This may answer it:"): a paler blue, not a warning. */
  uncertain: 0x8fb3e8,
  /** No answer found: grey, it is not an error. */
  abstain: 0x99aab5,
  /** Lists, help and quoted paragraphs. */
  info: 0x5865f2,
  /** An answer pinned by moderators: gold. */
  pinned: 0xf1c40f,
} as const;

/** A whole number from `value` (`fallback` when missing or NaN) within [min, max]. */
export function clamp(
  value: number | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  const n = value === undefined || Number.isNaN(value) ? fallback : Math.floor(value);
  return Math.min(max, Math.max(min, n));
}

/** "1 article", "2 articles", "1,204 articles". */
export function counted(count: number, noun: string): string {
  return `${count.toLocaleString("en-US")} ${noun}${count === 1 ? "" : "s"}`;
}

/** Raw code units past a cut that escaping looks at (`@everyone`, `<@`, "12." at a line start). */
const LOOKAHEAD = 16;

/**
 * The part of `raw` a rendering of at most `max` code units can show, so that a huge text is not
 * escaped whole to show its start: every raw code unit but white space renders to one or more, so
 * no prefix holding more than `max` of them fits. A few more code units are kept for the escaper
 * to read the context of the last ones.
 */
function reachable(raw: string, max: number): string {
  let solid = 0;
  for (let i = 0; i < raw.length; i++) {
    if (!isWhiteSpace(raw.charCodeAt(i)) && ++solid > max) return raw.slice(0, i + LOOKAHEAD);
  }
  return raw;
}

/** Raw text escaped as one line (white space collapsed) and cut to `max` with "…". */
export function escapedLine(text: string, max: number): string {
  const raw = reachable(text, max);
  const pieces = escapePieces(raw, { singleLine: true });
  return fitPrefix(raw, max, (end, cut) => pieces.slice(0, end).join("") + (cut ? ELLIPSIS : ""));
}

/** Raw text escaped keeping its lines, cut to `max` with "…". */
export function escapedBlock(text: string, max: number): string {
  const raw = reachable(text, max);
  const pieces = escapePieces(raw);
  return fitPrefix(raw, max, (end, cut) => pieces.slice(0, end).join("") + (cut ? ELLIPSIS : ""));
}

/**
 * Which code units of `text` the highlight ranges cover, clamped to the text and widened to whole
 * code points; ranges may overlap, touch or come in any order.
 */
function marked(text: string, highlights: readonly (readonly [number, number])[]): Uint8Array {
  const marks = new Uint8Array(text.length);
  for (const [from, to] of highlights) {
    if (!Number.isFinite(from) || !Number.isFinite(to)) continue;
    let start = Math.max(0, Math.floor(from));
    let end = Math.min(text.length, Math.ceil(to));
    if (start > 0 && /[\udc00-\udfff]/.test(text[start] ?? "")) start--;
    if (end < text.length && /[\udc00-\udfff]/.test(text[end] ?? "")) end++;
    marks.fill(1, start, Math.max(start, end));
  }
  return marks;
}

/**
 * An excerpt as a Discord quote ("> " on every line), escaped, with its highlight ranges in
 * **bold**, cut to `max` with "…". The ranges index the raw excerpt: the text is escaped piece by
 * piece (one piece per raw code unit) and the bold markers are placed between pieces, so an
 * escape never separates from its character and a marker never lands inside one. Bold never
 * starts or ends on white space; highlights only white space apart make one bold run; a highlight
 * running over a line break is closed before it and reopened after the next "> ".
 * @param excerpt - the raw excerpt
 * @param highlights - [start, end) ranges of the raw excerpt
 * @param max - the limit in UTF-16 code units
 */
export function quoteWithHighlights(
  excerpt: string,
  highlights: readonly (readonly [number, number])[],
  max: number,
): string {
  const raw = reachable(excerpt, max);
  const pieces = escapePieces(raw);
  const marks = marked(raw, highlights);
  const render = (end: number, cut: boolean): string => {
    let out = "> ";
    let bold = false;
    // Spaces met in bold wait to see whether the bold goes on after them, so that it never
    // starts or ends on a space.
    let spaces = "";
    for (let i = 0; i < end; i++) {
      const piece = pieces[i] ?? "";
      if (piece === "") continue;
      if (piece === "\n") {
        out += `${bold ? "**" : ""}${spaces}\n> `;
        bold = false;
        spaces = "";
      } else if (piece.trim() === "") {
        spaces += piece;
      } else {
        const marked = marks[i] === 1;
        if (bold && !marked) out += "**";
        out += spaces;
        if (!bold && marked) out += "**";
        out += piece;
        bold = marked;
        spaces = "";
      }
    }
    out += `${bold ? "**" : ""}${spaces}`;
    return cut ? out + ELLIPSIS : out;
  };
  return fitPrefix(raw, max, render);
}

/**
 * `Title ¶p`: the title escaped on one line and cut to `maxTitle`, the paragraph number kept.
 * @param title - the raw article title
 * @param paragraph - 1-based paragraph number
 * @param maxTitle - the most code units for the title part
 */
export function citationLabel(title: string, paragraph: number, maxTitle: number): string {
  const name = escapedLine(title, maxTitle);
  return `${name === "" ? "Untitled" : name} ¶${paragraph}`;
}

/** `[label](url)` when the URL is safe to link (see `safeLinkUrl`), else the label alone. */
export function maybeLink(label: string, url: string | undefined): string {
  const safe = safeLinkUrl(url);
  return safe === undefined ? label : `[${label}](${safe})`;
}

/**
 * Lines joined with line breaks within `max` code units: each line in its first form that fits
 * (for example linked, then unlinked), and when one fits in none, "…and N more" instead of it
 * and the rest.
 * @param lines - for each line, its forms in order of preference
 * @param max - the limit in UTF-16 code units
 */
export function linesWithin(lines: readonly (readonly string[])[], max: number): string {
  const kept: string[] = [];
  let length = -1;
  for (let i = 0; i < lines.length; i++) {
    const left = lines.length - i - 1;
    // Room for the "and more" line too, unless this is the last line.
    const reserve = left > 0 ? `\n${ELLIPSIS}and ${left} more`.length : 0;
    const form = (lines[i] ?? []).find((f) => length + 1 + f.length + reserve <= max);
    if (form === undefined) {
      const more = `${ELLIPSIS}and ${lines.length - i} more`;
      if (length + 1 + more.length <= max) kept.push(more);
      break;
    }
    kept.push(form);
    length += 1 + form.length;
  }
  return kept.join("\n");
}
