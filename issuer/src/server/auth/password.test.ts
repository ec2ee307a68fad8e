import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "./password";

describe("password hashing", () => {
  it("verifies the right password and refuses a wrong one", async () => {
    const stored = await hashPassword("correct horse battery staple");
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword("correct horse battery staple", stored)).toBe(true);
    expect(await verifyPassword("correct horse battery stapler", stored)).toBe(false);
  });

  it("salts: the same password hashes differently", async () => {
    const p = { N: 1024, r: 8, p: 1 };
    expect(await hashPassword("x", p)).not.toBe(await hashPassword("x", p));
  });

  it("refuses malformed or tampered hashes", async () => {
    const stored = await hashPassword("pw", { N: 1024, r: 8, p: 1 });
    expect(await verifyPassword("pw", "plain")).toBe(false);
    expect(await verifyPassword("pw", stored.replace("scrypt", "bcrypt"))).toBe(false);
    const parts = stored.split("$");
    parts[5] = Buffer.alloc(32, 1).toString("base64");
    expect(await verifyPassword("pw", parts.join("$"))).toBe(false);
  });
});
