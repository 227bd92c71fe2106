/**
 * Lets the event loop run (questions, file events, other work) before going on: a long job done
 * in slices (a compaction's batches, a snapshot's encode) awaits it between two slices.
 */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
