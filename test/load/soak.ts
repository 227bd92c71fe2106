/**
 * `npm run soak -- [--minutes 5] [--rate 20] [--dist dist]`
 *
 * The built bot (`npm run build` first) in a child process against the fake Discord for
 * `--minutes`, with mixed traffic at about `--rate` events a second (/ask, its "More sources"
 * button, mentions, /summary, /pins list and /pins add by moderators, a stale button) and
 * injected faults: 429s on callbacks and edits (some global), 500s, a hung edit, a hung callback,
 * gateway connections dropped with resumable and non-resumable close codes. Every 10 seconds it
 * prints a line: interactions sent, acknowledged in time, answered, lost, mentions answered, and
 * the bot's memory (RSS, from /proc on Linux). At the end, the totals; exit 1 if any interaction
 * was lost or any mention went unanswered.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "../support/dist.js";
import {
  FakeDiscord,
  type InteractionHandle,
  type MessageBody,
  type SentMessage,
} from "../support/fakeDiscord.js";
import { LOAD_TOKEN, numberArg, startBotProcess, stringArg } from "./botProcess.js";

const argv = process.argv.slice(2);
const minutes = numberArg(argv, "minutes", 5);
const rate = numberArg(argv, "rate", 20);
const distArg = stringArg(argv, "dist");
const dist = distArg ? path.resolve(PROJECT_ROOT, distArg) : undefined;

const QUESTIONS = [
  "How long would the ceasefire last?",
  "What did Putin tell Trump?",
  "Who carried the Kremlin's message?",
  "What does Ukraine want?",
  "What is the price of bread in Paris?",
];
const ARTICLE = "kremlin-putin-message-trump-ceasefire";
const CALLBACK = { method: "POST", path: /\/callback$/ } as const;
const EDIT = { method: "PATCH", pathPrefix: "/webhooks/" } as const;

/** The bot's resident memory in MB, from /proc (Linux); undefined elsewhere. */
function rssMb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb === undefined ? undefined : Math.round(Number(kb) / 1024);
  } catch {
    return undefined;
  }
}

/** The "More sources" button of an answer, if it has one. */
function moreSourcesId(body: MessageBody): string | undefined {
  for (const row of body.components ?? []) {
    if (!("components" in row)) continue;
    for (const component of row.components as { custom_id?: string }[]) {
      if (component.custom_id?.startsWith("ask:more")) return component.custom_id;
    }
  }
  return undefined;
}

const fake = await FakeDiscord.start({ token: LOAD_TOKEN });
const bot = await startBotProcess(fake, dist);
const members = Array.from({ length: 50 }, (_, i) => fake.resolveUser({ username: `member${i}` }));
const moderator = fake.resolveUser({ username: "moderator" });
const handles: InteractionHandle[] = [];
const mentions: { sent: SentMessage; answered: boolean }[] = [];
const faults = new Map<string, number>();
const fault = (name: string, inject: () => void) => {
  inject();
  faults.set(name, (faults.get(name) ?? 0) + 1);
};
let tick = 0;

/** One event of mixed traffic. */
function act(): void {
  tick += 1;
  const user = members[tick % members.length];
  const question = QUESTIONS[tick % QUESTIONS.length] ?? "ceasefire";
  const kind = tick % 20;
  if (kind < 10) {
    const handle = fake.sendSlashCommand({ name: "ask", options: { question }, user });
    handles.push(handle);
    // A reader in three asks for more sources when the answer offers them.
    if (tick % 3 === 0) {
      void handle.final(30_000).then(
        (body) => {
          const customId = moreSourcesId(body);
          const message = handle.message();
          if (customId && message) {
            handles.push(fake.sendButton({ customId, message: message.id, user }));
          }
        },
        () => undefined,
      );
    }
  } else if (kind < 14) {
    const sent = fake.sendMessage({ content: `${fake.botMention} ${question}`, user });
    const entry = { sent, answered: false };
    mentions.push(entry);
    void sent.reply(30_000).then(
      () => {
        entry.answered = true;
      },
      () => undefined,
    );
  } else if (kind < 16) {
    handles.push(fake.sendSlashCommand({ name: "summary", options: { topic: "ceasefire" }, user }));
  } else if (kind < 18) {
    handles.push(
      fake.sendSlashCommand({
        name: "pins",
        subcommand: "list",
        user: moderator,
        role: "moderator",
      }),
    );
  } else if (kind === 18) {
    handles.push(
      fake.sendSlashCommand({
        name: "pins",
        subcommand: "add",
        options: { question: `${question} (${tick})`, article: ARTICLE, paragraph: 1 },
        user: moderator,
        role: "moderator",
      }),
    );
  } else {
    handles.push(fake.sendButton({ customId: "gone:button", user }));
  }
}

/** A fault now and then, in turn. */
function injectFault(n: number): void {
  switch (n % 7) {
    case 0:
      fault("429 on a callback", () => fake.failNext(CALLBACK, 429, { retryAfter: 0.3 }));
      break;
    case 1:
      fault("global 429 on an edit", () =>
        fake.failNext(EDIT, 429, { retryAfter: 0.5, global: true }),
      );
      break;
    case 2:
      fault("500 on an edit", () => fake.failNext(EDIT, 500));
      break;
    case 3:
      fault("hung edit", () => fake.hangNext(EDIT));
      break;
    case 4:
      fault("hung callback", () => fake.hangNext(CALLBACK));
      break;
    case 5:
      if (fake.gatewayLive) {
        fault("gateway closed 4000 (resumable)", () => fake.dropGatewayConnection(4000));
      }
      break;
    default:
      if (fake.gatewayLive) {
        fault("gateway closed 4009 (session timed out)", () => fake.dropGatewayConnection(4009));
      }
      break;
  }
}

const started = Date.now();
const end = started + minutes * 60_000;
const report = () => {
  const t = fake.tally();
  const answeredMentions = mentions.filter((m) => m.answered).length;
  const rss = rssMb(bot.child.pid);
  console.log(
    `${String(Math.round((Date.now() - started) / 1000)).padStart(5)} s  interactions ${t.sent} sent, ${t.acknowledgedInTime} acknowledged in time, ${t.answered} answered, ${t.lost} lost, ${t.thinking} thinking | mentions ${mentions.length} sent, ${answeredMentions} answered | bot RSS ${rss ?? "?"} MB`,
  );
};

const traffic = setInterval(act, 1000 / rate);
let faultCount = 0;
const faulting = setInterval(() => injectFault(faultCount++), 5_000);
const reporting = setInterval(report, 10_000);
await new Promise<void>((resolve) => setTimeout(resolve, end - Date.now()));
clearInterval(traffic);
clearInterval(faulting);
clearInterval(reporting);

// The last events settle: a hung edit waits for the bot's 15-second REST timeout.
const settled = await fake.waitForSettled(60_000).catch(() => fake.tally());
await Promise.all(mentions.map((m) => m.sent.reply(30_000).catch(() => undefined)));
report();
const unanswered = mentions.filter((m) => !m.answered).length;
console.log(`faults: ${[...faults].map(([name, n]) => `${n} ${name}`).join(", ") || "none"}`);
console.log(
  `total: ${settled.sent} interactions, ${settled.acknowledgedInTime} acknowledged in time, ${settled.answered} answered, ${settled.lost} lost, ${settled.thinking} thinking; ${mentions.length} mentions, ${unanswered} unanswered; bot log: ${bot.problems.length} warn/error lines (first ones kept)`,
);
for (const { time: _time, ...problem } of bot.problems.slice(0, 8)) {
  console.log(`  ${JSON.stringify(problem).slice(0, 240)}`);
}
const code = await bot.stop();
await fake.stop();
console.log(`bot exited with ${code}`);
process.exitCode = settled.lost > 0 || unanswered > 0 || settled.thinking > 0 ? 1 : 0;
