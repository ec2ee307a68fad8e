/**
 * The published Claim 169 reference vectors (test-vectors/reference-vectors.json, each naming its
 * source repository, path and commit) for other packages' and apps' tests: a vector by name, the
 * identity issuer its published key makes, and a re-signing of an unsigned vector by a test key.
 * Node only (reads the file); never bundled.
 *
 * @example
 * const v = vector("ed25519-signed");
 * await verifyClaim169(v.qr_data, identityTrustListOf(issuerOf(v)));
 */
export { issuerOf, referenceVectors, resign, vector, type ReferenceVector } from "./lib/reference-vectors";
