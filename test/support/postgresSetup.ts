/**
 * Global setup of the "unit" test project: one real PostgreSQL server for the whole run (see
 * postgres.ts), its URL handed to the tests as `inject("postgresUrl")`. A test that needs a
 * database to itself makes one with `freshDatabaseUrl(inject("postgresUrl"))`; a test that stops
 * or restarts a server starts its own with `startPostgres()`.
 */
import type { TestProject } from "vitest/node";
import { startPostgres } from "./postgres.js";

export default async function postgresSetup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPostgres();
  project.provide("postgresUrl", server.url);
  return () => server.close();
}
