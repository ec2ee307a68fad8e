// `pnpm --filter @haki/issuer migrate`: applies pending migrations to the configured database, then
// keys an audit log written before the chain was keyed (one keyed event after the old ones).
import { migrateDatabase } from "@haki/db/migrate";
import { getEnv } from "@/env";
import { getServerContext } from "@/server/context";
import { keyAuditChain } from "@/server/audit/key-audit-chain";

const { provider, applied, skipped } = await migrateDatabase(getEnv().DATABASE_URL);
console.log(`${provider}: applied ${applied.length} migration(s)${applied.length ? ` (${applied.join(", ")})` : ""}, ${skipped.length} already applied`);
const ctx = getServerContext();
const keyed = await keyAuditChain(ctx.db, ctx);
if (keyed.keyed) console.log(`audit log: keyed after event ${keyed.after} (HMAC-SHA-256, HAKI_AUDIT_KEY)`);
await ctx.db.$disconnect();
