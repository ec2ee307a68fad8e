/**
 * Compact mode for an entitlement VC-JWT: the information of the canonical payload
 * (credentials/canonical.ts) as a flat CBOR array, and back to the exact header and payload text.
 */
import { serializeEntitlementPayload } from "@haki/credentials/canonical";
import { serializeJwsHeader } from "@haki/credentials/sign";
import {
  ENTITLEMENT_CONTEXT_V1,
  ENTITLEMENT_CREDENTIAL_TYPE,
  ENTITLEMENT_SCHEMA_V1,
  EntitlementJwtPayload,
  STATUS_ENTRY_TYPE,
  W3C_CREDENTIALS_V1,
  type Benefit,
} from "@haki/credentials/model";
import {
  NotCompactable,
  decodeAmount,
  decodeCurrency,
  decodeDid,
  decodeId,
  decodeKeyFragment,
  decodeSeconds,
  decodeTime,
  decodeUrl,
  encodeAmount,
  encodeCurrency,
  encodeDid,
  encodeId,
  encodeKeyFragment,
  encodeSeconds,
  encodeTime,
  encodeUrl,
  fail,
  readArray,
  readInt,
  readOptString,
  readString,
  type Cbor,
} from "./fields";
import { parseJson } from "./jws";

/** The JOSE header Haki signs with: EdDSA, JWT, kid = `<did>#<key id>`, in that order. */
export const joseHeader = (kid: string): string => serializeJwsHeader(kid);

const SUSPENSION_FROM_REVOCATION = (url: string): string | undefined => {
  const at = url.lastIndexOf("revocation");
  return at < 0 ? undefined : url.slice(0, at) + "suspension" + url.slice(at + "revocation".length);
};

function splitKid(header: string, did: string): string {
  const h = parseJson(header) as { kid?: unknown } | undefined;
  const kid = h?.kid;
  if (typeof kid !== "string" || !kid.startsWith(`${did}#`)) throw new NotCompactable("kid");
  const fragment = kid.slice(did.length + 1);
  if (header !== joseHeader(kid)) throw new NotCompactable("header");
  return fragment;
}

function encodeBenefit(b: Benefit): Cbor {
  switch (b.type) {
    case "Cash":
      return [0, encodeAmount(b.amount), encodeCurrency(b.currency)];
    case "InKind":
      return [1, b.item, b.quantity, b.unit];
    case "Voucher":
      return [
        2,
        b.description,
        b.amount === undefined ? null : encodeAmount(b.amount),
        b.currency === undefined ? null : encodeCurrency(b.currency),
      ];
  }
}

function decodeBenefit(v: unknown): Benefit {
  const a = readArray(v, "benefit", 3, 4);
  switch (a[0]) {
    case 0:
      if (a.length !== 3) fail("cash");
      return { type: "Cash", amount: decodeAmount(a[1], "amount"), currency: decodeCurrency(a[2], "currency") };
    case 1: {
      if (a.length !== 4) fail("in-kind");
      const quantity = a[2];
      if (typeof quantity !== "number" || !Number.isFinite(quantity)) fail("quantity");
      return { type: "InKind", item: readString(a[1], "item"), quantity, unit: readString(a[3], "unit") };
    }
    case 2: {
      if (a.length !== 4) fail("voucher");
      return {
        type: "Voucher",
        description: readString(a[1], "description"),
        amount: a[2] === null ? undefined : decodeAmount(a[2], "amount"),
        currency: a[3] === null ? undefined : decodeCurrency(a[3], "currency"),
      };
    }
    default:
      return fail("benefit type");
  }
}

/**
 * The compact fields of an entitlement credential, or NotCompactable when its header or payload
 * is not exactly what Haki's canonical form would give for the same information.
 */
export function compactCredential(header: string, payloadText: string, issuers?: readonly string[]): Cbor[] {
  const parsed = EntitlementJwtPayload.safeParse(parseJson(payloadText));
  if (!parsed.success) throw new NotCompactable("payload");
  const p = parsed.data;
  const vc = p.vc;
  const s = vc.credentialSubject;
  const [rev, sus] = vc.credentialStatus;
  if (!rev || !sus || rev.statusPurpose !== "revocation" || sus.statusPurpose !== "suspension") {
    throw new NotCompactable("status");
  }
  const index = Number(rev.statusListIndex);
  const susUrl = sus.statusListCredential;
  return [
    encodeKeyFragment(p.iss, splitKid(header, p.iss)),
    encodeDid(p.iss, "web", issuers),
    p.sub === undefined ? null : encodeDid(p.sub, "jwk"),
    encodeId(p.jti),
    encodeTime(p.nbf),
    encodeSeconds(p.exp - p.nbf),
    p.iat === undefined ? null : encodeSeconds(p.iat - p.nbf),
    s.beneficiary,
    s.name ?? null,
    s.programme.id,
    s.programme.name,
    s.cycle,
    encodeBenefit(s.benefit),
    s.redemption === "single" ? 0 : 1,
    s.area ?? null,
    s.servicePoints ? [...s.servicePoints] : null,
    encodeUrl(rev.statusListCredential, p.iss),
    SUSPENSION_FROM_REVOCATION(rev.statusListCredential) === susUrl ? null : encodeUrl(susUrl, p.iss),
    index,
  ];
}

export const CREDENTIAL_FIELD_COUNT = 19;

/** Header and payload text rebuilt from compact fields (throws FieldError on malformed fields). */
export function expandCredential(
  fields: readonly unknown[],
  issuers?: readonly string[],
): { header: string; payload: string; holder?: string } {
  const f = readArray(fields, "credential", CREDENTIAL_FIELD_COUNT);
  const iss = decodeDid(f[1], "web", "issuer", issuers);
  const kid = `${iss}#${decodeKeyFragment(iss, f[0], "key id")}`;
  const sub = f[2] === null ? undefined : decodeDid(f[2], "jwk", "holder");
  const nbf = decodeTime(f[4], "valid from");
  const exp = nbf + decodeSeconds(f[5], "valid until");
  const iat = f[6] === null ? undefined : nbf + decodeSeconds(f[6], "issued at");
  const revUrl = decodeUrl(f[16], iss, "revocation list");
  const susUrl =
    f[17] === null ? (SUSPENSION_FROM_REVOCATION(revUrl) ?? fail("suspension list")) : decodeUrl(f[17], iss, "suspension list");
  if (f[17] !== null && SUSPENSION_FROM_REVOCATION(revUrl) === susUrl) fail("suspension list: not canonical");
  const index = String(readInt(f[18], "status index", 0, 2 ** 31 - 1));
  const servicePoints =
    f[15] === null ? undefined : readArray(f[15], "service points", 1, 16).map((x) => readString(x, "service point"));
  const name = readOptString(f[8], "name");
  const area = readOptString(f[14], "area");
  const redemption = f[13] === 0 ? "single" : f[13] === 1 ? "partial" : fail("redemption");
  const payload = serializeEntitlementPayload({
    iss,
    sub,
    jti: decodeId(f[3], "credential id"),
    nbf,
    exp,
    iat,
    vc: {
      "@context": [W3C_CREDENTIALS_V1, ENTITLEMENT_CONTEXT_V1],
      type: ["VerifiableCredential", ENTITLEMENT_CREDENTIAL_TYPE],
      credentialSchema: { id: ENTITLEMENT_SCHEMA_V1, type: "JsonSchema" },
      credentialSubject: {
        beneficiary: readString(f[7], "beneficiary"),
        name,
        programme: { id: readString(f[9], "programme id"), name: readString(f[10], "programme name") },
        cycle: readString(f[11], "cycle"),
        benefit: decodeBenefit(f[12]),
        redemption,
        area,
        servicePoints,
      },
      credentialStatus: [
        { id: `${revUrl}#${index}`, type: STATUS_ENTRY_TYPE, statusPurpose: "revocation", statusListIndex: index, statusListCredential: revUrl },
        { id: `${susUrl}#${index}`, type: STATUS_ENTRY_TYPE, statusPurpose: "suspension", statusListIndex: index, statusListCredential: susUrl },
      ],
    },
  });
  return { header: joseHeader(kid), payload, holder: sub };
}
