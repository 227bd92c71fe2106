/**
 * Query expansion: the index terms a question term may be matched by, each with its weight
 * relative to the word itself. The word's own forms count 1; a related word from the thesaurus
 * counts `relatedWeight` times the weight of its relation, scaled by how common the sense that
 * links them is; a word sharing the first `PREFIX_LENGTH` letters counts `relatedWeight`.
 */
import { type ParagraphIndex, PREFIX_LENGTH } from "./paragraphIndex.js";
import type { QueryTerm } from "./question.js";
import type { Relation } from "./thesaurus.js";

export interface ExpansionParams {
  /** Weight of a related word (thesaurus, shared prefix) relative to the question's own word. */
  readonly relatedWeight: number;
  /** Times `relatedWeight` for a derived form ("negotiate" / "negotiation"). */
  readonly derivedWeight: number;
  /** Times `relatedWeight` for a pertainym ("american" / "america", "usa"). */
  readonly pertainymWeight: number;
  /** Times `relatedWeight` for a broader word ("postpone" / "delay"). */
  readonly hypernymWeight: number;
  /** Times `relatedWeight` for a narrower word. */
  readonly hyponymWeight: number;
  /** Times `relatedWeight` for a similar adjective ("present" / "current"). */
  readonly similarWeight: number;
  /**
   * Exponent of the linking sense's share (1 for the word's most common sense): 0 counts every
   * sense alike, 1 in proportion to how often it is used.
   */
  readonly senseExponent: number;
}

/** Chosen on the tune half of `npm run eval:readers`. */
export const DEFAULT_EXPANSION_PARAMS = {
  relatedWeight: 0.15,
  derivedWeight: 1,
  pertainymWeight: 1,
  hypernymWeight: 1,
  hyponymWeight: 1,
  similarWeight: 1,
  senseExponent: 1,
} as const satisfies Required<ExpansionParams>;

/** The weight of a related word reached by `relation` through a sense of share `sense`. */
export function relationWeight(relation: Relation, sense: number, p: ExpansionParams): number {
  const factor =
    relation === "synonym"
      ? 1
      : relation === "derived"
        ? p.derivedWeight
        : relation === "pertainym"
          ? p.pertainymWeight
          : relation === "hypernym"
            ? p.hypernymWeight
            : relation === "hyponym"
              ? p.hyponymWeight
              : p.similarWeight;
  return p.relatedWeight * factor * (p.senseExponent === 0 ? 1 : sense ** p.senseExponent);
}

/**
 * Relations too loose to count as the word in the window and sentence rerank: there they count
 * their weight of the word's IDF. Synonyms, derived forms and shared prefixes count the whole
 * IDF there, which measured better on SQuAD than weighing them too (R@1 0.817 against 0.812).
 */
const LOOSE: ReadonlySet<Relation> = new Set<Relation>(["hypernym", "hyponym", "similar"]);

export interface ExpandedTerm {
  /** Term ids of the word's own forms (weight 1). */
  readonly ids: readonly number[];
  /** Term ids of related words with their weights, best first, each id once, none of `ids`. */
  readonly related: readonly (readonly [id: number, weight: number])[];
  /** Of `related`, the ids reached only by a loose relation (broader, narrower, similar). */
  readonly loose: ReadonlySet<number>;
}

/** The index terms that match a question term, with their weights. */
export function expandTerm(
  index: ParagraphIndex,
  term: QueryTerm,
  p: ExpansionParams,
): ExpandedTerm {
  const ids: number[] = [];
  for (const form of term.forms) {
    const id = index.termIds.get(form);
    if (id !== undefined && !ids.includes(id)) ids.push(id);
  }
  const weights = new Map<number, number>();
  const loose = new Set<number>();
  const offer = (id: number | undefined, weight: number, isLoose = false) => {
    if (id === undefined || ids.includes(id)) return;
    const known = weights.get(id);
    if (known === undefined) {
      if (isLoose) loose.add(id);
    } else if (!isLoose) loose.delete(id);
    if (weight > (known ?? -1)) weights.set(id, weight);
  };
  term.related.forEach((related, i) => {
    const link = term.relatedBy?.[i];
    const weight = link ? relationWeight(link.relation, link.sense, p) : p.relatedWeight;
    offer(index.termIds.get(related), weight, link !== undefined && LOOSE.has(link.relation));
  });
  // Words sharing their first letters with the question's ("ukrainian" for "ukraine",
  // "economy" for "economic") count as related words too: Porter leaves such pairs apart.
  for (const form of term.forms) {
    if (form.length < PREFIX_LENGTH) continue;
    for (const id of index.prefixGroups.get(form.slice(0, PREFIX_LENGTH)) ?? []) {
      offer(id, p.relatedWeight);
    }
  }
  // Best first: a document counts once per query term, through its best form.
  return { ids, related: [...weights].sort((x, y) => y[1] - x[1]), loose };
}

/**
 * Gives a question term's forms their slots in the rerank: the word's own forms and its close
 * related words share one slot of the term's IDF; loose related words get one slot per weight,
 * of that weight of the IDF (a window holding a broader word counts less than one holding the
 * word).
 */
export function addSlots(
  term: ExpandedTerm,
  termIdf: number,
  slots: { idf: number }[],
  slotOf: Map<number, number>,
): void {
  const main = slots.length;
  slots.push({ idf: termIdf });
  const byWeight = new Map<number, number>();
  for (const id of term.ids) if (!slotOf.has(id)) slotOf.set(id, main);
  for (const [id, weight] of term.related) {
    if (slotOf.has(id)) continue;
    if (!term.loose.has(id)) {
      slotOf.set(id, main);
      continue;
    }
    let slot = byWeight.get(weight);
    if (slot === undefined) {
      slot = slots.length;
      slots.push({ idf: termIdf * weight });
      byWeight.set(weight, slot);
    }
    slotOf.set(id, slot);
  }
}
