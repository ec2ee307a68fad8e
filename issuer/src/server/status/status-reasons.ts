/**
 * The reasons an officer picks when changing a credential's status. The stored reason is the fixed
 * English text (audit entries and reports read the same whatever the officer's language), with the
 * officer's note after a dash; the console translates the fixed part back for display.
 */
export type StatusAction = "revoke" | "suspend" | "reinstate";

export const STATUS_REASONS = {
  death: { actions: ["revoke"], text: "Death notified by CRVS" },
  exit: { actions: ["revoke"], text: "Left the programme" },
  duplicate: { actions: ["revoke"], text: "Duplicate registration" },
  ineligible: { actions: ["revoke", "suspend"], text: "No longer eligible" },
  review: { actions: ["suspend"], text: "Under review" },
  grievance: { actions: ["suspend"], text: "Complaint being investigated" },
  cleared: { actions: ["reinstate"], text: "Review closed" },
  error: { actions: ["reinstate"], text: "Changed in error" },
  other: { actions: ["revoke", "suspend", "reinstate"], text: "Other" },
} as const satisfies Record<string, { actions: readonly StatusAction[]; text: string }>;

export type StatusReasonCode = keyof typeof STATUS_REASONS;
export const STATUS_REASON_CODES = Object.keys(STATUS_REASONS) as StatusReasonCode[];
const SEPARATOR = " — ";

/** Reason codes that fit an action, in display order. */
export function reasonsFor(action: StatusAction): StatusReasonCode[] {
  return STATUS_REASON_CODES.filter((c) => (STATUS_REASONS[c].actions as readonly StatusAction[]).includes(action));
}

/**
 * The text stored on the credential and in the audit event. "other" needs a note.
 *
 * @example
 * statusReasonText("death", "CRVS list 2027-03-02"); // "Death notified by CRVS — CRVS list 2027-03-02"
 */
export function statusReasonText(code: StatusReasonCode, note = ""): string {
  const n = note.trim();
  if (code === "other") return n;
  return n ? `${STATUS_REASONS[code].text}${SEPARATOR}${n}` : STATUS_REASONS[code].text;
}

/**
 * Splits a stored reason back into a known code (when it starts with one's text) and the rest, so
 * the console can show it in the reader's language. Free-text reasons come back as `{ note }`.
 *
 * @example
 * describeStatusReason("Under review — area audit"); // { code: "review", note: "area audit" }
 */
export function describeStatusReason(stored: string): { code?: StatusReasonCode; note: string } {
  for (const code of STATUS_REASON_CODES) {
    if (code === "other") continue;
    const text = STATUS_REASONS[code].text;
    if (stored === text) return { code, note: "" };
    if (stored.startsWith(text + SEPARATOR)) return { code, note: stored.slice(text.length + SEPARATOR.length) };
  }
  return { note: stored };
}
