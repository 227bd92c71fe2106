/**
 * A JSON syntax checker that says where the text breaks. `JSON.parse` on Node 20 often gives no
 * position ("Unexpected token '}', ... is not valid JSON") and quotes the whole input in its
 * message; this scanner finds the offset and a short reason instead, and notes where each item of
 * a top-level array starts so per-article problems can carry a line number. Values are still
 * built by `JSON.parse` once the text is known to be valid.
 *
 * Iterative (an explicit stack, no recursion), so deeply nested input cannot overflow the stack.
 */

/** Result of {@link scanJson}. */
export type JsonScan =
  | {
      readonly ok: true;
      /** Offsets where each item of a top-level array starts (empty for any other value). */
      readonly itemOffsets: readonly number[];
    }
  | { readonly ok: false; readonly offset: number; readonly reason: string };

type Expect = "value" | "valueOrClose" | "key" | "keyOrClose" | "commaOrClose";

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const SIMPLE_ESCAPES = new Set(['"', "\\", "/", "b", "f", "n", "r", "t"]);
const HEX4 = /^[0-9a-fA-F]{4}$/;

function isJsonSpace(c: string | undefined): boolean {
  return c === " " || c === "\t" || c === "\n" || c === "\r";
}

/**
 * Names a character for an error message: `'x'`, or `U+0007` for invisible ones.
 *
 * @param c - one character, or undefined at the end of the text
 */
export function describeChar(c: string | undefined): string {
  if (c === undefined) return "end of file";
  if (/[\p{L}\p{N}\p{P}\p{S}]/u.test(c)) return `'${c}'`;
  return `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
}

/**
 * Checks that `text` is exactly one JSON value (surrounding whitespace allowed).
 *
 * @param text - the JSON text, without a byte order mark
 * @returns `ok` with top-level array item offsets, or the offset of the first error and why
 */
export function scanJson(text: string): JsonScan {
  const stack: ("{" | "[")[] = [];
  const itemOffsets: number[] = [];
  let expect: Expect = "value";
  let afterComma = false;
  let i = 0;
  const fail = (offset: number, reason: string): JsonScan => ({ ok: false, offset, reason });

  // Returns the offset after the closing quote, or a failure.
  const scanString = (start: number): number | JsonScan => {
    let j = start + 1;
    for (;;) {
      const c = text[j];
      if (c === undefined) return fail(start, "string is never closed (missing '\"')");
      if (c === '"') return j + 1;
      if (c === "\\") {
        const e = text[j + 1];
        if (e === "u") {
          if (!HEX4.test(text.slice(j + 2, j + 6)))
            return fail(j, "\\u must be followed by 4 hex digits");
          j += 6;
        } else if (e !== undefined && SIMPLE_ESCAPES.has(e)) {
          j += 2;
        } else {
          return fail(j, `invalid escape '\\${e ?? ""}' in string`);
        }
        continue;
      }
      if (c < " ") {
        return fail(j, `${describeChar(c)} inside a string (write a line break as \\n)`);
      }
      j += 1;
    }
  };

  for (;;) {
    while (isJsonSpace(text[i])) i += 1;
    const c = text[i];
    if (c === undefined) {
      if (expect === "commaOrClose" && stack.length === 0) return { ok: true, itemOffsets };
      if (text.trim() === "") return fail(i, "no JSON value (the text is empty)");
      const open = stack.at(-1);
      const missing = open === "{" ? " (missing '}')" : open === "[" ? " (missing ']')" : "";
      return fail(i, `unexpected end of file${missing}`);
    }

    if (expect === "commaOrClose") {
      const open = stack.at(-1);
      if (open === undefined) return fail(i, `unexpected ${describeChar(c)} after the JSON value`);
      const close = open === "{" ? "}" : "]";
      if (c === ",") {
        expect = open === "{" ? "key" : "value";
        afterComma = true;
        i += 1;
      } else if (c === close) {
        stack.pop();
        i += 1;
      } else {
        return fail(i, `expected ',' or '${close}', found ${describeChar(c)}`);
      }
      continue;
    }

    if (expect === "keyOrClose" || expect === "key") {
      if (c === "}" && expect === "keyOrClose") {
        stack.pop();
        expect = "commaOrClose";
        i += 1;
        continue;
      }
      if (c !== '"') {
        const trailing = c === "}" ? " (trailing comma?)" : "";
        return fail(
          i,
          `expected a property name in double quotes, found ${describeChar(c)}${trailing}`,
        );
      }
      afterComma = false;
      const end = scanString(i);
      if (typeof end !== "number") return end;
      i = end;
      while (isJsonSpace(text[i])) i += 1;
      if (text[i] !== ":") {
        return fail(i, `expected ':' after the property name, found ${describeChar(text[i])}`);
      }
      i += 1;
      expect = "value";
      continue;
    }

    // expect is "value" or "valueOrClose"
    if (c === "]" && expect === "valueOrClose") {
      stack.pop();
      expect = "commaOrClose";
      i += 1;
      continue;
    }
    if (stack.length === 1 && stack[0] === "[") itemOffsets.push(i);
    expect = "commaOrClose";
    const wasAfterComma = afterComma;
    afterComma = false;
    if (c === "{") {
      stack.push("{");
      expect = "keyOrClose";
      i += 1;
    } else if (c === "[") {
      stack.push("[");
      expect = "valueOrClose";
      i += 1;
    } else if (c === '"') {
      const end = scanString(i);
      if (typeof end !== "number") return end;
      i = end;
    } else if (text.startsWith("true", i) || text.startsWith("null", i)) {
      i += 4;
    } else if (text.startsWith("false", i)) {
      i += 5;
    } else {
      NUMBER.lastIndex = i;
      if (NUMBER.test(text)) {
        i = NUMBER.lastIndex;
      } else {
        const trailing = (c === "]" || c === "}") && wasAfterComma ? " (trailing comma?)" : "";
        const quote = c === "'" ? " (JSON strings use double quotes)" : "";
        return fail(i, `expected a value, found ${describeChar(c)}${trailing}${quote}`);
      }
    }
  }
}

/**
 * 1-based line and column of an offset in `text` (column counted in UTF-16 code units).
 *
 * @param text - the text
 * @param offset - 0-based offset into `text`
 */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i += 1) {
    const c = text[i];
    if (c === "\n" || (c === "\r" && text[i + 1] !== "\n")) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * 1-based line numbers of many ascending offsets in one pass (a top-level array may hold
 * thousands of items, and {@link lineColumnAt} for each would rescan the text every time).
 *
 * @param text - the text
 * @param offsets - 0-based offsets into `text`, in ascending order
 */
export function lineNumbersAt(text: string, offsets: readonly number[]): number[] {
  const lines: number[] = [];
  let line = 1;
  let i = 0;
  for (const offset of offsets) {
    for (; i < offset && i < text.length; i += 1) {
      const c = text[i];
      if (c === "\n" || (c === "\r" && text[i + 1] !== "\n")) line += 1;
    }
    lines.push(line);
  }
  return lines;
}
