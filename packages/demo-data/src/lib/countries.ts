/**
 * A small fixed list of admin areas, villages and phone formats per country. Area codes are
 * ISO 3166-2 subdivision codes, except Kenya where the registry's own county numbering (001
 * Mombasa ... 047 Nairobi) is what programmes use. Villages are common settlement names, not tied
 * to the area they are drawn with. Figures (household size, share of female heads, phone
 * ownership, welfare level) are rough orders of magnitude for a believable demo, not statistics.
 */
import { ARABIC, EAST_AFRICA, ETHIOPIAN, SAHEL, THAI, type NamePool } from "./names";

export interface AdminArea {
  readonly code: string;
  readonly name: string;
  /** Relative weight when drawing an area (roughly, population). */
  readonly weight: number;
}

export interface CountryProfile {
  readonly names: NamePool;
  readonly areas: readonly AdminArea[];
  readonly villages: readonly string[];
  /** E.164 prefix including the leading mobile digit(s), and how many random digits follow. */
  readonly phone: { readonly prefixes: readonly string[]; readonly digits: number };
  /** Share of households whose head has a phone number on file. */
  readonly phoneShare: number;
  readonly meanHouseholdSize: number;
  readonly femaleHeadShare: number;
  /** Mean PMT-like welfare score (0-100, lower is poorer) of a household of four. */
  readonly meanScore: number;
}

const EAST_AFRICA_VILLAGES = [
  "Majengo", "Mwembeni", "Sokoni", "Kisimani", "Mlimani", "Bondeni", "Shauri Moyo", "Kibokoni", "Kilimahewa",
  "Mnazi Mmoja", "Kichangani", "Kijiweni", "Mtoni", "Kanisani", "Msikitini",
];

const ARABIC_VILLAGES = [
  "حي السلام", "حي النصر", "الحلة الجديدة", "الرياض", "الثورة", "الديم", "الشعبية", "القوز", "حي المطار",
  "حي الوحدة", "أم دوم", "ود العقلي",
];

const THAI_VILLAGES = [
  "บ้านหนองบัว", "บ้านโนนสูง", "บ้านดอนแดง", "บ้านหนองแวง", "บ้านนาดี", "บ้านโคกสว่าง", "บ้านหนองหิน",
  "บ้านใหม่", "บ้านห้วยทราย", "บ้านสันติสุข", "บ้านท่าช้าง",
];

// Ethiopian kebeles (the smallest administrative unit) are mostly known by number.
const KEBELES = Array.from({ length: 18 }, (_, i) => `ቀበሌ ${String(i + 1).padStart(2, "0")}`);

export const COUNTRIES = {
  KE: {
    names: EAST_AFRICA,
    areas: [
      { code: "KE-001", name: "Mombasa", weight: 12 },
      { code: "KE-003", name: "Kilifi", weight: 14 },
      { code: "KE-007", name: "Garissa", weight: 8 },
      { code: "KE-009", name: "Mandera", weight: 8 },
      { code: "KE-010", name: "Marsabit", weight: 4 },
      { code: "KE-016", name: "Machakos", weight: 14 },
      { code: "KE-023", name: "Turkana", weight: 9 },
      { code: "KE-032", name: "Nakuru", weight: 21 },
      { code: "KE-039", name: "Bungoma", weight: 16 },
      { code: "KE-042", name: "Kisumu", weight: 11 },
      { code: "KE-047", name: "Nairobi", weight: 44 },
    ],
    villages: EAST_AFRICA_VILLAGES,
    phone: { prefixes: ["+2547", "+2541"], digits: 8 },
    phoneShare: 0.8,
    meanHouseholdSize: 3.9,
    femaleHeadShare: 0.33,
    meanScore: 42,
  },
  TZ: {
    names: EAST_AFRICA,
    areas: [
      { code: "TZ-01", name: "Arusha", weight: 20 },
      { code: "TZ-02", name: "Dar es Salaam", weight: 54 },
      { code: "TZ-03", name: "Dodoma", weight: 32 },
      { code: "TZ-09", name: "Kilimanjaro", weight: 19 },
      { code: "TZ-18", name: "Mwanza", weight: 37 },
      { code: "TZ-24", name: "Tabora", weight: 30 },
      { code: "TZ-25", name: "Tanga", weight: 26 },
    ],
    villages: EAST_AFRICA_VILLAGES,
    phone: { prefixes: ["+2557", "+2556"], digits: 8 },
    phoneShare: 0.7,
    meanHouseholdSize: 4.6,
    femaleHeadShare: 0.27,
    meanScore: 38,
  },
  ML: {
    names: SAHEL,
    areas: [
      { code: "ML-BKO", name: "Bamako", weight: 28 },
      { code: "ML-1", name: "Kayes", weight: 25 },
      { code: "ML-2", name: "Koulikoro", weight: 30 },
      { code: "ML-3", name: "Sikasso", weight: 32 },
      { code: "ML-4", name: "Ségou", weight: 29 },
      { code: "ML-5", name: "Mopti", weight: 26 },
      { code: "ML-6", name: "Tombouctou", weight: 9 },
      { code: "ML-7", name: "Gao", weight: 7 },
    ],
    villages: [
      "Hamdallaye", "Banankoro", "Kalaban", "Niamana", "Sébénikoro", "Bagadadji", "Djélibougou", "Sirakoro",
      "Missabougou", "Sogoniko", "Kalabancoura", "Baco Djicoroni",
    ],
    phone: { prefixes: ["+2237", "+2236"], digits: 7 },
    phoneShare: 0.55,
    meanHouseholdSize: 5.8,
    femaleHeadShare: 0.12,
    meanScore: 33,
  },
  NE: {
    names: SAHEL,
    areas: [
      { code: "NE-8", name: "Niamey", weight: 13 },
      { code: "NE-1", name: "Agadez", weight: 6 },
      { code: "NE-2", name: "Diffa", weight: 7 },
      { code: "NE-3", name: "Dosso", weight: 24 },
      { code: "NE-4", name: "Maradi", weight: 43 },
      { code: "NE-5", name: "Tahoua", weight: 38 },
      { code: "NE-6", name: "Tillabéri", weight: 32 },
      { code: "NE-7", name: "Zinder", weight: 41 },
    ],
    villages: [
      "Sabon Gari", "Koira Tegui", "Goudel", "Kouara Kano", "Lazaret", "Dar Es Salam", "Boukoki", "Talladjé",
      "Gamkallé", "Yantala", "Kalley", "Banizoumbou",
    ],
    phone: { prefixes: ["+2279", "+2278"], digits: 7 },
    phoneShare: 0.45,
    meanHouseholdSize: 6.2,
    femaleHeadShare: 0.1,
    meanScore: 30,
  },
  SD: {
    names: ARABIC,
    areas: [
      { code: "SD-KH", name: "Khartoum", weight: 40 },
      { code: "SD-GZ", name: "Gezira", weight: 30 },
      { code: "SD-KA", name: "Kassala", weight: 15 },
      { code: "SD-DN", name: "North Darfur", weight: 17 },
      { code: "SD-DS", name: "South Darfur", weight: 23 },
      { code: "SD-KN", name: "North Kordofan", weight: 16 },
      { code: "SD-RS", name: "Red Sea", weight: 12 },
    ],
    villages: ARABIC_VILLAGES,
    phone: { prefixes: ["+2499", "+2491"], digits: 8 },
    phoneShare: 0.6,
    meanHouseholdSize: 5.9,
    femaleHeadShare: 0.2,
    meanScore: 34,
  },
  TD: {
    names: ARABIC,
    areas: [
      { code: "TD-ND", name: "N'Djamena", weight: 15 },
      { code: "TD-OD", name: "Ouaddaï", weight: 9 },
      { code: "TD-KA", name: "Kanem", weight: 4 },
      { code: "TD-LC", name: "Lac", weight: 5 },
      { code: "TD-BG", name: "Barh el Gazel", weight: 3 },
      { code: "TD-WF", name: "Wadi Fira", weight: 5 },
      { code: "TD-SA", name: "Salamat", weight: 3 },
    ],
    villages: ARABIC_VILLAGES,
    phone: { prefixes: ["+2356", "+2359"], digits: 7 },
    phoneShare: 0.4,
    meanHouseholdSize: 5.5,
    femaleHeadShare: 0.22,
    meanScore: 28,
  },
  ET: {
    names: ETHIOPIAN,
    areas: [
      { code: "ET-AA", name: "Addis Ababa", weight: 20 },
      { code: "ET-AM", name: "Amhara", weight: 40 },
      { code: "ET-OR", name: "Oromia", weight: 30 },
      { code: "ET-TI", name: "Tigray", weight: 10 },
      { code: "ET-DD", name: "Dire Dawa", weight: 3 },
    ],
    villages: KEBELES,
    phone: { prefixes: ["+2519", "+2517"], digits: 8 },
    phoneShare: 0.5,
    meanHouseholdSize: 4.6,
    femaleHeadShare: 0.25,
    meanScore: 36,
  },
  TH: {
    names: THAI,
    areas: [
      { code: "TH-10", name: "Bangkok", weight: 30 },
      { code: "TH-50", name: "Chiang Mai", weight: 9 },
      { code: "TH-40", name: "Khon Kaen", weight: 9 },
      { code: "TH-30", name: "Nakhon Ratchasima", weight: 13 },
      { code: "TH-34", name: "Ubon Ratchathani", weight: 9 },
      { code: "TH-41", name: "Udon Thani", weight: 8 },
      { code: "TH-90", name: "Songkhla", weight: 7 },
    ],
    villages: THAI_VILLAGES,
    phone: { prefixes: ["+668", "+669", "+666"], digits: 8 },
    phoneShare: 0.9,
    meanHouseholdSize: 3.0,
    femaleHeadShare: 0.35,
    meanScore: 55,
  },
} as const satisfies Record<string, CountryProfile>;

export type CountryCode = keyof typeof COUNTRIES;
export const COUNTRY_CODES = Object.keys(COUNTRIES) as CountryCode[];
