import { describe, expect, it } from "vitest";
import { editDistance, keyEntities } from "../../src/summary/entities.js";

describe("keyEntities", () => {
  it("finds people, places and organizations, most mentioned first", () => {
    const entities = keyEntities([
      "Prime Minister Keir Starmer met Emmanuel Macron in London on Monday.",
      "Emmanuel Macron later flew from London to Paris, and Macron spoke to the United Nations.",
    ]);
    expect(entities.people).toEqual(["Emmanuel Macron", "Keir Starmer"]);
    expect(entities.places).toEqual(["London", "Paris"]);
    expect(entities.organizations).toEqual(["United Nations"]);
  });

  it("merges spelling variants of one name and counts them together", () => {
    const entities = keyEntities([
      "Ukrainian President Volodymyr Zelenskyy met Donald Trump in Washington on Friday.",
      "Later, Volodymyr Zelensky flew to London to meet Keir Starmer.",
      "Volodymyr Zelensky said the talks had been useful.",
    ]);
    expect(entities.people.filter((name) => /zelensk/i.test(name))).toHaveLength(1);
    expect(entities.people[0]).toBe("Volodymyr Zelensky");
  });

  it("lets a full name absorb its surname, without merging two people of one family", () => {
    const trump = keyEntities(["Donald Trump spoke first. Then Mr. Trump left."]);
    expect(trump.people).toEqual(["Donald Trump"]);
    const clintons = keyEntities(["Bill Clinton spoke first. Hillary Clinton answered."]);
    expect(clintons.people).toEqual(["Bill Clinton", "Hillary Clinton"]);
  });

  it("merges a place with a longer name that starts with it, keeping the longer", () => {
    const entities = keyEntities(["New York City was cold. New York was busy all day."]);
    expect(entities.places).toEqual(["New York City"]);
  });

  it("drops honorifics and possessives from names", () => {
    const entities = keyEntities(["President Vladimir Putin’s envoy met Steve Witkoff."]);
    expect(entities.people).toEqual(["Vladimir Putin", "Steve Witkoff"]);
  });

  it("keeps at most `max` names a kind, and returns empty lists for text without names", () => {
    const entities = keyEntities(["Emmanuel Macron met Keir Starmer and Olaf Scholz."], { max: 2 });
    expect(entities.people).toHaveLength(2);
    expect(keyEntities(["it rained all day and nobody came."])).toEqual({
      people: [],
      places: [],
      organizations: [],
    });
  });
});

describe("editDistance", () => {
  it("counts single-letter edits", () => {
    expect(editDistance("zelensky", "zelenskyy")).toBe(1);
    expect(editDistance("zelenskiy", "zelenskyy")).toBe(1);
    expect(editDistance("putin", "putin")).toBe(0);
    expect(editDistance("kitten", "sitting")).toBe(3);
  });
});
