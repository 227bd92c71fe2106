/**
 * The real program, as `npm run ask` starts it, in child processes: what reaches the terminal,
 * exit codes, and standard input. Most option cases run in-process in runAsk.test.ts; these few
 * check what only a process shows. Each start loads compromise and WordNet (a second or two).
 */
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Answer } from "../../src/answer/types.js";
import { removeTempDir } from "../corpus/tempDir.js";
import { LIGHTHOUSE, makeMixedCorpus, runCli } from "./cliHarness.js";

const TIMEOUT_MS = 60_000;
const SEED_TITLE =
  "Kremlin Confirms Putin’s Message to Trump on Ukraine Ceasefire, Expresses Cautious Optimism";

describe.concurrent("npm run ask, as a process", () => {
  it(
    "answers the README question with the 30-day paragraph",
    async () => {
      const { code, stdout, stderr } = await runCli(["How long would the ceasefire last?"]);
      expect(stderr).toBe("");
      expect(code).toBe(0);
      const lines = stdout.split("\n");
      const source = lines.indexOf(`[1] ${SEED_TITLE} ¶4`);
      expect(source).toBeGreaterThan(0);
      expect(lines[source - 1]).toMatch(/^> The ceasefire proposal.*calls for a 30-day halt/);
    },
    TIMEOUT_MS,
  );

  it(
    "prints nothing but one line of JSON with --json, question words joined",
    async () => {
      const { code, stdout } = await runCli([
        "--json",
        "How",
        "long",
        "would",
        "the",
        "ceasefire",
        "last?",
      ]);
      expect(code).toBe(0);
      expect(stdout.endsWith("\n")).toBe(true);
      expect(stdout.trimEnd()).not.toContain("\n");
      const answer = JSON.parse(stdout) as Answer;
      expect(answer.question).toBe("How long would the ceasefire last?");
      expect(answer.answered).toBe(true);
      expect(answer.citations[0]).toMatchObject({
        articleId: "kremlin-putin-message-trump-ceasefire",
        title: SEED_TITLE,
        paragraph: 4,
      });
    },
    TIMEOUT_MS,
  );

  it(
    "answers standard input line by line with --batch -, bad lines in place, exit 1",
    async () => {
      const input = [
        "Who is Steve Witkoff?",
        "",
        '{"q": "What is the capital of Australia?"}',
        '{"q": broken',
        '{"q": "Who is the Kremlin spokesman?", "top": 1}',
      ].join("\n");
      const { code, stdout, stderr } = await runCli(["--batch", "-"], input);
      expect(code).toBe(1);
      const out = stdout
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line) as Partial<Answer> & { error?: string; line?: number });
      expect(
        out.map((o) =>
          o.error === undefined
            ? `¶${o.citations?.[0]?.paragraph ?? "none"}@${o.line}`
            : `error@${o.line}`,
        ),
      ).toEqual(["¶2@1", "¶none@3", "error@4", "¶3@5"]);
      expect(stderr).toBe("ask: 1 of 4 batch lines failed\n");
    },
    TIMEOUT_MS,
  );

  it(
    "reads DATA_DIR from .env in its working folder, relative to that folder, as the bot does",
    async () => {
      const folder = await makeMixedCorpus();
      try {
        // The working folder holds .env and, in articles/, the mixed corpus.
        const articles = path.join(folder, "articles");
        await fs.mkdir(articles);
        for (const name of ["lighthouse.txt", "broken.json"]) {
          await fs.rename(path.join(folder, name), path.join(articles, name));
        }
        await fs.writeFile(path.join(folder, ".env"), "DATA_DIR=articles\n");
        const fromEnvFile = await runCli(["--strict", LIGHTHOUSE.question], "", {
          cwd: folder,
          env: {},
        });
        expect(fromEnvFile.code).toBe(1);
        expect(fromEnvFile.stdout).toBe("");
        expect(fromEnvFile.stderr).toContain(
          `ask: --strict: 1 corpus problem in ${articles} (from DATA_DIR, in the environment or .env)`,
        );
        // The environment wins over .env: empty means the bundled articles.
        const fromEnvironment = await runCli(["--json", "ceasefire"], "", {
          cwd: folder,
          env: { DATA_DIR: "" },
        });
        expect(fromEnvironment.code).toBe(0);
        expect((JSON.parse(fromEnvironment.stdout) as Answer).citations[0]?.articleId).toBe(
          "kremlin-putin-message-trump-ceasefire",
        );
      } finally {
        await removeTempDir(folder);
      }
    },
    TIMEOUT_MS,
  );

  it.for(["ask", "summary"] as const)(
    "%s: a relative --data starts from the folder npm was run in (INIT_CWD), not the project",
    { timeout: TIMEOUT_MS },
    async (program) => {
      const folder = await makeMixedCorpus();
      try {
        const args =
          program === "ask" ? ["--json", LIGHTHOUSE.question] : [LIGHTHOUSE.id, "--json"];
        const run = await runCli([...args, "--data", "."], "", {
          program,
          env: { DATA_DIR: "", INIT_CWD: folder },
        });
        expect(run.stderr).toContain("broken.json");
        expect(run.code).toBe(0);
        expect(run.stdout).toContain(LIGHTHOUSE.title);
      } finally {
        await removeTempDir(folder);
      }
    },
  );

  it(
    "exits 2 with the usage on stderr for a bad option, printing nothing on stdout",
    async () => {
      const { code, stdout, stderr } = await runCli(["--top", "zero", "Who?"]);
      expect(code).toBe(2);
      expect(stdout).toBe("");
      expect(stderr).toMatch(
        /^ask: --top needs a whole number from 1 to 10, not "zero"\n\nUsage: /,
      );
    },
    TIMEOUT_MS,
  );

  it(
    "takes a 100,000-character question as one argument without failing",
    async () => {
      const question = `Who is Steve Witkoff? ${"x".repeat(100_000 - 22)}`;
      expect(question).toHaveLength(100_000);
      const { code, stdout } = await runCli([question]);
      expect(code).toBe(0);
      expect(stdout.length).toBeGreaterThan(0);
    },
    TIMEOUT_MS,
  );
});
