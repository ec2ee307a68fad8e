/** Property tests: verification never throws and never accepts a changed token. */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { signPresentation, verifyPresentation } from "./presentation";
import { signCredential } from "./sign";
import { verifyCredential } from "./verify";
import { makeFixture, NOW, sampleInput } from "../test/fixtures";

const f = await makeFixture();
const good = await signCredential(sampleInput(f.issuer.did, f.holder.did), f.issuer);
const vp = await signPresentation(good, f.holder, { now: NOW });
const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** Replaces one character, never the last of a segment (whose low bits base64url ignores). */
function mutate(token: string, position: number, replacement: number): string | undefined {
  const i = position % token.length;
  const c = token[i];
  if (c === "." || token[i + 1] === "." || i === token.length - 1) return undefined;
  const r = B64[replacement % 64] as string;
  return r === c ? undefined : token.slice(0, i) + r + token.slice(i + 1);
}

describe("fuzz", () => {
  it("any text gives a failure result, never an exception", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.array(fc.base64String(), { maxLength: 4 }).map((a) => a.join("."))), async (s) => {
        const r = await verifyCredential(s, f.trust, { now: NOW });
        const p = await verifyPresentation(s, f.trust, { now: NOW });
        expect(r.valid).toBe(false);
        expect(p.valid).toBe(false);
      }),
      { numRuns: 300 },
    );
    // 300 runs of two verifications: about 1 s alone, past vitest's 5 s default on a loaded 2-core CI machine.
  }, 60_000);

  it("a credential or presentation with any one character changed is refused", async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.nat(), fc.boolean(), async (pos, rep, presentation) => {
        const token = mutate(presentation ? vp : good, pos, rep);
        fc.pre(token !== undefined);
        const r = presentation ? await verifyPresentation(token as string, f.trust, { now: NOW }) : await verifyCredential(token as string, f.trust, { now: NOW });
        expect(r.valid).toBe(false);
      }),
      { numRuns: 400 },
    );
  }, 60_000);
});
