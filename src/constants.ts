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
