// `pnpm --filter @haki/db migrate`: applies pending migrations to $DATABASE_URL.
import { migrateDatabase } from "./migrate";

const url = process.env.DATABASE_URL ?? "file:./.data/haki.db";
const { provider, applied, skipped } = await migrateDatabase(url);
console.log(`${provider}: applied ${applied.length} (${applied.join(", ") || "none"}), already there ${skipped.length}`);
