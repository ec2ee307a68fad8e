/**
 * What a Claim 169 QR says, as typed values (MOSIP Claim 169 QR specification 1.2.2, section 3).
 * Every field is optional in the specification, and so here.
 */

/** Body parts that carry biometrics (keys 50-65). */
export const BIOMETRIC_PARTS = [
  "rightThumb",
  "rightPointerFinger",
  "rightMiddleFinger",
  "rightRingFinger",
  "rightLittleFinger",
  "leftThumb",
  "leftPointerFinger",
  "leftMiddleFinger",
  "leftRingFinger",
  "leftLittleFinger",
  "rightIris",
  "leftIris",
  "face",
  "rightPalm",
  "leftPalm",
  "voice",
] as const;
export type BiometricPart = (typeof BIOMETRIC_PARTS)[number];

/** Biometric data formats (key 1 of a biometric object). */
export type BiometricFormat = "image" | "template" | "sound" | "bioHash";

/** One biometric object (keys 0-3): the data and, when given, what it is. */
export interface Biometric {
  data: Uint8Array;
  /** The format by name when it is one the specification lists. */
  format?: BiometricFormat;
  formatCode?: number;
  /** The sub-format by name (image: png, jpeg, jpeg2000, avif, webp, tiff, wsq; template: ansi378, iso19794-2, nist; sound: wav, mp3). */
  subFormat?: string;
  subFormatCode?: number;
  /** Who produced the biometric data (vendor). */
  issuer?: string;
  /** The media type a browser can show, for images in a format it knows (`image/jpeg`, ...). */
  mediaType?: string;
}

/** A photograph to show for the visual check: from the face biometric (62) or the deprecated image fields (16, 17). */
export interface Photo {
  data: Uint8Array;
  /** `image/jpeg`, `image/png`, `image/webp`, `image/avif`, `image/jp2`, `image/tiff`; absent when unknown. */
  mediaType?: string;
  /** Where it came from. */
  source: "face" | "binaryImage";
}

export type Gender = "male" | "female" | "other";
export type MaritalStatus = "unmarried" | "married" | "divorced";

/** A field whose key is not one this reader knows: kept, never fatal. */
export interface UnknownField {
  key: number | string;
  value: unknown;
}

/** A known field with a value of the wrong type: kept here instead of in the typed field. */
export interface InvalidField {
  key: number;
  name: string;
  value: unknown;
  reason: string;
}

/** Claim 169's identity data (keys 1-23 and 50-65). */
export interface Claim169Identity {
  id?: string;
  version?: string;
  /** ISO 639-3 language of the text fields. */
  language?: string;
  fullName?: string;
  firstName?: string;
  middleName?: string;
  lastName?: string;
  /** Date of birth as written (`YYYYMMDD` in the specification; `YYYY-MM-DD` is met too). */
  dateOfBirth?: string;
  /** Date of birth as ISO `YYYY-MM-DD`, when it is a real date. */
  birthDate?: string;
  gender?: Gender;
  genderCode?: number;
  /** Address lines, separated by `\n`. */
  address?: string;
  email?: string;
  /** E.123 international notation. */
  phone?: string;
  nationality?: string;
  maritalStatus?: MaritalStatus;
  maritalStatusCode?: number;
  guardian?: string;
  /** Deprecated in 1.2.2 (use the face biometric): the photograph and its format code (1 JPEG, 2 JPEG2000, 3 AVIF, 4 WEBP). */
  binaryImage?: Uint8Array;
  binaryImageFormat?: number;
  /** Finger positions 0-10 (0 unknown, 1-5 right thumb to little, 6-10 left). */
  bestQualityFingers?: number[];
  secondaryFullName?: string;
  secondaryLanguage?: string;
  locationCode?: string;
  legalStatus?: string;
  countryOfIssuance?: string;
  biometrics: Partial<Record<BiometricPart, Biometric[]>>;
  /** The photograph for the visual check, when there is one. */
  photo?: Photo;
  unknownFields: UnknownField[];
  invalidFields: InvalidField[];
}

/** The CWT claims around claim 169 (RFC 8392). Times are as given, in seconds and as dates. */
export interface CwtClaims {
  issuer?: string;
  subject?: string;
  audience?: string | string[];
  expiresAt?: Date;
  notBefore?: Date;
  issuedAt?: Date;
  /** CWT ID (`cti`), as bytes. */
  cwtId?: Uint8Array;
  /** Other claims (not 1-7, not 169), kept. */
  otherClaims: UnknownField[];
}
