// Writes prisma/postgresql/schema.prisma from prisma/schema.prisma: one model source, two
// providers. Only the datasource provider/url and the generator output differ.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const source = readFileSync(join(root, "prisma/schema.prisma"), "utf8");
const pg = source
  .replace('output          = "../src/generated/sqlite"', 'output          = "../../src/generated/postgresql"')
  .replace('provider = "sqlite"', 'provider = "postgresql"')
  .replace('url      = "file:./dev.db"', 'url      = "postgresql://localhost/haki"')
  .replace(/^\/\/ Haki issuer database\..*$/m, "// GENERATED from ../schema.prisma by scripts/sync-schema.mjs: edit that file.");
if (pg === source || !pg.includes('provider = "postgresql"') || !pg.includes("generated/postgresql")) {
  throw new Error("sync-schema: the generator or datasource block changed shape; update this script");
}
mkdirSync(join(root, "prisma/postgresql"), { recursive: true });
writeFileSync(join(root, "prisma/postgresql/schema.prisma"), pg);
