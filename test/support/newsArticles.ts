/**
 * A small news library for the incremental index and library tests: stories that share words
 * (talks, ceasefire, Ukraine / Ukrainian, Monday), define an acronym, and name people, places
 * and durations, so a change to one article moves IDFs, prefix groups and kind frequencies.
 */
import type { Article } from "../../src/corpus/article.js";

export const NEWS: readonly Article[] = [
  {
    id: "ceasefire",
    title: "Kremlin sends message on Ukraine ceasefire",
    published: "2025-03-14",
    paragraphs: [
      "Vladimir Putin sent a message to Donald Trump through envoy Steve Witkoff on Thursday.",
      "The Kremlin said a ceasefire of 30 days in Ukraine needed more talks.",
      "Ukrainian officials said they would wait for the details.",
    ],
  },
  {
    id: "brewer",
    title: "Inbev buys brewery stake",
    published: "2025-02-01",
    paragraphs: [
      "Inbev has agreed to buy the stake of Alfa Eco in Sun Interbrew for 259 million dollars.",
      "The Russian group holds a one-fifth share of the brewer, analysts said on Monday.",
    ],
  },
  {
    id: "athletics",
    title: "Athletics Kenya names marathon squad",
    published: "2025-04-02",
    paragraphs: [
      "Athletics Kenya (AK) named Eliud Kipchoge to lead the marathon squad in London.",
      "AK said the squad would train for six weeks in Iten before the race.",
    ],
  },
  {
    id: "rail",
    title: "Rail strike talks resume",
    paragraphs: [
      "Train drivers walked out on Monday after talks with the rail operator failed.",
      "The union said the strike would last two days unless the talks resumed.",
    ],
  },
  {
    id: "grain",
    title: "Ukrainian grain exports rise",
    published: "2025-01-20",
    paragraphs: [
      "Ukrainian grain exports rose by a fifth in January, the ministry in Kyiv said.",
      "Ships carried the grain through the Black Sea corridor despite the war.",
      "Economies of scale helped the farms, and the economies of the region grew, an economist said.",
    ],
  },
];

/** Questions that touch every story above, and some that touch several. */
export const NEWS_QUESTIONS: readonly string[] = [
  "Who carried Putin's message to Trump?",
  "How long would the ceasefire in Ukraine last?",
  "How much did Inbev pay for the stake?",
  "Who will lead the Kenyan marathon squad?",
  "How long will the rail strike last?",
  "What did the Ukrainian ministry say about grain?",
  "What happened on Monday?",
  "Where will the AK squad train?",
  "talks",
  "What did the economic adviser say about the farms?",
];

/** Stories that come and go in the tests, sharing words with `NEWS`. */
export const EXTRA: readonly Article[] = [
  {
    id: "ukraine-talks",
    title: "Ukrainians cautious on ceasefire talks",
    paragraphs: [
      "Ukrainians in Kyiv said the ceasefire talks on Monday gave them little hope.",
      "Steve Witkoff met officials for three hours, an economist said.",
    ],
  },
  {
    id: "marathon",
    title: "London marathon route changes",
    paragraphs: ["The London marathon will pass the Tower for the first time in April."],
  },
];
