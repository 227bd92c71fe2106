/**
 * `npm run eval:followups -- ../shared/datasets [--misses]`: how well newsdesk answers follow-up
 * questions (test/fixtures/followups.json), asked in their conversation (each earlier turn as the
 * answer service answered it, the way a Discord thread stores it) and asked alone. Prints, per
 * half and overall: right paragraph first and in the top 5, and refusals, for first turns,
 * same-subject follow-ups and subject changes; and how the follow-ups were read.
 */
import { DATA_COMMANDS, requireDataPath } from "./dataPath.js";
import { parseArgs } from "./metrics.js";

const { positional, flags } = parseArgs(process.argv.slice(2));
const dir = requireDataPath(DATA_COMMANDS["eval:followups"], positional[0]);

// Loaded after the data check: the language models take most of a second.
const { AnswerService } = await import("../answer/answerService.js");
const { loadWordNet } = await import("../lexicon/wordnet.js");
const { readFollowUps } = await import("./followupsData.js");
const { readerLibrary } = await import("./readersData.js");

type Answer = import("../answer/types.js").Answer;
type ConversationTurn = import("../answer/types.js").ConversationTurn;
type FollowUpTurn = import("./followupsData.js").FollowUpTurn;
type Half = import("./followupsData.js").Half;

/** The citations shown at most, as the bot's first answer shows them. */
const TOP = 5;

/** What happened to one turn. */
interface Outcome {
  readonly half: Half;
  readonly role: "first" | "follow-up" | "subject change";
  /** 1-based rank of the right paragraph asked in the conversation, Infinity when not cited. */
  readonly rank: number;
  readonly refused: boolean;
  /** The same, asked alone. */
  readonly aloneRank: number;
  readonly aloneRefused: boolean;
  /** Read as a change of subject. */
  readonly fresh: boolean;
  readonly stayed: boolean;
}

const articles = await readerLibrary(dir);
const conversations = readFollowUps();
const service = new AnswerService(articles, { thesaurus: loadWordNet() });
const turnCount = conversations.reduce((sum, c) => sum + c.turns.length, 0);
process.stderr.write(
  `followups: ${articles.length} articles; ${conversations.length} conversations, ${turnCount} turns\n`,
);

const rankOf = (answer: Answer, turn: FollowUpTurn) => {
  // As in eval:readers, by text: a few BBC records repeat another's paragraphs word for word.
  const right = answer.citations.findIndex((c) => c.text.includes(turn.expect));
  return right < 0 ? Number.POSITIVE_INFINITY : right + 1;
};

const outcomes: Outcome[] = [];
for (const { turns, half } of conversations) {
  const earlier: ConversationTurn[] = [];
  for (const [i, turn] of turns.entries()) {
    const answer = service.ask(turn.q, { top: TOP, conversation: earlier });
    const alone = i === 0 ? answer : service.ask(turn.q, { top: TOP });
    const rank = rankOf(answer, turn);
    outcomes.push({
      half,
      role: i === 0 ? "first" : turn.changesSubject ? "subject change" : "follow-up",
      rank,
      refused: !answer.answered,
      aloneRank: rankOf(alone, turn),
      aloneRefused: !alone.answered,
      fresh: answer.followUp?.fresh ?? false,
      stayed: answer.followUp?.stayedWith !== undefined,
    });
    if (flags.has("misses") && rank !== 1) {
      const got = answer.citations[0];
      process.stderr.write(
        `miss (${half}, turn ${i + 1}) ${turn.q}\n  searched ${answer.followUp?.searched ?? turn.q}${answer.followUp?.fresh ? " (fresh)" : ""}\n  want ${turn.article} ¶${turn.paragraph}: ${turn.expect}\n  got  ${got ? `${got.articleId} ¶${got.paragraph}: ${got.excerpt.slice(0, 100)}` : "(refused)"}\n`,
      );
    }
    earlier.push({
      question: turn.q,
      searched: answer.followUp?.searched ?? turn.q,
      citations: answer.citations.map((c) => ({ articleId: c.articleId, paragraph: c.paragraph })),
      answered: answer.answered,
    });
  }
}

const count = (xs: readonly Outcome[], keep: (o: Outcome) => boolean) => xs.filter(keep).length;
const share = (hit: number, of: number) =>
  `${hit} / ${of} (${of === 0 ? 0 : Math.round((100 * hit) / of)} %)`;

function row(name: string, xs: readonly Outcome[]): string {
  const n = xs.length;
  return `| ${name} | ${share(
    count(xs, (o) => o.rank === 1),
    n,
  )} | ${count(xs, (o) => o.rank <= TOP)} / ${n} | ${count(xs, (o) => o.refused)} / ${n} | ${share(
    count(xs, (o) => o.aloneRank === 1),
    n,
  )} | ${count(xs, (o) => o.aloneRank <= TOP)} / ${n} | ${count(xs, (o) => o.aloneRefused)} / ${n} |`;
}

const HEADER = [
  "| turns | in the conversation: right paragraph first | in the top 5 | refused | asked alone: right paragraph first | in the top 5 | refused |",
  "| --- | --- | --- | --- | --- | --- | --- |",
];

const sections: [string, (o: Outcome) => boolean][] = [
  ["All conversations", () => true],
  ["Tune half (choices were made on it)", (o) => o.half === "tune"],
  ["Check half (never tuned on)", (o) => o.half === "check"],
];
for (const [title, keep] of sections) {
  const xs = outcomes.filter(keep);
  const follow = xs.filter((o) => o.role === "follow-up");
  const changes = xs.filter((o) => o.role === "subject change");
  const lines = [
    ...HEADER,
    row(
      "first turns",
      xs.filter((o) => o.role === "first"),
    ),
    row("**follow-ups (turn 2+, same subject)**", follow),
    row("subject changes (turn 2+)", changes),
    row("all turns 2+", [...follow, ...changes]),
  ];
  process.stdout.write(
    `\n**${title}**\n\n${lines.join("\n")}\n\nSubject changes read as such: ${count(changes, (o) => o.fresh)} / ${changes.length}; same-subject follow-ups read as a change: ${count(follow, (o) => o.fresh)} / ${follow.length}; stayed with an article cited before: ${count(follow, (o) => o.stayed)} / ${follow.length}.\n`,
  );
}
