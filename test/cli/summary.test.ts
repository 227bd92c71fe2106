import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../../src/cli/program.js";
import { runSummary } from "../../src/cli/summary.js";
import type { ArticleSummary, TopicSummary } from "../../src/summary/types.js";
import { removeTempDir } from "../corpus/tempDir.js";
import {
  type InProcessOptions,
  jsonLines,
  LIGHTHOUSE,
  makeMixedCorpus,
  runInProcess,
} from "./cliHarness.js";

const SEED = "kremlin-putin-message-trump-ceasefire";

const summary = (argv: string[], options?: InProcessOptions) =>
  runInProcess(runSummary, argv, options);

let mixed: string;
beforeAll(async () => {
  mixed = await makeMixedCorpus();
});
afterAll(async () => {
  await removeTempDir(mixed);
});

describe("runSummary: articles", () => {
  it("writes one JSON line per article with the documented shape", async () => {
    const { code, stdout, stderr } = await summary(["--json", SEED]);
    expect(code).toBe(EXIT.ok);
    expect(stderr).toBe("");
    const lines = jsonLines(stdout) as ArticleSummary[];
    expect(lines).toHaveLength(1);
    const [line] = lines;
    expect(Object.keys(line ?? {})).toEqual(["articleId", "title", "sentences", "entities"]);
    expect(line?.articleId).toBe(SEED);
    expect(line?.sentences).toHaveLength(3);
    for (const s of line?.sentences ?? []) {
      expect(Object.keys(s)).toEqual(["text", "paragraph"]);
      expect(s.paragraph).toBeGreaterThanOrEqual(1);
    }
    expect(Object.keys(line?.entities ?? {})).toEqual(["people", "places", "organizations"]);
    expect(line?.entities.people).toContain("Vladimir Putin");
  });

  it("prints the title, numbered sentences ending with (¶p), and the entities line", async () => {
    const { code, stdout } = await summary(["--sentences", "2", SEED.toUpperCase()]);
    expect(code).toBe(EXIT.ok);
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^Kremlin Confirms Putin’s Message to Trump/);
    expect(lines[1]).toMatch(/^1\. The Kremlin has confirmed .* \(¶1\)$/);
    expect(lines[2]).toMatch(/^2\. .* \(¶\d+\)$/);
    expect(lines[3]).toMatch(/^People: Vladimir Putin, .* · Places: .* · Organizations: .*$/);
    expect(lines).toHaveLength(4);
  });

  it("summarizes every article when no id is given, and reports corpus problems on stderr", async () => {
    const { code, stdout, stderr } = await summary(["--json", "--data", mixed]);
    expect(code).toBe(EXIT.ok);
    const lines = jsonLines(stdout) as ArticleSummary[];
    expect(lines.map((l) => l.articleId)).toEqual([LIGHTHOUSE.id]);
    expect(lines[0]?.sentences.map((s) => s.paragraph)).toEqual([1, 2]);
    expect(stderr).toContain("broken.json");
  });

  it("exits 2 naming the unknown ids, before printing any summary", async () => {
    const { code, stdout, stderr } = await summary([SEED, "no-such-article", "nor-this"]);
    expect(code).toBe(EXIT.usage);
    expect(stdout).toBe("");
    expect(stderr).toContain('no articles have the ids "no-such-article", "nor-this"');
    expect(stderr).toContain(`known ids: ${SEED}`);
  });

  it("exits 2 on a bad --sentences, with the usage", async () => {
    const { code, stdout, stderr } = await summary(["--sentences", "0", SEED]);
    expect(code).toBe(EXIT.usage);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^summary: --sentences needs a whole number from 1 to \d+, not "0"/);
    expect(stderr).toContain("Usage: npm run summary");
  });

  it("exits 2 when the data folder does not exist", async () => {
    const { code, stderr } = await summary(["--data", "no/such/folder"]);
    expect(code).toBe(EXIT.usage);
    expect(stderr).toMatch(/^summary: corpus: /);
  });

  it("prints the usage with --help and exits 0", async () => {
    const { code, stdout } = await summary(["--help"]);
    expect(code).toBe(EXIT.ok);
    expect(stdout).toContain("--topic TEXT");
  });
});

describe("runSummary: DATA_DIR, as the bot reads it", () => {
  it("summarizes the articles of DATA_DIR when there is no --data", async () => {
    const { code, stdout } = await summary(["--json"], { env: { DATA_DIR: mixed } });
    expect(code).toBe(EXIT.ok);
    expect((jsonLines(stdout) as ArticleSummary[]).map((l) => l.articleId)).toEqual([
      LIGHTHOUSE.id,
    ]);
  });

  it("lets --data win over DATA_DIR", async () => {
    const { code, stdout } = await summary(["--json", "--data", mixed], {
      env: { DATA_DIR: "no/such/folder" },
    });
    expect(code).toBe(EXIT.ok);
    expect((jsonLines(stdout) as ArticleSummary[]).map((l) => l.articleId)).toEqual([
      LIGHTHOUSE.id,
    ]);
  });

  it("exits 2 naming DATA_DIR when its folder does not exist", async () => {
    const missing = path.join(mixed, "no-such-folder");
    const { code, stdout, stderr } = await summary([], { env: { DATA_DIR: missing } });
    expect(code).toBe(EXIT.usage);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      `summary: corpus: articles folder ${missing} does not exist (from DATA_DIR, in the environment or .env; --data DIR overrides it)\n`,
    );
  });
});

describe("runSummary: --topic", () => {
  it("writes one JSON line: the topic, sentences cited by article and paragraph, entities", async () => {
    const { code, stdout } = await summary(["--json", "--topic", "ceasefire monitoring"]);
    expect(code).toBe(EXIT.ok);
    const lines = jsonLines(stdout) as TopicSummary[];
    expect(lines).toHaveLength(1);
    const [line] = lines;
    expect(Object.keys(line ?? {})).toEqual(["topic", "sentences", "entities"]);
    expect(line?.topic).toBe("ceasefire monitoring");
    expect(line?.sentences.length).toBeGreaterThan(0);
    for (const s of line?.sentences ?? []) {
      expect(Object.keys(s)).toEqual(["text", "articleId", "title", "paragraph"]);
      expect(s.articleId).toBe(SEED);
    }
    expect(line?.sentences.map((s) => s.text).join(" ")).toContain("monitoring compliance");
  });

  it("prints each sentence with (Title ¶p)", async () => {
    const { code, stdout } = await summary(["--topic", "ceasefire monitoring", "--sentences", "1"]);
    expect(code).toBe(EXIT.ok);
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("Topic: ceasefire monitoring");
    expect(lines[1]).toMatch(/^1\. .* \(Kremlin Confirms Putin’s Message .* ¶5\)$/);
    expect(lines[2]).toMatch(/^People: /);
  });

  it("says so, and exits 0, when no paragraph is about the topic", async () => {
    const { code, stdout } = await summary(["--topic", "volcano eruption"]);
    expect(code).toBe(EXIT.ok);
    expect(stdout).toBe('No paragraph in the articles is about: "volcano eruption"\n');
  });
});
