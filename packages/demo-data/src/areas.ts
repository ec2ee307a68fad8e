/**
 * The synthetic registry's area list: every admin area code its households carry, with the place
 * name, as a registry publishes it next to its household records (`admin_area_code`,
 * `admin_area_name`). The issuer's demo loads it so cards and answers show "Nairobi", not "KE-047".
 */
import { COUNTRIES, COUNTRY_CODES } from "./lib/countries";

/**
 * @example
 * adminAreas().find((a) => a.code === "KE-047"); // { code: "KE-047", name: "Nairobi" }
 */
export function adminAreas(): { code: string; name: string }[] {
  return COUNTRY_CODES.flatMap((c) => COUNTRIES[c].areas.map((a) => ({ code: a.code, name: a.name })));
}
