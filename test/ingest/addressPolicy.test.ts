import { describe, expect, it } from "vitest";
import { forbiddenAddressKind } from "../../src/ingest/addressPolicy.js";

describe("forbiddenAddressKind", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["10.0.0.5", "private"],
    ["172.31.255.1", "private"],
    ["192.168.1.1", "private"],
    ["100.100.100.200", "carrier-grade NAT"],
    ["169.254.169.254", "link-local (cloud metadata)"],
    ["0.0.0.0", "unspecified"],
    ["224.0.0.251", "multicast"],
    ["255.255.255.255", "reserved"],
    ["::", "unspecified"],
    ["::1", "loopback"],
    ["fd00:ec2::254", "private (unique local)"],
    ["fe80::1%eth0", "link-local"],
    ["ff02::1", "multicast"],
    ["::ffff:10.0.0.1", "private"],
    ["::ffff:7f00:1", "loopback"],
    ["64:ff9b::a9fe:a9fe", "link-local (cloud metadata)"],
    ["2002:c0a8:0101::1", "private"],
    ["localhost", "not an IP address"],
  ])("refuses %s as %s", (address, kind) => {
    expect(forbiddenAddressKind(address)).toBe(kind);
  });

  it.each([
    "93.184.215.14",
    "8.8.8.8",
    "172.32.0.1",
    "100.128.0.1",
    "2606:4700::6810:84e5",
    "::ffff:8.8.8.8",
    "2002:0808:0808::1",
  ])("accepts the public address %s", (address) => {
    expect(forbiddenAddressKind(address)).toBeUndefined();
  });
});
