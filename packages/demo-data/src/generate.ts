/**
 * A deterministic synthetic social registry: households and their members, drawn lazily so a
 * million households stream in flat memory. Field names follow the DCI Social Registry Group and
 * Person objects (group_identifier, group_size, poverty_score, given_name, surname, sex,
 * birth_date, phone_number) and nothing beyond what a demo needs is made up (data minimisation).
 *
 * Each household draws from its own pure-rand xoroshiro128+ stream, 2^64 steps from the next one
 * (the library's `jump`), so household i is the same whatever the requested count, and a page deep
 * into the registry is reached without generating the households before it.
 * Pure code: runs in Node and the browser.
 */
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import type { RandomGenerator } from "pure-rand/types/RandomGenerator";
import * as z from "zod";
import { DemoDataError } from "./errors";
import { COUNTRIES, COUNTRY_CODES, type AdminArea, type CountryCode, type CountryProfile } from "./lib/countries";
import { isoDateFromDays } from "./lib/dates";

export { COUNTRY_CODES, type CountryCode } from "./lib/countries";

export type Sex = "male" | "female";

/** One member of a household (a DCI Person, reduced to what a programme needs). */
export interface Person {
  /** Registry id of the person: the household id and a two-digit member number, e.g. "SR-KE-0000123-01". */
  identifier: string;
  given_name: string;
  /** Family name, or the father's given name where names are patronymic (Ethiopia, Sudan, Chad). */
  surname: string;
  sex: Sex;
  /** ISO date, e.g. "1984-03-17". */
  birth_date: string;
  /** E.164, heads of household only and not all of them. */
  phone_number?: string;
}

/** One household (a DCI Group of type household). */
export interface Household {
  /** "SR-<country>-<7 digits>", unique in a generated registry, e.g. "SR-KE-0000123". */
  group_identifier: string;
  country_code: CountryCode;
  address: {
    /** e.g. "KE-047". */
    admin_area_code: string;
    admin_area_name: string;
    village: string;
  };
  /** Number of members, always `members.length`. */
  group_size: number;
  /** PMT-like proxy means test score, 0-100 with one decimal: lower is poorer. */
  poverty_score: number;
  /** The head first, then a spouse if any, then the others from oldest to youngest. */
  members: [Person, ...Person[]];
}

/** The country mix used when none is given (relative weights). */
export const DEFAULT_MIX: Readonly<Record<CountryCode, number>> = {
  KE: 30,
  TZ: 15,
  ML: 10,
  NE: 10,
  SD: 12,
  TD: 5,
  ET: 13,
  TH: 5,
};

/** The date ages are counted from when none is given: fixed, so output never depends on the clock. */
export const DEFAULT_AS_OF = "2026-07-01";

const MAX_SEED = 0xffff_ffff;

export const RegistryOptions = z.object({
  /** Households in the registry (the generator yields those from `start` on). */
  households: z.number().int().min(0).max(99_999_999),
  /** Any whole number 0 .. 2^32-1; the same seed gives the same registry. */
  seed: z.number().int().min(0).max(MAX_SEED),
  /** Relative weight per country, e.g. { KE: 3, ET: 1 }; countries left out are not drawn. */
  mix: z
    .partialRecord(z.enum(COUNTRY_CODES as [CountryCode, ...CountryCode[]]), z.number().finite().min(0))
    .refine((m) => Object.values(m).some((w) => (w ?? 0) > 0), { message: "at least one country needs a weight above 0" })
    .optional(),
  /** Ages are counted back from this day (ISO date). */
  asOf: z.iso.date().optional(),
  /** Index of the first household to yield (for paging), 0-based. */
  start: z.number().int().min(0).optional(),
});
export type RegistryOptions = z.input<typeof RegistryOptions>;

interface Plan {
  countries: { code: CountryCode; profile: CountryProfile; cumulative: number }[];
  totalWeight: number;
  asOf: { y: number; m: number; d: number };
}

/**
 * Yields the households of a synthetic registry one at a time, deterministically for a seed.
 *
 * @example
 * for (const h of generateRegistry({ households: 2000, seed: 7, mix: { KE: 2, ET: 1, TH: 1 } })) {
 *   h.group_identifier;          // "SR-KE-0000001"
 *   h.members[0].given_name;     // the head, e.g. "Wanjiru"
 * }
 * // page 3 of 100 without generating pages 1-2:
 * [...generateRegistry({ households: 300, seed: 7, start: 200 })];
 */
export function* generateRegistry(options: RegistryOptions): Generator<Household, void, undefined> {
  const parsed = RegistryOptions.safeParse(options);
  if (!parsed.success) {
    throw new DemoDataError("ERR_DEMO_DATA_OPTIONS", `Bad registry options: ${z.prettifyError(parsed.error)}`, {
      cause: parsed.error,
    });
  }
  const { households, seed, start = 0 } = parsed.data;
  const plan = makePlan(parsed.data.mix ?? DEFAULT_MIX, parsed.data.asOf ?? DEFAULT_AS_OF);
  // Household i draws from the stream i+1 jumps away from the seed's, so even household 0 starts
  // from a well-mixed state rather than one close to the seed itself.
  const cursor = xoroshiro128plus(seed);
  for (let i = 0; i <= start; i++) cursor.jump();
  for (let index = start; index < households; index++) {
    yield drawHousehold(cursor.clone(), index, plan);
    cursor.jump();
  }
}

function makePlan(mix: Partial<Record<CountryCode, number>>, asOf: string): Plan {
  let cumulative = 0;
  const countries: Plan["countries"] = [];
  for (const code of COUNTRY_CODES) {
    const w = mix[code] ?? 0;
    if (w <= 0) continue;
    cumulative += w;
    countries.push({ code, profile: COUNTRIES[code], cumulative });
  }
  const [y, m, d] = asOf.split("-").map(Number) as [number, number, number];
  return { countries, totalWeight: cumulative, asOf: { y, m, d } };
}

function pickOne<T>(rng: RandomGenerator, xs: readonly T[]): T {
  return xs[uniformInt(rng, 0, xs.length - 1)]!;
}

function drawHousehold(rng: RandomGenerator, index: number, plan: Plan): Household {
  const r = (): number => uniformFloat64(rng);
  const pick = <T>(xs: readonly T[]): T => pickOne(rng, xs);

  const x = r() * plan.totalWeight;
  const country = plan.countries.find((c) => x < c.cumulative) ?? plan.countries[plan.countries.length - 1]!;
  const profile = country.profile;
  const area = pickWeighted(profile.areas, r());
  const village = pick(profile.villages);
  const size = Math.min(15, 1 + poisson(profile.meanHouseholdSize - 1, r));

  const names = profile.names;
  const givenName = (sex: Sex) => pick(sex === "male" ? names.male : names.female);
  const familyName = () => pick(names.convention === "family" ? names.surnames : names.male);

  const headSex: Sex = r() < profile.femaleHeadShare ? "female" : "male";
  const headAge = size === 1 ? uniformInt(rng, 19, 88) : 20 + Math.floor(((r() + r()) / 2) * 58);
  const head = { sex: headSex, age: headAge, given: givenName(headSex), surname: "" };
  type Draft = typeof head;
  const others: Draft[] = [];

  let spouse: Draft | undefined;
  if (size >= 2 && r() < (headSex === "male" ? 0.85 : 0.3)) {
    const sex: Sex = headSex === "male" ? "female" : "male";
    const age = headSex === "male" ? Math.max(18, headAge - uniformInt(rng, 0, 10)) : headAge + uniformInt(rng, 0, 8);
    spouse = { sex, age, given: givenName(sex), surname: "" };
  }
  let elder: Draft | undefined;
  const roomForElder = size - 1 - (spouse ? 1 : 0);
  if (roomForElder >= 1 && headAge < 60 && r() < 0.1) {
    const sex: Sex = r() < 0.65 ? "female" : "male";
    elder = { sex, age: Math.min(98, headAge + uniformInt(rng, 18, 35)), given: givenName(sex), surname: "" };
  }
  const children = size - 1 - (spouse ? 1 : 0) - (elder ? 1 : 0);
  const maxChildAge = Math.max(0, Math.min(headAge - 16, 35));
  for (let k = 0; k < children; k++) {
    const sex: Sex = r() < 0.5 ? "female" : "male";
    others.push({ sex, age: uniformInt(rng, 0, maxChildAge), given: givenName(sex), surname: "" });
  }

  // Surnames follow the naming convention of the region.
  const husband = headSex === "male" ? head : spouse;
  if (names.convention === "family") {
    const family = familyName();
    if (husband) husband.surname = family;
    const wife = headSex === "male" ? spouse : head;
    if (wife) wife.surname = husband && !names.spouseTakesSurname ? familyName() : family;
    for (const c of others) c.surname = family;
    if (elder) elder.surname = elder.sex === "male" && headSex === "male" ? family : familyName();
  } else {
    head.surname = familyName();
    if (spouse) spouse.surname = familyName();
    const father = husband ? husband.given : familyName();
    for (const c of others) c.surname = father;
    if (elder) {
      // A male elder in a male-headed household is the head's father: his given name is the head's surname.
      if (elder.sex === "male" && headSex === "male") elder.given = head.surname;
      elder.surname = familyName();
    }
  }

  const cc = country.code;
  const groupId = `SR-${cc}-${String(index + 1).padStart(7, "0")}`;
  const ordered = [head, ...(spouse ? [spouse] : []), ...[...(elder ? [elder] : []), ...others].sort((a, b) => b.age - a.age)];
  const members = ordered.map(
    (m, k): Person => ({
      identifier: `${groupId}-${String(k + 1).padStart(2, "0")}`,
      given_name: m.given,
      surname: m.surname,
      sex: m.sex,
      birth_date: birthDate(plan.asOf, m.age, uniformInt(rng, 0, 364)),
    }),
  ) as [Person, ...Person[]];
  if (r() < profile.phoneShare) {
    members[0].phone_number = pick(profile.phone.prefixes) + digits(profile.phone.digits, rng);
  }

  const score =
    profile.meanScore -
    3.5 * (size - 4) -
    (headSex === "female" ? 4 : 0) -
    (headAge >= 65 ? 3 : 0) +
    12 * normal(r);
  return {
    group_identifier: groupId,
    country_code: cc,
    address: { admin_area_code: area.code, admin_area_name: area.name, village },
    group_size: members.length,
    poverty_score: Math.round(Math.min(100, Math.max(0, score)) * 10) / 10,
    members,
  };
}

function pickWeighted(areas: readonly AdminArea[], u: number): AdminArea {
  let total = 0;
  for (const a of areas) total += a.weight;
  let x = u * total;
  for (const a of areas) {
    x -= a.weight;
    if (x < 0) return a;
  }
  return areas[areas.length - 1]!;
}

/** Knuth's method; fine for the small means of household sizes. */
function poisson(mean: number, r: () => number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let p = r();
  while (p > limit) {
    k++;
    p *= r();
  }
  return k;
}

/** Standard normal draw (Box-Muller). */
function normal(r: () => number): number {
  const u = 1 - r(); // (0, 1]: log(0) is never taken
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
}

function digits(n: number, rng: RandomGenerator): string {
  let s = "";
  for (let i = 0; i < n; i++) s += String(uniformInt(rng, 0, 9));
  return s;
}

const DAY_MS = 86_400_000;

/** The day `daysBack` days before the person's last birthday at `asOf` (they are `age` that day). */
function birthDate(asOf: Plan["asOf"], age: number, daysBack: number): string {
  return isoDateFromDays(Date.UTC(asOf.y - age, asOf.m - 1, asOf.d) / DAY_MS - daysBack);
}
