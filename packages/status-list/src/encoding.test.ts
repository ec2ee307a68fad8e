import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { base64url } from "jose";
import { gzipSync } from "fflate";
import { BitstringStatusList } from "@digitalbazaar/vc-bitstring-status-list";
import { createStatusList, getStatus, listSetStatuses, setStatus, updateStatuses } from "./bitstring";
import { decodeStatusList, encodeStatusList } from "./encoding";
import { codeOf } from "@haki/testing/code-of";

/** W3C Bitstring Status List v1.0 (Recommendation, 2025-05-15), §2.2 Example 3: 131,072 clear entries. */
const SPEC_EXAMPLE_3 = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA";
/**
 * W3C vc-bitstring-status-list-test-suite, fixtures/status-credentials/single-purpose-ok.jsonld:
 * 200,000 entries; the suite's should-be-revoked credential points at index 201. The fixture
 * omits the multibase prefix, so the tests add the "u" the spec requires.
 */
const SUITE_SINGLE_PURPOSE =
  "H4sIACbOo2YC_-3QMREAMAgEsGerLPyrQgFjB-4SCUkWHQAAAAAAAOCwpwAAAADgrFIAAAAAAAAAAAAAAAAA3wxvOeOvqGEAAA";
/** Same suite, short-encoded-list-fail.jsonld: 200 entries, below the minimum. */
const SUITE_SHORT = "H4sIAN7Lo2YC_2NgwAEAjw7P6RkAAAA";
/** digitalbazaar/vc-bitstring-status-list tests: 100,000 entries with index 50,000 set. */
const DB_100K_50K_SET = "H4sIAAAAAAAAA-3OMQ0AAAgDsElHOh72EJJWQRMAAAAAAIDWXAcAAAAAAIDHFvRitn7UMAAA";

const u = (bytes: Uint8Array): string => "u" + base64url.encode(bytes);

describe("round trips against the W3C spec's examples", () => {
  it("decodes Example 3 to 131,072 clear entries and re-encodes to an equal list", () => {
    const list = decodeStatusList(SPEC_EXAMPLE_3);
    expect(list.length).toBe(131_072);
    expect(listSetStatuses(list)).toEqual([]);
    expect(decodeStatusList(encodeStatusList(list)).bytes).toEqual(list.bytes);
  });

  it("reads the test suite's list with entries 201, 57444 and 94023 set, and round-trips it", () => {
    const list = decodeStatusList("u" + SUITE_SINGLE_PURPOSE);
    expect(list.length).toBe(200_000);
    expect(listSetStatuses(list)).toEqual([201, 57_444, 94_023]);
    expect(getStatus(list, 201)).toBe(true);
    expect(getStatus(list, 200)).toBe(false);
    expect(getStatus(list, 202)).toBe(false);
    const again = decodeStatusList(encodeStatusList(list));
    expect(listSetStatuses(again)).toEqual([201, 57_444, 94_023]);
  });

  it("refuses the test suite's short list with ERR_STATUS_LIST_LENGTH (STATUS_LIST_LENGTH_ERROR)", async () => {
    expect(await codeOf(() => decodeStatusList("u" + SUITE_SHORT))).toBe("ERR_STATUS_LIST_LENGTH");
  });

  it("reads a smaller list when an ecosystem minimum allows it", () => {
    expect(decodeStatusList("u" + SUITE_SHORT, { minLength: 200 }).length).toBe(200);
    const list = decodeStatusList("u" + DB_100K_50K_SET, { minLength: 100_000 });
    expect(listSetStatuses(list)).toEqual([50_000]);
  });

  it("refuses a list without the multibase prefix (the spec's encodedList MUST be multibase)", async () => {
    expect(await codeOf(() => decodeStatusList(SUITE_SINGLE_PURPOSE))).toBe("ERR_STATUS_LIST_MALFORMED");
  });

  it("encodes deterministically (no timestamp in the GZIP header)", () => {
    const a = encodeStatusList(setStatus(createStatusList(), 3));
    const b = encodeStatusList(setStatus(createStatusList(), 3));
    expect(a).toBe(b);
    expect(a.startsWith("uH4sIAAAAAAAC")).toBe(true); // 1f 8b 08 00, mtime 0, xfl 2 (level 9)
  });
});

describe("cross-check with @digitalbazaar/vc-bitstring-status-list", () => {
  const indexes = fc.uniqueArray(fc.integer({ min: 0, max: 131_071 }), { maxLength: 40 });

  it("decodes what we encode", async () => {
    await fc.assert(
      fc.asyncProperty(indexes, async (set) => {
        const encoded = encodeStatusList(updateStatuses(createStatusList(), { set }));
        const theirs = await BitstringStatusList.decode({ encodedList: encoded });
        expect(theirs.length).toBe(131_072);
        for (const i of set) expect(theirs.getStatus(i)).toBe(true);
        const probe = (set[0] ?? 0) ^ 1;
        expect(theirs.getStatus(probe)).toBe(set.includes(probe));
      }),
      { numRuns: 15 },
    );
  });

  it("encodes what we decode", async () => {
    await fc.assert(
      fc.asyncProperty(indexes, async (set) => {
        const theirs = new BitstringStatusList({ length: 131_072 });
        for (const i of set) theirs.setStatus(i, true);
        const ours = decodeStatusList(await theirs.encode());
        expect(listSetStatuses(ours)).toEqual([...set].sort((a, b) => a - b));
      }),
      { numRuns: 15 },
    );
  });

  it("agrees on the spec's example", async () => {
    const theirs = await BitstringStatusList.decode({ encodedList: SPEC_EXAMPLE_3 });
    expect(theirs.length).toBe(decodeStatusList(SPEC_EXAMPLE_3).length);
    expect(await new BitstringStatusList({ length: 131_072 }).encode()).toBe(SPEC_EXAMPLE_3);
  });
});

describe("decodeStatusList refuses malformed input with ERR_STATUS_LIST_MALFORMED", () => {
  const good = encodeStatusList(setStatus(createStatusList(), 42));
  const gz = base64url.decode(good.slice(1));

  it.each([
    ["empty", ""],
    ["only the prefix", "u"],
    ["another multibase (base58btc)", "z" + good.slice(1)],
    ["characters outside base64url", "u+/" + good.slice(3)],
    ["padding", good + "=="],
    ["impossible base64 length (4n + 1 characters)", "u" + "A".repeat(41)],
    ["one stray byte after the stream", u(Uint8Array.from([...base64url.decode(good.slice(1)), 0]))],
    ["not GZIP", u(new TextEncoder().encode("hello, this is not a gzip stream at all"))],
    ["truncated", good.slice(0, 30)],
  ])("%s", async (_name, encoded) => {
    expect(await codeOf(() => decodeStatusList(encoded))).toBe("ERR_STATUS_LIST_MALFORMED");
  });

  it("refuses a non-string", async () => {
    expect(await codeOf(() => decodeStatusList(42 as unknown as string))).toBe("ERR_STATUS_LIST_MALFORMED");
  });

  it("refuses a stream whose CRC-32 does not match (a flipped data bit)", async () => {
    const tampered = Uint8Array.from(gz);
    const crcAt = tampered.length - 8;
    tampered[crcAt] = (tampered[crcAt] ?? 0) ^ 0xff;
    expect(await codeOf(() => decodeStatusList(u(tampered)))).toBe("ERR_STATUS_LIST_MALFORMED");
  });

  it("refuses two concatenated GZIP members and trailing garbage", async () => {
    const twice = new Uint8Array(gz.length * 2);
    twice.set(gz);
    twice.set(gz, gz.length);
    expect(await codeOf(() => decodeStatusList(u(twice)))).toBe("ERR_STATUS_LIST_MALFORMED");
    const trailing = new Uint8Array(gz.length + 5);
    trailing.set(gz);
    expect(await codeOf(() => decodeStatusList(u(trailing)))).toBe("ERR_STATUS_LIST_MALFORMED");
  });
});

describe("decodeStatusList refuses decompression bombs with ERR_STATUS_LIST_TOO_LARGE", () => {
  it("refuses a list that expands past the default 2 MiB", async () => {
    const bomb = gzipSync(new Uint8Array(8 * 1024 * 1024), { level: 9, mtime: 0 });
    expect(bomb.length).toBeLessThan(10_000);
    expect(await codeOf(() => decodeStatusList(u(bomb)))).toBe("ERR_STATUS_LIST_TOO_LARGE");
  });

  it("refuses it even when the GZIP trailer lies about the size", async () => {
    const bomb = gzipSync(new Uint8Array(8 * 1024 * 1024), { level: 9, mtime: 0 });
    bomb.set([0x00, 0x40, 0x00, 0x00], bomb.length - 4); // ISIZE = 16 KB
    expect(await codeOf(() => decodeStatusList(u(bomb)))).toBe("ERR_STATUS_LIST_TOO_LARGE");
  });

  it("honours a smaller maxBytes", async () => {
    const encoded = encodeStatusList(createStatusList());
    expect(await codeOf(() => decodeStatusList(encoded, { maxBytes: 16_383 }))).toBe("ERR_STATUS_LIST_TOO_LARGE");
    expect(decodeStatusList(encoded, { maxBytes: 16_384 }).length).toBe(131_072);
  });

  it("refuses an absurdly long string before decoding it", async () => {
    expect(await codeOf(() => decodeStatusList("u" + "A".repeat(40_000), { maxBytes: 16_384 }))).toBe(
      "ERR_STATUS_LIST_TOO_LARGE",
    );
  });
});
