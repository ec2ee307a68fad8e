/**
 * `pnpm --filter @haki/issuer seed`: creates the first console users (an admin, an officer, an
 * approver and an auditor) with passwords from HAKI_SEED_PASSWORD or printed once. Existing
 * users are left alone, so running it twice is harmless.
 */
import { randomBytes } from "node:crypto";
import { migrateDatabase } from "@haki/db/migrate";
import { getEnv, seedPassword } from "@/env";
import { getServerContext } from "@/server/context";
import { createUser } from "@/server/auth/create-user";
import type { Role } from "@/server/auth/roles";

const people: { email: string; name: string; roles: Role[] }[] = [
  { email: "admin@haki.local", name: "Admin", roles: ["admin"] },
  { email: "officer@haki.local", name: "Programme officer", roles: ["officer"] },
  { email: "approver@haki.local", name: "Approver", roles: ["approver"] },
  { email: "auditor@haki.local", name: "Auditor", roles: ["auditor"] },
];

await migrateDatabase(getEnv().DATABASE_URL);
const ctx = getServerContext();
for (const p of people) {
  if (await ctx.db.user.findUnique({ where: { email: p.email } })) {
    console.log(`${p.email}: exists`);
    continue;
  }
  const password = seedPassword() ?? randomBytes(12).toString("base64url");
  await createUser(ctx, { ...p, password }, null);
  console.log(`${p.email}: created (${p.roles.join(", ")})${seedPassword() ? "" : `, password ${password}`}`);
}
await ctx.db.$disconnect();
