import { PassThrough } from "node:stream";
import { createLogger, type Logger } from "../../src/log.js";

/**
 * A logger writing into memory (level info, time 0), and its records so far, each parsed from
 * its JSON line; with `withoutTimeAndLevel`, those two fields are left out of each record.
 */
export function captureLog(options: { readonly withoutTimeAndLevel?: boolean } = {}): {
  log: Logger;
  records: () => Promise<Record<string, unknown>[]>;
} {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (chunk: Buffer) => {
    text += chunk.toString("utf8");
  });
  const log = createLogger({ level: "info", destination: stream, now: () => 0 });
  const records = async () => {
    // The stream hands its chunks over on a later turn.
    await new Promise((resolve) => setImmediate(resolve));
    return text
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => {
        const record = JSON.parse(line) as Record<string, unknown>;
        if (!options.withoutTimeAndLevel) return record;
        const { time: _time, level: _level, ...rest } = record;
        return rest;
      });
  };
  return { log, records };
}
