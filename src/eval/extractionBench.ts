/**
 * `npm run bench:extract [-- --runs 30]`
 *
 * Article extraction (Readability + newsdesk's paragraphs and metadata, `extractArticle`) over
 * two DOMs, linkedom (used) and jsdom (measured against it), on the hand-written pages of
 * `test/fixtures/ingest/` and one long page made from them:
 *
 * - quality: whether each page gives what a reader expects (the article's paragraph count,
 *   first and last paragraph, date; the index and error pages refused) and whether the two DOMs
 *   give the same article;
 * - speed: median milliseconds per page over the runs, after a warm-up, in this process (the
 *   machines are shared and noisy: compare the two columns of one run, not runs).
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { JSDOM } from "jsdom";
import type { DomDocument, HtmlParser } from "../ingest/dom.js";
import { linkedomParser } from "../ingest/dom.js";
import { extractArticle } from "../ingest/extractArticle.js";
import { median } from "./metrics.js";

const { values } = parseArgs({ options: { runs: { type: "string", default: "30" } } });
const RUNS = Math.max(1, Number(values.runs) || 30);

const jsdomParser: HtmlParser = (html, url) =>
  new JSDOM(html, { url }).window.document as DomDocument;

const fixture = (name: string) =>
  readFileSync(new URL(`../../test/fixtures/ingest/${name}`, import.meta.url), "utf8");

/** What a reader expects of a page: an article with these features, or a refusal. */
type Expected =
  | {
      readonly paragraphs: number;
      readonly first: string;
      readonly last: string;
      readonly published: string;
    }
  | { readonly refused: string };

interface Page {
  readonly name: string;
  readonly html: string;
  readonly expected: Expected;
}

const harbour = fixture("harbour-article.html");
const story = /<div class="story-body">([\s\S]*?)<\/div>\s*<\/article>/.exec(harbour)?.[1] ?? "";
// A long article (about 40 screens) in the same page furniture, for how time grows with size.
const long = harbour.replace(story, Array(30).fill(story).join("\n"));

const PAGES: readonly Page[] = [
  {
    name: "harbour-article.html",
    html: harbour,
    expected: {
      paragraphs: 9,
      first: "The Harbour Bridge reopened",
      last: '"People have waited',
      published: "2026-03-14T07:30:00Z",
    },
  },
  {
    name: "council-vote.html",
    html: fixture("council-vote.html"),
    expected: {
      paragraphs: 4,
      first: "The town council voted",
      last: "Councillors who voted against",
      published: "2026-02-03T18:05:00Z",
    },
  },
  {
    // Unclosed <p> and <li>, misnested <b><i>, unquoted attributes: where HTML parsers differ.
    name: "tag-soup.html",
    html: fixture("tag-soup.html"),
    expected: {
      paragraphs: 5,
      first: "The ferry crews returned to work",
      last: "Extra crossings: Friday evening",
      published: "",
    },
  },
  {
    name: "section-index.html",
    html: fixture("section-index.html"),
    expected: { refused: "mostlyLinks" },
  },
  {
    name: "not-found.html",
    html: fixture("not-found.html"),
    expected: { refused: "tooLittleText" },
  },
  {
    name: "long article (harbour x30)",
    html: long,
    expected: {
      paragraphs: 9 * 30,
      first: "The Harbour Bridge reopened",
      last: '"People have waited',
      published: "2026-03-14T07:30:00Z",
    },
  },
];

function extract(page: Page, parser: HtmlParser) {
  return extractArticle({ html: page.html, url: "https://herald.example/story" }, { parser });
}

/** Whether the result is what the page's reader expects, and if not, why. */
function judge(page: Page, parser: HtmlParser): string {
  const result = extract(page, parser);
  const { expected } = page;
  if ("refused" in expected) {
    if (result.ok) return `wrong: an article of ${result.value.paragraphs.length} paragraphs`;
    return result.error.code === expected.refused ? "ok" : `wrong: refused as ${result.error.code}`;
  }
  if (!result.ok) return `wrong: ${result.error.reason}`;
  const { paragraphs, published } = result.value;
  const problems = [
    paragraphs.length === expected.paragraphs
      ? ""
      : `${paragraphs.length} paragraphs, not ${expected.paragraphs}`,
    paragraphs[0]?.startsWith(expected.first) ? "" : "first paragraph",
    paragraphs.at(-1)?.startsWith(expected.last) ? "" : "last paragraph",
    (published ?? "") === expected.published ? "" : `date ${published}`,
  ].filter((p) => p !== "");
  return problems.length === 0 ? "ok" : `wrong: ${problems.join(", ")}`;
}

function msPerPage(page: Page, parser: HtmlParser): number {
  for (let i = 0; i < 3; i++) extract(page, parser);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    extract(page, parser);
    times.push(performance.now() - start);
  }
  return median(times);
}

const same = (page: Page) =>
  JSON.stringify(extract(page, linkedomParser)) === JSON.stringify(extract(page, jsdomParser));

const rows = PAGES.map((page) => ({
  page: page.name,
  kb: Math.round(page.html.length / 1024),
  linkedom: judge(page, linkedomParser),
  jsdom: judge(page, jsdomParser),
  same: same(page) ? "yes" : "NO",
  linkedomMs: msPerPage(page, linkedomParser).toFixed(2),
  jsdomMs: msPerPage(page, jsdomParser).toFixed(2),
}));

console.log(
  `extractArticle per page, median of ${RUNS} runs (ms), and whether each DOM gives the expected article\n`,
);
console.table(rows);
const total = (key: "linkedomMs" | "jsdomMs") => rows.reduce((sum, r) => sum + Number(r[key]), 0);
console.log(
  `\nall pages: linkedom ${total("linkedomMs").toFixed(1)} ms, jsdom ${total("jsdomMs").toFixed(1)} ms (${(total("jsdomMs") / total("linkedomMs")).toFixed(1)}x)`,
);
