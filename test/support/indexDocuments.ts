import type {
  IndexedMention,
  ParagraphIndex,
  ParagraphRef,
} from "../../src/retrieval/paragraphIndex.js";

/**
 * Every document of an index, as whole arrays built from its per-document accessors: what tests
 * compare structure by structure. The index itself gives them a document at a time (a million
 * paragraphs would make millions of objects per read).
 */
export function documentsOf(index: ParagraphIndex): {
  paragraphs: ParagraphRef[];
  sequences: Int32Array[];
  sentenceStarts: Int32Array[];
  mentions: (readonly IndexedMention[])[];
} {
  const paragraphs: ParagraphRef[] = [];
  const sequences: Int32Array[] = [];
  const sentenceStarts: Int32Array[] = [];
  const mentions: (readonly IndexedMention[])[] = [];
  for (let doc = 0; doc < index.articleOf.length; doc++) {
    paragraphs.push(index.paragraphOf(doc) as ParagraphRef);
    sequences.push(index.sequenceOf(doc));
    sentenceStarts.push(index.sentenceStartsOf(doc));
    mentions.push(index.mentionsOf(doc));
  }
  return { paragraphs, sequences, sentenceStarts, mentions };
}

/** Every structure a reader of the index sees, in plain JSON (term ids as numbers). */
export function readerView(index: ParagraphIndex) {
  const list = (array: ArrayLike<number>) => Array.from(array).join(" ");
  const documents = documentsOf(index);
  return {
    documentCount: index.documentCount,
    articleCount: index.articleCount,
    averageLength: index.averageLength,
    averageTitleLength: index.averageTitleLength,
    averageArticleLength: index.averageArticleLength,
    kindFrequency: index.kindFrequency,
    paragraphs: documents.paragraphs.map((p) => `${p.article}/${p.paragraph}`).join(" "),
    live: list(index.live),
    articleStart: list(index.articleStart),
    articleOf: list(index.articleOf),
    lengths: list(index.lengths),
    titleLengths: list(index.titleLengths),
    articleLengths: list(index.articleLengths),
    kinds: list(index.kinds),
    terms: [...index.termIds].map(([term, id]) => `${id} ${term}`),
    prefixGroups: [...index.prefixGroups].map(([key, ids]) => `${key}: ${ids.join(" ")}`),
    postings: index.postings.map((p) => `${list(p.docs)} | ${list(p.freqs)}`),
    titlePostings: index.titlePostings.map((p) => `${list(p.docs)} | ${list(p.freqs)}`),
    sequences: documents.sequences.map(list),
    sentenceStarts: documents.sentenceStarts.map(list),
    mentions: documents.mentions.map((ms) =>
      ms.map((m) => `s${m.sentence} b${m.bit}: ${m.terms.join(" ")}`),
    ),
  };
}
