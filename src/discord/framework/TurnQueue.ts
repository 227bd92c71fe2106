/**
 * One event-loop turn each, in order: what lets a burst of interactions be acknowledged before
 * the answers are worked out.
 *
 * An answer is computed synchronously (the search), right after the interaction's deferral comes
 * back. In a burst, a thousand deferrals come back together, and each continuation ran before
 * Node read the next response or the next gateway event: the thousandth interaction was read, and
 * deferred, only after 999 searches, past Discord's 3-second deadline. Waiting for a turn here
 * puts each continuation in its own turn of the event loop (`setImmediate`, one at a time), so
 * that the I/O that is ready (new interactions, other acknowledgements) is handled between two
 * searches.
 */
export class TurnQueue {
  readonly #waiting: (() => void)[] = [];
  #scheduled = false;

  /** How many wait for a turn. */
  get size(): number {
    return this.#waiting.length;
  }

  /** Resolves in a later turn of the event loop, after those that waited before. */
  wait(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#waiting.push(resolve);
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      // The continuation runs in this turn's microtasks, before the next turn's I/O.
      this.#waiting.shift()?.();
      if (this.#waiting.length > 0) this.#schedule();
    });
  }
}
