/**
 * Corpora of any size for `npm run bench -- --paragraphs N` (src/eval/scaleBench.ts): real
 * paragraphs (SQuAD dev, BBC News Summary, CNN/DailyMail), copied as many times as it takes, each
 * copy changed a little, and cut into articles of news length.
 *
 * What a copy changes, and why. A copy that only appended a reference of its own ("Ref 3-1208")
 * would give the index a new term or two for every paragraph, so the vocabulary would grow in
 * step with the corpus; a verbatim copy would give it none, so the vocabulary would stop at the
 * base's. A news archive does neither: its vocabulary grows as a power of its size (Heaps' law,
 * V = K·T^β with T the number of words; β = 0.49 on Reuters RCV1, Manning, Raghavan and Schütze,
 * "Introduction to Information Retrieval", 2008, §5.1.1), mostly with new names. So copy c ≥ 1
 * of a paragraph:
 * - swaps two of its words for words taken at random positions of other base paragraphs: a word
 *   comes in with its frequency in running text (a "the" often, a rare word rarely), so the
 *   shape of the term frequencies and of the postings stays that of real text, but no two copies
 *   of a paragraph have the same postings;
 * - changes one number, if it has one, to another with as many digits (news repeat stories with
 *   new figures; the numbers' vocabulary stays bounded by their lengths);
 * - puts a name in place of one of its capitalized words: a new name (made of syllables, never
 *   used before) whenever the vocabulary is behind the Heaps curve fitted through the base (K
 *   chosen so that the curve passes through the base's own vocabulary and word count), and
 *   otherwise, one time in four, a name among the 256 latest, so that new names recur in a few
 *   stories as real ones do.
 * The copy 0 of every paragraph is the original. No generated paragraph is byte-identical to
 * another (a set of the texts is kept while generating, and a copy that meets one already made
 * is changed again), and exact duplicates of the base are dropped before copying.
 *
 * Articles: paragraphs stay in their source's order, in groups (a SQuAD title, a BBC category,
 * CNN/DailyMail), and each group is cut into articles of 10 to 25 paragraphs, lengths drawn at
 * random. A BBC story has about 5 paragraphs, so a BBC article here holds several stories of one
 * category, as a round-up does; a SQuAD title of 44 paragraphs becomes two or three articles.
 * SQuAD comes first in every copy, so a corpus of 10,000 paragraphs already holds every SQuAD
 * paragraph, the gold paragraphs of the questions the benchmark asks.
 *
 * Deterministic (a seeded generator, nothing from the clock) and linear: a copy is a few string
 * slices per paragraph; the paragraphs are the only large thing kept.
 */
import path from "node:path";
import type { Article } from "../corpus/article.js";
import { readSquad } from "./squadData.js";
import { readBbc, readCnnDm } from "./summaryData.js";

/** Paragraphs of one source that articles may be cut from together. */
export interface BaseGroup {
  /** A SQuAD title, a BBC category, "cnndm": used in article ids. */
  readonly name: string;
  readonly paragraphs: readonly BaseParagraph[];
}

export interface BaseParagraph {
  readonly text: string;
  /** The title of the article it comes from (the generated article takes its first one's). */
  readonly title: string;
}

/** What the generator did, to print beside the figures. */
export interface ScaleCorpusStats {
  /** Distinct base paragraphs (after exact duplicates were dropped). */
  readonly baseParagraphs: number;
  /** Distinct lower-case words of the base. */
  readonly baseVocabulary: number;
  /** Copies of the base started (1 when the corpus is smaller than the base). */
  readonly copies: number;
  /** Words in the corpus (letters or digits in a row), its T in Heaps' law. */
  readonly words: number;
  /** New names the copies brought in. */
  readonly newNames: number;
}

export interface ScaleCorpus {
  readonly articles: Article[];
  /** `extraArticles` more articles of `extraLength` paragraphs, from after the corpus's end. */
  readonly extra: Article[];
  readonly stats: ScaleCorpusStats;
}

export interface ScaleCorpusOptions {
  /** How many paragraphs `articles` hold in all. */
  readonly paragraphs: number;
  /** Articles to make beyond the corpus, to add and remove while measuring (default 0). */
  readonly extraArticles?: number;
  /** Paragraphs in each extra article (default 10). */
  readonly extraLength?: number;
  /** Same seed, same base: same corpus (default 1). */
  readonly seed?: number;
}

/** Article lengths in paragraphs: a news story of some length. */
export const ARTICLE_PARAGRAPHS = { min: 10, max: 25 } as const;

/** Heaps' exponent (RCV1, see the file comment). */
const HEAPS_BETA = 0.49;

/** How many of the latest new names a copy may reuse. */
const RECENT_NAMES = 256;

/**
 * The base of the scale corpora: SQuAD dev by title, then BBC News Summary by category, then
 * CNN/DailyMail (whose articles have no paragraph breaks: cut here every three sentences, the
 * length of a news paragraph).
 * @param datasets - the datasets folder (holding SQuAD, BBC News Summary and CNN/DailyMail)
 */
export function readScaleBase(datasets: string): BaseGroup[] {
  const squad = readSquad(path.join(datasets, "squad-v1.1-dev/dev-v1.1.json")).articles;
  const groups: BaseGroup[] = squad.map((a) => ({
    name: a.id,
    paragraphs: a.paragraphs.map((text) => ({ text, title: a.title })),
  }));
  const categories = new Map<string, BaseParagraph[]>();
  for (const { article } of readBbc(datasets)) {
    const category = article.id.split("/")[0] ?? "bbc";
    const list = categories.get(category) ?? [];
    for (const text of article.paragraphs) list.push({ text, title: article.title });
    categories.set(category, list);
  }
  for (const [name, paragraphs] of categories) groups.push({ name, paragraphs });
  const cnn: BaseParagraph[] = [];
  for (const { article } of readCnnDm(datasets)) {
    const sentences = (article.paragraphs[0] ?? "").split(/(?<=[.!?]['"’”]?)\s+(?=['"‘“]?[A-Z])/);
    const title = sentences[0]?.slice(0, 80) ?? "";
    for (let i = 0; i < sentences.length; i += 3) {
      cnn.push({ text: sentences.slice(i, i + 3).join(" "), title });
    }
  }
  groups.push({ name: "cnndm", paragraphs: cnn });
  return groups;
}

/** mulberry32: a small, fast seeded generator of floats in [0, 1). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed for copy `copy` of base paragraph `paragraph`, mixed so that neighbours differ. */
function mix(seed: number, copy: number, paragraph: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(copy + 1, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 13), 0x27d4eb2f) ^ paragraph;
  return Math.imul(h ^ (h >>> 16), 0x85ebca6b) ^ (h >>> 13);
}

const SYLLABLES = (() => {
  const out: string[] = [];
  for (const c of "bcdfghjklmnprstvz") for (const v of "aeiou") out.push(c + v);
  return out;
})();
/** Name endings Porter's stemmer leaves alone, so that no two names share a stem (tested). */
const NAME_ENDINGS = ["n", "k", "m"];

/**
 * The k-th new name: two syllables and an ending for the first few thousand, then three, then
 * four, so that every k gives another word and the names grow longer as real rare words are.
 */
export function newName(k: number): string {
  let rest = k;
  let syllables = 2;
  while (rest >= NAME_ENDINGS.length * SYLLABLES.length ** syllables) {
    rest -= NAME_ENDINGS.length * SYLLABLES.length ** syllables;
    syllables++;
  }
  let name = NAME_ENDINGS[rest % NAME_ENDINGS.length] as string;
  rest = Math.floor(rest / NAME_ENDINGS.length);
  for (let i = 0; i < syllables; i++) {
    name = SYLLABLES[rest % SYLLABLES.length] + name;
    rest = Math.floor(rest / SYLLABLES.length);
  }
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** Words, numbers, and capitalized words inside a sentence (names, not a sentence's first word). */
const WORD = /[A-Za-z\u00C0-\u024F]+/g;
const NUMBER = /[0-9]+/g;
const NAME = /(?<=[A-Za-z\u00C0-\u024F,] )[A-Z][A-Za-z\u00C0-\u024F]*/g;

const isWordChar = (code: number) =>
  (code >= 97 && code <= 122) ||
  (code >= 65 && code <= 90) ||
  (code >= 48 && code <= 57) ||
  (code >= 0xc0 && code <= 0x24f);

/**
 * The first match of `pattern` (a global regex) that starts at or after `from`, from the start
 * of the word or number `from` falls in, wrapping around the text once, as [start, end).
 */
function runFrom(text: string, from: number, pattern: RegExp): [number, number] | undefined {
  let start = from;
  while (start > 0 && isWordChar(text.charCodeAt(start - 1))) start--;
  pattern.lastIndex = start;
  let m = pattern.exec(text);
  if (m === null && start > 0) {
    pattern.lastIndex = 0;
    m = pattern.exec(text);
  }
  return m === null ? undefined : [m.index, m.index + m[0].length];
}

interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/**
 * `text` with `edits` made, as one flat string, as a paragraph read from a file is. Slicing and
 * concatenating edit by edit would leave a rope: V8 flattens a string before slicing it, so each
 * copy would hold a whole intermediate copy of its text plus the rope's nodes (about 200 bytes a
 * paragraph more: 755 MB of heap instead of about 540 MB for the million-paragraph corpus), and
 * the build would flatten it again when it sends it to a worker thread.
 */
function applyEdits(text: string, edits: Edit[]): string {
  // Right to left, so earlier positions stay valid; overlapping edits keep the rightmost.
  edits.sort((a, b) => b.start - a.start);
  const pieces: string[] = [];
  let limit = text.length;
  for (const e of edits) {
    if (e.end > limit) continue;
    pieces.push(text.slice(e.end, limit), e.text);
    limit = e.start;
  }
  pieces.push(text.slice(0, limit));
  // join copies the pieces into one sequential string.
  return pieces.reverse().join("");
}

/** Distinct lower-case words and words in all of `texts`. */
function vocabularyOf(texts: readonly string[]): { vocabulary: number; words: number[] } {
  const seen = new Set<string>();
  const words: number[] = [];
  for (const text of texts) {
    let count = 0;
    for (const m of text.matchAll(/[\p{L}\p{N}]+/gu)) {
      seen.add(m[0].toLowerCase());
      count++;
    }
    words.push(count);
  }
  return { vocabulary: seen.size, words };
}

/**
 * A corpus of exactly `options.paragraphs` paragraphs made from `base` (see the file comment),
 * and, after it, `extraArticles` articles of `extraLength` paragraphs made the same way.
 * @param base - groups of distinct-enough paragraphs, each of at least 10 for articles of 10 to 25
 */
export function generateScaleCorpus(
  base: readonly BaseGroup[],
  options: ScaleCorpusOptions,
): ScaleCorpus {
  const seed = options.seed ?? 1;
  const extraArticles = options.extraArticles ?? 0;
  const extraLength = options.extraLength ?? 10;
  // Exact duplicates in the base (BBC repeats some paragraphs) would be duplicates in copy 0.
  const seen = new Set<string>();
  const groups = base.map((g) => ({
    name: g.name,
    paragraphs: g.paragraphs.filter((p) => !seen.has(p.text) && seen.add(p.text)),
  }));
  seen.clear();
  const texts = groups.flatMap((g) => g.paragraphs.map((p) => p.text));
  if (texts.length === 0) throw new Error("scale corpus: the base has no paragraphs");
  const { vocabulary: baseVocabulary, words: wordsOf } = vocabularyOf(texts);
  const baseWords = wordsOf.reduce((a, b) => a + b, 0);
  const heapsK = baseVocabulary / baseWords ** HEAPS_BETA;

  let words = 0;
  let newNames = 0;
  let copy = 0;
  const recent: string[] = [];

  /** Copy `c` of base paragraph `i` (index into `texts`), one not generated before. */
  const copyOf = (c: number, i: number): string => {
    const original = texts[i] as string;
    words += wordsOf[i] as number;
    if (c === 0) {
      seen.add(original);
      return original;
    }
    const rand = random(mix(seed, c, i));
    const at = () => Math.floor(rand() * original.length);
    const edits: Edit[] = [];
    const swap = () => {
      const target = runFrom(original, at(), WORD);
      const donor = texts[Math.floor(rand() * texts.length)] as string;
      const word = runFrom(donor, Math.floor(rand() * donor.length), WORD);
      if (target && word)
        edits.push({ start: target[0], end: target[1], text: donor.slice(...word) });
    };
    swap();
    swap();
    const number = runFrom(original, at(), NUMBER);
    if (number) {
      const [start, end] = number;
      const old = original.slice(start, end);
      let fresh = old;
      while (fresh === old) {
        fresh = "";
        for (let d = start; d < end; d++) {
          const low = d === start && old.length > 1 ? 1 : 0;
          fresh += String(low + Math.floor(rand() * (10 - low)));
        }
      }
      edits.push({ start, end, text: fresh });
    }
    const owed = Math.floor(heapsK * words ** HEAPS_BETA) - baseVocabulary - newNames;
    let name: string | undefined;
    if (owed > 0) {
      name = newName(newNames++);
      recent.push(name);
      if (recent.length > RECENT_NAMES) recent.shift();
    } else if (recent.length > 0 && rand() < 0.25) {
      name = recent[Math.floor(rand() * recent.length)];
    }
    if (name !== undefined) {
      const place = runFrom(original, at(), NAME) ?? runFrom(original, at(), WORD);
      if (place) edits.push({ start: place[0], end: place[1], text: name });
    }
    let text = applyEdits(original, [...edits]);
    // A copy that meets a paragraph already made (rare: a short paragraph, swaps that changed
    // nothing) takes more swaps, then a new name at its end, until it is new.
    for (let tries = 0; seen.has(text); tries++) {
      if (tries < 8) swap();
      else
        edits.push({
          start: original.length,
          end: original.length,
          text: ` ${newName(newNames++)}.`,
        });
      text = applyEdits(original, [...edits]);
    }
    seen.add(text);
    return text;
  };

  /**
   * Every paragraph in order, copy after copy, each with its title and whether an article ends
   * after it (lengths drawn from 10 to 25, the last article of a group never shorter than 10).
   */
  function* stream(): Generator<{ text: string; title: string; articleEnd: boolean }> {
    for (; ; copy++) {
      let i = 0;
      const cut = random(mix(seed ^ 0x5bd1e995, copy, 0));
      for (const g of groups) {
        let left = g.paragraphs.length;
        let length = 0;
        for (const p of g.paragraphs) {
          if (length === 0) {
            const { min, max } = ARTICLE_PARAGRAPHS;
            length = left <= max ? left : min + Math.floor(cut() * (max - min + 1));
            if (left > max && left - length < min) length = left - min;
            left -= length;
          }
          length--;
          yield { text: copyOf(copy, i++), title: p.title, articleEnd: length === 0 };
        }
      }
    }
  }

  const paragraphs = stream();
  const next = () =>
    paragraphs.next().value as { text: string; title: string; articleEnd: boolean };
  const articles: Article[] = [];
  let made = 0;
  while (made < options.paragraphs) {
    const first = next();
    const list = [first.text];
    let end = first.articleEnd;
    while (!end && made + list.length < options.paragraphs) {
      const p = next();
      list.push(p.text);
      end = p.articleEnd;
    }
    articles.push({ id: `scale-${articles.length}`, title: first.title, paragraphs: list });
    made += list.length;
  }
  const stats = {
    baseParagraphs: texts.length,
    baseVocabulary,
    copies: copy + 1,
    words,
    newNames,
  };
  const extra: Article[] = [];
  for (let a = 0; a < extraArticles; a++) {
    const list: string[] = [];
    let title = "";
    for (let n = 0; n < extraLength; n++) {
      const p = next();
      if (n === 0) title = p.title;
      list.push(p.text);
    }
    extra.push({ id: `scale-extra-${a}`, title, paragraphs: list });
  }
  // The texts themselves stay (they are the corpus); the set of them is only for generating.
  seen.clear();
  return { articles, extra, stats };
}
