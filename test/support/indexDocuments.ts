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
