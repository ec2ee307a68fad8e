"use client";
/**
 * The bulk status form: scope (pasted or uploaded references, and/or cycle and area), action and
 * reason, a preview of what would change, then the result. The inputs are held here, so a refused
 * list or a failed step never clears what the officer pasted.
 */
import { useState, useTransition } from "react";
import { bulkStatusAction } from "@/app/actions";
import type { BulkStatusFormResult } from "@/server/web/bulk-status-form";
import { Options } from "@/app/(console)/options";
import { useConsole } from "@/app/(console)/kit";

export type BulkStatusLabels = Record<string, string>;
type Action = "revoke" | "suspend" | "reinstate";

/**
 * Small lists only (a day's CRVS list or a review sheet, not a registry export): Next refuses a
 * server action body over 1 MB, so a longer text is stopped here with a plain message.
 */
const MAX_TEXT_BYTES = 900_000;

export function BulkStatusForm(props: {
  cycles: { id: string; label: string }[];
  areas: string[];
  reasons: { code: string; actions: string[] }[];
  labels: BulkStatusLabels;
  auditLink: boolean;
  /** The scope an officer filtered on a cycle page ("act on these"). */
  initial?: { cycleId?: string; area?: string; status?: string; delivered?: string; redeemed?: string; filterText?: string };
}) {
  const { csrf } = useConsole();
  const L = (k: string, vars: Record<string, string | number> = {}) =>
    Object.entries(vars).reduce((s, [name, v]) => s.replaceAll(`{${name}}`, String(v)), props.labels[k] ?? k);
  const [refs, setRefs] = useState("");
  const [cycleId, setCycleId] = useState(props.initial?.cycleId ?? "");
  const [area, setArea] = useState(props.initial?.area ?? "");
  const [action, setAction] = useState<Action>("revoke");
  const [reasonCode, setReasonCode] = useState("");
  const [note, setNote] = useState("");
  const [result, setResult] = useState<BulkStatusFormResult | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const reasons = props.reasons.filter((r) => r.actions.includes(action));

  // Any change to the scope or action makes an earlier preview stale.
  const edit = <T,>(set: (v: T) => void) => (v: T) => {
    set(v);
    if (result?.kind === "preview" || result?.kind === "done") setResult(null);
  };

  const submit = (intent: "preview" | "apply") => {
    if (new Blob([refs]).size > MAX_TEXT_BYTES) return setResult({ kind: "error", code: "ERR_LIST_TOO_LONG" });
    const form = new FormData();
    form.set("csrf", csrf);
    form.set("intent", intent);
    form.set("refs", refs);
    form.set("cycleId", cycleId);
    form.set("area", area);
    for (const k of ["status", "delivered", "redeemed"] as const) if (props.initial?.[k]) form.set(k, props.initial[k]!);
    form.set("action", action);
    form.set("reasonCode", reasonCode);
    form.set("note", note);
    if (intent === "apply" && result?.kind === "preview") form.set("fingerprint", result.preview.fingerprint);
    startTransition(async () => {
      try {
        setResult(await bulkStatusAction(form));
      } catch {
        setResult({ kind: "error", code: "ERR_INTERNAL" });
      }
    });
  };

  const readFile = async (file: File | undefined) => {
    setFileError(null);
    if (!file) return;
    if (file.size > MAX_TEXT_BYTES) return setFileError(L("errors.ERR_LIST_TOO_LONG"));
    edit(setRefs)(await file.text());
  };

  const preview = result?.kind === "preview" ? result.preview : null;
  const canApply = preview !== null && preview.willChange > 0 && reasonCode !== "" && (reasonCode !== "other" || note.trim().length >= 3);

  return (
    <form
      className="card"
      onSubmit={(e) => {
        e.preventDefault();
        submit("preview");
      }}
    >
      <p className="muted">{L("intro")}</p>
      <fieldset>
        <legend>{L("scope")}</legend>
        <label>
          {L("refs")}
          <br />
          <textarea name="refs" rows={8} cols={48} className="mono" dir="ltr" value={refs} onChange={(e) => edit(setRefs)(e.target.value)} placeholder={"HK-7M2Q9XK4TB\nHK-2BD8RW1Q0P"} />
        </label>
        <p className="muted">{L("refsHelp")}</p>
        <label>
          {L("file")} <input type="file" accept=".csv,.txt,text/csv,text/plain" onChange={(e) => void readFile(e.target.files?.[0])} />
        </label>
        {fileError ? <p className="error">{fileError}</p> : null}
        <div className="row">
          <label>
            {L("cycle")}
            <br />
            <select name="cycleId" value={cycleId} onChange={(e) => edit(setCycleId)(e.target.value)}>
              <option value="">{L("anyCycle")}</option>
              <Options items={props.cycles.map((c) => ({ value: c.id, label: c.label }))} />
            </select>
          </label>
          <label>
            {L("area")}
            <br />
            <input name="area" list="bulk-status-areas" value={area} onChange={(e) => edit(setArea)(e.target.value)} />
            <datalist id="bulk-status-areas">
              {props.areas.map((a) => (
                <option key={a} value={a} />
              ))}
            </datalist>
          </label>
        </div>
        {props.initial?.filterText ? <p data-testid="cycle-filter">{props.initial.filterText}</p> : null}
        <p className="muted">{L("areaHelp")}</p>
      </fieldset>
      <fieldset>
        <legend>{L("action")}</legend>
        <div className="row">
          {(["revoke", "suspend", "reinstate"] as const).map((a) => (
            <label key={a}>
              <input
                type="radio"
                name="action"
                value={a}
                checked={action === a}
                onChange={() => {
                  edit(setAction)(a);
                  setReasonCode("");
                }}
              />{" "}
              {L(a)}
            </label>
          ))}
        </div>
        <label>
          {L("reason")}
          <br />
          <select name="reasonCode" value={reasonCode} onChange={(e) => setReasonCode(e.target.value)}>
            <option value="" />
            <Options items={reasons.map((r) => ({ value: r.code, label: L(`reasons.${r.code}`) }))} />
          </select>
        </label>{" "}
        <label>
          {L("note")}
          <br />
          <input name="note" size={40} maxLength={400} value={note} onChange={(e) => setNote(e.target.value)} />
        </label>
        <p className="muted">{L("noteHelp")}</p>
      </fieldset>
      <div className="row">
        <button type="submit" className="secondary" disabled={pending}>
          {pending ? L("previewing") : L("preview")}
        </button>
      </div>

      {result?.kind === "error" ? (
        <div className="error" role="alert" data-testid="bulk-error">
          <p>{props.labels[`errors.${result.code}`] ?? L("errors.other")}</p>
          {result.invalid?.length ? (
            <ul>
              {result.invalid.map((b) => (
                <li key={b.line}>{L("badLine", { line: b.line, value: b.value || "—" })}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}

      {preview ? (
        <section aria-live="polite" data-testid="bulk-preview">
          <h2>{L("previewTitle")}</h2>
          <ul>
            <li>{L("credentials", { n: preview.credentials })}</li>
            <li>
              <strong>{L("willChange", { n: preview.willChange })}</strong>
            </li>
            {preview.alreadyInState ? <li>{L("alreadyInState", { n: preview.alreadyInState })}</li> : null}
            {preview.cannotChange ? <li>{L("cannotChange", { n: preview.cannotChange })}</li> : null}
            {Object.entries(preview.byStatus).map(([s, n]) => (
              <li key={s} className="muted">
                {L(`status.${s}`)}: {n}
              </li>
            ))}
            {result?.kind === "preview" && result.duplicates ? <li className="muted">{L("duplicates", { n: result.duplicates })}</li> : null}
          </ul>
          {preview.notFound.length ? (
            <details open={preview.notFound.length <= 20}>
              <summary className="error">{L("notFound", { n: preview.notFound.length })}</summary>
              <p className="mono" dir="ltr">{preview.notFound.join(" ")}</p>
            </details>
          ) : null}
          {preview.withoutCredential.length ? (
            <details>
              <summary>{L("withoutCredential", { n: preview.withoutCredential.length })}</summary>
              <p className="mono" dir="ltr">{preview.withoutCredential.join(" ")}</p>
            </details>
          ) : null}
          {preview.willChange === 0 ? (
            <p>{L("nothingToChange")}</p>
          ) : (
            <>
              {action === "revoke" ? <p className="error">{L("revokeFinal")}</p> : null}
              {reasonCode === "" ? <p className="muted">{L("needReason")}</p> : null}
              <button type="button" disabled={pending || !canApply} onClick={() => submit("apply")}>
                {pending ? L("applying") : L(`confirm.${action}`, { n: preview.willChange })}
              </button>
            </>
          )}
        </section>
      ) : null}

      {result?.kind === "done" ? (
        <section aria-live="polite" data-testid="bulk-done">
          <h2>{L("doneTitle")}</h2>
          <ul>
            <li>
              <strong>{L("changed", { n: result.result.changed })}</strong>
            </li>
            <li>{L("skipped", { n: result.result.skipped })}</li>
            {result.result.notFound.length ? <li>{L("notFound", { n: result.result.notFound.length })}</li> : null}
          </ul>
          {result.result.auditSeqs.length ? (
            <p>
              {L("auditEntry", { seq: result.result.auditSeqs.map((s) => `#${s}`).join(", ") })}
              {props.auditLink ? (
                <>
                  {" "}
                  <a href="/audit">→</a>
                </>
              ) : null}
            </p>
          ) : null}
        </section>
      ) : null}
    </form>
  );
}
