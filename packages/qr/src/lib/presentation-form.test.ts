import { describe, expect, it } from "vitest";
import { FIELDS_V2 } from "./credential-form";
import { FieldError } from "./fields";
import { splitJws } from "./jws";
import { compactPresentation, expandPresentation, innerCredential } from "./presentation-form";
import { DEMO_SUBJECT, demoSetups, makeKey, signDemoPresentation, signEntitlement } from "./demo";

describe("presentation form: the counter code (issue 12, relay)", () => {
  it("packs a 4-digit nonce as an integer, gives the same text back, and refuses it written as text (one encoding per value)", async () => {
    const holder = await makeKey();
    const s = (await demoSetups(holder, DEMO_SUBJECT))[0]!;
    const vp = splitJws(await signDemoPresentation(await signEntitlement(s.input, s.issuer), holder, { nonce: "0042" }))!;
    const vcJwt = innerCredential(vp.payload)!;
    const fields = compactPresentation(vp.header, vp.payload, holder.did, FIELDS_V2, "vc1");
    expect(fields[5]).toBe(42);
    expect(expandPresentation(fields, vcJwt, holder.did, FIELDS_V2, "vc1")).toEqual({ header: vp.header, payload: vp.payload });
    for (const bad of ["0042", 10_000, -1, 4.2]) {
      const forged = [...fields];
      forged[5] = bad;
      expect(() => expandPresentation(forged, vcJwt, holder.did, FIELDS_V2, "vc1")).toThrow(FieldError);
    }
  });
});
