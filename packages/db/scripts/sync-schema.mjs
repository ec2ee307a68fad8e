// Writes the PostgreSQL schema from prisma/schema.prisma: one model source, two providers. Only the
// datasource provider/url and the generator output differ. The output is git-ignored and made by
// `generate` (prepare step); it is rewritten only when it would change, so its time stays put.
//   node scripts/sync-schema.mjs [source=prisma/schema.prisma] [out=prisma/postgresql/schema.prisma]
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const [sourcePath, outPath] = [
  resolve(root, process.argv[2] ?? "prisma/schema.prisma"),
  resolve(root, process.argv[3] ?? "prisma/postgresql/schema.prisma"),
];
const source = readFileSync(sourcePath, "utf8");
const pg = source
  .replace('output          = "../src/generated/sqlite"', 'output          = "../../src/generated/postgresql"')
  .replace('provider = "sqlite"', 'provider = "postgresql"')
  .replace('url      = "file:./dev.db"', 'url      = "postgresql://localhost/haki"')
  .replace(/^\/\/ Haki issuer database\..*$/m, "// GENERATED from ../schema.prisma by scripts/sync-schema.mjs: edit that file.");
if (pg === source || !pg.includes('provider = "postgresql"') || !pg.includes("generated/postgresql")) {
  throw new Error("sync-schema: the generator or datasource block changed shape; update this script");
}
mkdirSync(dirname(outPath), { recursive: true });
if (!existsSync(outPath) || readFileSync(outPath, "utf8") !== pg) writeFileSync(outPath, pg);
