/**
 * Reading a follow-up question in the light of the conversation before it, the way a reader
 * means it: "When would it start?" after "How long would the ceasefire last?" asks when the
 * ceasefire would start. Pure: the answer service searches what this returns.
 *
 * The reading, in the order it is decided:
 * - **and**: "And Russia?", "What about Biogen?": a leading "and"/"what about" with names or
 *   nouns but no verb of its own swaps the subject of the turn before and keeps its predicate, so
 *   the earlier searched words other than its names are carried, after its question form
 *   ("What does").
 * - **refers**: a pronoun or demonstrative ("it", "he", "their", "that deal") stands for what the
 *   conversation named, and **elliptical**: no noun at all ("How much did it cost?", "Why?"):
 *   the earlier turn's names and nouns are carried.
 * - **continues**: a question with nouns of its own, one of them already in the conversation's
 *   questions or in the articles its answers cited ("Which drugs were the patients taking?" after
 *   a question on a drug article that tells of its patients): it is searched as asked.
 * - **fresh**: nouns of its own, none in the conversation or a name new to it, nothing pointing
 *   back: a new subject, searched as asked and without preferring the articles cited so far.
 *
 * Carried words are appended to the asker's words, not mixed in: the question's own words decide
 * the asked-for answer kind (src/retrieval/question.ts reads the first question word), and each
 * carried word counts as one more query term. Only the last turn's searched text is read: it
 * already holds what that turn carried, so a subject named three turns back is still there, and a
 * fresh turn starts the chain anew.
 */
import type { ConversationTurn } from "../answer/types.js";
import { MAX_QUESTION_CHARS } from "../constants.js";
import { terms } from "../retrieval/textPipeline.js";
import { type QuestionWord, questionWords } from "./questionWords.js";

/** How a question was read against the conversation (see the module comment). */
export type FollowUpKind = "alone" | "and" | "refers" | "elliptical" | "continues" | "fresh";

/** What to search for a question asked in a conversation, and where to look first. */
export interface FollowUpPlan {
  /** The text to search: the asker's words, then the carried ones. */
  readonly searched: string;
  /** The question changed subject: search it alone, prefer no earlier article. */
  readonly fresh: boolean;
  readonly kind: FollowUpKind;
  /** The earlier words appended to the asker's, as written. */
  readonly carried: readonly string[];
  /**
   * The articles earlier answers cited first, the latest turn's first: searched before the
   * library when the question is not fresh. Empty when fresh.
   */
  readonly prefer: readonly string[];
}

/** Words carried at most: the subject of a question is a few names and nouns, not a paragraph. */
export const MAX_CARRIED = 6;
/** Earlier turns read at most (the latest ones): older subjects have been replaced. */
export const MAX_TURNS_READ = 4;
/** Articles preferred at most. */
export const MAX_PREFERRED = 2;

const LEADING = /^\s*(?:and|but|also|so|what about|how about|what of)\b/i;

/**
 * Reads a question against the turns before it.
 * @param question - the asker's text
 * @param conversation - the earlier turns, oldest first; empty: the question stands alone
 * @param cited - the text of the articles in {@link preferredArticles} (titles and paragraphs),
 *   when the caller has them: a noun they use keeps the question on the conversation's subject
 */
export function readFollowUp(
  question: string,
  conversation: readonly ConversationTurn[],
  cited: readonly string[] = [],
): FollowUpPlan {
  const turns = conversation.slice(-MAX_TURNS_READ);
  const last = turns.at(-1);
  if (!last) return { searched: question, fresh: false, kind: "alone", carried: [], prefer: [] };
  const words = questionWords(question);
  const own = new Set(words.flatMap((w) => (w.term === null ? [] : [w.term])));
  const nouns = words.filter((w) => w.noun);
  const earlier = questionWords(searchedOf(last));
  const prefer = preferredArticles(turns);

  if (LEADING.test(question) && nouns.length > 0 && !words.some((w) => w.verb)) {
    const form = leadingForm(earlier);
    const inForm = new Set(questionWords(form).flatMap((w) => (w.term === null ? [] : [w.term])));
    const carried = distinct(
      earlier.filter((w) => !w.name && (w.noun || w.verb) && !inForm.has(w.term ?? "")),
      own,
    );
    const asked = question
      .replace(LEADING, "")
      .replace(/[?!.\s]+$/u, "")
      .trim();
    return plan([form, asked].filter((s) => s !== "").join(" "), "and", carried, prefer);
  }
  // A leading "and" with a verb of its own ("And what did Russia say?") asks about the same thing.
  const kind =
    words.some((w) => w.pointer) || LEADING.test(question)
      ? "refers"
      : nouns.length === 0
        ? "elliptical"
        : undefined;
  if (kind) {
    return plan(
      question,
      kind,
      distinct(
        earlier.filter((w) => w.noun),
        own,
      ),
      prefer,
    );
  }
  // Any word of the earlier questions counts ("ban" after "banned"), only nouns of this one.
  const said = new Set([...turns.flatMap((t) => terms(searchedOf(t))), ...cited.flatMap(terms)]);
  // A name neither said nor cited is a new subject, whatever common nouns come with it ("Who
  // will host the Billboard awards?" after a talk about a show whose hosts were named).
  const known = (w: QuestionWord) => w.term !== null && said.has(w.term);
  if (nouns.some(known) && !nouns.some((w) => w.name && !known(w))) {
    return plan(question, "continues", [], prefer);
  }
  return { searched: question, fresh: true, kind: "fresh", carried: [], prefer: [] };
}

/**
 * A turn's searched text as far as a question is read (`MAX_QUESTION_CHARS`): the surface stores
 * it, and a longer one would only cost time.
 */
function searchedOf(turn: ConversationTurn): string {
  return turn.searched.slice(0, MAX_QUESTION_CHARS);
}

function plan(
  asked: string,
  kind: FollowUpKind,
  carried: readonly string[],
  prefer: readonly string[],
): FollowUpPlan {
  const searched = carried.length === 0 ? asked : `${asked} ${carried.join(" ")}`;
  return { searched, fresh: false, kind, carried, prefer };
}

/** The words' texts, each term once and none the question has, `MAX_CARRIED` at most. */
function distinct(words: readonly QuestionWord[], own: ReadonlySet<string>): string[] {
  const seen = new Set(own);
  const out: string[] = [];
  for (const w of words) {
    if (w.term === null || seen.has(w.term)) continue;
    seen.add(w.term);
    out.push(w.text);
    if (out.length >= MAX_CARRIED) break;
  }
  return out;
}

/**
 * The question form an earlier question opens with, up to its first noun ("How much did",
 * "How long would"), without a closing article: the new subject takes the old one's place.
 */
function leadingForm(words: readonly QuestionWord[]): string {
  const form: string[] = [];
  for (const w of words) {
    if (w.noun || w.pointer) break;
    form.push(w.text);
  }
  while (form.length > 0 && /^(?:the|a|an)$/i.test(form.at(-1) ?? "")) form.pop();
  return form.join(" ");
}

/**
 * The articles a follow-up prefers: the first-cited article of each of the latest turns, the
 * latest turn's first, each once, `MAX_PREFERRED` at most.
 * @param conversation - the earlier turns, oldest first
 */
export function preferredArticles(conversation: readonly ConversationTurn[]): string[] {
  const out: string[] = [];
  for (const turn of conversation.slice(-MAX_TURNS_READ).reverse()) {
    const first = turn.citations[0];
    if (!first || out.includes(first.articleId)) continue;
    out.push(first.articleId);
    if (out.length >= MAX_PREFERRED) break;
  }
  return out;
}
