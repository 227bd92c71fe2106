/**
 * Which IP addresses the fetcher refuses to connect to: every address that is not on the public
 * internet. A member can type any link; without this, `http://169.254.169.254/` would read the
 * cloud machine's credentials and `http://10.0.0.5:8080/admin` would reach the bot's own network
 * (server-side request forgery). Pure: no DNS here, see `safeLookup.ts` for where it is applied.
 *
 * Ranges: IANA's special-purpose registries for IPv4 and IPv6 (RFC 6890 and its updates), the
 * ones that are not globally reachable. IPv4 written inside IPv6 (`::ffff:10.0.0.1`, NAT64
 * `64:ff9b::a00:1`, 6to4 `2002:a00:1::`) is judged as the IPv4 address it carries.
 */
import { BlockList, isIPv4, isIPv6 } from "node:net";

/** A refused range, named for the message. */
interface Range {
  readonly network: string;
  readonly prefix: number;
  readonly kind: string;
}

const IPV4_RANGES: readonly Range[] = [
  { network: "0.0.0.0", prefix: 8, kind: "unspecified" },
  { network: "10.0.0.0", prefix: 8, kind: "private" },
  { network: "100.64.0.0", prefix: 10, kind: "carrier-grade NAT" },
  { network: "127.0.0.0", prefix: 8, kind: "loopback" },
  // 169.254.169.254 is the metadata service of AWS, GCP, Azure and others.
  { network: "169.254.0.0", prefix: 16, kind: "link-local (cloud metadata)" },
  { network: "172.16.0.0", prefix: 12, kind: "private" },
  { network: "192.0.0.0", prefix: 24, kind: "IETF protocol" },
  { network: "192.0.2.0", prefix: 24, kind: "documentation" },
  { network: "192.168.0.0", prefix: 16, kind: "private" },
  { network: "198.18.0.0", prefix: 15, kind: "benchmarking" },
  { network: "198.51.100.0", prefix: 24, kind: "documentation" },
  { network: "203.0.113.0", prefix: 24, kind: "documentation" },
  { network: "224.0.0.0", prefix: 4, kind: "multicast" },
  { network: "240.0.0.0", prefix: 4, kind: "reserved" },
];

const IPV6_RANGES: readonly Range[] = [
  { network: "::", prefix: 128, kind: "unspecified" },
  { network: "::1", prefix: 128, kind: "loopback" },
  { network: "100::", prefix: 64, kind: "discard" },
  { network: "2001:db8::", prefix: 32, kind: "documentation" },
  // fd00:ec2::254 is AWS's IPv6 metadata service.
  { network: "fc00::", prefix: 7, kind: "private (unique local)" },
  { network: "fe80::", prefix: 10, kind: "link-local" },
  { network: "fec0::", prefix: 10, kind: "site-local" },
  { network: "ff00::", prefix: 8, kind: "multicast" },
];

function blockList(ranges: readonly Range[], family: "ipv4" | "ipv6"): BlockList {
  const list = new BlockList();
  for (const range of ranges) list.addSubnet(range.network, range.prefix, family);
  return list;
}

const IPV4_BLOCKED = blockList(IPV4_RANGES, "ipv4");
const IPV6_BLOCKED = blockList(IPV6_RANGES, "ipv6");

/** The 16 bytes of an IPv6 address (any valid spelling, with or without a dotted IPv4 tail). */
function ipv6Bytes(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1] !== undefined) {
    const [a = 0, b = 0, c = 0, d = 0] = dotted[1].split(".").map(Number);
    text = `${text.slice(0, -dotted[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const headGroups = head === "" ? [] : head.split(":");
  const tailGroups = tail === undefined || tail === "" ? [] : tail.split(":");
  const zeros = Array<string>(8 - headGroups.length - tailGroups.length).fill("0");
  const groups = tail === undefined ? headGroups : [...headGroups, ...zeros, ...tailGroups];
  return groups.flatMap((group) => {
    const value = Number.parseInt(group, 16);
    return [value >> 8, value & 0xff];
  });
}

/** The IPv4 address an IPv6 address carries (mapped, NAT64 or 6to4), if it carries one. */
function embeddedIpv4(address: string): string | undefined {
  const bytes = ipv6Bytes(address);
  const isZero = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  const v4 = (at: number) => bytes.slice(at, at + 4).join(".");
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (the deprecated compatible form)
  if (isZero(0, 10) && ((bytes[10] === 0xff && bytes[11] === 0xff) || isZero(10, 12))) {
    return isZero(12, 16) ? undefined : v4(12);
  }
  // 64:ff9b::a.b.c.d (NAT64, RFC 6052)
  if (bytes[0] === 0 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b) {
    return isZero(4, 12) ? v4(12) : undefined;
  }
  // 2002:AABB:CCDD::/48 (6to4, RFC 3056)
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return v4(2);
  return undefined;
}

function rangeOf(address: string, ranges: readonly Range[], family: "ipv4" | "ipv6") {
  return ranges.find((range) => {
    const one = new BlockList();
    one.addSubnet(range.network, range.prefix, family);
    return one.check(address, family);
  });
}

/**
 * Why the fetcher must not connect to `address`, or undefined when it is a public address.
 *
 * @param address - an IPv4 or IPv6 address, as DNS returns it (no brackets, no zone)
 * @returns the kind of address, e.g. `"private"`, `"loopback"`, `"link-local (cloud metadata)"`;
 *   `"not an IP address"` for anything else
 */
export function forbiddenAddressKind(address: string): string | undefined {
  const bare = address.replace(/%.*$/, "");
  if (isIPv4(bare)) {
    return IPV4_BLOCKED.check(bare, "ipv4") ? rangeOf(bare, IPV4_RANGES, "ipv4")?.kind : undefined;
  }
  if (!isIPv6(bare)) return "not an IP address";
  if (IPV6_BLOCKED.check(bare, "ipv6")) return rangeOf(bare, IPV6_RANGES, "ipv6")?.kind;
  const carried = embeddedIpv4(bare);
  return carried === undefined ? undefined : forbiddenAddressKind(carried);
}
