/**
 * Reads Prometheus's text format (what `/metrics` serves) into samples, so that tests look a
 * value up by its name and labels instead of matching lines whose label order prom-client picks.
 */

/** One sample line: `name{label="value",...} number`. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Every sample of `text`; comment lines (# HELP, # TYPE) skipped. */
export function parseSamples(text: string): Sample[] {
  return text.split("\n").flatMap((line) => {
    const match = LINE.exec(line);
    if (match === null || line.startsWith("#")) return [];
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? "").matchAll(LABEL)) {
      if (key !== undefined) labels[key] = (value ?? "").replace(/\\(.)/g, "$1");
    }
    return [{ name: match[1] ?? "", labels, value: Number(match[3]) }];
  });
}

/**
 * The value of the sample named `name` whose labels include `labels`, or undefined when there is
 * none. Throws when several match: the test meant one.
 */
export function sampleValue(
  text: string,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number | undefined {
  const found = parseSamples(text).filter(
    (sample) =>
      sample.name === name &&
      Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  );
  if (found.length > 1) {
    throw new Error(`promText: ${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  }
  return found[0]?.value;
}
