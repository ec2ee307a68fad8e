// `pnpm --filter @haki/issuer migrate`: applies pending migrations to the configured database, then
// keys an audit log written before the chain was keyed (one keyed event after the old ones) and
// binds DCI tokens stored before to their registry's address.
import { migrateDatabase } from "@haki/db/migrate";
import { getEnv } from "@/env";
import { getServerContext } from "@/server/context";
import { keyAuditChain } from "@/server/audit/key-audit-chain";
import { rebindRegistryTokens } from "@/server/registry/dci-source";

const { provider, applied, skipped } = await migrateDatabase(getEnv().DATABASE_URL);
console.log(`${provider}: applied ${applied.length} migration(s)${applied.length ? ` (${applied.join(", ")})` : ""}, ${skipped.length} already applied`);
const ctx = getServerContext();
const keyed = await keyAuditChain(ctx.db, ctx);
if (keyed.keyed) console.log(`audit log: keyed after event ${keyed.after} (HMAC-SHA-256, HAKI_AUDIT_KEY)`);
const rebound = await rebindRegistryTokens(ctx);
if (rebound) console.log(`registry tokens: ${rebound} bound to their registry's address`);
await ctx.db.$disconnect();
