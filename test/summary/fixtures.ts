/** Small articles a reader can check by eye, for the summary tests. */
import type { Article } from "../../src/corpus/article.js";

/**
 * Five paragraphs about a flood. The second paragraph's first sentence names what every other
 * paragraph is about (river, flood, evacuation, homes, bridge): the central sentence. The first
 * sentence is the lede; the bakery sentence is about nothing else in the article.
 */
export const FLOOD: Article = {
  id: "flood",
  title: "River flood closes bridge",
  paragraphs: [
    "Heavy rain fell across the valley on Sunday night.",
    "The river flood forced the evacuation of riverside homes and closed the bridge. Water reached the first floor of some houses.",
    "Officials said the flood had closed the bridge until Wednesday.",
    "Families evacuated from the riverside homes spent the night in the school. A local bakery handed out free bread.",
    "The evacuation ended when the river flood receded on Tuesday, and the bridge reopened.",
  ],
};

/** The central sentence of {@link FLOOD} (paragraph 2). */
export const FLOOD_CENTRAL =
  "The river flood forced the evacuation of riverside homes and closed the bridge.";

/** `n` paragraphs of three sentences each, varied from a few lists so they are not identical. */
export function longArticle(n: number): Article {
  const subjects = ["The council", "Rescue teams", "The minister", "Local farmers", "Police"];
  const verbs = ["inspected", "repaired", "closed", "reopened", "funded", "visited", "mapped"];
  const objects = ["bridge", "harbour", "school", "railway line", "power station", "hospital"];
  const places = ["Leeds", "Cork", "Lyon", "Porto", "Turin", "Gdansk", "Malmo", "Ghent", "Basel"];
  const paragraphs = Array.from(
    { length: n },
    (_, i) =>
      `${subjects[i % 5]} ${verbs[i % 7]} the ${objects[i % 6]} in ${places[i % 9]} on day ${i + 1}. ` +
      `Officials said the ${objects[(i * 5) % 6]} work would take ${(i % 11) + 2} weeks. ` +
      `Residents of ${places[(i + 4) % 9]} welcomed the news on day ${i + 2}.`,
  );
  return { id: `long-${n}`, title: "Repairs across Europe", paragraphs };
}
