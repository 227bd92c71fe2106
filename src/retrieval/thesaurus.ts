/**
 * Words related in meaning, for query expansion: "sacked" may be answered by "dismissed",
 * "economic" by "economy". The core only sees this interface; where the words come from
 * (WordNet files, a test's table) is decided by the caller, so retrieval does no I/O.
 */
export interface Thesaurus {
  /**
   * @param lemma - a lower-case base form ("carry", "negotiation", "economic")
   * @returns related base forms, most common sense first, without `lemma` itself
   */
  related(lemma: string): readonly string[];
}

/** A thesaurus that knows no words: expansion off. */
export const NO_THESAURUS: Thesaurus = { related: () => [] };

/** A thesaurus from a fixed table, for tests and small hand-made lists. */
export function tableThesaurus(table: Readonly<Record<string, readonly string[]>>): Thesaurus {
  return { related: (lemma) => table[lemma] ?? [] };
}
