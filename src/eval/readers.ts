import { DATA_COMMANDS, requireDataPath } from "./dataPath.js";
import { median, parseArgs } from "./metrics.js";

const { positional, flags, params } = parseArgs(process.argv.slice(2));
const dir = requireDataPath(DATA_COMMANDS["eval:readers"], positional[0]);

// Loaded after the data check: the language models take most of a second.
const { AnswerService } = await import("../answer/answerService.js");
const { CLASSIC_WORDNET_OPTIONS, loadWordNet } = await import("../lexicon/wordnet.js");
type WordNetOptions = import("../lexicon/wordnet.js").WordNetOptions;
const { buildIndex } = await import("../retrieval/paragraphIndex.js");
const { NO_THESAURUS } = await import("../retrieval/thesaurus.js");
const { setNumberWordFolding } = await import("../retrieval/textPipeline.js");
const { readerLibrary, readOffTopicQuestions, readReaderQuestions } = await import(
  "./readersData.js"
);

type SearchParams = import("../retrieval/search.js").SearchParams;
type Thesaurus = import("../retrieval/thesaurus.js").Thesaurus;
type ParagraphIndex = import("../retrieval/paragraphIndex.js").ParagraphIndex;
type IndexOptions = import("../retrieval/paragraphIndex.js").IndexOptions;
type Half = import("./readersData.js").Half;

/** One way of answering, as a row of the tables. */
interface Variant {
  readonly name: string;
  readonly params: Partial<SearchParams>;
  readonly thesaurus: Thesaurus;
  /** Number words folded to digits ("four" -> "4"), at index and question time (default on). */
  readonly numberWords?: boolean;
  /** Options of the index, when the variant needs its own. */
  readonly indexOptions?: IndexOptions;
}

/** What one variant did with one question. */
interface Outcome {
  readonly half: Half;
  readonly kind: "lexical" | "paraphrase" | "off-topic";
  /** 1-based rank of the first right citation, Infinity when none. */
  readonly rank: number;
  /** The same, had the service never abstained: what the ranking alone gets right. */
  readonly rankedRank: number;
  readonly refused: boolean;
  readonly ms: number;
}

const articles = await readerLibrary(dir);
const questions = readReaderQuestions(dir);
const offTopic = readOffTopicQuestions(dir);
const paragraphs = articles.reduce((sum, a) => sum + a.paragraphs.length, 0);
process.stderr.write(
  `readers: ${articles.length} articles, ${paragraphs} paragraphs; ${questions.length} reader questions, ${offTopic.length} off-topic\n`,
);

const started = performance.now();
const index = buildIndex(articles);
process.stderr.write(`readers: index built in ${(performance.now() - started).toFixed(0)} ms\n`);

/** The citations shown at most, as the bot's first answer shows them. */
const TOP = 5;

function run(variant: Variant): Outcome[] {
  // The text pipeline is shared: an ablation of it needs its own index, built with it off.
  const own = variant.numberWords === false || variant.indexOptions !== undefined;
  const previous = variant.numberWords === false ? setNumberWordFolding(false) : undefined;
  try {
    return runWith(variant, own ? buildIndex(articles, variant.indexOptions) : index);
  } finally {
    if (previous !== undefined) setNumberWordFolding(previous);
  }
}

function runWith(variant: Variant, index: ParagraphIndex): Outcome[] {
  const options = {
    index,
    thesaurus: variant.thesaurus,
    params: { ...variant.params, ...(params as Partial<SearchParams>) },
  };
  const service = new AnswerService(articles, options);
  const neverAbstains = new AnswerService(articles, {
    ...options,
    confidence: { minShare: 0, minEvidence: 0, depth: TOP },
  });
  const rankOf = (citations: readonly { text: string }[], expect: string) => {
    const right = citations.findIndex((c) => c.text.includes(expect));
    return right < 0 ? Number.POSITIVE_INFINITY : right + 1;
  };
  const ask = (q: string) => {
    const t0 = performance.now();
    const answer = service.ask(q, { top: TOP });
    return { answer, ms: performance.now() - t0 };
  };
  const out: Outcome[] = [];
  for (const question of questions) {
    const { answer, ms } = ask(question.q);
    const rank = rankOf(answer.citations, question.expect);
    out.push({
      half: question.half,
      kind: question.kind,
      rank,
      rankedRank: rankOf(neverAbstains.ask(question.q, { top: TOP }).citations, question.expect),
      refused: !answer.answered,
      ms,
    });
    if (flags.has("misses") && rank !== 1) {
      const first = answer.citations[0];
      process.stderr.write(
        `miss [${variant.name}] (${question.half}, ${question.kind}) ${question.q}\n  want ${question.article} ¶${question.paragraph}: ${question.expect}\n  got  ${first ? `${first.articleId} ¶${first.paragraph}: ${first.excerpt.slice(0, 120)}` : "(refused)"}\n`,
      );
    }
  }
  for (const question of offTopic) {
    const { answer, ms } = ask(question.q);
    out.push({
      half: question.half,
      kind: "off-topic",
      rank: Number.POSITIVE_INFINITY,
      rankedRank: Number.POSITIVE_INFINITY,
      refused: !answer.answered,
      ms,
    });
  }
  return out;
}

const count = (xs: readonly Outcome[], keep: (o: Outcome) => boolean) => xs.filter(keep).length;
const share = (hit: number, of: number) =>
  `${hit} / ${of} (${of === 0 ? 0 : Math.round((100 * hit) / of)} %)`;

function row(name: string, outcomes: readonly Outcome[]): string {
  const answerable = outcomes.filter((o) => o.kind !== "off-topic");
  const lexical = answerable.filter((o) => o.kind === "lexical");
  const paraphrase = answerable.filter((o) => o.kind === "paraphrase");
  const off = outcomes.filter((o) => o.kind === "off-topic");
  const first = (o: Outcome) => o.rank === 1;
  return `| ${name} | ${share(count(answerable, first), answerable.length)} | ${count(lexical, first)} / ${lexical.length} | ${count(paraphrase, first)} / ${paraphrase.length} | ${count(answerable, (o) => o.rank <= TOP)} / ${answerable.length} | ${count(answerable, (o) => o.refused)} / ${answerable.length} | ${count(off, (o) => o.refused)} / ${off.length} | ${count(answerable, (o) => o.rankedRank === 1)} / ${answerable.length} | ${median(outcomes.map((o) => o.ms)).toFixed(2)} |`;
}

const HEADER = [
  "| ranker | right paragraph first | lexical first | paraphrase first | in the top 5 | answerable refused | off-topic refused | first, never refusing (diagnostic) | ms/question (median) |",
  "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
];

// `--param wordnet.NAME=V` sets a WordNet option (a switch is on unless 0); other params search.
const wordnetParams: Record<string, number | boolean> = {};
for (const [key, value] of Object.entries(params)) {
  if (!key.startsWith("wordnet.")) continue;
  delete params[key];
  const name = key.slice("wordnet.".length);
  wordnetParams[name] = ["senses", "limit", "hyponymsPerSense"].includes(name)
    ? value
    : value !== 0;
}
/** WordNet read with these options on top of the command line's. */
const wordnetWith = (options: WordNetOptions = {}): Thesaurus =>
  loadWordNet(undefined, { ...wordnetParams, ...options });
const wordnet = wordnetWith();
const PLAIN_BM25: Partial<SearchParams> = {
  windowWeight: 0,
  sentenceWeight: 0,
  relatedWeight: 0,
  kindWeight: 0,
  titleWeight: 0,
  articleWeight: 0,
  inheritTitle: 0,
  inheritLede: 0,
};
const variants: Variant[] = [
  { name: "newsdesk", params: {}, thesaurus: wordnet },
  {
    // The ranking as it was before issue 10 (the confidence judgement stays today's).
    name: "ranking before issue 10 (baseline)",
    params: { inheritTitle: 0, inheritLede: 0, articleWeight: 0 },
    thesaurus: wordnetWith(CLASSIC_WORDNET_OPTIONS),
    indexOptions: { acronyms: false },
  },
  { name: "plain BM25 (baseline)", params: PLAIN_BM25, thesaurus: NO_THESAURUS },
];
if (flags.has("ablations")) {
  variants.push(
    {
      name: "- without window/sentence rerank",
      params: { windowWeight: 0, sentenceWeight: 0 },
      thesaurus: wordnet,
    },
    { name: "- without WordNet", params: {}, thesaurus: NO_THESAURUS },
    {
      name: "- WordNet as before issue 10 (synonyms, derived, pertainyms)",
      params: {},
      thesaurus: wordnetWith(CLASSIC_WORDNET_OPTIONS),
    },
    {
      name: "- without sense frequencies",
      params: { senseExponent: 0 },
      thesaurus: wordnetWith({ senseCounts: false }),
    },
    { name: "- without hypernyms", params: {}, thesaurus: wordnetWith({ hypernyms: false }) },
    {
      name: "- without similar adjectives",
      params: {},
      thesaurus: wordnetWith({ similar: false }),
    },
    {
      name: "- without a pertainym's synonyms (american: usa)",
      params: {},
      thesaurus: wordnetWith({ pertainymSynonyms: false }),
    },
    {
      name: "- without country aliases (british: UK)",
      params: {},
      thesaurus: wordnetWith({ countryAliases: false }),
    },
    {
      name: "- without acronyms (AK: Athletics Kenya)",
      params: {},
      thesaurus: wordnet,
      indexOptions: { acronyms: false },
    },
    {
      name: "- without number words as digits",
      params: {},
      thesaurus: wordnet,
      numberWords: false,
    },
    { name: "- without related words", params: { relatedWeight: 0 }, thesaurus: wordnet },
    { name: "- without answer kinds", params: { kindWeight: 0 }, thesaurus: wordnet },
    { name: "- without title field", params: { titleWeight: 0 }, thesaurus: wordnet },
    {
      name: "- without article evidence (fusion, inherited terms)",
      params: { articleWeight: 0, inheritLede: 0, inheritTitle: 0, inheritArticle: 0 },
      thesaurus: wordnet,
    },
    { name: "- without article fusion", params: { articleWeight: 0 }, thesaurus: wordnet },
    { name: "- without inherited lede terms", params: { inheritLede: 0 }, thesaurus: wordnet },
    {
      name: "- without inherited terms in the rerank",
      params: { inheritRerank: 0 },
      thesaurus: wordnet,
    },
    {
      name: "- without inherited terms in relevance",
      params: { inheritRelevance: 0 },
      thesaurus: wordnet,
    },
    { name: "+ lede = whole first paragraph", params: { ledeSentences: 1000 }, thesaurus: wordnet },
    { name: "- without inherited title terms", params: { inheritTitle: 0 }, thesaurus: wordnet },
    {
      name: "+ any article term inherited (0.3)",
      params: { inheritArticle: 0.3 },
      thesaurus: wordnet,
    },
  );
}

const results = variants.map((variant) => {
  const outcomes = run(variant);
  process.stderr.write(`${row(variant.name, outcomes)}\n`);
  return { variant, outcomes };
});

const sections: [string, (o: Outcome) => boolean][] = [
  ["All questions", () => true],
  ["Tune half (parameters are chosen on it)", (o) => o.half === "tune"],
  ["Check half (never tuned on)", (o) => o.half === "check"],
];
for (const [title, keep] of sections) {
  process.stdout.write(`\n**${title}**\n\n${HEADER.join("\n")}\n`);
  for (const { variant, outcomes } of results) {
    process.stdout.write(`${row(variant.name, outcomes.filter(keep))}\n`);
  }
}
