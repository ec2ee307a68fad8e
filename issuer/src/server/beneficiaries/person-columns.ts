/**
 * What every list of people reads of a person from a raw `Beneficiary` row: the reference, the
 * name and the area (the search, a cycle's entitlements, a frozen set).
 */
export const PERSON_COLUMNS = { ref: "text", displayName: "optionalText", area: "optionalText" } as const;
