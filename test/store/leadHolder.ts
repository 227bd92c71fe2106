/**
 * A child process for test/store/leadership.test.ts, run with `node --import tsx`:
 * `leadHolder.ts SETTINGS NAME INTERVAL_MS` opens the database SETTINGS names (the JSON of
 * `DatabaseSettings`), contends for NAME every INTERVAL_MS, prints `leading` and `lost` as it
 * becomes and stops being the holder, and runs until killed (the test kills it with SIGKILL: a
 * crash, which releases nothing). Errors go to stderr with exit code 1.
 */
import { createLogger } from "../../src/log.js";
import { type DatabaseSettings, openDatabase } from "../../src/store/openDatabase.js";

const [settingsText, name, intervalText] = process.argv.slice(2);
if (settingsText === undefined || name === undefined || intervalText === undefined) {
  process.stderr.write("leadHolder: usage: leadHolder.ts SETTINGS NAME INTERVAL_MS\n");
  process.exit(1);
}
const settings = JSON.parse(settingsText) as DatabaseSettings;
const db = await openDatabase(
  settings,
  createLogger({ level: "error", destination: process.stderr }),
);
await db.lead(
  name,
  {
    onLead: () => process.stdout.write("leading\n"),
    onLose: () => process.stdout.write("lost\n"),
  },
  { intervalMs: Number(intervalText) },
);
// The leadership's timers do not keep a process alive; its standard input does, until killed.
process.stdin.resume();
