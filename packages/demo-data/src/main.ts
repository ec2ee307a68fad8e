/**
 * Writes a synthetic registry export:
 *   tsx packages/demo-data/src/main.ts --households 2000 --seed 7 --out registry.csv
 * Options: --rows household|person, --full-name, --malformed [--manifest bad-rows.json],
 * --mix KE=3,ET=1,TH=1, --as-of 2026-07-01, --bom, --delimiter ";". Without --out the CSV goes to
 * standard output. A one-line summary (and the bad rows, with --malformed) goes to standard error.
 */
import { createWriteStream, writeFileSync } from "node:fs";
import { parseArgs, type ParseArgsConfig } from "node:util";
import * as z from "zod";
import { writeSyntheticRegistryCsv } from "./csv";
import { DemoDataError } from "./errors";
import { COUNTRY_CODES, type CountryCode } from "./generate";

const USAGE = `Usage: tsx packages/demo-data/src/main.ts --households N --seed S [--out FILE]
  [--rows household|person] [--full-name] [--malformed] [--manifest FILE]
  [--mix KE=3,ET=1,...] [--as-of YYYY-MM-DD] [--bom] [--delimiter ,|;|tab]
Countries: ${COUNTRY_CODES.join(", ")}`;

/** The options, checked; the command line's options are read off it (a boolean member is a flag, any other takes a value). */
const Args = z.object({
  households: z.coerce.number().int().min(0).default(2000),
  seed: z.coerce.number().int().min(0).default(1),
  out: z.string().min(1).optional(),
  rows: z.enum(["household", "person"]).optional(),
  "full-name": z.boolean().optional(),
  malformed: z.boolean().optional(),
  manifest: z.string().min(1).optional(),
  mix: z.string().optional(),
  "as-of": z.string().optional(),
  bom: z.boolean().optional(),
  delimiter: z.enum([",", ";", "tab"]).optional(),
  help: z.boolean().optional(),
});

const SHORT: Partial<Record<keyof typeof Args.shape, string>> = { out: "o", help: "h" };

/** `parseArgs` options for every member of `Args`. */
function commandLineOptions(): ParseArgsConfig["options"] {
  return Object.fromEntries(
    Object.entries(Args.shape).map(([name, schema]) => {
      const inner = schema instanceof z.ZodOptional ? schema.unwrap() : schema;
      const short = SHORT[name as keyof typeof Args.shape];
      return [name, { type: inner instanceof z.ZodBoolean ? "boolean" : "string", ...(short ? { short } : {}) }] as const;
    }),
  );
}

function parseMix(text: string): Partial<Record<CountryCode, number>> {
  const mix: Partial<Record<CountryCode, number>> = {};
  for (const part of text.split(",")) {
    const [code, weight] = part.split("=").map((s) => s.trim());
    if (!code || !(COUNTRY_CODES as string[]).includes(code) || weight === undefined || !/^\d+(\.\d+)?$/.test(weight)) {
      throw new DemoDataError("ERR_DEMO_DATA_OPTIONS", `--mix: "${part}" is not COUNTRY=WEIGHT with a country among ${COUNTRY_CODES.join(", ")}.`);
    }
    mix[code as CountryCode] = Number(weight);
  }
  return mix;
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: commandLineOptions(), strict: true });
  const parsed = Args.safeParse(values);
  if (!parsed.success) throw new DemoDataError("ERR_DEMO_DATA_OPTIONS", z.prettifyError(parsed.error), { cause: parsed.error });
  const a = parsed.data;
  if (a.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const out = a.out ? createWriteStream(a.out) : process.stdout;
  const started = performance.now();
  const summary = await writeSyntheticRegistryCsv(
    {
      households: a.households,
      seed: a.seed,
      ...(a.mix ? { mix: parseMix(a.mix) } : {}),
      ...(a["as-of"] ? { asOf: a["as-of"] } : {}),
    },
    out,
    {
      rows: a.rows,
      fullName: a["full-name"],
      malformed: a.malformed,
      malformedSeed: a.seed,
      bom: a.bom,
      delimiter: a.delimiter === "tab" ? "\t" : a.delimiter,
      // Standard output stays open for the shell.
      end: Boolean(a.out),
    },
  );
  const seconds = (performance.now() - started) / 1000;
  process.stderr.write(
    `${summary.households} households, ${summary.rows} rows (${summary.malformed.length} bad on purpose) ` +
      `in ${seconds.toFixed(1)} s${a.out ? ` -> ${a.out}` : ""}\n`,
  );
  if (a.malformed) {
    const manifest = JSON.stringify(summary.malformed, null, 2);
    if (a.manifest) writeFileSync(a.manifest, `${manifest}\n`);
    else process.stderr.write(`${manifest}\n`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n\n${USAGE}\n`);
    process.exitCode = 2;
  },
);
