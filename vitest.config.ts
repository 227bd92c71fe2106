import { defineConfig } from "vitest/config";

/**
 * Two projects. "unit": everything that runs in the test process (pure functions, the real
 * discord.js client against the fake Discord, a real SQLite file, a real PostgreSQL server
 * started once for the run by test/support/postgresSetup.ts), files in parallel.
 * "process": the built program (`dist/`, compiled once by test/support/buildDist.ts) started as
 * child processes, one file at a time and after the unit project, since each child loads
 * discord.js and the language models and the machine has two cores.
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
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: "process",
          include: ["test/**/*.process.test.ts"],
          fileParallelism: false,
          globalSetup: ["test/support/buildDist.ts"],
          hookTimeout: 120_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
