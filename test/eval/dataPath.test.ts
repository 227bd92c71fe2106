/**
 * The data path check every evaluation makes first (src/eval/dataPath.ts), on temp folders: the
 * exact one line for a missing file, a folder where a file is expected (and the reverse), a
 * datasets folder without one of its files, and files that are not in the expected format.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  DATA_COMMANDS,
  DATA_SETS,
  dataPathProblem,
  expectedPath,
  usageLine,
} from "../../src/eval/dataPath.js";
import { makeTempDir, removeTempDir } from "../corpus/tempDir.js";

const SQUAD = DATA_COMMANDS["eval:squad"];
const SUMMARY = DATA_COMMANDS["eval:summary"];
const ANSWERS = DATA_COMMANDS["eval:answers"];

/** How every SQuAD message ends: the expected path and where the data comes from. */
const SQUAD_TAIL =
  "; expected ../shared/datasets/squad-v1.1-dev/dev-v1.1.json, SQuAD v1.1 dev (Rajpurkar et al. 2016, CC BY-SA 4.0, from https://rajpurkar.github.io/SQuAD-explorer/); this project reads it from ../shared/datasets (see SOURCE.md beside it), never copies it";

const SUMMARY_TAIL =
  "; expected the datasets folder ../shared/datasets, holding bbc-news-summary/bbc_news_summary.jsonl, BBC News Summary (Pariza Sharif, Kaggle 2018, from the copy in github.com/RobinHelbig/RGIProject; articles © BBC, research and evaluation use only) and cnndm-xsum-frank/cnndm_test_frank250.jsonl, CNN/DailyMail test, FRANK sample (250 articles from the FRANK benchmark, github.com/artidoro/frank, MIT; articles © CNN and the Daily Mail, research use only); this project reads them from ../shared/datasets (see SOURCE.md beside each), never copies them";

const ANSWERS_TAIL =
  "; expected the datasets folder ../shared/datasets, holding trecqa/trecqa_test.jsonl, TrecQA test (Wang et al. 2007, Yao et al. 2013 release, from github.com/castorini/data; no licence stated, TREC newswire: internal evaluation only) and wikiqa/WikiQA-test.tsv, WikiQA test (Yang, Yih and Meek 2015, from github.com/yizhongw/WikiQA-Selection; Microsoft Research Data License: non-commercial research); this project reads them from ../shared/datasets (see SOURCE.md beside each), never copies them";

/** The smallest files of each set that the evaluations read. */
const VALID = {
  squad: JSON.stringify({
    version: "1.1",
    data: [
      {
        title: "Lighthouse",
        paragraphs: [
          {
            context: "The lighthouse reopened on Tuesday.",
            qas: [{ id: "1", question: "When did it reopen?", answers: [{ text: "Tuesday" }] }],
          },
        ],
      },
    ],
  }),
  bbc: `${JSON.stringify({ id: "business/001", title: "T", article: "T\n\nBody.", summary: "Body." })}\n`,
  cnndm: `${JSON.stringify({ id: "dm-test-1", url: "u", article: "A.", reference: "R ." })}\n`,
  trecqa: `${JSON.stringify({ qid: "1.1", question: "Q ?", candidates: [{ text: "A .", label: 1 }] })}\n`,
  wikiqa:
    "QuestionID\tQuestion\tDocumentID\tDocumentTitle\tSentenceID\tSentence\tLabel\nQ0\tq?\tD0\tT\tD0-0\ts.\t1\n",
} as const;

/** The message JSON.parse gives for `text` on this Node version. */
function parseError(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`test: ${text} is valid JSON`);
}

describe("dataPathProblem", () => {
  let dir = "";

  beforeEach(async () => {
    dir = await makeTempDir();
  });

  afterEach(async () => {
    await removeTempDir(dir);
  });

  /** Writes `name -> content` under `root`, making folders as needed. */
  async function write(root: string, files: Readonly<Record<string, string>>): Promise<void> {
    for (const [name, content] of Object.entries(files)) {
      const file = path.join(root, name);
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, content);
    }
  }

  it("names the command, the missing file and the file it expected", () => {
    const missing = path.join(dir, "dev-v1.1.json");
    expect(dataPathProblem(SQUAD, missing)).toBe(
      `eval:squad: ${missing} does not exist${SQUAD_TAIL}`,
    );
  });

  it("shows what a relative path resolved to", () => {
    expect(dataPathProblem(SQUAD, "nowhere/dev-v1.1.json", dir)).toBe(
      `eval:squad: nowhere/dev-v1.1.json (${path.join(dir, "nowhere/dev-v1.1.json")}) does not exist${SQUAD_TAIL}`,
    );
  });

  it("refuses a folder where the SQuAD file is expected", () => {
    expect(dataPathProblem(SQUAD, dir)).toBe(
      `eval:squad: ${dir} is a folder, not a file${SQUAD_TAIL}`,
    );
  });

  it("points to the file when the datasets folder is given instead of it", async () => {
    await write(dir, { [DATA_SETS.squad.file]: VALID.squad });
    expect(dataPathProblem(DATA_COMMANDS.bench, dir)).toBe(
      `bench: ${dir} is a folder, not a file (did you mean ${path.join(dir, "squad-v1.1-dev/dev-v1.1.json")}?)${SQUAD_TAIL}`,
    );
  });

  it("accepts a SQuAD v1.1 file with the fields the evaluations read", async () => {
    await write(dir, { "dev.json": VALID.squad });
    expect(dataPathProblem(SQUAD, path.join(dir, "dev.json"))).toBeUndefined();
  });

  it("gives one line with the parse error for a file that is not JSON", async () => {
    const text = "<html>\n<body>Not Found</body>\n</html>\n";
    const file = path.join(dir, "dev-v1.1.json");
    await write(dir, { "dev-v1.1.json": text });
    const line = dataPathProblem(DATA_COMMANDS["eval:pins"], file);
    expect(line).toBe(
      `eval:pins: ${file} is not SQuAD v1.1 JSON: ${parseError(text).replace(/[\r\n]+/g, " ")}${SQUAD_TAIL}`,
    );
    expect(line).not.toContain("\n");
  });

  it("names the first field the evaluations would miss in JSON that is not SQuAD", async () => {
    const file = path.join(dir, "dev.json");
    const cases: [unknown, string][] = [
      [[1, 2], "the top level is not an object"],
      [{ rows: [] }, "data is not an array"],
      [{ version: "v2.0", data: [] }, 'its version is "v2.0", not "1.1"'],
      [{ version: "1.1", data: [] }, "data is empty"],
      [
        { data: [{ title: "T", paragraphs: [{ context: "c", qas: [{}] }] }] },
        "data[0].paragraphs[0].qas[0].question is not a string",
      ],
      [
        {
          data: [
            {
              title: "T",
              paragraphs: [{ context: "c", qas: [{ question: "q", answers: [{ text: 3 }] }] }],
            },
          ],
        },
        "data[0].paragraphs[0].qas[0].answers[0].text is not a string",
      ],
    ];
    for (const [content, problem] of cases) {
      await write(dir, { "dev.json": JSON.stringify(content) });
      expect(dataPathProblem(DATA_COMMANDS["eval:abstain"], file)).toBe(
        `eval:abstain: ${file} is not SQuAD v1.1 JSON: ${problem}${SQUAD_TAIL}`,
      );
    }
  });

  it("names the missing datasets folder and every file it should hold", () => {
    const missing = path.join(dir, "datasets");
    expect(dataPathProblem(SUMMARY, missing)).toBe(
      `eval:summary: ${missing} does not exist${SUMMARY_TAIL}`,
    );
  });

  it("names the file a datasets folder lacks", async () => {
    await write(dir, { [DATA_SETS.trecqa.file]: VALID.trecqa });
    expect(dataPathProblem(ANSWERS, dir)).toBe(
      `eval:answers: ${dir} has no wikiqa/WikiQA-test.tsv${ANSWERS_TAIL}`,
    );
  });

  it("names both files when the folder holds neither", () => {
    expect(dataPathProblem(SUMMARY, dir)).toBe(
      `eval:summary: ${dir} has no bbc-news-summary/bbc_news_summary.jsonl and cnndm-xsum-frank/cnndm_test_frank250.jsonl${SUMMARY_TAIL}`,
    );
  });

  it("checks only the files a command was narrowed to (eval:summary --only bbc)", async () => {
    await write(dir, { [DATA_SETS.bbc.file]: VALID.bbc });
    expect(dataPathProblem({ ...SUMMARY, sets: [DATA_SETS.bbc] }, dir)).toBeUndefined();
  });

  it("accepts a datasets folder holding every file in its format", async () => {
    await write(dir, {
      [DATA_SETS.bbc.file]: VALID.bbc,
      [DATA_SETS.cnndm.file]: VALID.cnndm,
      [DATA_SETS.trecqa.file]: VALID.trecqa,
      [DATA_SETS.wikiqa.file]: VALID.wikiqa,
    });
    expect(dataPathProblem(SUMMARY, dir)).toBeUndefined();
    expect(dataPathProblem(ANSWERS, dir)).toBeUndefined();
  });

  it("refuses one of the data files given instead of the datasets folder, pointing to the folder", async () => {
    await write(dir, { [DATA_SETS.trecqa.file]: VALID.trecqa });
    const file = path.join(dir, "trecqa/trecqa_test.jsonl");
    expect(dataPathProblem(ANSWERS, file)).toBe(
      `eval:answers: ${file} is a file, not a folder (did you mean ${dir}?)${ANSWERS_TAIL}`,
    );
  });

  it("names the file and line of a malformed record inside the datasets folder", async () => {
    await write(dir, {
      [DATA_SETS.bbc.file]: `${VALID.bbc}{"id": "business/002", "title": "T", "article": "A"}\n`,
      [DATA_SETS.cnndm.file]: `${VALID.cnndm}\n{"id": "dm-test-2",\n`,
    });
    expect(dataPathProblem(SUMMARY, dir)).toBe(
      `eval:summary: ${path.join(dir, DATA_SETS.bbc.file)} is not BBC News Summary JSON Lines: line 2: summary is not a string${SUMMARY_TAIL}`,
    );
    expect(dataPathProblem({ ...SUMMARY, sets: [DATA_SETS.cnndm] }, dir)).toContain(
      `: ${path.join(dir, DATA_SETS.cnndm.file)} is not CNN/DailyMail JSON Lines: line 3: ${parseError('{"id": "dm-test-2",')}`,
    );
  });

  it("checks TrecQA candidates and the WikiQA header and labels", async () => {
    const trecqa = `${JSON.stringify({ qid: "1", question: "Q", candidates: [{ text: "A" }] })}\n`;
    await write(dir, { [DATA_SETS.trecqa.file]: trecqa, [DATA_SETS.wikiqa.file]: "Q\tA\n" });
    expect(dataPathProblem(ANSWERS, dir)).toBe(
      `eval:answers: ${path.join(dir, DATA_SETS.trecqa.file)} is not TrecQA JSON Lines: line 1: candidates[0].label is not a number${ANSWERS_TAIL}`,
    );
    await write(dir, { [DATA_SETS.trecqa.file]: VALID.trecqa });
    expect(dataPathProblem(ANSWERS, dir)).toBe(
      `eval:answers: ${path.join(dir, DATA_SETS.wikiqa.file)} is not WikiQA TSV: line 1 is not the header QuestionID Question DocumentID DocumentTitle SentenceID Sentence Label${ANSWERS_TAIL}`,
    );
    await write(dir, { [DATA_SETS.wikiqa.file]: VALID.wikiqa.replace(/1\n$/, "yes\n") });
    expect(dataPathProblem(ANSWERS, dir)).toBe(
      `eval:answers: ${path.join(dir, DATA_SETS.wikiqa.file)} is not WikiQA TSV: line 2: expected 7 tab-separated fields, Label 0 or 1${ANSWERS_TAIL}`,
    );
  });

  it("refuses an empty data file", async () => {
    await write(dir, { [DATA_SETS.bbc.file]: "\n" });
    expect(dataPathProblem({ ...SUMMARY, sets: [DATA_SETS.bbc] }, dir)).toMatch(
      /^eval:summary: \S+bbc_news_summary\.jsonl is not BBC News Summary JSON Lines: it holds no records; /,
    );
  });
});

describe("usageLine and expectedPath", () => {
  it("show the path to type under ../shared/datasets", () => {
    expect(usageLine(DATA_COMMANDS["eval:abstain"])).toBe(
      "usage: npm run eval:abstain -- PATH; PATH is the SQuAD v1.1 dev file, ../shared/datasets/squad-v1.1-dev/dev-v1.1.json",
    );
    expect(usageLine(SQUAD)).toBe(
      "usage: npm run eval:squad -- PATH [--only newsdesk] [--ablations] [--live] [--no-thesaurus] [--param k1=0.9]; PATH is the SQuAD v1.1 dev file, ../shared/datasets/squad-v1.1-dev/dev-v1.1.json",
    );
    expect(usageLine(ANSWERS)).toBe(
      "usage: npm run eval:answers -- DIR [--misses]; DIR is the datasets folder, ../shared/datasets, holding trecqa/trecqa_test.jsonl and wikiqa/WikiQA-test.tsv",
    );
    expect(expectedPath(DATA_COMMANDS.bench)).toBe(
      "../shared/datasets/squad-v1.1-dev/dev-v1.1.json",
    );
    expect(expectedPath(SUMMARY)).toBe("../shared/datasets");
  });
});
