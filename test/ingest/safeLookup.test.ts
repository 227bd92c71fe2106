import type { LookupAddress } from "node:dns";
import { describe, expect, it } from "vitest";
import {
  DnsError,
  RefusedAddressError,
  type Resolver,
  safeLookup,
} from "../../src/ingest/safeLookup.js";

const resolver =
  (table: Record<string, { address: string; family: number }[]>): Resolver =>
  async (hostname) =>
    table[hostname] ?? [];

/** Calls a lookup and resolves with what its callback got. */
function call(
  lookup: ReturnType<typeof safeLookup>,
  hostname: string,
  options: { all?: boolean; family?: number },
): Promise<{ error: Error | null; address: string | LookupAddress[]; family?: number }> {
  return new Promise((resolve) => {
    lookup(hostname, options, (error, address, family) => resolve({ error, address, family }));
  });
}

const DUAL = resolver({
  "dual.test": [
    { address: "2606:4700::1", family: 6 },
    { address: "93.184.215.14", family: 4 },
  ],
  "sneaky.test": [
    { address: "93.184.215.14", family: 4 },
    { address: "169.254.169.254", family: 4 },
  ],
});

describe("safeLookup", () => {
  it("answers one address, or all of them, of the family asked", async () => {
    const lookup = safeLookup(false, DUAL);
    expect(await call(lookup, "dual.test", {})).toEqual({
      error: null,
      address: "2606:4700::1",
      family: 6,
    });
    expect(await call(lookup, "dual.test", { family: 4 })).toMatchObject({
      address: "93.184.215.14",
      family: 4,
    });
    expect((await call(lookup, "dual.test", { all: true })).address).toEqual([
      { address: "2606:4700::1", family: 6 },
      { address: "93.184.215.14", family: 4 },
    ]);
  });

  it("refuses a host when any address is internal, unless private addresses are allowed", async () => {
    const refused = await call(safeLookup(false, DUAL), "sneaky.test", { all: true });
    expect(refused.error).toBeInstanceOf(RefusedAddressError);
    expect(refused.error?.message).toBe(
      "resolves to a link-local (cloud metadata) address (169.254.169.254)",
    );
    const allowed = await call(safeLookup(true, DUAL), "sneaky.test", { all: true });
    expect(allowed.error).toBeNull();
  });

  it("reports a host without addresses and a failed resolver as DNS errors", async () => {
    const none = await call(safeLookup(false, DUAL), "empty.test", {});
    expect(none.error).toBeInstanceOf(DnsError);
    expect(none.error?.message).toBe("empty.test has no address");
    const failing: Resolver = async () => {
      throw Object.assign(new Error("boom"), { code: "ESERVFAIL" });
    };
    const failed = await call(safeLookup(false, failing), "x.test", {});
    expect(failed.error?.message).toBe("x.test: DNS failed (ESERVFAIL)");
  });
});
