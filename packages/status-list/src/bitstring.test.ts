import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  MIN_STATUS_LIST_LENGTH,
  clearStatus,
  createStatusList,
  getStatus,
  listSetStatuses,
  setStatus,
  statusListFromBytes,
  updateStatuses,
} from "./bitstring";
import { codeOf } from "@haki/testing/code-of";

describe("createStatusList", () => {
  it("defaults to the spec's 131,072 entries (16 KB), all clear", () => {
    const list = createStatusList();
    expect(list.length).toBe(131_072);
    expect(list.bytes.length).toBe(16 * 1024);
    expect(list.bytes.every((b) => b === 0)).toBe(true);
  });

  it("refuses lists below the herd-privacy minimum unless an ecosystem minimum is given", () => {
    expect(codeOf(() => createStatusList(MIN_STATUS_LIST_LENGTH - 8))).toBe("ERR_STATUS_LIST_LENGTH");
    expect(createStatusList(64, { minLength: 64 }).bytes.length).toBe(8);
  });

  it("refuses lengths that are not whole bytes, zero, negative or fractional", () => {
    for (const bad of [131_073, 0, -8, 8.5, Number.NaN]) {
      expect(codeOf(() => createStatusList(bad, { minLength: 0 }))).toBe("ERR_STATUS_LIST_LENGTH");
    }
  });
});

describe("bit order (spec §7.1: index 0 is the left-most bit of the first byte)", () => {
  it("puts index 0 in the top bit of byte 0 and the last index in the bottom bit of the last byte", () => {
    const list = createStatusList();
    expect(setStatus(list, 0).bytes[0]).toBe(0b1000_0000);
    expect(setStatus(list, 7).bytes[0]).toBe(0b0000_0001);
    expect(setStatus(list, 8).bytes[1]).toBe(0b1000_0000);
    expect(setStatus(list, 131_071).bytes[16_383]).toBe(0b0000_0001);
  });

  it("reads back bits from raw bytes in the same order", () => {
    const bytes = new Uint8Array(16_384);
    bytes[1] = 0b0100_0000; // index 9
    const list = statusListFromBytes(bytes);
    expect(getStatus(list, 9)).toBe(true);
    expect(getStatus(list, 8)).toBe(false);
    expect(getStatus(list, 10)).toBe(false);
    bytes[1] = 0; // a copy was taken
    expect(getStatus(list, 9)).toBe(true);
  });
});

describe("setStatus / clearStatus / getStatus", () => {
  it("returns new lists and leaves the input untouched", () => {
    const list = createStatusList();
    const revoked = setStatus(list, 94_567);
    expect(getStatus(revoked, 94_567)).toBe(true);
    expect(getStatus(list, 94_567)).toBe(false);
    const reinstated = clearStatus(revoked, 94_567);
    expect(getStatus(reinstated, 94_567)).toBe(false);
    expect(getStatus(revoked, 94_567)).toBe(true);
  });

  it("refuses indexes outside the list with ERR_STATUS_INDEX_OUT_OF_RANGE", () => {
    const list = createStatusList();
    for (const bad of [-1, 131_072, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(codeOf(() => getStatus(list, bad))).toBe("ERR_STATUS_INDEX_OUT_OF_RANGE");
      expect(codeOf(() => setStatus(list, bad))).toBe("ERR_STATUS_INDEX_OUT_OF_RANGE");
      expect(codeOf(() => clearStatus(list, bad))).toBe("ERR_STATUS_INDEX_OUT_OF_RANGE");
    }
  });

  it("applies a batch all or nothing", () => {
    const list = createStatusList();
    expect(codeOf(() => updateStatuses(list, { set: [1, 2, 999_999] }))).toBe("ERR_STATUS_INDEX_OUT_OF_RANGE");
    expect(listSetStatuses(list)).toEqual([]);
    const next = updateStatuses(list, { set: [4, 99, 7], clear: [99] });
    expect(listSetStatuses(next)).toEqual([4, 7]);
  });

  it("agrees with a plain Set model for any sequence of changes", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 131_071 })), { maxLength: 60 }),
        (ops) => {
          let list = createStatusList();
          const model = new Set<number>();
          for (const [set, index] of ops) {
            list = set ? setStatus(list, index) : clearStatus(list, index);
            if (set) model.add(index);
            else model.delete(index);
          }
          expect(listSetStatuses(list)).toEqual([...model].sort((a, b) => a - b));
          for (const index of model) expect(getStatus(list, index)).toBe(true);
        },
      ),
      { numRuns: 50 },
    );
  });
});
