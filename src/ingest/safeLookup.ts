/**
 * The DNS lookup the fetcher connects through. It resolves every address of a host, refuses the
 * host when any of them is internal (see `addressPolicy.ts`), and hands the socket exactly the
 * addresses it checked: the check and the connection use one answer, so a host whose DNS
 * changes between the two (DNS rebinding) cannot slip an internal address past the check.
 */
import dns from "node:dns";
import type { LookupFunction } from "node:net";
import { forbiddenAddressKind } from "./addressPolicy.js";

/** One resolved address. */
export interface ResolvedAddress {
  readonly address: string;
  /** 4 or 6. */
  readonly family: number;
}

/** Resolves a host name to all its addresses (default: `dns.lookup` with `all: true`). */
export type Resolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

/** The system resolver (the hosts file, then DNS), as browsers and `curl` use it. */
export const systemResolver: Resolver = (hostname) =>
  dns.promises.lookup(hostname, { all: true, verbatim: true });

/** A host that resolves to an address the fetcher must not reach. */
export class RefusedAddressError extends Error {
  override readonly name = "RefusedAddressError";

  constructor(
    readonly address: string,
    /** The kind of address, from {@link forbiddenAddressKind}. */
    readonly kind: string,
  ) {
    super(`resolves to a ${kind} address (${address})`);
  }
}

/** Says why an address must not be reached, or undefined when it may (see `addressPolicy.ts`). */
export type AddressPolicy = (address: string) => string | undefined;

/** The host has no address, or DNS failed. */
export class DnsError extends Error {
  override readonly name = "DnsError";
}

/**
 * Checks addresses: the first refused one as an error, else undefined.
 *
 * @param addresses - the addresses a host resolved to, or an IP literal as one address
 * @param policy - the rule (default: {@link forbiddenAddressKind})
 */
export function refusedAddress(
  addresses: readonly ResolvedAddress[],
  policy: AddressPolicy = forbiddenAddressKind,
): RefusedAddressError | undefined {
  for (const { address } of addresses) {
    const kind = policy(address);
    if (kind !== undefined) return new RefusedAddressError(address, kind);
  }
  return undefined;
}

/**
 * A `lookup` for `http.request` / `net.connect` that resolves with `resolve`, refuses internal
 * addresses unless `allowPrivate`, and answers in both of Node's shapes (one address, or all of
 * them when the socket tries each in turn, `autoSelectFamily`).
 *
 * @param allowPrivate - skip the address check (ALLOW_PRIVATE_FETCH)
 * @param resolve - the resolver, injectable for tests
 * @param policy - the address rule, injectable for tests
 */
export function safeLookup(
  allowPrivate: boolean,
  resolve: Resolver,
  policy: AddressPolicy = forbiddenAddressKind,
): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (resolved) => {
        const family = options.family === 4 || options.family === 6 ? options.family : undefined;
        const addresses = resolved.filter((a) => family === undefined || a.family === family);
        const first = addresses[0];
        if (first === undefined) {
          callback(new DnsError(`${hostname} has no address`), "", 0);
          return;
        }
        const refused = allowPrivate ? undefined : refusedAddress(resolved, policy);
        if (refused !== undefined) {
          callback(refused, "", 0);
          return;
        }
        if (options.all === true)
          callback(
            null,
            addresses.map((a) => ({ ...a })),
          );
        else callback(null, first.address, first.family);
      },
      (error: unknown) => {
        const code = (error as NodeJS.ErrnoException).code;
        const why = code === "ENOTFOUND" ? "no such host" : `DNS failed (${code ?? String(error)})`;
        callback(new DnsError(`${hostname}: ${why}`), "", 0);
      },
    );
  };
}
