/**
 * The evaluation and benchmark commands, started as `npm run` starts them (`node --import
 * tsx src/eval/<file>.ts ...` in the project folder): a missing or malformed data path gives one
 * line on stderr and exit code 2, never a stack trace, and the check comes before compromise loads.
 */
import fs from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir, removeTempDir } from "../corpus/tempDir.js";
import { runNode } from "../support/runNode.js";

const TIMEOUT_MS = 60_000;
const PROJECT_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const SQUAD_FILE = "../shared/datasets/squad-v1.1-dev/dev-v1.1.json";
const DATASETS = "../shared/datasets";

/** Each command: its npm script, its file under src/eval/ and the path it expects. */
const COMMANDS = [
  { command: "eval:squad", file: "squad.ts", expected: SQUAD_FILE },
  { command: "eval:abstain", file: "abstain.ts", expected: SQUAD_FILE },
  { command: "eval:pins", file: "pinMatch.ts", expected: SQUAD_FILE },
  { command: "bench", file: "bench.ts", expected: SQUAD_FILE },
  { command: "eval:summary", file: "summaryEval.ts", expected: DATASETS },
  { command: "eval:answers", file: "answerSelection.ts", expected: DATASETS },
  { command: "eval:readers", file: "readers.ts", expected: DATASETS },
  { command: "eval:followups", file: "followups.ts", expected: DATASETS },
  { command: "eval:confidence", file: "confidence.ts", expected: DATASETS },
] as const;

/**
 * Loader hooks that fail any import of compromise (the slow part of starting a command): with
 * them, a command that checks its data path first still exits with the usage error.
 */
const NO_COMPROMISE = (() => {
  const hooks = `export async function resolve(specifier, context, next) { if (specifier === "compromise" || specifier.startsWith("compromise/")) throw new Error("compromise was loaded"); return next(specifier, context); }`;
  const register = `import { register } from "node:module"; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});`;
  return ["--import", `data:text/javascript,${encodeURIComponent(register)}`];
})();

/** Runs `node --import tsx [...nodeArgs] src/eval/<file> ...args` in the project folder. */
function run(file: string, args: readonly string[], nodeArgs: readonly string[] = []) {
  return runNode(["--import", TSX, ...nodeArgs, `src/eval/${file}`, ...args], {
    cwd: PROJECT_ROOT,
  });
}

const ONE_LINE = /^[^\n]+\n$/;
const STACK_FRAME = /^\s+at /m;

describe.concurrent("evaluation commands, as processes", () => {
  let dir = "";
  let missing = "";

  beforeAll(async () => {
    dir = await makeTempDir();
    missing = path.join(dir, "missing", "data");
  });

  afterAll(async () => {
    await removeTempDir(dir);
  });

  for (const { command, file, expected } of COMMANDS) {
    it(
      `${command}: a missing path gives one line naming ${expected}, exit code 2`,
      async () => {
        const { code, stdout, stderr } = await run(file, [missing]);
        expect(stderr).toMatch(ONE_LINE);
        expect(stderr).not.toMatch(STACK_FRAME);
        expect(stderr.startsWith(`${command}: ${missing} does not exist; expected `)).toBe(true);
        expect(stderr).toContain(
          `; expected ${expected === DATASETS ? "the datasets folder " : ""}${expected}`,
        );
        expect(stdout).toBe("");
        expect(code).toBe(2);
      },
      TIMEOUT_MS,
    );

    it(
      `${command}: no path gives the usage line with ${expected}, exit code 2`,
      async () => {
        const { code, stderr } = await run(file, []);
        expect(stderr).toMatch(ONE_LINE);
        expect(stderr.startsWith(`usage: npm run ${command} -- `)).toBe(true);
        expect(stderr).toContain(`, ${expected}`);
        expect(code).toBe(2);
      },
      TIMEOUT_MS,
    );

    it(
      `${command}: checks the path before compromise loads`,
      async () => {
        const { code, stderr } = await run(file, [missing], NO_COMPROMISE);
        expect(stderr).not.toContain("compromise was loaded");
        expect(stderr).toMatch(ONE_LINE);
        expect(code).toBe(2);
      },
      TIMEOUT_MS,
    );
  }

  it(
    "eval:squad: a file that is not JSON gives one line with the parse error, exit code 2",
    async () => {
      const file = path.join(dir, "dev-v1.1.json");
      await fs.writeFile(file, "404: Not Found\n");
      const { code, stderr } = await run("squad.ts", [file]);
      expect(stderr).toMatch(ONE_LINE);
      expect(stderr).not.toMatch(STACK_FRAME);
      expect(stderr.startsWith(`eval:squad: ${file} is not SQuAD v1.1 JSON: `)).toBe(true);
      expect(stderr).toContain(`; expected ${SQUAD_FILE}`);
      expect(code).toBe(2);
    },
    TIMEOUT_MS,
  );

  it(
    "bench --paragraphs: a missing datasets folder gives one line, exit code 2, before compromise",
    async () => {
      const { code, stdout, stderr } = await run(
        "bench.ts",
        [missing, "--paragraphs", "1000"],
        NO_COMPROMISE,
      );
      expect(stderr).toMatch(ONE_LINE);
      expect(
        stderr.startsWith(
          `bench: ${missing} does not exist; expected the datasets folder ${DATASETS}`,
        ),
      ).toBe(true);
      expect(stdout).toBe("");
      expect(code).toBe(2);
    },
    TIMEOUT_MS,
  );

  it(
    "the compromise hook does stop a command whose data is good (so the test above can fail)",
    async () => {
      const file = path.join(dir, "good-v1.1.json");
      const squad = {
        version: "1.1",
        data: [
          { title: "T", paragraphs: [{ context: "C.", qas: [{ question: "Q?", answers: [] }] }] },
        ],
      };
      await fs.writeFile(file, JSON.stringify(squad));
      const { code, stderr } = await run("abstain.ts", [file], NO_COMPROMISE);
      expect(stderr).toContain("compromise was loaded");
      expect(code).toBe(1);
    },
    TIMEOUT_MS,
  );
});
