/**
 * The issuer's configuration, validated once. The only module that reads `process.env`.
 */
import { z } from "zod";
import { parseAddressAllowList } from "@/server/registry/registry-fetch";

const base64Key = (what: string) =>
  z
    .string()
    .refine((v) => Buffer.from(v, "base64").length === 32, `${what} must be 32 random bytes in base64 (openssl rand -base64 32)`);

export const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** file:... (SQLite, the embedded default) or postgresql://... (production profile). */
  DATABASE_URL: z.string().default("file:./.data/haki.db"),
  /** Public origin of this issuer (what wallets and verifiers reach): URLs in credentials use it. */
  HAKI_PUBLIC_URL: z.string().url().default("http://localhost:3000"),
  /** Issuer DID; defaults to the did:web of HAKI_PUBLIC_URL. */
  HAKI_ISSUER_DID: z.string().regex(/^did:web:[A-Za-z0-9.%:_-]+$/).optional(),
  /** Key-encryption key for issuer private keys at rest (AES-256-GCM). */
  HAKI_KEY_ENCRYPTION_KEY: base64Key("HAKI_KEY_ENCRYPTION_KEY"),
  /** Key of the HMAC that turns registry ids into the hashes stored for re-import matching. */
  HAKI_REGISTRY_HASH_KEY: base64Key("HAKI_REGISTRY_HASH_KEY"),
  /**
   * Key of the audit chain's HMAC (32 bytes base64), kept outside the database so that someone who
   * can write to it cannot re-chain an edited log. Unset: derived from HAKI_KEY_ENCRYPTION_KEY.
   */
  HAKI_AUDIT_KEY: base64Key("HAKI_AUDIT_KEY").optional(),
  /**
   * Addresses registry calls may reach although they are not public (loopback, private, link-local,
   * CGNAT, ...): IPs or CIDR ranges, comma separated (e.g. a registry inside the ministry's network,
   * "10.20.0.0/16"; the tests' mock registry, "127.0.0.1"). Nothing else but public unicast.
   */
  HAKI_REGISTRY_ALLOWED_ADDRESSES: z
    .string()
    .optional()
    .refine((v) => {
      try {
        parseAddressAllowList(v);
        return true;
      } catch {
        return false;
      }
    }, "HAKI_REGISTRY_ALLOWED_ADDRESSES must list IP addresses or CIDR ranges, comma separated"),
  /** The largest registry file an upload may send, in MiB (a million-household export is about 100). */
  HAKI_MAX_UPLOAD_MB: z.coerce.number().int().min(1).max(100_000).default(512),
  /** Where uploaded registry files wait for import. */
  HAKI_DATA_DIR: z.string().default("./.data"),
  /** The issuer's name as wallets and verifiers show it. */
  HAKI_ISSUER_NAME: z.string().trim().min(1).max(120).default("Haki issuer"),
  /** The wallet's "receive" page; offers then carry an https link as well as the QR URI. */
  HAKI_WALLET_URL: z.string().url().optional(),
  /** OpenID Connect provider (optional): console users may sign in through it instead of a password. */
  HAKI_OIDC_ISSUER: z.string().url().optional(),
  HAKI_OIDC_CLIENT_ID: z.string().min(1).optional(),
  /** Confidential clients only; public clients rely on PKCE alone. */
  HAKI_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /**
   * The programme's offline tolerance: how many days a service point may keep checking cards
   * against the status lists it fetched last. Every list served stays valid at least this long;
   * past it devices refuse to use the list (and their own freshness policy warns or refuses earlier).
   */
  HAKI_OFFLINE_TOLERANCE_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  /**
   * The request header the balancer or reverse proxy puts the client's address in (its last entry
   * is used): the console sign-in throttle counts failures per address with it.
   */
  HAKI_CLIENT_ADDRESS_HEADER: z.string().trim().toLowerCase().min(1).default("x-forwarded-for"),
  HAKI_SESSION_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
  /**
   * Requests per minute one client address may make to each anonymous OpenID4VCI endpoint (token,
   * nonce, credential, notification), counted across all issuer instances; 0 turns the limit off.
   * Generous by default: phones behind a mobile operator's NAT share an address.
   */
  HAKI_OID4VCI_RATE_LIMIT: z.coerce.number().int().min(0).default(300),
  /**
   * How many reverse proxies in front of the issuer append to X-Forwarded-For (nginx
   * `proxy_add_x_forwarded_for`: 1). The client address is the entry that many from the right.
   */
  HAKI_TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /**
   * A trust list file (JSON, the `@haki/credentials/trust` shape: issuers with their DIDs and
   * Ed25519 keys) naming the other issuers whose credentials the VC-API verify endpoints accept;
   * this issuer's own keys are always trusted.
   */
  HAKI_VC_API_TRUST_LIST: z.string().min(1).optional(),
  /** Run the issuance worker inside the web process (SQLite profile); false when workers run apart. */
  HAKI_INPROCESS_WORKER: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true"),
});
export type Env = z.infer<typeof EnvSchema>;

/** The OIDC settings when a provider is configured (issuer and client id both set). */
export function oidcSettings(env: Env): { issuer: string; clientId: string; clientSecret?: string } | null {
  if (!env.HAKI_OIDC_ISSUER || !env.HAKI_OIDC_CLIENT_ID) return null;
  return { issuer: env.HAKI_OIDC_ISSUER.replace(/\/+$/, ""), clientId: env.HAKI_OIDC_CLIENT_ID, ...(env.HAKI_OIDC_CLIENT_SECRET ? { clientSecret: env.HAKI_OIDC_CLIENT_SECRET } : {}) };
}

let cached: Env | undefined;

/**
 * The validated configuration (parsed on first use, so `next build` needs none of it).
 *
 * @example
 * const { DATABASE_URL } = getEnv();
 */
export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/**
 * Validates a configuration object; throws one readable error listing every problem.
 *
 * @example
 * parseEnv({ HAKI_KEY_ENCRYPTION_KEY: "...", HAKI_REGISTRY_HASH_KEY: "..." });
 */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = EnvSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`The issuer's configuration is invalid:\n${lines.join("\n")}`);
  }
  return result.data;
}

/** The issuer DID: configured, or did:web of the public URL's host (port %3A-encoded). */
export function issuerDid(env: Env): string {
  if (env.HAKI_ISSUER_DID) return env.HAKI_ISSUER_DID;
  const url = new URL(env.HAKI_PUBLIC_URL);
  const path = url.pathname.replace(/\/+$/, "").split("/").filter(Boolean);
  return ["did:web", encodeURIComponent(url.host), ...path].join(":");
}

/** HAKI_SEED_PASSWORD: the password the seed script gives new users (demo setups only). */
export function seedPassword(): string | undefined {
  const v = process.env.HAKI_SEED_PASSWORD;
  return v && v.length >= 12 ? v : undefined;
}
