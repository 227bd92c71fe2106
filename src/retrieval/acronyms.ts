/**
 * Acronyms an article defines: "the Karachi Stock Exchange (KSE)", "Athletics Kenya (AK)". Once
 * defined, an article writes the short form ("AK chief Isaiah Kiplagat") while a reader asks with
 * the long one ("What did Athletics Kenya say?"), or the reverse. At index time each form of a
 * definition also stands for the other in that article's paragraphs (`withAliases`), so the two
 * reach the same terms.
 *
 * A definition is a parenthesized short form of 2 to 8 letters, at least two of them capitals,
 * whose capitals are the initials of the words just before it, small words such as "of" and
 * "the" skipped ("Confederation of British Industry (CBI)", "Ministry of Defence (MoD)"): the
 * strict form of the pattern of Schwartz and Hearst ("A simple algorithm for identifying
 * abbreviation definitions in biomedical text", PSB 2003).
 */
import { terms } from "./textPipeline.js";

export interface AcronymDefinition {
  /** The short form's index term ("kse"). */
  readonly acronym: string;
  /** The long form's index terms ("karachi", "stock", "exchang"). */
  readonly expansion: readonly string[];
}

const SHORT_FORM = /\(([A-Za-z][A-Za-z&]{1,7})\)/g;
const SMALL_WORDS = new Set(["of", "the", "and", "for", "in", "on", "to", "de", "du", "&"]);

/** The definitions of a text, each acronym once (its first definition). */
export function findAcronyms(text: string): AcronymDefinition[] {
  const found = new Map<string, AcronymDefinition>();
  for (const match of text.matchAll(SHORT_FORM)) {
    const short = match[1] as string;
    const capitals = short.replace(/[^A-Z]/g, "");
    if (capitals.length < 2) continue;
    const before = text.slice(Math.max(0, match.index - 120), match.index);
    const words = before.match(/[\p{L}\p{N}&'’-]+/gu) ?? [];
    // Walk back over the words, matching the capitals from the last one.
    let c = capitals.length - 1;
    let start = words.length;
    for (let w = words.length - 1; w >= 0 && c >= 0; w--) {
      const word = words[w] as string;
      if (SMALL_WORDS.has(word.toLowerCase())) continue;
      if (word[0]?.toUpperCase() !== capitals[c]) break;
      c--;
      start = w;
    }
    if (c >= 0) continue;
    const acronym = terms(short)[0];
    const expansion = terms(words.slice(start).join(" "));
    if (!acronym || expansion.length < 2 || found.has(acronym)) continue;
    found.set(acronym, { acronym, expansion });
  }
  return [...found.values()];
}

/**
 * A sequence of index terms where each form of a definition is followed by the other: "kse"
 * by "karachi stock exchang", and "karachi stock exchang" by "kse".
 */
export function withAliases(
  sequence: readonly string[],
  definitions: readonly AcronymDefinition[],
): string[] {
  if (definitions.length === 0) return [...sequence];
  const out: string[] = [];
  for (let i = 0; i < sequence.length; i++) {
    const term = sequence[i] as string;
    out.push(term);
    for (const { acronym, expansion } of definitions) {
      if (term === acronym) out.push(...expansion);
      else if (
        term === expansion[expansion.length - 1] &&
        i + 1 >= expansion.length &&
        expansion.every((t, k) => sequence[i + 1 - expansion.length + k] === t)
      ) {
        out.push(acronym);
      }
    }
  }
  return out;
}
