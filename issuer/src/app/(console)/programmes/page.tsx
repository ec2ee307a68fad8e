import Link from "next/link";
import { getServerContext } from "@/server/context";
import { pageI18n, requirePageSession } from "@/server/web/page-session";
import { hasRole } from "@/server/auth/roles";
import { readProgrammes } from "@/server/programmes/read-programmes";
import { readRegistryAreas } from "@/server/areas/read-registry-areas";
import { ProgrammeForm } from "./programme-form";
import { DataTable, PageHeader } from "@/app/(console)/table";

export default async function ProgrammesPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const session = await requirePageSession();
  const { t } = await pageI18n();
  const { error } = await searchParams;
  const ctx = getServerContext();
  const canCreate = hasRole(session.actor, "officer", "admin");
  const [programmes, areas] = await Promise.all([readProgrammes(ctx), canCreate ? readRegistryAreas(ctx) : []]);
  return (
    <>
      <PageHeader title={t("programmes.title")} error={error} t={t} />
      <DataTable head={[t("programmes.code"), t("programmes.name"), t("programmes.benefitType"), t("programmes.area"), t("programmes.cycles")]}>
          {programmes.map((p) => (
            <tr key={p.id}>
              <td className="mono">{p.code}</td>
              <td>
                <Link href={`/programmes/${p.id}`}>{p.name}</Link>
              </td>
              <td>
                {t(`programmes.${p.benefitType}`)} {p.currency ?? ""} {p.item ? `${p.item} (${p.unit})` : ""}
              </td>
              <td>{p.area ?? t("programmes.allAreas")}</td>
              <td>{p.cycles}</td>
            </tr>
          ))}
      </DataTable>
      {canCreate ? <ProgrammeForm areas={areas} /> : null}
    </>
  );
}
