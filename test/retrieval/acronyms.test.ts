import { describe, expect, it } from "vitest";
import { findAcronyms, withAliases } from "../../src/retrieval/acronyms.js";
import { buildIndex } from "../../src/retrieval/paragraphIndex.js";
import { searchParagraphs } from "../../src/retrieval/search.js";
import { terms } from "../../src/retrieval/textPipeline.js";

describe("findAcronyms", () => {
  it("finds a short form whose capitals are the initials of the words before it", () => {
    expect(findAcronyms("Shares rose on the Karachi Stock Exchange (KSE) on Monday.")).toEqual([
      { acronym: "kse", expansion: terms("Karachi Stock Exchange") },
    ]);
  });

  it("skips small words and reads mixed-case short forms by their capitals", () => {
    const found = findAcronyms(
      "The Confederation of British Industry (CBI) and the Ministry of Defence (MoD) agreed.",
    );
    expect(found.map((d) => d.acronym)).toEqual(["cbi", "mod"]);
    expect(found[1]?.expansion).toEqual(terms("Ministry of Defence"));
  });

  it("ignores parentheses that define nothing", () => {
    expect(findAcronyms("He scored twice (PA) and the fans (UK) cheered.")).toEqual([]);
    expect(findAcronyms("Mars (53) and Venus (Roman) shone.")).toEqual([]);
  });
});

describe("withAliases", () => {
  const kse = { acronym: "kse", expansion: ["karachi", "stock", "exchang"] };

  it("follows the short form by the long one and the long form by the short one", () => {
    expect(withAliases(["kse", "rose"], [kse])).toEqual([
      "kse",
      "karachi",
      "stock",
      "exchang",
      "rose",
    ]);
    expect(withAliases(["karachi", "stock", "exchang", "fell"], [kse])).toEqual([
      "karachi",
      "stock",
      "exchang",
      "kse",
      "fell",
    ]);
  });

  it("leaves a part of the long form alone", () => {
    expect(withAliases(["stock", "exchang"], [kse])).toEqual(["stock", "exchang"]);
  });
});

describe("acronyms in the index", () => {
  const articles = [
    {
      id: "a",
      title: "Athletics",
      paragraphs: [
        "Athletics Kenya (AK) had suspended the runner.",
        "AK chief Isaiah Kiplagat said the ban was withdrawn.",
      ],
    },
    { id: "b", title: "Other", paragraphs: ["Kenya won a medal in the chief event."] },
  ];
  // Without article evidence, which would let the paragraph inherit "Athletics Kenya" from its
  // lede anyway: this test is about the index alone.
  const alone = { inheritLede: 0, inheritTitle: 0, inheritArticle: 0, articleWeight: 0 };
  const top = (acronyms: boolean) => {
    const index = buildIndex(articles, { acronyms });
    const question = "What did the chief of Athletics Kenya say?";
    const hit = searchParagraphs(index, question, { params: alone }).hits[0];
    return hit ? index.paragraphOf(hit.doc) : undefined;
  };

  it("lets the long form find a paragraph that writes the short one", () => {
    expect(top(true)).toEqual({ article: 0, paragraph: 1 });
    expect(top(false)).not.toEqual({ article: 0, paragraph: 1 });
  });
});
