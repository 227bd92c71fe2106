/**
 * A child process for the pin store tests, run with `node --import tsx`:
 * - `open FILE`: opens the store and prints `{"ok":true}` or the error as JSON, then exits;
 * - `add FILE GUILD COUNT TAG`: opens the store, prints `ready`, waits for `go` on stdin, adds
 *   COUNT pins (one transaction each; message ids `TAG-1`...), prints `done` and exits. Any
 *   error goes to stderr with exit code 1;
 * - `hold FILE`: takes the database's write lock (BEGIN IMMEDIATE, as a shard mid-write or the
 *   `sqlite3` shell would), prints `locked`, holds it until `release` on stdin, then rolls back,
 *   prints `released` and exits.
 */
import { createInterface } from "node:readline";
import Database from "better-sqlite3";
import { createLogger } from "../../src/log.js";
import { newPin, openPinStore } from "./fixtures.js";

const [command, file, guildId, countText, tag] = process.argv.slice(2);

// Errors only, on stderr (which the tests expect empty): the notice of a new database is not one.
const log = createLogger({ level: "error", destination: process.stderr });

if (command === "open" && file) {
  try {
    await (await openPinStore(file, { log })).close();
    process.stdout.write(`${JSON.stringify({ ok: true })}\n`);
  } catch (error) {
    const { name, message, code } = error as { name: string; message: string; code?: string };
    process.stdout.write(`${JSON.stringify({ name, message, code })}\n`);
  }
} else if (command === "add" && file && guildId && countText && tag) {
  const store = await openPinStore(file, { log });
  process.stdout.write("ready\n");
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (line !== "go") continue;
    for (let i = 1; i <= Number(countText); i++) {
      await store.addPin(newPin(`Question ${tag} ${i}?`, { guildId, messageId: `${tag}-${i}` }));
    }
    await store.close();
    process.stdout.write("done\n");
    await lines.close();
  }
} else if (command === "hold" && file) {
  const db = new Database(file);
  db.exec("BEGIN IMMEDIATE");
  process.stdout.write("locked\n");
  for await (const line of createInterface({ input: process.stdin })) {
    if (line !== "release") continue;
    db.exec("ROLLBACK");
    await db.close();
    process.stdout.write("released\n");
    process.exit(0);
  }
} else {
  process.stderr.write(
    "usage: pinStoreWorker.ts open FILE | add FILE GUILD COUNT TAG | hold FILE\n",
  );
  process.exit(2);
}
