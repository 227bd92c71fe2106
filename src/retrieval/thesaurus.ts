/**
 * Words related in meaning, for query expansion: "sacked" may be answered by "dismissed",
 * "economic" by "economy". The core only sees this interface; where the words come from
 * (WordNet files, a test's table) is decided by the caller, so retrieval does no I/O.
 */

/**
 * How a related word is related to the question's word. Search weighs each relation on its own
 * (`ExpansionParams`): a synonym is better evidence than a broader word.
 * - synonym: same sense ("sack" / "dismiss");
 * - derived: another part of speech of the same sense ("negotiate" / "negotiation");
 * - pertainym: the noun an adjective is "of" ("ukrainian" / "ukraine"), and that noun's
 *   synonyms ("american" / "america", "usa");
 * - hypernym: one step broader ("postpone" / "delay", "firm" / "business");
 * - hyponym: one step narrower ("vehicle" / "car");
 * - similar: an adjective close in meaning ("present" / "current").
 */
export type Relation = "synonym" | "derived" | "pertainym" | "hypernym" | "hyponym" | "similar";

export interface RelatedWord {
  readonly word: string;
  readonly relation: Relation;
  /**
   * How common the sense that links the two words is, 0..1, relative to the word's most common
   * sense (1 for that one, or when the source has no frequencies).
   */
  readonly sense: number;
}

export interface Thesaurus {
  /**
   * @param lemma - a lower-case base form ("carry", "negotiation", "economic")
   * @returns related base forms, most common sense first, without `lemma` itself
   */
  related(lemma: string): readonly string[];
  /**
   * The same words with how they are related, when the source knows (WordNet does); otherwise
   * every word of `related` counts as a synonym of the most common sense.
   */
  relations?(lemma: string): readonly RelatedWord[];
}

/** A thesaurus that knows no words: expansion off. */
export const NO_THESAURUS: Thesaurus = { related: () => [] };

/** A thesaurus from a fixed table, for tests and small hand-made lists. */
export function tableThesaurus(table: Readonly<Record<string, readonly string[]>>): Thesaurus {
  return { related: (lemma) => table[lemma] ?? [] };
}

/** The related words of `lemma` with their relations, from either method of a thesaurus. */
export function relationsOf(thesaurus: Thesaurus, lemma: string): readonly RelatedWord[] {
  if (thesaurus.relations) return thesaurus.relations(lemma);
  return thesaurus.related(lemma).map((word) => ({ word, relation: "synonym", sense: 1 }));
}
