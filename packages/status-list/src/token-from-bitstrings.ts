/**
 * A Token Status List lookup for a verifier that holds the Bitstring lists: Haki's Status List
 * Token is published from the same two lists (`tokenStatusListFromBitstrings`: revoked wins, then
 * suspended), signed by the same key at the same time. So a device that already keeps the signed
 * revocation and suspension lists of a programme answers an SD-JWT VC's `status.status_list`
 * reference offline from them, with the same freshness rules, and fetches nothing more.
 */
import type { StatusLookup } from "./lookup";
import { TOKEN_STATUS, TokenStatusReference } from "./token";

/**
 * The Bitstring list URL of `purpose` paired with a Status List Token URL: the same URL with its
 * `token` path segment named after the purpose (`/status/7/token` -> `/status/7/revocation`, as
 * the issuer publishes them). Undefined when the URL has no `token` segment.
 *
 * @example
 * bitstringUrlForToken("https://pay.example/status/7/token", "suspension"); // "https://pay.example/status/7/suspension"
 */
export function bitstringUrlForToken(tokenUri: string, purpose: "revocation" | "suspension"): string | undefined {
  let url: URL;
  try {
    url = new URL(tokenUri);
  } catch {
    return undefined;
  }
  const segments = url.pathname.split("/");
  const at = segments.lastIndexOf("token");
  if (at < 0) return undefined;
  segments[at] = purpose;
  url.pathname = segments.join("/");
  return url.href;
}

/**
 * `(status.status_list) => 0 valid | 1 revoked | 2 suspended | undefined`, read from the held
 * Bitstring lists through `bitstrings` (e.g. `createStatusLookup(lists)`): undefined when either
 * list of the pair is not held fresh. What `verifySdJwtVc`'s `status` option takes.
 *
 * @example
 * const status = createTokenStatusLookupFromBitstrings(createStatusLookup(heldLists));
 * await verifySdJwtVc(shown, trust, { status, requireStatus: true, nonce, audience });
 */
export function createTokenStatusLookupFromBitstrings(bitstrings: StatusLookup): (reference: TokenStatusReference) => number | undefined {
  return (reference) => {
    const { idx, uri } = TokenStatusReference.parse(reference).status_list;
    const bit = (purpose: "revocation" | "suspension") => {
      const list = bitstringUrlForToken(uri, purpose);
      if (!list) return undefined;
      return bitstrings({ id: `${list}#${idx}`, type: "BitstringStatusListEntry", statusPurpose: purpose, statusListIndex: String(idx), statusListCredential: list });
    };
    const revoked = bit("revocation");
    if (revoked === true) return TOKEN_STATUS.invalid;
    const suspended = bit("suspension");
    if (revoked === undefined || suspended === undefined) return undefined;
    return suspended ? TOKEN_STATUS.suspended : TOKEN_STATUS.valid;
  };
}
