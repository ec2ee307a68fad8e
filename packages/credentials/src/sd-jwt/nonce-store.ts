/** The verifier's memory of nonces, so a presentation cannot be shown twice. */
import { base64urlnopad } from "@scure/base";
import { backend } from "#crypto";

/**
 * Where a verifier remembers the nonces it accepted, so a presentation cannot be shown twice.
 * `useNonce` is atomic: true the first time a nonce is used, false afterwards.
 */
export interface NonceStore {
  useNonce(nonce: string, now: Date): boolean | Promise<boolean>;
}

/**
 * A nonce store in memory (one counter device): `createNonce()` for the challenge to show, and
 * `useNonce` refusing unknown, expired or used nonces.
 *
 * @example
 * const nonces = createMemoryNonceStore({ ttlSeconds: 300 });
 * const nonce = nonces.createNonce();
 */
export function createMemoryNonceStore(options: { ttlSeconds?: number; now?: () => Date } = {}): NonceStore & { createNonce(): string } {
  const ttl = (options.ttlSeconds ?? 300) * 1000;
  const open = new Map<string, number>();
  const clock = options.now ?? (() => new Date());
  return {
    createNonce() {
      const nonce = base64urlnopad.encode(backend.randomBytes(16));
      open.set(nonce, clock().getTime() + ttl);
      return nonce;
    },
    useNonce(nonce, now) {
      const until = open.get(nonce);
      open.delete(nonce);
      return until !== undefined && now.getTime() < until;
    },
  };
}
