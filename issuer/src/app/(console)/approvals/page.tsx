import Link from "next/link";
import { getServerContext } from "@/server/context";
import { consolePage } from "@/server/web/page-session";
import { readApprovals } from "@/server/cycles/read-approvals";
import { DataTable } from "@/app/(console)/table";

/** The approvers' inbox: cycles waiting for approval, and the cycles returned to their officers. */
export default async function ApprovalsPage() {
  const { session: { actor }, t, f } = await consolePage();
  const { waiting, returned } = await readApprovals(getServerContext(), actor);
  const total = (x: (typeof waiting)[number]["totals"]) => (!x ? "" : x.kind === "money" ? f.money(x.total, x.unit) : x.kind === "quantity" ? f.quantity(x.total, x.unit) : "");
  // Totals of everything waiting, by currency or unit.
  const sums = new Map<string, number>();
  for (const w of waiting) if (w.totals && w.totals.kind !== "none") sums.set(w.totals.unit, (sums.get(w.totals.unit) ?? 0) + Number(w.totals.total));
  return (
    <>
      <h1>{t("approvals.title")}</h1>
      <h2>{t("approvals.waiting", { n: f.count(waiting.length) })}</h2>
      {sums.size ? <p>{t("approvals.waitingTotal", { total: [...sums].map(([u, v]) => (/^[A-Z]{3}$/.test(u) ? f.money(v, u) : f.quantity(v, u))).join(" · ") })}</p> : null}
      <DataTable testId="inbox" head={[t("approvals.cycle"), t("cycles.submittedBy"), t("approvals.peopleCol"), t("approvals.total"), <span className="visually-hidden">{t("common.actions")}</span>]}>
          {waiting.map((w) => (
            <tr key={w.id}>
              <td>
                <Link href={`/cycles/${w.id}`}>
                  {w.programme} · {w.code}
                </Link>
              </td>
              <td>
                {w.submittedBy} · {f.dateTime(w.submittedAt)}
              </td>
              <td>{w.totals ? f.count(w.totals.count) : ""}</td>
              <td>{total(w.totals)}</td>
              <td>{w.mayApprove ? <Link href={`/cycles/${w.id}#frozen-title`}>{t("approvals.review")}</Link> : <span className="muted">{t("cycles.fourEyesShort")}</span>}</td>
            </tr>
          ))}
      </DataTable>
      {waiting.length === 0 ? <p className="muted">{t("approvals.nothingWaiting")}</p> : null}
      <h2>{t("approvals.returned")}</h2>
      {returned.length ? (
        <ul>
          {returned.map((r) => (
            <li key={r.id}>
              <Link href={`/cycles/${r.id}`}>
                {r.programme} · {r.code}
              </Link>{" "}
              — {t("cycles.returnedBy", { name: r.returnedBy ?? "", at: f.dateTime(r.returnedAt) })}: <q>{r.comment}</q>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{t("approvals.nothingReturned")}</p>
      )}
    </>
  );
}
