/**
 * The index snapshot on disk (INDEX_SNAPSHOT_PATH, issue 13 "start from a snapshot"): read at
 * start-up so a restart does not analyse the whole library again, and written in the background
 * after a start-up that built or changed anything, then at most every {@link SNAPSHOT_EVERY_MS}
 * while the library changes. The bytes are made and checked by `retrieval/indexSnapshot.ts`
 * (pure); this file is the file system side of it: read, atomic write, the schedule.
 *
 * A write goes to a temporary file beside the snapshot (its name unique to this process and
 * write), is flushed to the disk (fsync), then renamed over the snapshot. A rename within a
 * folder replaces the name in one step, so a reader (another shard starting, this bot's next
 * start) opens either the old complete file or the new complete file, never half of one; and
 * several shard processes writing at once (they share DATABASE_PATH, so the snapshot too) each
 * write their own temporary file, so the last rename wins with a complete snapshot of its
 * library (every shard's library holds the same articles within seconds, see StoreFollower). A
 * write cut short (a crash, a full disk) leaves at most a temporary file, which the next write of
 * any process removes once it is an hour old; the snapshot itself is untouched.
 */
import { randomBytes } from "node:crypto";
import { mkdir, open, readdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import type { Article } from "./corpus/article.js";
import {
  type AddToIndex,
  type AssembledLibrary,
  Library,
  type LibraryItem,
} from "./library/Library.js";
import type { Logger } from "./log.js";
import { nextTurn } from "./nextTurn.js";
import { articleHash, decodeIndexSnapshot, type IndexSnapshot } from "./retrieval/indexSnapshot.js";
import type { IndexOptions } from "./retrieval/paragraphIndex.js";
import { SnapshotError } from "./retrieval/snapshotFormat.js";

/**
 * The least time between two background writes while the library changes: 30 minutes. Feeds
 * add articles every few minutes to every hour, and a restart analyses what the snapshot lacks
 * (half an hour of news: a few hundred paragraphs, under a second), while each write costs the
 * encode (0.09 s of work at 100,000 paragraphs, 0.74 s at a million, in slices: `npm run bench`),
 * a copy of the index in memory meanwhile, and the whole file (470 MB there): writing after
 * every poll would cost more than it saves.
 */
export const SNAPSHOT_EVERY_MS = 30 * 60 * 1000;

/** After a write given up because the library changed while it was encoded, the next try. */
export const RETRY_MS = 10_000;

/** Temporary files of writes cut short are removed once this old (no write takes this long). */
const STALE_TEMP_MS = 60 * 60 * 1000;

/** What reading a snapshot file gave: the snapshot, or why there is none to use. */
export type SnapshotRead =
  | { readonly snapshot: IndexSnapshot; readonly bytes: number; readonly ms: number }
  | { readonly reason: string };

/**
 * Reads and checks the snapshot at `file` for an index of `options`.
 * @returns the snapshot, or a short reason it cannot be used ("missing", "corrupt: checksum
 *   mismatch", "stale pipeline version: made by pipeline version 1, ...", "unreadable (EACCES)");
 *   never throws
 */
export async function readSnapshotFile(
  file: string,
  options: IndexOptions = {},
): Promise<SnapshotRead> {
  const started = performance.now();
  let bytes: Buffer;
  try {
    bytes = await readWhole(file);
  } catch (error) {
    const code = (error as { code?: string }).code;
    return { reason: code === "ENOENT" ? "missing" : `unreadable (${code ?? String(error)})` };
  }
  try {
    const snapshot = decodeIndexSnapshot(bytes, options);
    return { snapshot, bytes: bytes.byteLength, ms: performance.now() - started };
  } catch (error) {
    if (error instanceof SnapshotError) return { reason: snapshotReason(error) };
    return { reason: `unreadable (${error instanceof Error ? error.message : String(error)})` };
  }
}

/**
 * A file's bytes in as few reads as the system allows (one per GiB), each a single task of the
 * thread pool: unlike `readFile`'s 512 KiB steps, each waiting for a turn of the event loop, the
 * read goes on while this thread is busy (hashing the articles, see {@link assembleLibrary}).
 * Also not limited to `readFile`'s 2 GiB.
 */
async function readWhole(file: string): Promise<Buffer> {
  const handle = await open(file, "r");
  try {
    const { size } = await handle.stat();
    const bytes = Buffer.allocUnsafeSlow(size);
    let at = 0;
    while (at < size) {
      const { bytesRead } = await handle.read(bytes, at, Math.min(size - at, 2 ** 30), at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    return at === size ? bytes : bytes.subarray(0, at);
  } finally {
    await handle.close();
  }
}

/**
 * What a start got from the snapshot: the articles kept from it, the saved ones removed (gone
 * or changed), the ones analysed now, the file's size and the time from reading it to a
 * complete index; or why it was not used.
 */
export type SnapshotStart =
  | {
      readonly kept: number;
      readonly removed: number;
      readonly added: number;
      readonly bytes: number;
      readonly ms: number;
    }
  | { readonly reason: string };

/** Options of {@link assembleLibrary}. */
export interface AssembleLibraryOptions {
  /** The snapshot to start from; without it, the library is built from scratch. */
  readonly snapshotFile?: string;
  /** Why the snapshot is not used, said before the build from scratch begins. */
  readonly onSnapshotUnused?: (reason: string) => void;
}

/**
 * The library of `items` from the snapshot at `snapshotFile` when it is usable (see
 * `Library.assemble`), else built from scratch by `add`: what a start does (`loadServices`, and
 * the benchmark's start from a snapshot).
 * @returns the library, and what the snapshot gave or why it was not used (undefined without
 *   a snapshot file)
 */
export async function assembleLibrary(
  items: readonly LibraryItem[],
  add: AddToIndex,
  options: AssembleLibraryOptions = {},
): Promise<{ assembled: AssembledLibrary; snapshot?: SnapshotStart }> {
  const started = performance.now();
  const { snapshotFile } = options;
  let read: SnapshotRead | undefined;
  if (snapshotFile !== undefined) {
    const reading = readSnapshotFile(snapshotFile);
    // The articles are matched to the snapshot by their hashes (cached per article): made while
    // the file is read, the seconds of each overlap at a million paragraphs.
    hashAll(items.map((item) => item.article));
    read = await reading;
  }
  let assembled: AssembledLibrary | undefined;
  let reason = read && "reason" in read ? read.reason : undefined;
  if (read && "snapshot" in read) {
    try {
      assembled = await Library.assemble(items, {}, add, read.snapshot);
    } catch (error) {
      // A snapshot that passed its checksum but whose index does not fit together (a bug of
      // the writer): built from scratch like any other unusable one.
      if (!(error instanceof SnapshotError)) throw error;
      reason = `corrupt: ${error.message}`;
    }
  }
  if (!assembled) {
    if (reason !== undefined) options.onSnapshotUnused?.(reason);
    return {
      assembled: await Library.assemble(items, {}, add),
      ...(reason === undefined ? {} : { snapshot: { reason } }),
    };
  }
  const { restored } = assembled;
  const bytes = read && "bytes" in read ? read.bytes : 0;
  return {
    assembled,
    ...(restored ? { snapshot: { ...restored, bytes, ms: performance.now() - started } } : {}),
  };
}

/** Hashes articles (see `articleHash`), so later lookups find them cached. */
function hashAll(articles: readonly Article[]): void {
  for (const article of articles) articleHash(article);
}

/** A short reason for a log line: what is wrong with the file, in words. */
export function snapshotReason(error: SnapshotError): string {
  const kind = {
    MAGIC: "not a snapshot",
    VERSION: "another format version",
    TRUNCATED: "truncated",
    CORRUPT: "corrupt",
    STALE: "stale pipeline version",
    OPTIONS: "other index options",
  }[error.code];
  return `${kind}: ${error.message}`;
}

/** A write's figures, for its log line and the benchmark. */
export interface SnapshotWritten {
  readonly bytes: number;
  /** Making the bytes: the time the event loop was held, in all. */
  readonly encodeMs: number;
  /** The longest the event loop was held at once while making them. */
  readonly longestMs: number;
  /** Writing, flushing and renaming them (in the background). */
  readonly writeMs: number;
}

/** Options of {@link writeSnapshotFile}. */
export interface WriteSnapshotOptions {
  /**
   * Lets other work run between slices of the encode (e.g. a `setImmediate`): at a million
   * paragraphs the encode is seconds of work, longer than Discord waits for an interaction's
   * first reply. Without it, the bytes are made at once.
   */
  readonly pause?: () => Promise<void>;
  /** Checked after each pause: true gives the write up (a stop has begun). */
  readonly cancelled?: () => boolean;
}

/**
 * Writes `library`'s snapshot to `file` atomically (see the file comment): its folder is made if
 * need be. The bytes are made first (at once, or a slice at a time with `pause`); changes to the
 * library after that do not reach this write.
 * @returns its figures, or undefined when the library changed between two slices of the encode
 *   (the slices would mix two states: the caller writes again later) or it was cancelled
 * @throws the file system's error (the snapshot already there is left as it was)
 */
export async function writeSnapshotFile(
  file: string,
  library: Library,
  options: WriteSnapshotOptions = {},
): Promise<SnapshotWritten | undefined> {
  const started = performance.now();
  let pieces: Uint8Array[];
  let encodeMs = 0;
  let longestMs = 0;
  const { pause, cancelled } = options;
  if (!pause) {
    pieces = library.snapshot();
    encodeMs = longestMs = performance.now() - started;
  } else {
    const version = library.version;
    const steps = library.snapshotSteps();
    for (;;) {
      const from = performance.now();
      const step = steps.next();
      const held = performance.now() - from;
      encodeMs += held;
      longestMs = Math.max(longestMs, held);
      if (step.done) {
        pieces = step.value;
        break;
      }
      await pause();
      if (library.version !== version || cancelled?.()) return undefined;
    }
  }
  const encoded = performance.now();
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true });
  await removeStaleTemps(file);
  const temp = `${file}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`;
  let bytes = 0;
  try {
    const handle = await open(temp, "w");
    try {
      // A few pieces at a time: writev takes at most 1024 buffers, and a snapshot has dozens.
      for (let i = 0; i < pieces.length; i += 64) {
        const { bytesWritten } = await handle.writev(pieces.slice(i, i + 64));
        bytes += bytesWritten;
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  return { bytes, encodeMs, longestMs, writeMs: performance.now() - encoded };
}

/** Removes temporary files of `file` left by writes cut short long ago. */
async function removeStaleTemps(file: string): Promise<void> {
  const dir = path.dirname(file);
  const prefix = `${path.basename(file)}.`;
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(".tmp")) continue;
    const at = path.join(dir, name);
    const info = await stat(at).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > STALE_TEMP_MS) await rm(at, { force: true });
  }
}

/** Options of {@link keepSnapshot}. */
export interface KeepSnapshotOptions {
  readonly file: string;
  readonly library: Library;
  readonly log: Logger;
  /** Write once now (the start-up built or changed the index). */
  readonly writeNow: boolean;
  /** Least time between two writes while the library changes (default {@link SNAPSHOT_EVERY_MS}). */
  readonly everyMs?: number;
  /** After a write given up because the library changed meanwhile (default {@link RETRY_MS}). */
  readonly retryMs?: number;
}

/** A running {@link keepSnapshot}. */
export interface SnapshotKeeper {
  /** No write starts from now on; resolves once a write under way has ended. */
  stop(): Promise<void>;
}

/**
 * Keeps the snapshot at `file` close to `library`: a write now if asked, then one whenever the
 * library has changed since the last write, checked every `everyMs`. Each write logs one line:
 * "library: snapshot written" (info) or "library: snapshot not written" (a warning; never fatal,
 * the next start just builds more).
 */
export function keepSnapshot(options: KeepSnapshotOptions): SnapshotKeeper {
  const { file, library, log } = options;
  let written = options.writeNow ? -1 : library.version;
  let writing: Promise<void> | undefined;
  let stopped = false;
  const write = () => {
    if (stopped || writing || library.version === written) return;
    const version = library.version;
    writing = writeSnapshotFile(file, library, { pause: nextTurn, cancelled: () => stopped })
      .then((done) => {
        // Changed while encoding (or stopping): tried again soon, not a whole interval later
        // (the first write after a cold build spares the next start minutes).
        if (!done) {
          if (!stopped) setTimeout(write, options.retryMs ?? RETRY_MS).unref();
          return;
        }
        written = version;
        const { bytes, encodeMs, longestMs, writeMs } = done;
        log.info(
          {
            file,
            bytes,
            encodeMs: Math.round(encodeMs),
            longestMs: Math.round(longestMs),
            writeMs: Math.round(writeMs),
          },
          "library: snapshot written",
        );
      })
      .catch((error: unknown) => {
        // Not tried again until the next change: a full disk is not helped by trying at once.
        written = version;
        const message = error instanceof Error ? error.message : String(error);
        log.warn({ file, error: message }, "library: snapshot not written");
      })
      .finally(() => {
        writing = undefined;
      });
  };
  const timer = setInterval(write, options.everyMs ?? SNAPSHOT_EVERY_MS);
  timer.unref();
  write();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await writing;
    },
  };
}
