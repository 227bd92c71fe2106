/**
 * `npm run eval:confidence -- DIR [--calibrate] [--ablations] [--param k=v ...]`
 *
 * Measures the answer confidence (`judgeAnswer`, src/answer/confidence.ts) on the reader
 * questions (tune and check halves, asked of the seed article plus every distinct BBC article)
 * and on SQuAD v1.1 dev, the ranking computed once per question (`searchParagraphs`, top 10):
 * - reader set: answerable questions refused, answered "high" with the right paragraph first or
 *   a wrong one, answered "low"; off-topic questions refused, answered "low", answered "high";
 * - SQuAD, whole corpus (every article indexed): Recall@1 with a refusal counted as a miss, and
 *   how often a "high" answer is right;
 * - SQuAD, held-out halves (as `eval:abstain`): the even articles indexed, their questions should
 *   be answered, the odd articles' questions should be refused.
 * The row "relevance >= MIN_RELEVANCE" is the answer service before the judgement: it answers
 * when one of the first five hits reaches the threshold, all at the same confidence.
 *
 * `--calibrate` chooses the parameters again (after a change to the ranking, this is the one
 * command to run), on the tune half of the reader set and on SQuAD only, never the check half:
 * 1. the weights, the depth and the "none" thresholds refuse the fewest answerable tune questions while refusing
 *    at least 90 % of the off-topic tune questions and keeping SQuAD's Recall@1 (refusals as
 *    misses) at 0.805 or more; ties go to more off-topic refusals, then more SQuAD off-corpus
 *    refusals;
 * 2. the "high" thresholds maximize right minus twice wrong "high" answers on the tune half
 *    (off-topic "high" answers count as wrong); ties go to the same on SQuAD;
 * 3. `smallUnseenWordIdf`, used in libraries of fewer than `evidenceFrom` paragraphs only, by
 *    rule 1 on the tune half asked of small libraries (the seed and the question's article),
 *    refusing every off-topic question there.
 * It prints the chosen values for `DEFAULT_CONFIDENCE_PARAMS` and the tables with them.
 *
 * `--ablations` adds what each signal of the share buys, one row per signal added.
 */
import { DATA_COMMANDS, requireDataPath } from "./dataPath.js";
import { parseArgs } from "./metrics.js";

const { positional, flags, params: given } = parseArgs(process.argv.slice(2));
/**
 * The share of the tune half's off-topic questions `--calibrate` must refuse (`--param
 * offTopicFloor=0.95`); not a parameter of the judgement itself.
 */
const { offTopicFloor = 0.9, ...params } = given as Record<string, number>;
const dir = requireDataPath(DATA_COMMANDS["eval:confidence"], positional[0]);

// Loaded after the data check: the language models take most of a second.
const { MIN_RELEVANCE } = await import("../answer/answerService.js");
const { DEFAULT_CONFIDENCE_PARAMS, hitSupport, judgeAnswer, namesIn } = await import(
  "../answer/confidence.js"
);
const { loadWordNet } = await import("../lexicon/wordnet.js");
const { buildIndex } = await import("../retrieval/paragraphIndex.js");
const { analyzeQuestion } = await import("../retrieval/question.js");
const { searchParagraphs } = await import("../retrieval/search.js");
const { readerLibrary, readOffTopicQuestions, readReaderQuestions } = await import(
  "./readersData.js"
);
const { readSquad } = await import("./squadData.js");

type ConfidenceParams = import("../answer/confidence.js").ConfidenceParams;
type HitSupport = import("../answer/confidence.js").HitSupport;
type ParagraphHit = import("../retrieval/search.js").ParagraphHit;
type AnalyzedQuestion = import("../retrieval/question.js").AnalyzedQuestion;
type ParagraphIndex = import("../retrieval/paragraphIndex.js").ParagraphIndex;
type Article = import("../corpus/article.js").Article;

/** One question, ranked once. */
interface Case {
  /** "small-*": asked of a small library, the seed article and the question's own article. */
  readonly group: "tune" | "check" | "small-tune" | "small-check" | "squad" | "squad-half";
  /** Whether the library answers it. */
  readonly answerable: boolean;
  readonly question: AnalyzedQuestion;
  readonly hits: readonly ParagraphHit[];
  /** Whether each hit's paragraph answers it. */
  readonly right: readonly boolean[];
}

const wordnet = loadWordNet();
const DEPTH = 10;
/** The depths `--calibrate` tries (how many first hits may answer). */
const DEPTHS = [1, 2, 3, 5];
const MAX_DEPTH = 5;

function rank(
  index: ParagraphIndex,
  text: string,
  group: Case["group"],
  isRight: ((doc: number) => boolean) | undefined,
): Case {
  const question = analyzeQuestion(text, wordnet);
  const { hits } = searchParagraphs(index, question, { top: DEPTH });
  return {
    group,
    answerable: isRight !== undefined,
    question,
    hits,
    right: hits.map((h) => isRight?.(h.doc) ?? false),
  };
}

async function collect(): Promise<Case[]> {
  const cases: Case[] = [];
  const articles = await readerLibrary(dir);
  const index = buildIndex(articles);
  const text = (doc: number) => {
    const ref = index.paragraphOf(doc);
    return ref ? (articles[ref.article]?.paragraphs[ref.paragraph] ?? "") : "";
  };
  for (const q of readReaderQuestions(dir)) {
    cases.push(rank(index, q.q, q.half, (doc) => text(doc).includes(q.expect)));
  }
  for (const q of readOffTopicQuestions(dir)) cases.push(rank(index, q.q, q.half, undefined));
  process.stderr.write(`confidence: reader set ranked (${cases.length} questions)\n`);
  cases.push(...smallLibraryCases(articles));
  process.stderr.write("confidence: reader set ranked in small libraries\n");

  const squad = readSquad(`${dir}/squad-v1.1-dev/dev-v1.1.json`);
  const full = buildIndex(squad.articles);
  for (const q of squad.questions) cases.push(rank(full, q.question, "squad", (d) => d === q.gold));
  process.stderr.write("confidence: SQuAD ranked, whole corpus\n");

  // Held-out halves: the even articles indexed; gold ids shifted into the half-corpus.
  const half = buildIndex(squad.articles.filter((_, i) => i % 2 === 0));
  const shift = new Map<number, number>();
  let global = 0;
  let local = 0;
  squad.articles.forEach((a, i) => {
    if (i % 2 === 0) {
      shift.set(i, local - global);
      local += a.paragraphs.length;
    }
    global += a.paragraphs.length;
  });
  for (const q of squad.questions) {
    const delta = shift.get(q.article);
    const gold = delta === undefined ? undefined : q.gold + delta;
    cases.push(
      rank(half, q.question, "squad-half", gold === undefined ? undefined : (d) => d === gold),
    );
  }
  process.stderr.write("confidence: SQuAD ranked, held-out halves\n");
  return cases;
}

/**
 * The reader set as a new server meets it: each question asked of a library of two articles,
 * the bundled seed and the question's own; each off-topic question of the seed and one of those
 * articles in turn. IDF means little in 10 to 20 paragraphs, which is what `smallUnseenWordIdf`
 * is for.
 */
function smallLibraryCases(articles: readonly Article[]): Case[] {
  const [seed] = articles;
  if (!seed) return [];
  const byId = new Map(articles.map((a) => [a.id, a]));
  const questions = readReaderQuestions(dir);
  const ids = [...new Set(questions.map((q) => q.article))];
  const libraries = new Map<string, { index: ParagraphIndex; library: Article[] }>();
  const libraryOf = (id: string) => {
    let known = libraries.get(id);
    if (!known) {
      const own = byId.get(id);
      const library = own ? [seed, own] : [seed];
      known = { index: buildIndex(library), library };
      libraries.set(id, known);
    }
    return known;
  };
  const cases: Case[] = [];
  for (const q of questions) {
    const { index, library } = libraryOf(q.article);
    const text = (doc: number) => {
      const ref = index.paragraphOf(doc);
      return ref ? (library[ref.article]?.paragraphs[ref.paragraph] ?? "") : "";
    };
    cases.push(rank(index, q.q, `small-${q.half}`, (doc) => text(doc).includes(q.expect)));
  }
  readOffTopicQuestions(dir).forEach((q, i) => {
    const { index } = libraryOf(ids[i % ids.length] ?? "");
    cases.push(rank(index, q.q, `small-${q.half}`, undefined));
  });
  return cases;
}

type Outcome = "none" | "high-right" | "high-wrong" | "low-right" | "low-wrong";

function judge(c: Case, p: Partial<ConfidenceParams>): Outcome {
  const { confidence, cited } = judgeAnswer(c.hits, c.question, p);
  const first = cited[0];
  if (confidence === "none" || !first) return "none";
  return `${confidence}-${c.right[c.hits.indexOf(first)] ? "right" : "wrong"}`;
}

/** The service before: answered when one of the first five hits reaches MIN_RELEVANCE. */
function before(c: Case): Outcome {
  const i = c.hits.slice(0, 5).findIndex((h) => h.relevance >= MIN_RELEVANCE);
  if (i < 0) return "none";
  return c.right[i] ? "high-right" : "high-wrong";
}

interface Counts {
  n: number;
  none: number;
  highRight: number;
  highWrong: number;
  lowRight: number;
  lowWrong: number;
}

function counts(outcomes: readonly Outcome[]): Counts {
  const k = (o: Outcome) => outcomes.filter((x) => x === o).length;
  return {
    n: outcomes.length,
    none: k("none"),
    highRight: k("high-right"),
    highWrong: k("high-wrong"),
    lowRight: k("low-right"),
    lowWrong: k("low-wrong"),
  };
}

const of = (hit: number, n: number) => `${hit} / ${n}`;
const pct = (hit: number, n: number) => (n === 0 ? "-" : (hit / n).toFixed(3));

function readerRows(
  name: string,
  cases: readonly Case[],
  decide: (c: Case) => Outcome,
  small = false,
): string[] {
  return (["tune", "check"] as const).map((half) => {
    const inHalf = cases.filter((c) => c.group === (small ? `small-${half}` : half));
    const a = counts(inHalf.filter((c) => c.answerable).map(decide));
    const o = counts(inHalf.filter((c) => !c.answerable).map(decide));
    const first = a.highRight + a.lowRight;
    return `| ${name} | ${half} | ${of(a.none, a.n)} | ${a.highRight} | ${a.highWrong} | ${a.lowRight + a.lowWrong} (${a.lowRight} right) | ${of(first, a.n)} | ${of(o.none, o.n)} | ${o.lowRight + o.lowWrong} | ${o.highRight + o.highWrong} |`;
  });
}

function squadRow(name: string, cases: readonly Case[], decide: (c: Case) => Outcome): string {
  const full = counts(cases.filter((c) => c.group === "squad").map(decide));
  const half = cases.filter((c) => c.group === "squad-half");
  const i = counts(half.filter((c) => c.answerable).map(decide));
  const o = counts(half.filter((c) => !c.answerable).map(decide));
  const high = full.highRight + full.highWrong;
  return `| ${name} | ${pct(full.highRight + full.lowRight, full.n)} | ${pct(full.highRight, full.n)} | ${pct(full.highRight, high)} | ${pct(i.n - i.none, i.n)} | ${pct(i.highRight + i.highWrong, i.n)} | ${pct(o.none, o.n)} | ${pct(o.lowRight + o.lowWrong, o.n)} | ${pct(o.highRight + o.highWrong, o.n)} |`;
}

const READER_HEADER =
  "| decision | half | answerable refused | high, right first | high, wrong first | low | right first (any confidence) | off-topic refused | off-topic low | off-topic high |";

function tables(cases: readonly Case[], rows: [string, (c: Case) => Outcome][]): string {
  const reader = [
    "**Reader questions** (140 answerable, 40 off-topic; whole library)",
    "",
    READER_HEADER,
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows.flatMap(([name, decide]) => readerRows(name, cases, decide)),
    "",
    "**Reader questions in small libraries** (each asked of the seed and its own article; each off-topic one of the seed and one of those articles)",
    "",
    READER_HEADER,
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows.flatMap(([name, decide]) => readerRows(name, cases, decide, true)),
  ];
  const squad = [
    "**SQuAD v1.1 dev** (whole corpus: all 48 articles indexed; halves: 24 indexed, 24 held out)",
    "",
    "| decision | R@1, refusal = miss | high and right | high precision | in-corpus answered (halves) | in-corpus high (halves) | off-corpus refused (halves) | off-corpus low | off-corpus high |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows.map(([name, decide]) => squadRow(name, cases, decide)),
  ];
  return `${reader.join("\n")}\n\n${squad.join("\n")}\n`;
}

/** Grid search for the parameters, on the tune half and SQuAD only (see the header). */
function calibrate(cases: readonly Case[]): ConfidenceParams {
  const tune = cases.filter((c) => c.group === "tune");
  const squad = cases.filter((c) => c.group === "squad");
  const heldOut = cases.filter((c) => c.group === "squad-half" && !c.answerable);
  const names = new Map(cases.map((c) => [c, namesIn(c.question.text)]));
  const grid = (from: number, to: number, step: number) =>
    Array.from({ length: Math.round((to - from) / step) + 1 }, (_, i) =>
      Number((from + i * step).toFixed(4)),
    );
  const shares = grid(0.4, 0.7, 0.02);
  const evidences = [0, 0.5, 0.75, 1];
  type Key = [number, number, number, number];
  let best: { key: Key; p: ConfidenceParams } | undefined;
  const better = (a: Key, b: Key) => {
    for (let i = 0; i < a.length; i++) {
      if ((a[i] as number) !== (b[i] as number)) return (a[i] as number) > (b[i] as number);
    }
    return false;
  };
  for (const nameWeight of [1, 2, 3]) {
    for (const unseenNameWeight of [1, 2]) {
      for (const unseenWordIdf of [1, 2, 3]) {
        for (const articleCredit of [0, 0.5, 0.7]) {
          for (const relatedCredit of [0.15, 0.3, 0.45, 0.6]) {
            const weights = {
              ...DEFAULT_CONFIDENCE_PARAMS,
              ...(params as Partial<ConfidenceParams>),
              nameWeight,
              unseenNameWeight,
              unseenWordIdf,
              articleCredit,
              relatedCredit,
            };
            // Each case's first hits, with their support, for every depth tried.
            const supported = (c: Case) =>
              c.hits.slice(0, MAX_DEPTH).map((hit, i) => ({
                s: hitSupport(hit, c.question, weights, names.get(c)),
                right: c.right[i] ?? false,
              }));
            const t = tune.map((c) => ({ c, hits: supported(c) }));
            const q = squad.map((c) => ({ c, hits: supported(c) }));
            const h = heldOut.map((c) => ({ c, hits: supported(c) }));
            const offTopic = t.filter((x) => !x.c.answerable);
            for (const depth of DEPTHS) {
              for (const minShare of shares) {
                for (const minEvidence of evidences) {
                  const passes = (x: { s: HitSupport }) =>
                    x.s.share >= minShare && x.s.evidence >= minEvidence;
                  const firstCited = (x: { hits: { s: HitSupport; right: boolean }[] }) =>
                    x.hits.slice(0, depth).find(passes);
                  const refused = (x: { hits: { s: HitSupport; right: boolean }[] }) =>
                    firstCited(x) === undefined;
                  const offRefused = offTopic.filter(refused).length;
                  if (offRefused < offTopicFloor * offTopic.length) continue;
                  const recall =
                    q.filter((x) => firstCited(x)?.right === true).length / Math.max(1, q.length);
                  if (recall < 0.805) continue;
                  const answerableRefused = t.filter((x) => x.c.answerable && refused(x)).length;
                  const key: Key = [
                    -answerableRefused,
                    offRefused,
                    h.filter(refused).length,
                    recall,
                  ];
                  if (!best || better(key, best.key)) {
                    best = { key, p: { ...weights, minShare, minEvidence, depth } };
                  }
                }
              }
            }
          }
        }
      }
    }
  }
  if (!best) throw new Error("calibrate: no parameters meet the constraints");
  const chosen = best.p;
  // "high": right minus twice wrong, tune half first, then SQuAD.
  const utility = (group: readonly Case[], highShare: number, highMargin: number) => {
    let u = 0;
    for (const c of group) {
      const { confidence, cited } = judgeAnswer(c.hits, c.question, {
        ...chosen,
        highShare,
        highMargin,
      });
      const first = cited[0];
      if (confidence !== "high" || !first) continue;
      u += c.answerable && c.right[c.hits.indexOf(first)] ? 1 : -2;
    }
    return u;
  };
  let high = { key: [Number.NEGATIVE_INFINITY, 0], share: 1, margin: 1 };
  for (const highShare of grid(chosen.minShare, 1, 0.05)) {
    for (const highMargin of grid(0, 0.3, 0.02)) {
      const key = [utility(tune, highShare, highMargin), utility(squad, highShare, highMargin)];
      if (better(key as Key, high.key as Key)) high = { key, share: highShare, margin: highMargin };
    }
  }
  // Small libraries: the same rule on the small tune group, for the one weight used there only.
  const smallTune = cases.filter((c) => c.group === "small-tune");
  let small: { key: Key; value: number } | undefined;
  for (const smallUnseenWordIdf of [0.25, 0.5, 1, 1.5, 2, 3]) {
    const p = { ...chosen, smallUnseenWordIdf };
    const refused = (c: Case) => judgeAnswer(c.hits, c.question, p).confidence === "none";
    const off = smallTune.filter((c) => !c.answerable);
    const offRefused = off.filter(refused).length;
    // Every one: a small library's IDF lifts a lone matched word, and the lower-case "who won
    // the 1998 world cup final" (no capital, so no name) was answered "high" from the seed
    // article at 0.5, refused at 1.
    if (offRefused < off.length) continue;
    const key: Key = [
      -smallTune.filter((c) => c.answerable && refused(c)).length,
      offRefused,
      0,
      0,
    ];
    if (!small || better(key, small.key)) small = { key, value: smallUnseenWordIdf };
  }
  return {
    ...chosen,
    highShare: high.share,
    highMargin: high.margin,
    smallUnseenWordIdf: small?.value ?? chosen.smallUnseenWordIdf,
  };
}

/**
 * What each signal buys: for each set of weights, the share threshold (evidence unchecked unless
 * the row sets it) that refuses the fewest answerable tune questions while refusing 90 % of the
 * off-topic tune ones; SQuAD is reported, not constrained.
 */
function ablations(cases: readonly Case[]): string {
  const all = { minEvidence: 0, highShare: 2, depth: 1 };
  const rows: [string, Partial<ConfidenceParams>][] = [
    [
      "`relevance` as it is",
      { nameWeight: 1, unseenNameWeight: 1, unseenWordIdf: 1e9, articleCredit: 0 },
    ],
    [
      "+ a common word the library never uses weighs at most IDF 3",
      { nameWeight: 1, unseenNameWeight: 1, unseenWordIdf: 3, articleCredit: 0 },
    ],
    [
      "+ names weigh 3x IDF, unseen names 2x",
      { nameWeight: 3, unseenNameWeight: 2, unseenWordIdf: 3, articleCredit: 0 },
    ],
    [
      "+ a word elsewhere in the article counts 0.5",
      { nameWeight: 3, unseenNameWeight: 2, unseenWordIdf: 3, articleCredit: 0.5 },
    ],
    [
      "+ matched mass at least 0.75",
      { ...DEFAULT_CONFIDENCE_PARAMS, minEvidence: 0.75, highShare: 2, depth: 1 },
    ],
    [
      "+ the first two hits may answer",
      { ...DEFAULT_CONFIDENCE_PARAMS, minEvidence: 0.75, highShare: 2, depth: 2 },
    ],
  ];
  const lines = [
    "| share of the question matched | minShare | tune refused | tune off-topic refused | check refused | check off-topic refused | SQuAD R@1, refusal = miss |",
    "| --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const [name, weights] of rows) {
    const p = { ...DEFAULT_CONFIDENCE_PARAMS, ...all, ...weights };
    const refusedAt = (minShare: number) => (c: Case) =>
      judgeAnswer(c.hits, c.question, { ...p, minShare }).confidence === "none";
    const tally = (group: Case["group"], answerable: boolean, minShare: number) => {
      const inGroup = cases.filter((c) => c.group === group && c.answerable === answerable);
      return [inGroup.filter(refusedAt(minShare)).length, inGroup.length] as const;
    };
    let chosen: { minShare: number; refused: number } | undefined;
    for (let t = 30; t <= 80; t++) {
      const [off, offN] = tally("tune", false, t / 100);
      if (off < 0.9 * offN) continue;
      const [refused] = tally("tune", true, t / 100);
      if (!chosen || refused < chosen.refused) chosen = { minShare: t / 100, refused };
    }
    if (!chosen) continue;
    const at = chosen.minShare;
    const squad = cases.filter((c) => c.group === "squad");
    const recall =
      squad.filter((c) => judge(c, { ...p, minShare: at }).endsWith("-right")).length /
      squad.length;
    const cell = ([k, n]: readonly [number, number]) => of(k, n);
    lines.push(
      `| ${name} | ${at.toFixed(2)} | ${cell(tally("tune", true, at))} | ${cell(tally("tune", false, at))} | ${cell(tally("check", true, at))} | ${cell(tally("check", false, at))} | ${recall.toFixed(3)} |`,
    );
  }
  return `\n**What each signal buys** (threshold chosen on the tune half alone)\n\n${lines.join("\n")}\n`;
}

const cases = await collect();
const current: Partial<ConfidenceParams> = params as Partial<ConfidenceParams>;
const rows: [string, (c: Case) => Outcome][] = [
  [`relevance >= ${MIN_RELEVANCE} (before)`, before],
  ["judgeAnswer (defaults and --param)", (c) => judge(c, current)],
];
if (flags.has("calibrate")) {
  const chosen = calibrate(cases);
  process.stdout.write(`calibrated: ${JSON.stringify(chosen)}\n\n`);
  rows.push(["judgeAnswer (calibrated)", (c) => judge(c, chosen)]);
}
process.stdout.write(tables(cases, rows));
if (flags.has("ablations")) process.stdout.write(ablations(cases));
process.stdout.write(
  `\nparameters in use: ${JSON.stringify({ ...DEFAULT_CONFIDENCE_PARAMS, ...current })}\n`,
);
