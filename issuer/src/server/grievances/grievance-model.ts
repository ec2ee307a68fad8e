/** What a grievance can be, in one place (the form, the list's filters, the domain functions). */
export const GRIEVANCE_KINDS = ["complaint", "appeal"] as const;
export const GRIEVANCE_CATEGORIES = ["not-listed", "amount", "card-or-phone", "service-point", "data", "conduct", "other"] as const;
export const GRIEVANCE_STATUSES = ["open", "resolved"] as const;
export type GrievanceKind = (typeof GRIEVANCE_KINDS)[number];
export type GrievanceCategory = (typeof GRIEVANCE_CATEGORIES)[number];
