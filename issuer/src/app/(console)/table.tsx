/**
 * The console's server-rendered list pieces: a page's title with its error, a table with its column
 * heads, a cell linking a beneficiary reference, a small form that sends one row's change (the CSRF
 * token and the row's id ride as hidden fields) and its one-button kind, a select filter (yes / no /
 * any and service points are two of them), a date range and the page's error. No hooks: pages
 * render them on the server.
 */
import type { ComponentProps, ReactNode } from "react";
import Link from "next/link";
import type { T } from "@/app/(console)/kit";
import { Options } from "@/app/(console)/options";

/**
 * A table with one head cell per column (`""` for a column without a visible head).
 *
 * @example
 * <DataTable head={[t("keys.kid"), t("keys.created")]}>{keys.map((k) => <tr key={k.kid}>...</tr>)}</DataTable>
 */
export function DataTable({
  head,
  caption,
  testId,
  children,
}: {
  head: ReactNode[];
  /** The table's title, read out with it (`<caption>`). */
  caption?: ReactNode;
  testId?: string;
  children: ReactNode;
}) {
  return (
    <table data-testid={testId}>
      {caption === undefined ? null : <caption>{caption}</caption>}
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
 * The refusal a server action sent back to the page (`?error=CODE`), in the reader's language; a
 * code without words reads as an internal error. Nothing when there is none.
 *
 * @example
 * <PageError code={q.error} t={t} />
 */
export function PageError({ code, t }: { code: string | undefined; t: T }) {
  if (!code) return null;
  return (
    <p className="error" role="alert">
      {t(`errors.${code}`, { defaultValue: t("errors.ERR_INTERNAL") })}
    </p>
  );
}

/**
 * A page's title, an optional help line under it, then the refusal a server action sent back.
 *
 * @example
 * <PageHeader title={t("keys.title")} help={t("keys.help")} error={error} t={t} />
 */
export function PageHeader({ title, help, error, t }: { title: ReactNode; help?: ReactNode; error: string | undefined; t: T }) {
  return (
    <>
      <h1>{title}</h1>
      {help === undefined ? null : <p className="muted">{help}</p>}
      <PageError code={error} t={t} />
    </>
  );
}

/**
 * A table cell with a beneficiary reference linking to that person's page.
 *
 * @example
 * <RefCell beneficiaryRef={r.beneficiaryRef} />
 */
export function RefCell({ beneficiaryRef }: { beneficiaryRef: string }) {
  return (
    <td className="mono">
      <Link href={`/beneficiaries/${beneficiaryRef}`}>{beneficiaryRef}</Link>
    </td>
  );
}

interface ActionFormProps {
  action: ComponentProps<"form">["action"];
  csrf: string;
  hidden: Record<string, string>;
  className?: string;
  id?: string;
  testId?: string;
  children: ReactNode;
}

/**
 * A form sending one server action with the session's CSRF token and the given hidden fields; the
 * visible fields and the button are its children.
 *
 * @example
 * <ActionForm action={revokeApiTokenAction} csrf={session.csrfToken} hidden={{ tokenId: k.id }}><button type="submit">...</button></ActionForm>
 */
export function ActionForm({ action, csrf, hidden, className, id, testId, children }: ActionFormProps) {
  return (
    <form action={action} className={className} id={id} data-testid={testId}>
      <input type="hidden" name="csrf" value={csrf} />
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {children}
    </form>
  );
}

/**
 * An `ActionForm` whose only content is its submit button.
 *
 * @example
 * <ActionButton action={revokeApiTokenAction} csrf={session.csrfToken} hidden={{ tokenId: k.id }} className="danger">{t("users.revoke")}</ActionButton>
 */
export function ActionButton({ className, children, ...form }: Pick<ActionFormProps, "action" | "csrf" | "hidden"> & { className?: string; children: ReactNode }) {
  return (
    <ActionForm {...form}>
      <button type="submit" className={className}>
        {children}
      </button>
    </ActionForm>
  );
}

/**
 * A labelled select of a filter form: an empty first option (`empty`, usually "any"), then one
 * option per choice; the current value selected.
 *
 * @example
 * <SelectFilter name="action" label={t("audit.action")} empty={t("filters.any")} value={filter.action} options={actions.map((a) => ({ value: a, label: a }))} />
 */
export function SelectFilter({
  name,
  label,
  empty,
  value,
  options,
  required,
}: {
  name: string;
  label: ReactNode;
  empty: ReactNode;
  value: string | undefined;
  options: readonly { value: string; label: ReactNode }[];
  required?: boolean;
}) {
  return (
    <label>
      {label}
      <select name={name} defaultValue={value ?? ""} required={required}>
        <option value="">{empty}</option>
        <Options items={options} />
      </select>
    </label>
  );
}

/**
 * A labelled yes / no / any select of a filter form (`name=yes|no`, empty for any).
 *
 * @example
 * <YesNoFilter name="delivered" label={t("delivery.delivered")} value={list.delivered} t={t} />
 */
export function YesNoFilter({ name, label, value, t }: { name: string; label: ReactNode; value: string | undefined; t: T }) {
  const options = [
    { value: "yes", label: t("filters.yes") },
    { value: "no", label: t("filters.no") },
  ];
  return <SelectFilter name={name} label={label} empty={t("filters.any")} value={value} options={options} />;
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
  const options = points.map((p) => ({ value: p.id, label: `${p.name} (${p.id})` }));
  return <SelectFilter name="servicePoint" label={label} empty={empty} value={value} options={options} required={required} />;
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
