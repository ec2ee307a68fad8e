import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "**/node_modules/**",
      "**/dist/**",
      "**/.next/**",
      "**/generated/**",
      "bench/results/**",
      "**/test-results/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-syntax": [
        "error",
        { selector: "ExportDefaultDeclaration", message: "Use named exports (style.md)." },
      ],
    },
  },
  {
    // The issuer imports its own code through `@/` (issuer/src), never by climbing out of a folder.
    files: ["issuer/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ regex: "^\\.\\./", message: "Import issuer code as @/… (issuer/src), not ../ (style.md)." }] },
      ],
    },
  },
  {
    // Frameworks that require default exports.
    files: ["**/*.config.{ts,js,mjs}", "issuer/src/app/**", "**/prisma.config.ts"],
    rules: { "no-restricted-syntax": "off" },
  },
);
