// Prisma CLI configuration: Wasm engines through a driver adapter (no engine binaries can be
// downloaded here, see shared notes). The CLI is used for `generate` and `migrate diff` only (the
// scratch database below is opened, never read); the app applies migrations with src/migrate.ts.
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  engine: "js",
  experimental: { adapter: true },
  adapter: async () => new PrismaBetterSQLite3({ url: `file:${join(tmpdir(), "haki-prisma-cli.db")}` }),
});
