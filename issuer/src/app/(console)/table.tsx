/**
 * The console's server-rendered list pieces: a table with its column heads, a small form that
 * sends one row's change (the CSRF token and the row's id ride as hidden fields), and a yes / no /
 * any filter, a service point filter and a date range. No hooks: pages render them on the server.
 */
import type { ComponentProps, ReactNode } from "react";
import type { T } from "@/app/(console)/kit";

/**
 * A table with one head cell per column (`""` for a column without a visible head).
 *
 * @example
 * <DataTable head={[t("keys.kid"), t("keys.created")]}>{keys.map((k) => <tr key={k.kid}>...</tr>)}</DataTable>
 */
export function DataTable({
  head,
  testId,
  children,
}: {
  head: ReactNode[];
  testId?: string;
  children: ReactNode;
}) {
  return (
    <table data-testid={testId}>
      <thead>
        <tr>
          {head.map((h, i) => (
            <th key={i} scope="col">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

/**
 * A form sending one server action with the session's CSRF token and the given hidden fields; the
 * visible fields and the button are its children.
 *
 * @example
 * <ActionForm action={revokeApiTokenAction} csrf={session.csrfToken} hidden={{ tokenId: k.id }}><button type="submit">...</button></ActionForm>
 */
export function ActionForm({
  action,
  csrf,
  hidden,
  className,
  children,
}: {
  action: ComponentProps<"form">["action"];
  csrf: string;
  hidden: Record<string, string>;
  className?: string;
  children: ReactNode;
}) {
  return (
    <form action={action} className={className}>
      <input type="hidden" name="csrf" value={csrf} />
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {children}
    </form>
  );
}

/**
 * A labelled yes / no / any select of a filter form (`name=yes|no`, empty for any).
 *
 * @example
 * <YesNoFilter name="delivered" label={t("delivery.delivered")} value={list.delivered} t={t} />
 */
export function YesNoFilter({
  name,
  label,
  value,
  t,
}: {
  name: string;
  label: ReactNode;
  value: string | undefined;
  t: T;
}) {
  return (
    <label>
      {label}
      <select name={name} defaultValue={value ?? ""}>
        <option value="">{t("filters.any")}</option>
        <option value="yes">{t("filters.yes")}</option>
        <option value="no">{t("filters.no")}</option>
      </select>
    </label>
  );
}

/**
 * A labelled select of service points ("Name (id)") in a filter form (`name=servicePoint`), with an
 * empty first option.
 *
 * @example
 * <ServicePointFilter label={t("redemptions.servicePoint")} empty={t("filters.any")} points={points} value={filter.servicePoint} />
 */
export function ServicePointFilter({
  label,
  empty,
  points,
  value,
  required,
}: {
  label: ReactNode;
  empty: ReactNode;
  points: readonly { id: string; name: string }[];
  value: string | undefined;
  required?: boolean;
}) {
  return (
    <label>
      {label}
      <select name="servicePoint" defaultValue={value ?? ""} required={required}>
        <option value="">{empty}</option>
        {points.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name} ({p.id})
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * The labelled `from` and `to` day fields of a filter form.
 *
 * @example
 * <DateRangeFilter from={filter.from} to={filter.to} t={t} required />
 */
export function DateRangeFilter({ from, to, t, required }: { from: string | undefined; to: string | undefined; t: T; required?: boolean }) {
  return (
    <>
      <label>
        {t("filters.from")}
        <input type="date" name="from" defaultValue={from ?? ""} required={required} />
      </label>
      <label>
        {t("filters.to")}
        <input type="date" name="to" defaultValue={to ?? ""} required={required} />
      </label>
    </>
  );
}
