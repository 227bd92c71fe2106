/**
 * Hosts sharing their articles folders through the database, as index.ts wires them on
 * PostgreSQL: each host has its own connection, library, folder (FolderSync), follower and
 * FolderShare; what one host's folder gains, changes or loses reaches the other's library.
 * Run on both engines (the mechanism is the store's; the bot only turns it on for PostgreSQL,
 * whose hosts do not share a folder).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Article } from "../../src/corpus/article.js";
import { FeedStore } from "../../src/feeds/FeedStore.js";
import { FolderShare, type FolderShareBatch, folderHost } from "../../src/feeds/FolderShare.js";
import { StoreFollower } from "../../src/feeds/StoreFollower.js";
import { FolderSync } from "../../src/library/FolderSync.js";
import { Library } from "../../src/library/Library.js";
import { createLogger } from "../../src/log.js";
import { StoreError } from "../../src/store/errors.js";
import { GUILD } from "../pins/fixtures.js";
import { ENGINES, type TestDatabase } from "../support/engines.js";
import { DEFAULT_TIMEOUT_MS, Waiters } from "../support/Waiters.js";

const T0 = Date.UTC(2026, 0, 1);
const quiet = createLogger({ level: "error" });

function article(id: string, text = `The harbour of ${id} reopened after the storm.`): Article {
  return { id, title: `Title of ${id}`, paragraphs: [text] };
}

let fresh: TestDatabase;
let hosts: Host[];
let waiters: Waiters;

interface Host {
  readonly name: string;
  readonly store: FeedStore;
  readonly library: Library;
  readonly folder: FolderSync;
  readonly follower: StoreFollower;
  readonly share: FolderShare;
  readonly written: FolderShareBatch[];
  /** The folder now holds `articles` (a watch batch): applied and shared. */
  edit(articles: readonly Article[]): void;
  /** What the library serves for article `id` (its first paragraph), if anything. */
  text(id: string): string | undefined;
  stop(): Promise<void>;
}

/**
 * A host started as the bot starts: its folder in its library, its follower started, then its
 * folder shared. Resolves once its start-up share is written.
 */
async function startHost(
  name: string,
  articles: readonly Article[],
  wrap: (store: FeedStore) => FeedStore = (store) => store,
): Promise<Host> {
  const store = wrap(new FeedStore(await fresh.open()));
  const library = new Library();
  for (const a of articles) library.add(a, "global");
  const folder = new FolderSync(library, articles);
  const written: FolderShareBatch[] = [];
  const share = new FolderShare(store, folder, quiet, {
    host: name,
    retryMs: 20,
    now: (() => {
      let at = T0;
      return () => ++at;
    })(),
    onWritten: (batch) => {
      written.push(batch);
      waiters.notify();
    },
  });
  const follower = new StoreFollower(store, library, quiet, {
    intervalMs: 10,
    folder: {
      owns: (id) => folder.owns(id),
      ids: () => folder.ids(),
      onWithdrawn: (id) => share.changed([id], []),
    },
    onApplied: () => waiters.notify(),
  });
  await follower.start();
  share.start();
  await share.settled();
  const host: Host = {
    name,
    store,
    library,
    folder,
    follower,
    share,
    written,
    edit(now) {
      const result = folder.apply(now, (id) => follower.sharedFromFolder(id));
      share.changed([...result.added, ...result.replaced], result.removed);
    },
    text: (id) => library.get(id, GUILD)?.paragraphs[0],
    async stop() {
      await share.stop();
      await follower.stop();
      hosts = hosts.filter((h) => h !== host);
    },
  };
  hosts.push(host);
  return host;
}

/** Resolves once `check` holds, checked after every share written and change applied. */
function until(check: () => boolean, what: string): Promise<true> {
  return waiters.waitFor(() => check() || undefined, DEFAULT_TIMEOUT_MS, what);
}

describe.each(ENGINES)("hosts sharing their articles folders on $name", (engine) => {
  beforeEach(async () => {
    fresh = await engine.fresh();
    hosts = [];
    waiters = new Waiters(() =>
      hosts
        .map((h) => `${h.name}: ${JSON.stringify(h.library.list(GUILD).map((a) => a.id))}`)
        .join("; "),
    );
  });

  afterEach(async () => {
    for (const host of [...hosts]) await host.stop();
    waiters.close("the test ended");
    await fresh.remove();
  });

  it("serves each host's folder on the other: added, changed and removed files", async () => {
    const a = await startHost("a", [article("harbour"), article("bridge")]);
    const b = await startHost("b", [article("ferry")]);
    // B's start: A's articles were in the store; its own is shared and reaches A.
    await until(() => a.text("ferry") !== undefined, "B's folder article on A");
    expect(b.text("harbour")).toContain("harbour of harbour");
    expect(b.text("bridge")).toBeDefined();

    a.edit([
      article("harbour", "The harbour stays closed until Friday."),
      article("bridge"),
      article("tunnel"),
    ]);
    await until(
      () => b.text("harbour") === "The harbour stays closed until Friday." && !!b.text("tunnel"),
      "A's changed and added files on B",
    );

    a.edit([article("harbour", "The harbour stays closed until Friday.")]);
    await until(() => !b.text("bridge") && !b.text("tunnel"), "A's removed files gone from B");
    // Whose folder serves what: B's library holds A's articles as stored ones, never its own.
    expect(b.folder.owns("harbour")).toBe(false);
    expect(b.folder.ids()).toEqual(["ferry"]);
  });

  it("keeps an article two folders have while either has it, each host serving its own", async () => {
    const a = await startHost("a", [article("shared", "A's version of the story.")]);
    const b = await startHost("b", [article("shared", "B's version of the story.")]);
    // Each host serves its own folder's version, whatever the store holds.
    expect(a.text("shared")).toBe("A's version of the story.");
    expect(b.text("shared")).toBe("B's version of the story.");
    const c = await startHost("c", []);
    expect(c.text("shared")).toBe("B's version of the story.");

    // A's file removed: withdrawn, and shared again by B, whose folder still has it.
    const writtenByB = b.written.length;
    a.edit([]);
    await until(
      () =>
        b.written.slice(writtenByB).some((batch) => batch.shared.includes("shared")) &&
        a.text("shared") === "B's version of the story." &&
        c.text("shared") === "B's version of the story.",
      "the article shared again by B, on A and C",
    );
    expect((await c.store.getArticle("shared"))?.origin).toEqual({ kind: "folder", host: "b" });

    // Then B's file removed too: gone everywhere.
    b.edit([]);
    await until(() => !a.text("shared") && !c.text("shared"), "the article gone from A and C");
    expect(b.text("shared")).toBeUndefined();
  });

  it("lets a file of this folder take the place of another host's article with its id", async () => {
    const a = await startHost("a", [article("mayor", "A: the mayor resigned.")]);
    const b = await startHost("b", []);
    expect(b.text("mayor")).toBe("A: the mayor resigned.");
    b.edit([article("mayor", "B: the mayor resigned on Monday.")]);
    expect(b.text("mayor")).toBe("B: the mayor resigned on Monday.");
    expect(b.folder.owns("mayor")).toBe(true);
    await until(
      () => b.written.some((batch) => batch.shared.includes("mayor")),
      "B's version shared",
    );
    // A's folder has its own: A keeps serving it.
    expect(a.text("mayor")).toBe("A: the mayor resigned.");
    const c = await startHost("c", []);
    expect(c.text("mayor")).toBe("B: the mayor resigned on Monday.");
  });

  it("withdraws at start-up what its folder lost while the host was down", async () => {
    const a = await startHost("a", [article("kept"), article("deleted-while-down")]);
    const b = await startHost("b", []);
    expect(b.text("deleted-while-down")).toBeDefined();
    await a.stop();
    await startHost("a", [article("kept")]);
    await until(() => !b.text("deleted-while-down"), "the lost file gone from B");
    expect(b.text("kept")).toBeDefined();
    expect(await b.store.folderArticlesOf("a")).toEqual(["kept"]);
  });

  it("leaves an id to the feed's or link's article that has it, and says so", async () => {
    const writer = new FeedStore(await fresh.open());
    await writer.saveArticle({
      article: article("taken", "A server's link."),
      scope: { guildId: GUILD },
      origin: { kind: "link" },
      addedAt: T0,
    });
    const a = await startHost("a", [article("taken", "The folder's article."), article("free")]);
    expect(a.written.flatMap((batch) => batch.shared)).toEqual(["free"]);
    expect(a.written.flatMap((batch) => batch.taken)).toEqual(["taken"]);
    expect((await a.store.getArticle("taken"))?.article.paragraphs).toEqual(["A server's link."]);
  });

  it("keeps what the database refused and shares it once it answers again", async () => {
    let refusals = 2;
    const failing = (store: FeedStore): FeedStore =>
      new Proxy(store, {
        get(target, property) {
          if (property === "shareFolderArticles" && refusals > 0) {
            return () => {
              refusals--;
              return Promise.reject(
                new StoreError("UNAVAILABLE", "db", "database: db is not reachable now"),
              );
            };
          }
          const value: unknown = Reflect.get(target, property, target);
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
    const b = await startHost("b", []);
    const a = await startHost("a", [article("late")], failing);
    expect(a.share.pending).toBeGreaterThan(0);
    // A change while it waits joins what is pending; the last word on an article wins.
    a.edit([article("late"), article("later")]);
    await until(() => !!b.text("late") && !!b.text("later"), "the refused share on B");
    expect(refusals).toBe(0);
    expect(a.share.pending).toBe(0);
  });

  it("names a host by its machine and folder", () => {
    expect(folderHost("/srv/newsdesk/data")).toMatch(/^.+:\/srv\/newsdesk\/data$/);
  });
});
