// `pnpm --filter @haki/issuer migrate`: applies pending migrations to the configured database.
import { migrateDatabase } from "@haki/db/migrate";
import { getEnv } from "@/env";

const { provider, applied, skipped } = await migrateDatabase(getEnv().DATABASE_URL);
console.log(`${provider}: applied ${applied.length} migration(s)${applied.length ? ` (${applied.join(", ")})` : ""}, ${skipped.length} already applied`);
