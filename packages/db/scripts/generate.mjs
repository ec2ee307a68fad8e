// Generates both Prisma clients (SQLite and PostgreSQL) from prisma/schema.prisma on the Wasm
// engines: the engine variables point nowhere so the CLI never tries to download a binary.
import { execFileSync } from "node:child_process";
import process from "node:process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
execFileSync(process.execPath, [join(root, "scripts/sync-schema.mjs")], { stdio: "inherit" });
const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: "/nonexistent", PRISMA_QUERY_ENGINE_LIBRARY: "/nonexistent", PRISMA_HIDE_UPDATE_MESSAGE: "1" };
for (const schema of ["prisma/schema.prisma", "prisma/postgresql/schema.prisma"]) {
  execFileSync(join(root, "node_modules/.bin/prisma"), ["generate", "--schema", schema], { cwd: root, env, stdio: "inherit" });
}
