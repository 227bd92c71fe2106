/**
 * Pure text helpers shared by every article format: lines, blank lines and paragraphs.
 * Characters other than whitespace (curly quotes, dashes, any script) are never changed.
 */

/**
 * Removes a leading UTF-8 byte order mark, if any.
 *
 * @param text - decoded file text
 */
export function stripBom(text: string): string {
  return text.startsWith("\uFEFF") ? text.slice(1) : text;
}

/**
 * Splits text into lines on `\n`, `\r\n` or a lone `\r`; line n (1-based) is `lines[n - 1]`.
 *
 * @param text - decoded file text
 */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/**
 * True when the line holds nothing but whitespace.
 *
 * @param line - one line of text
 */
export function isBlank(line: string): boolean {
  return line.trim() === "";
}

/**
 * Trims and collapses every run of whitespace (including line breaks and non-breaking spaces)
 * to one ASCII space, so paragraph text compares and tokenizes the same whatever the editor did.
 *
 * @param text - a title or paragraph
 */
export function normalizeSpace(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/**
 * Paragraphs separated by one or more blank lines; the lines of one paragraph are joined with a
 * space (Markdown's rule). Empty paragraphs are dropped.
 *
 * @param lines - the body's lines
 */
export function splitOnBlankLines(lines: readonly string[]): string[] {
  const paragraphs: string[] = [];
  let current: string[] = [];
  const flush = (): void => {
    const paragraph = normalizeSpace(current.join(" "));
    if (paragraph !== "") paragraphs.push(paragraph);
    current = [];
  };
  for (const line of lines) {
    if (isBlank(line)) flush();
    else current.push(line);
  }
  flush();
  return paragraphs;
}

/**
 * The plain-text body rule (`.txt` files and the `text` field of JSON articles): paragraphs are
 * separated by blank lines; but when the body has no blank line at all (leading and trailing ones
 * do not count), every line is a paragraph, as in articles pasted from a web page.
 *
 * @param lines - the body's lines
 */
export function splitBodyParagraphs(lines: readonly string[]): string[] {
  const first = lines.findIndex((line) => !isBlank(line));
  if (first === -1) return [];
  const last = lines.findLastIndex((line) => !isBlank(line));
  const body = lines.slice(first, last + 1);
  if (body.some(isBlank)) return splitOnBlankLines(body);
  return body.map(normalizeSpace);
}

/**
 * {@link splitBodyParagraphs} on a whole string.
 *
 * @param text - a plain-text body
 */
export function splitTextParagraphs(text: string): string[] {
  return splitBodyParagraphs(splitLines(text));
}
