import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Citation } from "../../src/answer/types.js";
import { createLogger, type Logger } from "../../src/log.js";
import { SqlPinStore } from "../../src/pins/SqlPinStore.js";
import type { NewPin, SentAnswer } from "../../src/pins/types.js";
import type { Database } from "../../src/store/database.js";
import { openSqlite } from "../../src/store/sqlite/SqliteDatabase.js";

/** A fresh empty folder under the OS temp folder; remove it with {@link removeTempDir}. */
export async function makeTempDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), "newsdesk-pins-"));
}

/** Removes a folder made by {@link makeTempDir}, with everything in it, whatever its modes. */
export async function removeTempDir(dir: string): Promise<void> {
  await fs.chmod(dir, 0o700).catch(() => {});
  await fs.rm(dir, { recursive: true, force: true });
}

export const GUILD = "100000000000000001";
export const OTHER_GUILD = "200000000000000002";
export const CHANNEL = "300000000000000003";
export const MODERATOR = "400000000000000004";

export const CITATION: Citation = {
  articleId: "gaza-ceasefire",
  title: "Gaza ceasefire takes hold",
  url: "https://example.com/gaza",
  paragraph: 2,
  score: 7.25,
  excerpt: "The ceasefire would last six weeks, officials said.",
  highlights: [
    [4, 13],
    [20, 24],
  ],
  text: "Talks went on all night. The ceasefire would last six weeks, officials said.",
};

/** A pin of `question` in {@link GUILD}, changed by `overrides`. */
export function newPin(question: string, overrides: Partial<NewPin> = {}): NewPin {
  return {
    guildId: GUILD,
    channelId: CHANNEL,
    question,
    citations: [CITATION],
    pinnedBy: MODERATOR,
    pinnedAt: Date.UTC(2026, 10, 26, 12),
    ...overrides,
  };
}

/** A citation without a url and without highlights (an article from a feed with no links). */
export const CITATION_WITHOUT_URL: Citation = {
  articleId: "mayor-election",
  title: "A new mayor for the city",
  paragraph: 1,
  score: 3.5,
  excerpt: "The council chose a new mayor on Monday.",
  highlights: [],
  text: "The council chose a new mayor on Monday.",
};

/** An answer to `question` sent in {@link GUILD} as message `messageId`, changed by `overrides`. */
export function sentAnswer(
  question: string,
  messageId: string,
  overrides: Partial<SentAnswer> = {},
): SentAnswer {
  return {
    guildId: GUILD,
    channelId: CHANNEL,
    messageId,
    question,
    citations: [CITATION],
    answeredAt: Date.UTC(2026, 10, 26, 12),
    ...overrides,
  };
}

/** The pin store on its own SQLite file, as one process has it: closing it closes the file. */
export class FilePinStore extends SqlPinStore {
  constructor(
    readonly database: Database,
    log: Logger,
  ) {
    super(database, log);
  }

  override async close(): Promise<void> {
    await super.close();
    await this.database.close();
  }
}

/**
 * Opens the SQLite file `file` (or MEMORY) with a pin store on it.
 * @throws StoreError as `openSqlite` does
 */
export async function openPinStore(
  file: string,
  options: { readonly log?: Logger } = {},
): Promise<FilePinStore> {
  const log = options.log ?? createLogger({ level: "warn", destination: process.stderr });
  return new FilePinStore(await openSqlite(file, { log }), log);
}
