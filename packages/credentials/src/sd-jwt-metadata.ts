/**
 * The documents an SD-JWT VC issuer publishes (the issuer app serves them in phase 2):
 * - the type metadata of `ENTITLEMENT_VCT` (draft-ietf-oauth-sd-jwt-vc "Type Metadata"): names in
 *   the four languages, and each claim's labels and whether it may be left out (`sd`); the same
 *   document is `vct/entitlement-v1.json` in this package;
 * - the JWT VC Issuer Metadata at `/.well-known/jwt-vc-issuer` (its key discovery): the issuer
 *   URL and its public keys as a JWK Set, `kid` as in the SD-JWT header.
 */
import type { Ed25519PublicJwk } from "./lib/jwk";
import { ENTITLEMENT_VCT, SELECTIVELY_DISCLOSABLE } from "./sd-jwt";

type Locale = "en" | "fr" | "ar" | "sw";
const LOCALES: readonly Locale[] = ["en", "fr", "ar", "sw"];

const TYPE_NAME: Record<Locale, { name: string; description: string }> = {
  en: { name: "Entitlement", description: "What one person may receive from a social protection programme in one round, where and until when." },
  fr: { name: "Droit", description: "Ce qu'une personne peut recevoir d'un programme de protection sociale pour un cycle, où et jusqu'à quand." },
  ar: { name: "استحقاق", description: "ما يحق للشخص استلامه من برنامج الحماية الاجتماعية في دورة واحدة، وأين وحتى متى." },
  sw: { name: "Stahiki", description: "Anachoweza kupokea mtu kutoka mpango wa hifadhi ya jamii katika mzunguko mmoja, wapi na hadi lini." },
};

const CLAIM_LABELS: Record<string, Record<Locale, string>> = {
  beneficiary: { en: "Reference", fr: "Référence", ar: "المرجع", sw: "Kumbukumbu" },
  name: { en: "Name", fr: "Nom", ar: "الاسم", sw: "Jina" },
  programme: { en: "Programme", fr: "Programme", ar: "البرنامج", sw: "Mpango" },
  cycle: { en: "Round", fr: "Cycle", ar: "الدورة", sw: "Mzunguko" },
  benefit: { en: "Benefit", fr: "Prestation", ar: "المستحق", sw: "Manufaa" },
  redemption: { en: "Hand-over", fr: "Remise", ar: "التسليم", sw: "Makabidhiano" },
  area: { en: "Area", fr: "Zone", ar: "المنطقة", sw: "Eneo" },
  servicePoints: { en: "Service points", fr: "Points de service", ar: "نقاط الخدمة", sw: "Vituo vya huduma" },
};

export interface TypeMetadata {
  vct: string;
  name: string;
  description: string;
  display: { locale: string; name: string; description: string }[];
  claims: { path: string[]; display: { locale: string; label: string }[]; sd: "allowed" | "never" }[];
}

/**
 * The type metadata document of the entitlement SD-JWT VC.
 *
 * @example
 * const doc = buildEntitlementTypeMetadata(); // serve at the vct URL (the issuer's /vct/entitlement/v1)
 */
export function buildEntitlementTypeMetadata(vct: string = ENTITLEMENT_VCT): TypeMetadata {
  return {
    vct,
    name: TYPE_NAME.en.name,
    description: TYPE_NAME.en.description,
    display: LOCALES.map((locale) => ({ locale, ...TYPE_NAME[locale] })),
    claims: Object.entries(CLAIM_LABELS).map(([claim, labels]) => ({
      path: [claim],
      display: LOCALES.map((locale) => ({ locale, label: labels[locale] })),
      sd: (SELECTIVELY_DISCLOSABLE as readonly string[]).includes(claim) ? "allowed" : "never",
    })),
  };
}

export interface JwtVcIssuerMetadata {
  issuer: string;
  jwks: { keys: (Ed25519PublicJwk & { kid: string; alg: "EdDSA"; use: "sig" })[] };
}

/**
 * The JWT VC Issuer Metadata document: `issuer` equals the SD-JWT VCs' `iss`, and `jwks` lists
 * the keys a verifier looks up by the SD-JWT's `kid`.
 *
 * @example
 * const doc = buildJwtVcIssuerMetadata({ issuer: "https://issuer.example",
 *   keys: [{ kid: "did:web:issuer.example#key-1", publicKeyJwk }] });
 */
export function buildJwtVcIssuerMetadata(input: { issuer: string; keys: readonly { kid: string; publicKeyJwk: Ed25519PublicJwk }[] }): JwtVcIssuerMetadata {
  return {
    issuer: input.issuer,
    jwks: { keys: input.keys.map((k) => ({ kty: k.publicKeyJwk.kty, crv: k.publicKeyJwk.crv, x: k.publicKeyJwk.x, kid: k.kid, alg: "EdDSA" as const, use: "sig" as const })) },
  };
}

/**
 * Where a verifier fetches an issuer's JWT VC Issuer Metadata: the well-known path inserted between
 * the host and the issuer URL's path (https://issuer.example/tenant -> https://issuer.example/.well-known/jwt-vc-issuer/tenant).
 *
 * @example
 * jwtVcIssuerMetadataUrl("https://issuer.example"); // "https://issuer.example/.well-known/jwt-vc-issuer"
 */
export function jwtVcIssuerMetadataUrl(issuer: string): string {
  const u = new URL(issuer);
  const path = u.pathname.replace(/\/+$/, "");
  return `${u.origin}/.well-known/jwt-vc-issuer${path}`;
}
