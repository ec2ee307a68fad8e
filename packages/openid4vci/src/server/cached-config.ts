/** Metadata and the resolved config, built (and validated) once per config object: configs are not mutated. */
import type { IssuerMetadataResult } from "@openid4vc/openid4vci";
import { issuerMetadataResult, resolveIssuerConfig, type IssuerConfig } from "../metadata";
import { createStoredNonces, type NonceService } from "../nonces";
import type { OfferStore } from "../store";
import type { IssuanceDeps } from "./deps";

const metadataOf = new WeakMap<IssuerConfig, IssuerMetadataResult>();
/** The issuer metadata @openid4vc/openid4vci parses requests against. */
export function cachedMetadata(config: IssuerConfig): IssuerMetadataResult {
  let m = metadataOf.get(config);
  if (!m) metadataOf.set(config, (m = issuerMetadataResult(config)));
  return m;
}

const resolvedOf = new WeakMap<IssuerConfig, ReturnType<typeof resolveIssuerConfig>>();
/** The config with its defaults filled in. */
export function cachedConfig(config: IssuerConfig): ReturnType<typeof resolveIssuerConfig> {
  let c = resolvedOf.get(config);
  if (!c) resolvedOf.set(config, (c = resolveIssuerConfig(config)));
  return c;
}

const storedNonces = new WeakMap<OfferStore, NonceService>();
/** The deps' nonce service, or the default stored nonces of their store (one per store and TTL). */
export function nonceServiceOf(deps: Pick<IssuanceDeps, "store" | "nonces" | "nonceTtlSeconds" | "hashSecret">): NonceService {
  if (deps.nonces) return deps.nonces;
  let n = storedNonces.get(deps.store);
  if (!n || n.ttlSeconds !== (deps.nonceTtlSeconds ?? 300)) {
    n = createStoredNonces({ store: deps.store, ...(deps.nonceTtlSeconds ? { ttlSeconds: deps.nonceTtlSeconds } : {}), ...(deps.hashSecret ? { hashSecret: deps.hashSecret } : {}) });
    storedNonces.set(deps.store, n);
  }
  return n;
}
