/**
 * Test fixtures of the wallet's unit tests: a stored entitlement card as the issuer's payload
 * builder makes it (signature bytes are not checked once a card is stored).
 */
import { buildEntitlementPayload } from "@haki/credentials/canonical";
import type { EntitlementSubject } from "@haki/credentials/model";

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");

/**
 * An unsigned-looking VC-JWT of an entitlement for March 2027, and its payload.
 *
 * @example
 * const { jwt, payload } = storedEntitlement({ holder: key.did, subject: { redemption: "partial" } });
 */
export function storedEntitlement(options: { holder?: string; id?: string; subject?: Partial<EntitlementSubject> } = {}) {
  const payload = buildEntitlementPayload({
    ...(options.id ? { id: options.id } : {}),
    issuer: "did:web:issuer.example.org",
    holder: options.holder ?? "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
    subject: {
      beneficiary: "BEN-0001",
      programme: { id: "food-2027", name: "Food support" },
      cycle: "2027-03",
      benefit: { type: "InKind", item: "maize flour", quantity: 25, unit: "kg" },
      redemption: "single",
      ...options.subject,
    },
    validFrom: "2027-03-01T00:00:00Z",
    validUntil: "2027-04-01T00:00:00Z",
    status: { revocationList: "https://issuer.example.org/status/1/revocation", suspensionList: "https://issuer.example.org/status/1/suspension", index: 7 },
  });
  return { payload, jwt: `${b64({ alg: "EdDSA" })}.${b64(payload)}.c2ln` };
}
