import { defineConfig } from "vitest/config";

/**
 * Two projects. "unit": everything that runs in the test process (pure functions, the real
 * discord.js client against the fake Discord, a real SQLite file, a real PostgreSQL server
 * started once for the run by test/support/postgresSetup.ts), files in parallel, one worker per
 * core, each worker running its files one after another in one module graph (`isolate: false`):
 * the language models (compromise, natural, wordnet) and discord.js are loaded once per worker
 * instead of once per file, which was most of the project's time. A test file itself is run
 * afresh; the modules it imports are shared with the worker's earlier files, which is sound
 * because src keeps no state between calls that a test could see (its module-level caches are
 * pure functions of their keys; the one setting a test changes, number-word folding, it restores)
 * and test/support's state is per file (botHarness's seed services are loaded once per file).
 * "process": the built program (`dist/`, compiled once by test/support/buildDist.ts while the
 * unit project runs, awaited by test/support/awaitDist.ts before each process file) started as
 * child processes, one file at a time and after the unit project, since each child loads
 * discord.js and the language models and the machine has two cores; in one worker that runs
 * them all (`isolate: false`), since these files hold no state of their own beyond their tests
 * and a fresh worker per file cost about 0.4 s each.
 */
export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: ["test/**/*.process.test.ts"],
          globalSetup: ["test/support/postgresSetup.ts"],
          isolate: false,
          maxWorkers: "100%",
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: "process",
          include: ["test/**/*.process.test.ts"],
          fileParallelism: false,
          isolate: false,
          globalSetup: ["test/support/buildDist.ts"],
          setupFiles: ["test/support/awaitDist.ts"],
          hookTimeout: 120_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
