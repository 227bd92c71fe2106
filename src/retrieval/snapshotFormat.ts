/**
 * A small binary container for saving an index: a record of named typed arrays, string lists and
 * scalars, written as bytes a reader can view without parsing (a typed array of a million
 * postings is read back as a view of the file's bytes, not rebuilt number by number as JSON
 * would need). It knows nothing of the index; `indexSnapshot.ts` says what goes in it. Pure: it
 * makes and reads bytes, the caller reads and writes the file.
 *
 * Layout (little-endian, as every machine Node supports in practice; `encodeSnapshot` refuses a
 * big-endian one rather than write a file no other machine reads):
 *
 *   0   8 bytes  magic "NDSKSNAP"
 *   8   u32      FORMAT_VERSION (this container's layout)
 *   12  u32      CRC-32 of every byte from 24 to the end
 *   16  f64      total length in bytes (a truncated file is told from a damaged one)
 *   24  u32      length of the table of contents, then the table: UTF-8 JSON of the scalars and,
 *                per array or string list, its name, type, byte offset and length
 *       ...      the arrays, each at an offset that is a multiple of 8 (so it can be viewed in
 *                place); a string list is one UTF-8 block (all strings, joined) and a Uint32Array
 *                of where each ends, in UTF-16 code units of the decoded block, so the block is
 *                decoded once and cut with `slice` instead of decoding a million small strings.
 *
 * The table is JSON because it is a few hundred bytes of names and numbers; everything that
 * grows with the library is binary.
 */
import { crc32 } from "node:zlib";

/** The magic bytes at the start of every snapshot. */
export const SNAPSHOT_MAGIC = "NDSKSNAP";

/** The container's layout; a file of another version is refused (`SnapshotError` VERSION). */
export const FORMAT_VERSION = 1;

/** The typed arrays a record may hold. */
export type SnapshotArray = Int32Array | Uint32Array | Uint16Array | Uint8Array | Float64Array;

/** One field of a record: a typed array, a list of strings, or a scalar. */
export type SnapshotValue = SnapshotArray | readonly string[] | number | string | boolean;

/** What is saved: named fields (names are the caller's). */
export type SnapshotRecord = Readonly<Record<string, SnapshotValue>>;

/**
 * Why bytes are not a snapshot this code can use: not a snapshot (MAGIC), another layout
 * (VERSION), shorter than written (TRUNCATED), damaged (CORRUPT); and, from what is saved in it
 * (indexSnapshot.ts), made by another analysis (STALE) or with other index options (OPTIONS).
 */
export type SnapshotErrorCode = "MAGIC" | "VERSION" | "TRUNCATED" | "CORRUPT" | "STALE" | "OPTIONS";

export class SnapshotError extends Error {
  constructor(
    readonly code: SnapshotErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "SnapshotError";
  }
}

const TYPES = {
  Int32Array,
  Uint32Array,
  Uint16Array,
  Uint8Array,
  Float64Array,
} as const;
type TypeName = keyof typeof TYPES;

/** A table of contents entry: a scalar's value, or where an array or string list lies. */
type Entry =
  | { readonly name: string; readonly scalar: number | string | boolean }
  | {
      readonly name: string;
      readonly type: TypeName;
      readonly offset: number;
      readonly length: number;
    }
  | {
      readonly name: string;
      readonly strings: number;
      readonly offset: number;
      readonly bytes: number;
      readonly ends: number;
    };

const PREFIX_BYTES = 24;
const ALIGN = 8;
const padded = (n: number) => Math.ceil(n / ALIGN) * ALIGN;
/** A string with a lone surrogate, which UTF-8 cannot carry (it would come back as U+FFFD). */
const LONE_SURROGATE = /\p{Cs}/u;

function typeName(array: SnapshotArray): TypeName {
  for (const name of Object.keys(TYPES) as TypeName[])
    if (array instanceof TYPES[name]) return name;
  throw new Error(`snapshotFormat: unsupported array type ${array.constructor.name}`);
}

function checkEndianness(): void {
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
    throw new Error("snapshotFormat: this machine is big-endian; snapshots are little-endian");
  }
}

/** The bytes of an array as they lie in memory (a view, not a copy). */
const bytesOf = (array: SnapshotArray) =>
  new Uint8Array(array.buffer, array.byteOffset, array.byteLength);

/**
 * A record as the bytes of a snapshot, in pieces to be written one after another (the arrays
 * are not copied into one buffer: at a million paragraphs that would double the memory a write
 * needs). The pieces view `record`'s arrays: write them before changing those.
 * @throws Error when a string has a lone surrogate (UTF-8 cannot carry it) or the machine is
 *   big-endian: nothing the file could be trusted with
 */
export function encodeSnapshot(record: SnapshotRecord): Uint8Array[] {
  checkEndianness();
  const encoder = new TextEncoder();
  const entries: Entry[] = [];
  const body: Uint8Array[] = [];
  let offset = 0;
  const append = (bytes: Uint8Array) => {
    const at = offset;
    // No empty pieces: Node 20's crc32 of an empty view of an empty buffer is 0, not the
    // running value, which would make the checksum wrong.
    if (bytes.byteLength > 0) body.push(bytes);
    offset += bytes.byteLength;
    const gap = padded(offset) - offset;
    if (gap > 0) {
      body.push(new Uint8Array(gap));
      offset += gap;
    }
    return at;
  };
  for (const [name, value] of Object.entries(record)) {
    if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") {
      entries.push({ name, scalar: value });
    } else if (Array.isArray(value)) {
      const strings = value as readonly string[];
      const ends = new Uint32Array(strings.length);
      let end = 0;
      strings.forEach((s, i) => {
        if (LONE_SURROGATE.test(s)) {
          throw new Error(`snapshotFormat: a string of ${name} has a lone surrogate`);
        }
        end += s.length;
        ends[i] = end;
      });
      const block = encoder.encode(strings.join(""));
      const at = append(block);
      entries.push({
        name,
        strings: strings.length,
        offset: at,
        bytes: block.byteLength,
        ends: append(bytesOf(ends)),
      });
    } else {
      const array = value as SnapshotArray;
      const at = append(bytesOf(array));
      entries.push({ name, type: typeName(array), offset: at, length: array.length });
    }
  }
  const table = encoder.encode(JSON.stringify(entries));
  // The arrays start after the table, at a multiple of 8 from the file's start.
  const tableEnd = padded(PREFIX_BYTES + 4 + table.byteLength);
  const head = new Uint8Array(tableEnd);
  const view = new DataView(head.buffer);
  head.set(encoder.encode(SNAPSHOT_MAGIC), 0);
  view.setUint32(8, FORMAT_VERSION, true);
  view.setFloat64(16, tableEnd + offset, true);
  view.setUint32(PREFIX_BYTES, table.byteLength, true);
  head.set(table, PREFIX_BYTES + 4);
  // Offsets in the table are from the body's start; the reader adds `tableEnd`.
  let crc = crc32(head.subarray(PREFIX_BYTES));
  for (const piece of body) crc = crc32(piece, crc);
  view.setUint32(12, crc, true);
  return [head, ...body];
}

/**
 * Reads a snapshot made by {@link encodeSnapshot}. Arrays are views of `bytes` where they are
 * aligned in memory (copies where not), so `bytes` must not be changed afterwards.
 * @throws SnapshotError MAGIC (not a snapshot), VERSION (another layout), TRUNCATED (shorter
 *   than written) or CORRUPT (the checksum or the table does not match)
 */
export function decodeSnapshot(bytes: Uint8Array): Record<string, SnapshotValue> {
  checkEndianness();
  if (bytes.byteLength < PREFIX_BYTES + 4) {
    const magic = new TextDecoder().decode(bytes.subarray(0, 8));
    if (!SNAPSHOT_MAGIC.startsWith(magic) || bytes.byteLength === 0) {
      throw new SnapshotError("MAGIC", "not an index snapshot (no magic bytes)");
    }
    throw new SnapshotError("TRUNCATED", `truncated: ${bytes.byteLength} bytes`);
  }
  if (new TextDecoder().decode(bytes.subarray(0, 8)) !== SNAPSHOT_MAGIC) {
    throw new SnapshotError("MAGIC", "not an index snapshot (no magic bytes)");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== FORMAT_VERSION) {
    throw new SnapshotError(
      "VERSION",
      `format version ${version}, this newsdesk reads ${FORMAT_VERSION}`,
    );
  }
  const total = view.getFloat64(16, true);
  if (bytes.byteLength < total) {
    throw new SnapshotError("TRUNCATED", `truncated: ${bytes.byteLength} of ${total} bytes`);
  }
  if (bytes.byteLength !== total) {
    throw new SnapshotError("CORRUPT", `${bytes.byteLength} bytes where ${total} were written`);
  }
  if (crc32(bytes.subarray(PREFIX_BYTES)) !== view.getUint32(12, true)) {
    throw new SnapshotError("CORRUPT", "checksum mismatch");
  }
  const tableBytes = view.getUint32(PREFIX_BYTES, true);
  const tableEnd = padded(PREFIX_BYTES + 4 + tableBytes);
  let entries: Entry[];
  try {
    entries = JSON.parse(
      new TextDecoder().decode(bytes.subarray(PREFIX_BYTES + 4, PREFIX_BYTES + 4 + tableBytes)),
    ) as Entry[];
  } catch {
    throw new SnapshotError("CORRUPT", "unreadable table of contents");
  }
  const record: Record<string, SnapshotValue> = {};
  const array = <T extends SnapshotArray>(
    type: new (buffer: ArrayBufferLike, offset: number, length: number) => T,
    offset: number,
    length: number,
    size: number,
  ): T => {
    const from = tableEnd + offset;
    if (from + length * size > bytes.byteLength) {
      throw new SnapshotError("CORRUPT", "an array runs past the end");
    }
    const at = bytes.byteOffset + from;
    if (at % size === 0) return new type(bytes.buffer, at, length);
    // A Buffer from a pool may start anywhere: copy what cannot be viewed in place.
    const copy = bytes.slice(from, from + length * size);
    return new type(copy.buffer, 0, length);
  };
  try {
    for (const entry of entries) readEntry(entry);
  } catch (error) {
    if (error instanceof SnapshotError) throw error;
    // A table the checksum let through but whose offsets make no array (a bug, or a forgery).
    throw new SnapshotError("CORRUPT", `unreadable table of contents (${String(error)})`);
  }
  return record;

  function readEntry(entry: Entry): void {
    if ("scalar" in entry) record[entry.name] = entry.scalar;
    else if ("type" in entry) {
      const type = Object.hasOwn(TYPES, entry.type) ? TYPES[entry.type] : undefined;
      if (!type) throw new SnapshotError("CORRUPT", `unknown array type ${entry.type}`);
      const make = type as unknown as new (
        buffer: ArrayBufferLike,
        offset: number,
        length: number,
      ) => SnapshotArray;
      record[entry.name] = array(make, entry.offset, entry.length, type.BYTES_PER_ELEMENT);
    } else {
      const ends = array(Uint32Array, entry.ends, entry.strings, 4);
      const from = tableEnd + entry.offset;
      const text = new TextDecoder().decode(bytes.subarray(from, from + entry.bytes));
      const strings: string[] = new Array(entry.strings);
      let start = 0;
      for (let i = 0; i < entry.strings; i++) {
        const end = ends[i] as number;
        strings[i] = text.slice(start, end);
        start = end;
      }
      if (start !== text.length) throw new SnapshotError("CORRUPT", `strings of ${entry.name}`);
      record[entry.name] = strings;
    }
  }
}
