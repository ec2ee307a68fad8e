import { isHakiQrError } from "@haki/qr/errors";
import { decodeProof } from "@haki/qr/codec";
import { checkProof, type CheckContext, type Decision } from "@haki/redemption/check";
import { reasonKey, type RejectionCode } from "@haki/redemption/codes";

function red(code: RejectionCode): Decision {
  return {
    outcome: "red",
    code,
    reasonKey: reasonKey(code) as `reason.${RejectionCode}`,
    details: {},
  };
}

/**
 * From the text of a scanned QR code to the answer: decode the Haki proof, then check it. A QR
 * code that is not a Haki proof, or is damaged, gets a red answer, never an exception.
 *
 * @example
 * const decision = await checkScannedText(text, context);
 */
export async function checkScannedText(text: string, context: CheckContext): Promise<Decision> {
  let decoded;
  try {
    decoded = decodeProof(text.trim(), {
      issuers: context.trust?.bundle.issuers.map((i) => i.did) ?? [],
    });
  } catch (e) {
    if (isHakiQrError(e) && e.code === "ERR_QR_UNKNOWN_ISSUER") return red("ERR_ISSUER_UNTRUSTED");
    return red("ERR_PROOF_MALFORMED");
  }
  return checkProof({ kind: decoded.kind, jwt: decoded.jwt }, context);
}
