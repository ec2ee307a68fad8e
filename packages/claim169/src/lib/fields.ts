// Claim 169's keys and their types (specification 1.2.2, section 3.1), both ways.
import {
  BIOMETRIC_PARTS,
  type Biometric,
  type BiometricFormat,
  type Claim169Identity,
  type Gender,
  type MaritalStatus,
  type Photo,
} from "../model";
import { Tagged } from "./transport";

type TextField = "id" | "version" | "language" | "fullName" | "firstName" | "middleName" | "lastName" | "dateOfBirth" | "address"
  | "email" | "phone" | "nationality" | "guardian" | "secondaryFullName" | "secondaryLanguage" | "locationCode" | "legalStatus"
  | "countryOfIssuance";

export const TEXT_FIELDS: ReadonlyMap<number, TextField> = new Map<number, TextField>([
  [1, "id"],
  [2, "version"],
  [3, "language"],
  [4, "fullName"],
  [5, "firstName"],
  [6, "middleName"],
  [7, "lastName"],
  [8, "dateOfBirth"],
  [10, "address"],
  [11, "email"],
  [12, "phone"],
  [13, "nationality"],
  [15, "guardian"],
  [19, "secondaryFullName"],
  [20, "secondaryLanguage"],
  [21, "locationCode"],
  [22, "legalStatus"],
  [23, "countryOfIssuance"],
]);

/** The keys of the fields that are not text, by the specification's field names; biometrics from 50 on, one key a part. */
const KEY = { gender: 9, maritalStatus: 14, binaryImage: 16, binaryImageFormat: 17, bestQualityFingers: 18, firstBiometric: 50 } as const;

const GENDERS: readonly Gender[] = ["male", "female", "other"];
const MARITAL: readonly MaritalStatus[] = ["unmarried", "married", "divorced"];
const FORMATS: readonly BiometricFormat[] = ["image", "template", "sound", "bioHash"];
const SUB_FORMATS: Record<BiometricFormat, readonly string[]> = {
  image: ["png", "jpeg", "jpeg2000", "avif", "webp", "tiff", "wsq"],
  template: ["ansi378", "iso19794-2", "nist"],
  sound: ["wav", "mp3"],
  bioHash: [],
};
const IMAGE_MEDIA_TYPES: Record<string, string> = {
  png: "image/png",
  jpeg: "image/jpeg",
  jpeg2000: "image/jp2",
  avif: "image/avif",
  webp: "image/webp",
  tiff: "image/tiff",
};
/** Deprecated key 17: 1 JPEG, 2 JPEG2000, 3 AVIF, 4 WEBP. */
const BINARY_IMAGE_MEDIA_TYPES: Record<number, string> = { 1: "image/jpeg", 2: "image/jp2", 3: "image/avif", 4: "image/webp" };

const NAMES = new Map<number, string>([
  ...TEXT_FIELDS,
  [KEY.gender, "gender"],
  [KEY.maritalStatus, "maritalStatus"],
  [KEY.binaryImage, "binaryImage"],
  [KEY.binaryImageFormat, "binaryImageFormat"],
  [KEY.bestQualityFingers, "bestQualityFingers"],
  ...BIOMETRIC_PARTS.map((p, i) => [KEY.firstBiometric + i, p] as [number, string]),
]);

const isInt = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v);

/** A CBOR integer as a JS number (cborg gives a bigint past 2^53). */
export function asInt(v: unknown): number | undefined {
  if (isInt(v)) return v;
  if (typeof v === "bigint" && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(v);
  return undefined;
}

/** `YYYYMMDD` or `YYYY-MM-DD` to an ISO date, when it names a real day. */
export function isoBirthDate(text: string): string | undefined {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d] = m;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  const iso = `${y}-${mo}-${d}`;
  return date.toISOString().slice(0, 10) === iso ? iso : undefined;
}

function parseBiometric(value: unknown): Biometric | string {
  if (!(value instanceof Map)) return "a biometric entry is not a map";
  const data = value.get(0);
  if (!(data instanceof Uint8Array)) return "a biometric entry has no data";
  const out: Biometric = { data };
  const formatCode = value.get(1);
  const subCode = value.get(2);
  const issuer = value.get(3);
  if (formatCode !== undefined) {
    if (!isInt(formatCode)) return "a biometric format is not a number";
    out.formatCode = formatCode;
    const format = FORMATS[formatCode];
    if (format) out.format = format;
  }
  if (subCode !== undefined) {
    if (!isInt(subCode)) return "a biometric sub-format is not a number";
    out.subFormatCode = subCode;
    const sub = out.format ? SUB_FORMATS[out.format][subCode] : undefined;
    if (sub) out.subFormat = sub;
    const media = out.format === "image" && sub ? IMAGE_MEDIA_TYPES[sub] : undefined;
    if (media) out.mediaType = media;
  }
  if (issuer !== undefined) {
    if (typeof issuer !== "string") return "a biometric issuer is not text";
    out.issuer = issuer;
  }
  return out;
}

/** The specification says `[Biometrics]`; its own example puts a single object. Both are read. */
function parseBiometrics(value: unknown): Biometric[] | string {
  const entries = Array.isArray(value) ? value : [value];
  const out: Biometric[] = [];
  for (const entry of entries) {
    const b = parseBiometric(entry);
    if (typeof b === "string") return b;
    out.push(b);
  }
  return out;
}

function choosePhoto(identity: Claim169Identity): Photo | undefined {
  const faces = identity.biometrics.face ?? [];
  const image = faces.find((f) => f.format === "image" && f.mediaType) ?? faces.find((f) => f.format === "image" || f.formatCode === undefined);
  if (image) return { data: image.data, ...(image.mediaType ? { mediaType: image.mediaType } : {}), source: "face" };
  if (identity.binaryImage) {
    const mediaType = identity.binaryImageFormat === undefined ? undefined : BINARY_IMAGE_MEDIA_TYPES[identity.binaryImageFormat];
    return { data: identity.binaryImage, ...(mediaType ? { mediaType } : {}), source: "binaryImage" };
  }
  return undefined;
}

/** Maps claim 169's CBOR map to typed fields; unknown keys are kept, wrong types are listed, nothing throws. */
export function parseIdentity(map: Map<unknown, unknown>): Claim169Identity {
  const identity: Claim169Identity = { biometrics: {}, unknownFields: [], invalidFields: [] };
  const invalid = (key: number, value: unknown, reason: string) =>
    identity.invalidFields.push({ key, name: NAMES.get(key) ?? String(key), value, reason });
  for (const [rawKey, value] of map) {
    const key = asInt(rawKey);
    if (key === undefined || !NAMES.has(key)) {
      identity.unknownFields.push({ key: key ?? (typeof rawKey === "string" ? rawKey : String(rawKey)), value });
      continue;
    }
    const text = TEXT_FIELDS.get(key);
    if (text) {
      if (typeof value === "string") identity[text] = value;
      else invalid(key, value, "not text");
      continue;
    }
    if (key === KEY.gender || key === KEY.maritalStatus || key === KEY.binaryImageFormat) {
      const code = asInt(value);
      if (code === undefined) {
        invalid(key, value, "not a number");
        continue;
      }
      if (key === KEY.gender) {
        identity.genderCode = code;
        const g = GENDERS[code - 1];
        if (g) identity.gender = g;
      } else if (key === KEY.maritalStatus) {
        identity.maritalStatusCode = code;
        const s = MARITAL[code - 1];
        if (s) identity.maritalStatus = s;
      } else identity.binaryImageFormat = code;
      continue;
    }
    if (key === KEY.binaryImage) {
      if (value instanceof Uint8Array) identity.binaryImage = value;
      else invalid(key, value, "not bytes");
      continue;
    }
    if (key === KEY.bestQualityFingers) {
      const fingers = Array.isArray(value) ? value.map(asInt) : [];
      if (Array.isArray(value) && fingers.every((f): f is number => f !== undefined && f >= 0 && f <= 10)) identity.bestQualityFingers = fingers as number[];
      else invalid(key, value, "not a list of finger positions 0-10");
      continue;
    }
    const part = BIOMETRIC_PARTS[key - KEY.firstBiometric]!;
    const bio = parseBiometrics(value);
    if (typeof bio === "string") invalid(key, value, bio);
    else identity.biometrics[part] = bio;
  }
  if (identity.dateOfBirth !== undefined) {
    const iso = isoBirthDate(identity.dateOfBirth);
    if (iso) identity.birthDate = iso;
  }
  const photo = choosePhoto(identity);
  if (photo) identity.photo = photo;
  return identity;
}

/** What `encodeClaim169` takes: the typed fields (derived ones such as `birthDate` and `photo` are ignored). */
export type Claim169Input = Partial<
  Omit<Claim169Identity, "birthDate" | "gender" | "maritalStatus" | "photo" | "unknownFields" | "invalidFields" | "biometrics">
> & {
  gender?: Gender;
  maritalStatus?: MaritalStatus;
  biometrics?: Partial<Record<BiometricPart, Array<Pick<Biometric, "data" | "formatCode" | "subFormatCode" | "issuer">>>>;
  /** Extra keys, written as given (unassigned numbers for closed ecosystems, or test data). */
  extra?: ReadonlyArray<readonly [number | string, unknown]>;
};
type BiometricPart = (typeof BIOMETRIC_PARTS)[number];

/** The inverse of `parseIdentity`: typed fields to claim 169's CBOR map. */
export function buildIdentityMap(input: Claim169Input): Map<number | string, unknown> {
  const map = new Map<number | string, unknown>();
  for (const [key, name] of TEXT_FIELDS) {
    const v = input[name];
    if (v !== undefined) map.set(key, v);
  }
  const gender = input.genderCode ?? (input.gender ? GENDERS.indexOf(input.gender) + 1 : undefined);
  if (gender !== undefined) map.set(KEY.gender, gender);
  const marital = input.maritalStatusCode ?? (input.maritalStatus ? MARITAL.indexOf(input.maritalStatus) + 1 : undefined);
  if (marital !== undefined) map.set(KEY.maritalStatus, marital);
  if (input.binaryImage) map.set(KEY.binaryImage, input.binaryImage);
  if (input.binaryImageFormat !== undefined) map.set(KEY.binaryImageFormat, input.binaryImageFormat);
  if (input.bestQualityFingers) map.set(KEY.bestQualityFingers, input.bestQualityFingers);
  BIOMETRIC_PARTS.forEach((part, i) => {
    const list = input.biometrics?.[part];
    if (!list?.length) return;
    map.set(
      KEY.firstBiometric + i,
      list.map((b) => {
        const m = new Map<number, unknown>([[0, b.data]]);
        if (b.formatCode !== undefined) m.set(1, b.formatCode);
        if (b.subFormatCode !== undefined) m.set(2, b.subFormatCode);
        if (b.issuer !== undefined) m.set(3, b.issuer);
        return m;
      }),
    );
  });
  for (const [k, v] of input.extra ?? []) map.set(k, v);
  return map;
}

export { Tagged };
