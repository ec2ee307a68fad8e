import { describe, expect, it } from "vitest";
import { inKeyOrder } from "./key-order";

describe("inKeyOrder", () => {
  it("lists the members in the given order, drops the rest, and JSON leaves a missing one out", () => {
    const value: { b: number; a: number; c: number; d?: string } = { c: 3, b: 1, a: 2 };
    expect(JSON.stringify(inKeyOrder(value, ["a", "d", "b"]))).toBe('{"a":2,"b":1}');
    expect(Object.keys(inKeyOrder(value, ["b", "a"]))).toEqual(["b", "a"]);
  });
});
