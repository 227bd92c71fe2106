/**
 * Constants that modules of several layers share (the retrieval core, the pin store, the command
 * definitions). This module imports nothing, so importing a constant never loads the language
 * models: the pin store and the deploy script stay light.
 */

/**
 * Questions longer than this are cut before analysis: nobody asks 500 words, but people paste.
 * `/ask` and `/pins add` accept at most this many characters, and the pin store keeps at most
 * this much of a question.
 */
export const MAX_QUESTION_CHARS = 1_000;

/** Sentences in a summary when the caller does not say (`npm run summary`, `/summary`). */
export const DEFAULT_SUMMARY_SENTENCES = 3;

/**
 * How much longer than its drain (`DRAIN_SECONDS`) a graceful stop may take: the last poll's
 * announcements (`ANNOUNCE_AT_STOP_MS` in index.ts), closing the gateway, a last flush of records
 * queued behind a lock (`FLUSH_AT_STOP_MS`) and the store's close, which may wait up to 5 s for
 * that lock. Past it the process exits 1.
 */
export const STOP_MARGIN_MS = 10_000;
