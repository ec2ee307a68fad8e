/**
 * `@haki/db/search`: how names are folded for search, in one place for the writer (the registry
 * import stores `Beneficiary.searchName`, the database's triggers split it into
 * `BeneficiaryNameToken` rows) and the reader (the console folds what an officer types the same way).
 */

/** Arabic letters written several ways in registries: each folds to one form. */
const ARABIC_FOLDS: Record<string, string> = {
  "\u0622": "\u0627", // alef with madda -> alef
  "\u0623": "\u0627", // alef with hamza above
  "\u0625": "\u0627", // alef with hamza below
  "\u0671": "\u0627", // alef wasla
  "\u0649": "\u064A", // alef maksura -> yeh
  "\u0629": "\u0647", // teh marbuta -> heh
  "\u0640": "", // tatweel (a stretching stroke, not a letter)
};
const ARABIC_RE = new RegExp(`[${Object.keys(ARABIC_FOLDS).join("")}]`, "g");

/** Longest folded text kept (a name, not a document). */
const MAX_LENGTH = 200;

/**
 * Folds text for search: compatibility decomposition (NFKD), every combining mark removed
 * (accents, Arabic vowel signs), lower case, Arabic letter variants made one, anything that is not
 * a letter or a digit turned into a space, words joined by single spaces. Whatever the script:
 * "Amina Wanjirũ" and "AMINA WANJIRU" fold alike, so do "أحمد" and "احمد".
 *
 * @example
 * normalizeSearchText("  Aïssata  Maïga-Touré "); // "aissata maiga toure"
 */
export function normalizeSearchText(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .replace(ARABIC_RE, (c) => ARABIC_FOLDS[c] ?? c)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim()
    .slice(0, MAX_LENGTH)
    .trim();
}

/**
 * The words of a folded text, longest first and without repeats (the longest word is the most
 * selective one to start a search from).
 *
 * @example
 * searchWords("Ali Moh"); // ["moh", "ali"]
 */
export function searchWords(text: string): string[] {
  const words = [...new Set(normalizeSearchText(text).split(" ").filter(Boolean))];
  return words.sort((a, b) => b.length - a.length);
}

/**
 * The exclusive upper bound of the word-prefix range: every word starting with `prefix` sorts
 * at or after `prefix` and before this, byte for byte (SQLite's BINARY, PostgreSQL's "C").
 *
 * @example
 * prefixUpperBound("ali"); // "ali\u{10FFFF}"
 */
export function prefixUpperBound(prefix: string): string {
  return `${prefix}\u{10FFFF}`;
}
