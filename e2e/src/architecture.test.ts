/**
 * Keeps docs/architecture.md and the "no file under src/ above 400 lines without a reason" rule
 * (issue 14) true: a path the page names must exist, and a long source file must say at its top
 * why it stays long.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const TOP = ["issuer", "wallet", "verifier", "e2e", "packages", "tooling", "docs"];
const MAX_LINES = 400;
/** The words a long file's top comment uses to say why (see issuer/src/app/actions.ts). */
const REASON = /Longer than 400 lines/;
const SKIP_DIRS = new Set(["node_modules", "generated", ".next", "dist", "artifacts", ".data"]);

/** The repository paths a Markdown page names in `code` spans (folders and files under the top folders). */
function namedPaths(markdown: string): string[] {
  const spans = [...markdown.matchAll(/`([^`\s]+)`/g)].map((m) => m[1]!);
  return [...new Set(spans.filter((s) => TOP.some((top) => s.startsWith(`${top}/`)) && !/[<>*]/.test(s)))];
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP_DIRS.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(path, out);
    else if (/\.(ts|tsx)$/.test(entry.name) && !entry.name.endsWith(".d.ts")) out.push(path);
  }
  return out;
}

describe("docs/architecture.md", () => {
  const page = readFileSync(join(ROOT, "docs/architecture.md"), "utf8");

  it("names only paths that exist", () => {
    const paths = namedPaths(page);
    expect(paths.length).toBeGreaterThan(30);
    expect(paths.filter((p) => !existsSync(join(ROOT, p)))).toEqual([]);
  });

  it("finds a path that does not exist (the check can fail)", () => {
    const gone = namedPaths("see `issuer/src/server/nowhere/gone.ts` and `packages/qr/src/codec.ts`");
    expect(gone).toEqual(["issuer/src/server/nowhere/gone.ts", "packages/qr/src/codec.ts"]);
    expect(gone.filter((p) => !existsSync(join(ROOT, p)))).toEqual(["issuer/src/server/nowhere/gone.ts"]);
  });
});

describe("files under src/", () => {
  it(`are at most ${MAX_LINES} lines, or say at their top why they are longer`, () => {
    const files = TOP.filter((top) => existsSync(join(ROOT, top))).flatMap((top) => sourceFiles(join(ROOT, top)));
    const unexplained = files
      .map((f) => relative(ROOT, f))
      .filter((f) => f.includes("/src/"))
      .filter((f) => {
        const lines = readFileSync(join(ROOT, f), "utf8").split("\n");
        return lines.length > MAX_LINES && !REASON.test(lines.slice(0, 30).join("\n"));
      });
    expect(files.length).toBeGreaterThan(500);
    expect(unexplained).toEqual([]);
  });
});

describe("the issuer's pages", () => {
  /** A Prisma call on the context's client (`ctx.db.cycle.count(`, `getServerContext().db.x.findMany(`). */
  const QUERY = /\.db\.\w+\.\w+\(|\.db\.\$(queryRaw|executeRaw)/;

  it("only render: what they read comes from src/server/<domain>/read-*.ts, never a query of their own", () => {
    const pages = sourceFiles(join(ROOT, "issuer", "src", "app")).filter((f) => !/\.test\.tsx?$/.test(f));
    const querying = pages.filter((f) => QUERY.test(readFileSync(f, "utf8"))).map((f) => relative(ROOT, f));
    expect(pages.length).toBeGreaterThan(40);
    expect(querying).toEqual([]);
  });

  it("would see a page's own query (the check can fail)", () => {
    expect(QUERY.test(`const waiting = await getServerContext().db.cycle.count({ where: { state: "submitted" } });`)).toBe(true);
    expect(QUERY.test(`const points = await readServicePointChoices(ctx);`)).toBe(false);
  });
});
