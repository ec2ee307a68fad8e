import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMockDciRegistry, type MockDciRegistry } from "@haki/registry/dci-testing";
import { createRegistryFetch, parseAddressAllowList, refusedRange, type ResolveAll } from "./registry-fetch";

const search = (fetch: typeof globalThis.fetch, base: string) =>
  fetch(`${base}/registry/sync/search`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });

const failureOf = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as { code?: string; message?: string });

describe("outbound registry address policy", () => {
  it("outbound registry calls refuse loopback, private, link-local, CGNAT, multicast and metadata addresses (IPv4, IPv6, IPv4-mapped)", () => {
    const none = parseAddressAllowList("");
    expect(
      Object.fromEntries(
        [
          "127.0.0.1",
          "10.1.2.3",
          "172.16.0.1",
          "192.168.1.1",
          "169.254.169.254", // cloud metadata
          "100.100.100.200", // CGNAT (a cloud's metadata too)
          "224.0.0.1",
          "0.0.0.0",
          "255.255.255.255",
          "::1",
          "fe80::1",
          "fd00:ec2::254", // metadata over IPv6
          "ff02::1",
          "::",
          "::ffff:127.0.0.1",
          "::ffff:a9fe:a9fe", // 169.254.169.254 mapped
          "64:ff9b::a00:1", // NAT64 of 10.0.0.1
          "2002:a00:1::", // 6to4 of 10.0.0.1
        ].map((a) => [a, refusedRange(a, none)]),
      ),
    ).toEqual({
      "127.0.0.1": "loopback",
      "10.1.2.3": "private",
      "172.16.0.1": "private",
      "192.168.1.1": "private",
      "169.254.169.254": "linkLocal",
      "100.100.100.200": "carrierGradeNat",
      "224.0.0.1": "multicast",
      "0.0.0.0": "unspecified",
      "255.255.255.255": "broadcast",
      "::1": "loopback",
      "fe80::1": "linkLocal",
      "fd00:ec2::254": "uniqueLocal",
      "ff02::1": "multicast",
      "::": "unspecified",
      "::ffff:127.0.0.1": "loopback",
      "::ffff:a9fe:a9fe": "linkLocal",
      "64:ff9b::a00:1": "rfc6052",
      "2002:a00:1::": "6to4",
    });
    expect(refusedRange("196.201.214.10", none)).toBeNull();
    expect(refusedRange("2001:4860:4860::8888", none)).toBeNull();
    const allow = parseAddressAllowList("127.0.0.1, 10.20.0.0/16 ::1");
    expect(refusedRange("127.0.0.1", allow)).toBeNull();
    expect(refusedRange("::ffff:127.0.0.1", allow)).toBeNull();
    expect(refusedRange("10.20.3.4", allow)).toBeNull();
    expect(refusedRange("10.21.3.4", allow)).toBe("private");
    expect(refusedRange("127.0.0.2", allow)).toBe("loopback");
    expect(() => parseAddressAllowList("not-an-ip")).toThrow();
  });
});

describe("outbound registry fetch", () => {
  let registry: MockDciRegistry;
  let other: MockDciRegistry;
  beforeAll(async () => {
    // Every request opens a new connection, so every request resolves the name again.
    registry = await startMockDciRegistry({ records: [], closeConnections: true });
    other = await startMockDciRegistry({ records: [], host: "127.0.0.2" });
  });
  afterAll(async () => {
    await registry.close();
    await other.close();
  });
  const port = () => new URL(registry.url).port;

  it("refuses a loopback address unless the allow-list names it, before anything is sent", async () => {
    registry.requests.length = 0;
    const refused = await failureOf(search(createRegistryFetch({ allow: [] }), registry.url));
    expect(refused).toMatchObject({ code: "ERR_REGISTRY_ADDRESS_REFUSED" });
    expect(await failureOf(search(createRegistryFetch({ allow: [] }), `http://[::ffff:127.0.0.1]:${port()}`))).toMatchObject({ code: "ERR_REGISTRY_ADDRESS_REFUSED" });
    expect(registry.requests).toHaveLength(0);
    const res = await search(createRegistryFetch({ allow: parseAddressAllowList("127.0.0.1") }), registry.url);
    expect(res.status).toBe(200);
    expect(registry.requests).toHaveLength(1);
  });

  it("refuses a DNS name that resolves to a refused address (any of its answers)", async () => {
    registry.requests.length = 0;
    const resolve: ResolveAll = async () => [
      { address: "127.0.0.1", family: 4 },
      { address: "169.254.169.254", family: 4 },
    ];
    const fetch = createRegistryFetch({ allow: parseAddressAllowList("127.0.0.1"), resolve });
    expect(await failureOf(search(fetch, `http://registry.example.gov:${port()}`))).toMatchObject({ code: "ERR_REGISTRY_ADDRESS_REFUSED", message: expect.stringMatching(/169\.254\.169\.254/) });
    expect(registry.requests).toHaveLength(0);
  });

  it("checks the address actually connected to, so DNS rebinding gains nothing", async () => {
    registry.requests.length = 0;
    // The name answers the allowed registry first, then an address the allow-list does not name.
    let calls = 0;
    const resolve: ResolveAll = async () => [{ address: calls++ === 0 ? "127.0.0.1" : "127.0.0.2", family: 4 }];
    const fetch = createRegistryFetch({ allow: parseAddressAllowList("127.0.0.1"), resolve });
    const first = await search(fetch, `http://registry.example.gov:${port()}`);
    expect(first.status).toBe(200);
    await first.text();
    const otherPort = new URL(other.url).port;
    expect(await failureOf(search(fetch, `http://registry.example.gov:${otherPort}`))).toMatchObject({ code: "ERR_REGISTRY_ADDRESS_REFUSED" });
    expect(registry.requests).toHaveLength(1);
    expect(other.requests).toHaveLength(0);
    expect(calls).toBe(2);
  });

  it("follows no redirect (ERR_REGISTRY_REDIRECT), even to an allowed host", async () => {
    registry.requests.length = 0;
    other.requests.length = 0;
    registry.faults.push({ kind: "redirect", location: `${other.url}/registry/sync/search` });
    const fetch = createRegistryFetch({ allow: parseAddressAllowList("127.0.0.0/8") });
    expect(await failureOf(search(fetch, registry.url))).toMatchObject({ code: "ERR_REGISTRY_REDIRECT" });
    expect(other.requests).toHaveLength(0);
  });
});
