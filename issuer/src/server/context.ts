/**
 * What every server function needs: configuration, the database, the key store and a clock.
 * One per process (kept on globalThis so Next's dev reloads do not open a new pool each time);
 * tests install their own with `setServerContext`.
 */
import { createDb, type Db } from "@haki/db";
import { getEnv, issuerDid, type Env } from "@/env";
import type { KeyStore } from "./keys/key-store";
import { createLocalKeyStore } from "./keys/local-key-store";
import { auditKeyOf } from "./audit/key-audit-chain";
import { createRegistryFetch, parseAddressAllowList } from "./registry/registry-fetch";

export interface ServerContext {
  env: Env;
  db: Db;
  keys: KeyStore;
  /** The issuer's DID (did:web). */
  did: string;
  now: () => Date;
  /** The audit chain's HMAC key (HAKI_AUDIT_KEY, never stored in the database). */
  auditKey: Buffer;
  /** Outgoing HTTP (the OIDC provider); tests put a fake provider here. */
  fetch: typeof fetch;
  /** Outgoing HTTP to social registries, under the outbound policy (registry-fetch.ts). */
  registryFetch: typeof fetch;
}

const holder = globalThis as unknown as { __hakiContext?: ServerContext };

/**
 * Builds a context from a configuration.
 *
 * @example
 * const ctx = createServerContext(parseEnv(process.env));
 */
export function createServerContext(env: Env, options: { db?: Db; now?: () => Date; fetch?: typeof fetch; registryFetch?: typeof fetch } = {}): ServerContext {
  const db = options.db ?? createDb(env.DATABASE_URL);
  const did = issuerDid(env);
  const now = options.now ?? (() => new Date());
  const auditKey = auditKeyOf(env);
  const keys = createLocalKeyStore({ db, did, kek: Buffer.from(env.HAKI_KEY_ENCRYPTION_KEY, "base64"), audit: { auditKey, now } });
  const registryFetch = options.registryFetch ?? createRegistryFetch({ allow: parseAddressAllowList(env.HAKI_REGISTRY_ALLOWED_ADDRESSES) });
  return { env, db, keys, did, now, auditKey, fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)), registryFetch };
}

/**
 * The process's context, created from the environment on first use.
 *
 * @example
 * const { db } = getServerContext();
 */
export function getServerContext(): ServerContext {
  holder.__hakiContext ??= createServerContext(getEnv());
  return holder.__hakiContext;
}

/** Installs a context (tests, CLI scripts). */
export function setServerContext(ctx: ServerContext | undefined): void {
  holder.__hakiContext = ctx;
}
