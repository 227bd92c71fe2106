/**
 * Names of a few countries and unions that news writes in several ways WordNet does not join:
 * "British" is "of Great Britain" there (GB), never the "UK" or "Britain" articles write; "EU" is
 * europium before it is the European Union. General aliases, not chosen from any question set;
 * WordNet already joins the rest ("Ukrainian" -> "Ukraine", "American" -> "US").
 */
export const COUNTRY_ALIASES: Readonly<Record<string, readonly string[]>> = {
  british: ["UK", "Britain"],
  britain: ["UK", "British"],
  uk: ["Britain", "British"],
  english: ["England"],
  american: ["US", "America"],
  america: ["US", "American"],
  usa: ["America", "American"],
  us: ["America", "American"],
  european: ["EU", "Europe"],
  eu: ["European", "Europe"],
};
