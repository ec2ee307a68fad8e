import Link from "next/link";
import type { T } from "@/app/(console)/kit";

/**
 * The links under a long list: back to the first page, and on to the next one (keyset cursors
 * carried in the URL with the list's filters).
 *
 * @example
 * <Pager path="/grievances" query={q} cursorName="after" next={page.next} t={t} />
 */
export function Pager(props: { path: string; query: Record<string, string | undefined>; cursorName: string; next: string | number | null; t: T }) {
  const base = Object.entries(props.query).filter(([k, v]) => v && k !== props.cursorName) as [string, string][];
  const href = (cursor?: string | number) => {
    const q = new URLSearchParams(base);
    if (cursor !== undefined) q.set(props.cursorName, String(cursor));
    const s = q.toString();
    return `${props.path}${s ? `?${s}` : ""}`;
  };
  const onFirst = !props.query[props.cursorName];
  if (onFirst && props.next === null) return null;
  return (
    <nav className="pager row" aria-label={props.t("pager.nav")}>
      {onFirst ? null : <Link href={href()}>{props.t("pager.first")}</Link>}
      {props.next !== null ? (
        <Link href={href(props.next)} rel="next" data-testid="next-page">
          {props.t("pager.next")}
        </Link>
      ) : null}
    </nav>
  );
}
