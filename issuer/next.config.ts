import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { NextConfig } from "next";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

const config: NextConfig = {
  // Workspace packages ship TypeScript source.
  transpilePackages: ["@haki/credentials", "@haki/status-list", "@haki/registry", "@haki/i18n", "@haki/db", "@haki/openid4vci"],
  // Native and Node-only drivers stay outside the bundle.
  serverExternalPackages: ["better-sqlite3", "pg", "pg-boss", "@prisma/adapter-better-sqlite3", "@prisma/adapter-pg", "@prisma/client"],
  turbopack: { root },
  outputFileTracingRoot: root,
  poweredByHeader: false,
  typedRoutes: false,
};

export default config;
