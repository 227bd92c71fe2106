import path from "node:path";
import { describe, expect, it } from "vitest";
import { chooseDataDir, dataDirFailure, describeDataDir } from "../../src/cli/program.js";
import { DEFAULT_DATA_DIR } from "../../src/paths.js";

describe("chooseDataDir", () => {
  it("takes --data against the user's folder, DATA_DIR ignored", () => {
    expect(chooseDataDir("news", { cwd: "/home/me", env: { DATA_DIR: "/srv/other" } })).toEqual({
      dir: path.resolve("/home/me", "news"),
      source: "--data",
    });
  });

  it("takes DATA_DIR when there is no --data", () => {
    expect(chooseDataDir(undefined, { cwd: "/home/me", env: { DATA_DIR: "/srv/news" } })).toEqual({
      dir: path.resolve("/srv/news"),
      source: "DATA_DIR",
    });
  });

  it("falls back to the bundled articles", () => {
    expect(chooseDataDir(undefined, { env: {} })).toEqual({
      dir: DEFAULT_DATA_DIR,
      source: "default",
    });
  });
});

describe("describeDataDir and dataDirFailure", () => {
  it("say where the folder came from", () => {
    expect(describeDataDir({ dir: "/srv/news", source: "--data" })).toBe("/srv/news (from --data)");
    expect(describeDataDir({ dir: DEFAULT_DATA_DIR, source: "default" })).toBe(
      `${DEFAULT_DATA_DIR} (the bundled articles; set DATA_DIR or give --data for others)`,
    );
  });

  it("add the origin to a loader failure only when DATA_DIR chose the folder", () => {
    const message = "corpus: articles folder /srv/news does not exist";
    expect(dataDirFailure("ask", message, { dir: "/srv/news", source: "--data" })).toBe(
      `ask: ${message}`,
    );
    expect(dataDirFailure("summary", message, { dir: "/srv/news", source: "DATA_DIR" })).toBe(
      `summary: ${message} (from DATA_DIR, in the environment or .env; --data DIR overrides it)`,
    );
  });
});
