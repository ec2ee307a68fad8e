/**
 * Argument parsing on node:util `parseArgs` (strict: unknown options are errors), with the
 * conversions the commands share. Every problem is a CliUsageError (exit 2).
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { CliUsageError } from "./errors";

type Options = NonNullable<ParseArgsConfig["options"]>;

export interface Parsed {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

/** Parses `argv` against `options`; `maxPositionals` caps the free arguments. */
export function parse(argv: string[], options: Options, maxPositionals = 0): Parsed {
  let parsed: Parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...options, help: { type: "boolean", short: "h" } }, allowPositionals: true, strict: true });
  } catch (cause) {
    throw new CliUsageError((cause as Error).message.replace(/\. To specify a positional.*$/s, "."), { cause });
  }
  if (parsed.positionals.length > maxPositionals) {
    throw new CliUsageError(`Unexpected argument: ${parsed.positionals[maxPositionals] ?? ""}.`);
  }
  return parsed;
}

/** A string option that must be there. */
export function required(p: Parsed, name: string): string {
  const v = p.values[name];
  if (typeof v !== "string" || v.length === 0) throw new CliUsageError(`--${name} is required.`);
  return v;
}

export function optional(p: Parsed, name: string): string | undefined {
  const v = p.values[name];
  return typeof v === "string" ? v : undefined;
}

export function flag(p: Parsed, name: string): boolean {
  return p.values[name] === true;
}

export function list(p: Parsed, name: string): string[] {
  const v = p.values[name];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

/** A whole number option within bounds. */
export function integer(p: Parsed, name: string, min: number, max: number): number | undefined {
  const v = optional(p, name);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
    throw new CliUsageError(`--${name} must be a whole number from ${min} to ${max}, not "${v}".`);
  }
  return Number(v);
}

/** An ISO 8601 date-time option (with a time zone, so a verification does not depend on where it runs). */
export function isoDate(p: Parsed, name: string): Date | undefined {
  const v = optional(p, name);
  if (v === undefined) return undefined;
  const ok = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(v);
  const d = new Date(v);
  if (!ok || Number.isNaN(d.getTime())) {
    throw new CliUsageError(`--${name} must be an ISO 8601 date or date-time with a zone, e.g. 2027-03-01T09:00:00Z, not "${v}".`);
  }
  return d;
}
