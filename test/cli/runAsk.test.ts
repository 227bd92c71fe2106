import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Answer } from "../../src/answer/types.js";
import { EXIT, runAsk } from "../../src/cli/ask.js";
import { removeTempDir } from "../corpus/tempDir.js";
import {
  type InProcessOptions,
  jsonLines,
  LIGHTHOUSE,
  makeMixedCorpus,
  runInProcess,
} from "./cliHarness.js";

const SEED = "kremlin-putin-message-trump-ceasefire";

const ask = (argv: string[], options?: InProcessOptions) => runInProcess(runAsk, argv, options);

let mixed: string;
beforeAll(async () => {
  mixed = await makeMixedCorpus();
});
afterAll(async () => {
  await removeTempDir(mixed);
});

describe("runAsk: one question", () => {
  it("prints the cited excerpt and [1] title ¶paragraph", async () => {
    const { code, stdout, stderr } = await ask(["How long would the ceasefire last?"]);
    expect(code).toBe(EXIT.ok);
    expect(stdout).toContain("> The ceasefire proposal");
    expect(stdout).toContain("30-day halt to fighting");
    expect(stdout).toMatch(/^\[1\] Kremlin Confirms Putin’s Message to Trump .* ¶4$/m);
    expect(stderr).toBe("");
  });

  it("prints an off-topic answer as JSON: answered false, confidence none, no citations", async () => {
    const { code, stdout } = await ask([
      "--json",
      "What",
      "is",
      "the",
      "capital",
      "of",
      "Australia?",
    ]);
    expect(code).toBe(EXIT.ok);
    expect(JSON.parse(stdout)).toEqual({
      question: "What is the capital of Australia?",
      answered: false,
      confidence: "none",
      citations: [],
    });
  });

  it("says so in plain text when there is no answer, and exits 0", async () => {
    const { code, stdout } = await ask(["What is the capital of Australia?"]);
    expect(code).toBe(EXIT.ok);
    expect(stdout).toBe('No answer in the articles for: "What is the capital of Australia?"\n');
  });

  it("cites at most --top paragraphs", async () => {
    const wide = await ask(["--json", "--top", "5", "ceasefire"]);
    const narrow = await ask(["--json", "--top", "1", "ceasefire"]);
    const all = (JSON.parse(wide.stdout) as Answer).citations;
    const one = (JSON.parse(narrow.stdout) as Answer).citations;
    expect(all.length).toBeGreaterThan(1);
    expect(one).toEqual(all.slice(0, 1));
  });

  it("searches one article with --article, its id in any letter case", async () => {
    const { code, stdout } = await ask([
      "--json",
      "--article",
      SEED.toUpperCase(),
      "Who is Peskov?",
    ]);
    expect(code).toBe(EXIT.ok);
    expect((JSON.parse(stdout) as Answer).citations[0]?.articleId).toBe(SEED);
  });

  it("cuts a 100,000-character question and still answers", async () => {
    const question = `How long would the ceasefire last? ${"blah ".repeat(20_000)}`;
    const { code, stdout } = await ask(["--json", question]);
    expect(code).toBe(EXIT.ok);
    expect((JSON.parse(stdout) as Answer).question).toBe(question.trim());
  });
});

describe("runAsk: usage", () => {
  it("prints the usage on stdout for --help, exit 0", async () => {
    const { code, stdout, stderr } = await ask(["--help"]);
    expect(code).toBe(EXIT.ok);
    expect(stdout).toMatch(/^Usage: npm run ask -- /);
    expect(stderr).toBe("");
  });

  it.each([
    [[]],
    [["--bogus", "Who?"]],
    [["Who?", "--top"]],
    [["--top", "11", "Who?"]],
    [["--batch", "-", "Who?"]],
  ])("exits 2 with the usage on stderr for %j", async (argv) => {
    const { code, stdout, stderr } = await ask(argv);
    expect(code).toBe(EXIT.usage);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^ask: .+\n\nUsage: /);
  });

  it("exits 2 for a question with no words", async () => {
    const { code, stderr } = await ask(["?!"]);
    expect(code).toBe(EXIT.usage);
    expect(stderr).toBe("ask: the question is empty: ask something in words\n");
  });

  it("exits 2 for an unknown --article, naming it and the known ids", async () => {
    const { code, stdout, stderr } = await ask(["--article", "nope", "Who?"]);
    expect(code).toBe(EXIT.usage);
    expect(stdout).toBe("");
    expect(stderr).toBe(`ask: no article has the id "nope"; known ids: ${SEED}\n`);
  });
});

describe("runAsk: --data and --strict", () => {
  it("answers from the good file and reports the broken one on stderr", async () => {
    const { code, stdout, stderr } = await ask(["--json", "--data", mixed, LIGHTHOUSE.question]);
    expect(code).toBe(EXIT.ok);
    const answer = JSON.parse(stdout) as Answer;
    expect(answer.answered).toBe(true);
    expect(answer.citations.map((c) => [c.articleId, c.paragraph])).toEqual([[LIGHTHOUSE.id, 1]]);
    const problems = stderr.trimEnd().split("\n");
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^corpus: .*broken\.json line 2: broken JSON/);
  });

  it("resolves a relative --data against the caller's folder", async () => {
    const { code, stdout } = await ask(["--data", path.basename(mixed), LIGHTHOUSE.question], {
      cwd: path.dirname(mixed),
    });
    expect(code).toBe(EXIT.ok);
    expect(stdout).toContain(`[1] ${LIGHTHOUSE.title} ¶1`);
  });

  it("exits 1 under --strict before answering", async () => {
    const { code, stdout, stderr } = await ask(["--strict", "--data", mixed, LIGHTHOUSE.question]);
    expect(code).toBe(EXIT.failure);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/broken\.json line 2: .*\n/);
    expect(
      stderr.endsWith(
        `\nask: --strict: 1 corpus problem in ${mixed} (from --data); nothing was answered\n`,
      ),
    ).toBe(true);
  });

  it("exits 2 with the loader's message for a missing folder", async () => {
    const missing = path.join(mixed, "no-such-folder");
    const { code, stdout, stderr } = await ask(["--data", missing, "Who?"]);
    expect(code).toBe(EXIT.usage);
    expect(stdout).toBe("");
    expect(stderr).toBe(`ask: corpus: articles folder ${missing} does not exist\n`);
  });
});

describe("runAsk: DATA_DIR, as the bot reads it", () => {
  it("reads the articles from DATA_DIR when there is no --data", async () => {
    const { code, stdout } = await ask(["--json", LIGHTHOUSE.question], {
      env: { DATA_DIR: mixed },
    });
    expect(code).toBe(EXIT.ok);
    expect((JSON.parse(stdout) as Answer).citations[0]?.articleId).toBe(LIGHTHOUSE.id);
  });

  it("reads the bundled articles when DATA_DIR is unset or empty", async () => {
    const envs: Record<string, string>[] = [{}, { DATA_DIR: " " }];
    for (const env of envs) {
      const { code, stdout } = await ask(["--json", "ceasefire"], { env });
      expect(code).toBe(EXIT.ok);
      expect((JSON.parse(stdout) as Answer).citations[0]?.articleId).toBe(SEED);
    }
  });

  it("lets --data win over DATA_DIR", async () => {
    const { code, stdout, stderr } = await ask(["--json", "--data", mixed, LIGHTHOUSE.question], {
      env: { DATA_DIR: path.join(mixed, "no-such-folder") },
    });
    expect(code).toBe(EXIT.ok);
    expect(stderr).not.toContain("no-such-folder");
    expect((JSON.parse(stdout) as Answer).citations[0]?.articleId).toBe(LIGHTHOUSE.id);
  });

  it("names the folder and DATA_DIR when --strict finds problems", async () => {
    const { code, stdout, stderr } = await ask(["--strict", LIGHTHOUSE.question], {
      env: { DATA_DIR: mixed },
    });
    expect(code).toBe(EXIT.failure);
    expect(stdout).toBe("");
    expect(stderr).toContain("broken.json line 2: ");
    expect(
      stderr.endsWith(
        `\nask: --strict: 1 corpus problem in ${mixed} (from DATA_DIR, in the environment or .env); nothing was answered\n`,
      ),
    ).toBe(true);
  });

  it("exits 2 naming DATA_DIR when its folder does not exist", async () => {
    const missing = path.join(mixed, "no-such-folder");
    const { code, stdout, stderr } = await ask(["Who?"], { env: { DATA_DIR: missing } });
    expect(code).toBe(EXIT.usage);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      `ask: corpus: articles folder ${missing} does not exist (from DATA_DIR, in the environment or .env; --data DIR overrides it)\n`,
    );
  });
});

describe("runAsk: --batch", () => {
  const lines = [
    "How long would the ceasefire last?",
    "",
    `{"q": "Who is the Kremlin spokesman?", "top": 1}`,
    `{"q": "Who is Steve Witkoff?"`,
    `{"question": "Who?"}`,
    `{"q": "Who is Peskov?", "article": "nope"}`,
    "   ",
    `{"q": "  "}`,
    "What is the capital of Australia?",
  ];

  function checkMixedBatch(stdout: string): void {
    const out = jsonLines(stdout);
    expect(out).toHaveLength(7);
    // Every output line, answers too, names its input line (blank lines counted).
    expect(out.map((o) => (o as { line?: number }).line)).toEqual([1, 3, 4, 5, 6, 8, 9]);
    const [ceasefire, spokesman, broken, noQ, unknown, empty, offTopic] = out as [
      Answer,
      Answer,
      ...unknown[],
    ];
    expect(ceasefire.question).toBe("How long would the ceasefire last?");
    expect(ceasefire.citations[0]?.paragraph).toBe(4);
    expect(spokesman.citations.map((c) => c.paragraph)).toEqual([3]);
    expect(broken).toMatchObject({ line: 4, error: expect.stringMatching(/^not valid JSON/) });
    expect(noQ).toEqual({ error: '"q" is missing or not a string', line: 5 });
    expect(unknown).toEqual({ error: 'no article has the id "nope"', line: 6 });
    expect(empty).toEqual({ error: "the question is empty: ask something in words", line: 8 });
    expect(offTopic).toMatchObject({ answered: false, citations: [] });
  }

  it("answers a file's lines in order, bad lines reported in place, exit 1", async () => {
    const file = path.join(mixed, "questions.txt.batch");
    await fs.writeFile(file, `${lines.join("\r\n")}\r\n`);
    const { code, stdout, stderr } = await ask(["--batch", file]);
    checkMixedBatch(stdout);
    expect(code).toBe(EXIT.failure);
    expect(stderr).toBe("ask: 4 of 7 batch lines failed\n");
  });

  it("reads standard input with --batch -, the last line without a line break", async () => {
    const { code, stdout } = await ask(["--batch", "-"], { input: lines.join("\n") });
    checkMixedBatch(stdout);
    expect(code).toBe(EXIT.failure);
  });

  it("exits 0 when every line is answered, --top and --article applying to each", async () => {
    const input = `Who is the Kremlin spokesman?\n{"q": "What did Zelenskyy accuse Putin of?"}\n`;
    const { code, stdout, stderr } = await ask(["--batch", "-", "--top", "1", "--article", SEED], {
      input,
    });
    expect(code).toBe(EXIT.ok);
    expect(stderr).toBe("");
    const out = jsonLines(stdout) as (Answer & { line: number })[];
    expect(out.map((a) => a.citations.map((c) => [c.articleId, c.paragraph]))).toEqual([
      [[SEED, 3]],
      [[SEED, 6]],
    ]);
    expect(out.map((a) => a.line)).toEqual([1, 2]);
  });

  it("exits 2 for a missing batch file, before loading anything", async () => {
    const { code, stdout, stderr } = await ask(["--batch", "no-such-file.txt"]);
    expect(code).toBe(EXIT.usage);
    expect(stdout).toBe("");
    expect(stderr).toBe("ask: --batch file no-such-file.txt does not exist\n");
  });
});
