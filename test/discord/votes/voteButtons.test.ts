import { ComponentType } from "discord.js";
import { describe, expect, it } from "vitest";
import { LIMITS } from "../../../src/discord/format/limits.js";
import {
  parseReason,
  parseVote,
  REASON_PREFIX,
  reasonRow,
  voteLabel,
  voteRow,
  withTally,
} from "../../../src/discord/votes/voteButtons.js";
import { VOTE_REASONS } from "../../../src/votes/types.js";

describe("vote buttons", () => {
  it("label the emoji and the count, within Discord's label limit whatever the count", () => {
    expect(voteLabel("up", 2)).toBe("👍 2");
    expect(voteLabel("down", 0)).toBe("👎 0");
    expect(voteLabel("up", 12_345)).toBe("👍 12,345");
    for (const odd of [-1, Number.NaN, 1.5, Number.MAX_VALUE]) {
      expect(voteLabel("up", odd)).toBe("👍 0");
    }
    expect(voteLabel("down", Number.MAX_SAFE_INTEGER).length).toBeLessThanOrEqual(
      LIMITS.buttonLabel,
    );
  });

  it("parse only their own custom_ids", () => {
    expect(parseVote("ask:vote:up")).toBe("up");
    expect(parseVote("ask:vote:down")).toBe("down");
    expect(parseVote("ask:vote:sideways")).toBeUndefined();
    expect(parseVote("ask:vote:up:1")).toBeUndefined();
  });

  it("set the counts of the vote row only, leaving the answer's other rows as they are", () => {
    const other = {
      type: ComponentType.ActionRow as const,
      components: [
        {
          type: ComponentType.Button as const,
          style: 2 as const,
          label: "More sources",
          custom_id: "ask:more:abc:3",
        },
      ],
    };
    expect(withTally([other, voteRow({ up: 0, down: 0 })], { up: 3, down: 1 })).toEqual([
      other,
      voteRow({ up: 3, down: 1 }),
    ]);
    expect(withTally([other], { up: 3, down: 1 })).toEqual([other]);
  });
});

describe("the 👎 reasons", () => {
  it("offer every reason, in one row, with custom_ids that fit and parse back", () => {
    const row = reasonRow(Number.MAX_SAFE_INTEGER);
    expect(row.components.length).toBeLessThanOrEqual(5);
    const ids = row.components.map((b) => ("custom_id" in b ? b.custom_id : ""));
    expect(ids.every((id) => id.length <= LIMITS.customId)).toBe(true);
    expect(ids.map(parseReason)).toEqual(
      VOTE_REASONS.map((reason) => ({ askedId: Number.MAX_SAFE_INTEGER, reason })),
    );
  });

  it("refuse a malformed or unknown reason", () => {
    expect(parseReason(`${REASON_PREFIX}:12:outdated`)).toEqual({
      askedId: 12,
      reason: "outdated",
    });
    expect(parseReason(`${REASON_PREFIX}:12:boring`)).toBeUndefined();
    expect(parseReason(`${REASON_PREFIX}:x:outdated`)).toBeUndefined();
    expect(parseReason(`${REASON_PREFIX}:12`)).toBeUndefined();
  });
});
