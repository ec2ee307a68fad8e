// CWT (RFC 8392) as Claim 169 uses it: its tag and claim keys (IANA "CBOR Web Token (CWT) Claims"),
// read by the decoder and written by the encoder.

/** CBOR tag 61: a CWT (here around the COSE_Sign1). */
export const TAG_CWT = 61;

/** The registered claims, by key. */
export const CWT_CLAIM = { iss: 1, sub: 2, aud: 3, exp: 4, nbf: 5, iat: 6, cti: 7 } as const;

/** The claim that holds the identity data (MOSIP Claim 169). */
export const CLAIM_169 = 169;
