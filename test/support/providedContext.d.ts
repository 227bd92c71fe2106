/**
 * What the global setups (postgresSetup.ts, buildDist.ts) hand to the tests through vitest's
 * `inject`.
 */
declare module "vitest" {
  export interface ProvidedContext {
    /** `postgres://postgres@127.0.0.1:<port>/newsdesk` of the run's test server. */
    postgresUrl: string;
    /** The file where buildDist.ts writes the outcome of the build of `dist/` (awaitDist.ts). */
    distBuild: string;
  }
}

export {};
