/** What the global setup (postgresSetup.ts) hands to the tests through vitest's `inject`. */
declare module "vitest" {
  export interface ProvidedContext {
    /** `postgres://postgres@127.0.0.1:<port>/newsdesk` of the run's test server. */
    postgresUrl: string;
  }
}

export {};
