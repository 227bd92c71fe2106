/**
 * Zeroed typed arrays the size of the library, reused by every question asked of one index
 * instead of allocated for each. A million-paragraph library needs tens of megabytes of them a
 * question; allocated anew, they are memory outside V8's heap that keeps setting off full
 * garbage collections of a heap of gigabytes (`npm run bench -- --paragraphs 1000000`). Zeroing
 * the part in use is a memset, far cheaper.
 *
 * Searches are synchronous, so one question at a time uses an index's scratch; each array is
 * taken by name, once per question.
 */

type Typed = Float64Array | Int32Array | Uint8Array;

/** The named arrays of one index. */
export class Scratch {
  readonly #arrays = new Map<string, Typed>();

  /** A zeroed Float64Array of `size` elements, for this question only. */
  float64(name: string, size: number): Float64Array {
    return this.#take(name, size, (n) => new Float64Array(n));
  }

  /** A zeroed Int32Array of `size` elements, for this question only. */
  int32(name: string, size: number): Int32Array {
    return this.#take(name, size, (n) => new Int32Array(n));
  }

  /** A zeroed Uint8Array of `size` elements, for this question only. */
  uint8(name: string, size: number): Uint8Array {
    return this.#take(name, size, (n) => new Uint8Array(n));
  }

  #take<T extends Typed>(name: string, size: number, make: (n: number) => T): T {
    let array = this.#arrays.get(name) as T | undefined;
    if (array === undefined || array.length < size) {
      // A library grows an article at a time: room for a quarter more, so growing is rare.
      array = make(Math.ceil(size * 1.25));
      this.#arrays.set(name, array);
    } else array.fill(0, 0, size);
    return array.subarray(0, size) as T;
  }
}

const scratches = new WeakMap<object, Scratch>();

/** The scratch of `index` (made on first use, gone with the index). */
export function scratchFor(index: object): Scratch {
  let scratch = scratches.get(index);
  if (scratch === undefined) {
    scratch = new Scratch();
    scratches.set(index, scratch);
  }
  return scratch;
}
