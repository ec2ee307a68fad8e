import { redirect } from "next/navigation";
import { getServerContext } from "@/server/context";
import { pageI18n, requirePageSession } from "@/server/web/page-session";
import { hasRole } from "@/server/auth/roles";
import { STATUS_REASONS, STATUS_REASON_CODES } from "@/server/status/status-reasons";
import { readBulkStatusChoices } from "@/server/status/read-bulk-status-choices";
import { BulkStatusForm, type BulkStatusLabels } from "./bulk-status-form";
import { labelsOf } from "@/app/(console)/labels";

/** Revoke, suspend or reinstate many credentials at once: after a CRVS death list or an area review. */
export default async function BulkStatusPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const session = await requirePageSession();
  if (!hasRole(session.actor, "officer", "approver")) redirect("/?error=ERR_FORBIDDEN");
  const { t } = await pageI18n();
  const { cycles, areas } = await readBulkStatusChoices(getServerContext());
  const keys = [
    "intro", "scope", "refs", "refsHelp", "file", "cycle", "anyCycle", "area", "areaHelp", "action", "revoke", "suspend", "reinstate",
    "reason", "note", "noteHelp", "preview", "previewing", "previewTitle", "credentials", "willChange", "alreadyInState", "cannotChange",
    "notFound", "withoutCredential", "duplicates", "confirm.revoke", "confirm.suspend", "confirm.reinstate", "applying", "doneTitle", "changed", "skipped", "auditEntry",
    "nothingToChange", "needReason", "revokeFinal", "badLine", "status.issued", "status.suspended", "status.revoked",
  ];
  // Placeholders stay in the text ({n}, {action}...) and the form fills them in as results come.
  const vars = { n: "{n}", action: "{action}", line: "{line}", value: "{value}", seq: "{seq}" };
  const labels: BulkStatusLabels = labelsOf(t, "bulkStatus", keys, vars);
  for (const code of STATUS_REASON_CODES) labels[`reasons.${code}`] = t(`bulkStatus.reasons.${code}`);
  for (const code of ["ERR_BAD_LIST", "ERR_LIST_TOO_LONG", "ERR_NO_SCOPE", "ERR_CONFLICT", "ERR_NOT_FOUND", "ERR_FORBIDDEN", "ERR_CSRF", "ERR_BAD_REQUEST"])
    labels[`errors.${code}`] = t(`bulkStatus.errors.${code}`);
  labels["errors.other"] = t("errors.ERR_INTERNAL");
  const q = await searchParams;
  const pick = (v: string | undefined, allowed: string[]) => (v && allowed.includes(v) ? v : undefined);
  const initial = {
    cycleId: q.cycleId && cycles.some((c) => c.id === q.cycleId) ? q.cycleId : undefined,
    area: q.area,
    status: pick(q.status, ["issued", "suspended", "revoked"]),
    delivered: pick(q.delivered, ["yes", "no"]),
    redeemed: pick(q.redeemed, ["yes", "no"]),
  };
  const filterText = [
    initial.status ? `${t("cycles.state")}: ${t(`entitlementStatus.${initial.status}`)}` : "",
    initial.delivered ? `${t("delivery.delivered")}: ${t(`filters.${initial.delivered}`)}` : "",
    initial.redeemed ? `${t("redemptions.redeemed")}: ${t(`filters.${initial.redeemed}`)}` : "",
  ].filter(Boolean);
  const reasons = STATUS_REASON_CODES.map((code) => ({ code, actions: [...STATUS_REASONS[code].actions] }));
  return (
    <>
      <h1>{t("bulkStatus.title")}</h1>
      <BulkStatusForm
        cycles={cycles}
        areas={areas}
        reasons={reasons}
        labels={labels}
        auditLink={hasRole(session.actor, "auditor", "admin")}
        initial={{ ...initial, filterText: filterText.length ? t("bulkStatus.filtered", { filter: filterText.join(" · ") }) : undefined }}
      />
    </>
  );
}
