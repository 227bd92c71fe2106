/**
 * Key entities of a text with compromise: the people, places and organizations it mentions, most
 * mentioned first, with the spelling variants of one name merged ("Zelenskyy" and "Zelensky",
 * "Vladimir Putin" and "Putin"). compromise costs about 0.4 ms a sentence, so this runs on one
 * article or one topic at a time, never inside the sentence scoring.
 */
import nlp from "compromise";
import { withDefaults } from "./defaults.js";

/** The key entities of an article or topic, each list most mentioned first. */
export interface KeyEntities {
  readonly people: readonly string[];
  readonly places: readonly string[];
  readonly organizations: readonly string[];
}

/** Options of {@link keyEntities}. */
export interface KeyEntitiesOptions {
  /** Names at most per kind (default 5). */
  readonly max?: number;
}

/** Defaults of {@link KeyEntitiesOptions}. */
export const DEFAULT_KEY_ENTITIES_OPTIONS = {
  max: 5,
} as const satisfies Required<KeyEntitiesOptions>;

type EntityKind = keyof KeyEntities;

interface CompromiseTerm {
  readonly text: string;
  readonly tags: readonly string[];
  /** What follows the word: white space, or punctuation that ends a name (", "). */
  readonly post?: string;
  /** [sentence, term] position in the document. */
  readonly index?: readonly [number, number];
}

interface CompromiseMatch {
  readonly terms: readonly CompromiseTerm[];
}

/** A distinct spelling and how often it was mentioned. */
interface Variant {
  /** Words of the name as written, possessive and punctuation removed. */
  readonly words: readonly string[];
  /** Lower-cased words without dots ("U.S." -> "us") and without a leading "the". */
  readonly key: readonly string[];
  count: number;
  readonly first: number;
}

const POSSESSIVE = /['’]s?$/;
const CAPITALIZED = /^[\p{Lu}\p{N}]/u;
const DOTTED = /^(?:\p{L}\.)+$/u;

/**
 * The names in compromise's matches of one kind: honorifics ("President", "Mr") and lower-case
 * words ("region") dropped; a possessive ends a name ("Russia’s Kursk region" is "Russia" and
 * "Kursk"), and so does punctuation ("Dmitry Peskov, Putin" is two); matches that follow each
 * other word for word are one name (compromise sometimes splits "Vladimir Putin’s" in two).
 */
function namesOf(matches: readonly CompromiseMatch[]): string[][] {
  const names: string[][] = [];
  let current: string[] = [];
  let last: readonly [number, number] | undefined;
  const end = () => {
    if (current.join("").length > 1) names.push(current);
    current = [];
  };
  for (const match of matches) {
    const first = match.terms[0]?.index;
    const adjacent = last && first && last[0] === first[0] && last[1] + 1 === first[1];
    if (!adjacent) end();
    for (const term of match.terms) {
      let word = term.text.replace(/^[^\p{L}\p{N}]+/u, "").replace(/[^\p{L}\p{N}.'’]+$/u, "");
      // The apostrophe, not compromise's Possessive tag, which it also puts on "Vladimir".
      const possessive = POSSESSIVE.test(word);
      if (!term.tags.includes("Honorific") && CAPITALIZED.test(word)) {
        word = word.replace(POSSESSIVE, "");
        // "U.S." keeps its dots; a sentence's full stop after a name does not.
        if (!DOTTED.test(word)) word = word.replace(/\.+$/, "");
        if (word) current.push(word);
      }
      if (possessive || /\S/.test(term.post ?? "")) end();
    }
    last = match.terms[match.terms.length - 1]?.index;
  }
  end();
  return names;
}

function keyOf(words: readonly string[]): string[] {
  const key = words.map((w) => w.toLowerCase().replace(/\./g, ""));
  return key[0] === "the" && key.length > 1 ? key.slice(1) : key;
}

/** Levenshtein distance, stopping early once it exceeds `limit`. */
export function editDistance(a: string, b: string, limit = 2): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
      current.push(value);
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length] as number;
}

/**
 * Two spellings of one word: equal, or one letter apart in words of five letters or more
 * ("zelensky", "zelenskyy", "zelenskiy").
 */
function sameWord(a: string, b: string): boolean {
  return a === b || (Math.min(a.length, b.length) >= 5 && editDistance(a, b, 1) <= 1);
}

/**
 * Whether two people's names are one person: the same surname (up to a letter), and first names
 * that agree where both are given ("Vladimir Putin" and "Putin" are one; "Donald Trump" and
 * "Melania Trump" are two).
 */
function samePerson(a: readonly string[], b: readonly string[]): boolean {
  if (!sameWord(a[a.length - 1] as string, b[b.length - 1] as string)) return false;
  if (a.length === 1 || b.length === 1) return true;
  const x = a[0] as string;
  const y = b[0] as string;
  return sameWord(x, y) || x.startsWith(y) || y.startsWith(x);
}

/**
 * Whether two place or organization names are one: the same words up to a letter each, or the
 * words of one at the start of the other ("New York" and "New York City", "Al Jazeera" and
 * "Al Jazeera English").
 */
function sameThing(a: readonly string[], b: readonly string[]): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return short.every((w, i) => sameWord(w, long[i] as string));
}

/** Merges variants into groups (in order of first mention) and names each group. */
function mergeVariants(
  variants: readonly Variant[],
  kind: EntityKind,
): { name: string; count: number; first: number }[] {
  const same = kind === "people" ? samePerson : sameThing;
  // Longest names first, so a full name is the group a bare surname joins; among those of one
  // length, the most mentioned.
  const ordered = [...variants].sort(
    (a, b) => b.key.length - a.key.length || b.count - a.count || a.first - b.first,
  );
  const groups: { members: Variant[] }[] = [];
  for (const variant of ordered) {
    const matches = groups.filter((g) => g.members.some((m) => same(m.key, variant.key)));
    // A bare surname shared by two full names ("Trump" with Donald and Melania) goes to the
    // most mentioned of them.
    const target = matches.sort(
      (a, b) =>
        b.members.reduce((s, m) => s + m.count, 0) - a.members.reduce((s, m) => s + m.count, 0),
    )[0];
    if (target) target.members.push(variant);
    else groups.push({ members: [variant] });
  }
  return groups.map((g) => {
    const longest = Math.max(...g.members.map((m) => m.key.length));
    const name = g.members
      .filter((m) => m.key.length === longest)
      .sort((a, b) => b.count - a.count || a.first - b.first)[0] as Variant;
    return {
      name: name.words.join(" "),
      count: g.members.reduce((s, m) => s + m.count, 0),
      first: Math.min(...g.members.map((m) => m.first)),
    };
  });
}

/**
 * The people, places and organizations that compromise finds in the texts, most mentioned
 * first (ties: first mentioned first), spelling variants merged within the texts given.
 * @param texts - the paragraphs (leave out a title: headline capitals confuse the tagger)
 */
export function keyEntities(
  texts: readonly string[],
  options: KeyEntitiesOptions = {},
): KeyEntities {
  const { max } = withDefaults<Required<KeyEntitiesOptions>>(DEFAULT_KEY_ENTITIES_OPTIONS, options);
  const variants: Record<EntityKind, Map<string, Variant>> = {
    people: new Map(),
    places: new Map(),
    organizations: new Map(),
  };
  let mention = 0;
  for (const text of texts) {
    if (!/\p{Lu}/u.test(text)) continue;
    const doc = nlp(text);
    const found: Record<EntityKind, CompromiseMatch[]> = {
      people: doc.people().json(),
      places: doc.places().json(),
      organizations: doc.organizations().json(),
    };
    for (const kind of Object.keys(found) as EntityKind[]) {
      for (const words of namesOf(found[kind])) {
        const key = keyOf(words);
        const id = key.join(" ");
        const known = variants[kind].get(id);
        if (known) known.count++;
        else variants[kind].set(id, { words, key, count: 1, first: mention });
        mention++;
      }
    }
  }
  const top = (kind: EntityKind) =>
    mergeVariants([...variants[kind].values()], kind)
      .sort((a, b) => b.count - a.count || a.first - b.first)
      .slice(0, Math.max(0, max))
      .map((e) => e.name);
  return { people: top("people"), places: top("places"), organizations: top("organizations") };
}
