"use client";
/**
 * Preparing a cycle: dates, the value per person of this programme's benefit type, and who
 * qualifies in plain words (field, condition and value as sentences, areas picked from the
 * registry's areas). "Preview" shows how many qualify, a sample of them and the total cost before
 * anything is saved; errors show next to the field and nothing typed is lost.
 */
import { useActionState, useState } from "react";
import { cycleFormAction } from "@/app/actions";
import { emptyForm } from "@/server/web/form-shape";
import type { CyclePreview } from "@/server/cycles/preview-eligibility";
import { RULE_ROWS } from "@/server/web/form-parsers";
import { Field, StateForm, Submit, useConsole } from "@/app/(console)/kit";
import { DataTable } from "@/app/(console)/table";
import { RULE_OPS } from "@/app/(console)/rule-words";
import { Options } from "@/app/(console)/options";

type Programme = { id: string; benefitType: string; currency: string | null; unit: string | null; item: string | null; area: string | null };
type RuleField = keyof typeof RULE_OPS;

export function CycleForm(props: { programme: Programme; areas: { code: string; people: number }[] }) {
  const { locale, t } = useConsole();
  const [state, action] = useActionState(cycleFormAction, emptyForm({ programmeId: props.programme.id }));
  const count = new Intl.NumberFormat(locale);
  const money = (v: string, unit: string) =>
    /^[A-Z]{3}$/.test(unit) ? new Intl.NumberFormat(locale, { style: "currency", currency: unit, currencyDisplay: "code" }).format(Number(v)) : `${count.format(Number(v))} ${unit}`;
  const [fields, setFields] = useState<string[]>(() => Array.from({ length: RULE_ROWS }, (_, i) => state.values[`field${i}`] ?? ""));
  const [ops, setOps] = useState<string[]>(() => Array.from({ length: RULE_ROWS }, (_, i) => state.values[`op${i}`] ?? ""));
  const preview = state.ok?.preview as CyclePreview | undefined;
  const inKind = props.programme.benefitType === "inkind";
  return (
    <StateForm action={action} state={state} hidden={{ programmeId: props.programme.id }} head={<h2>{t("cycles.new")}</h2>} className="card" testId="cycle-form">
      <div className="row">
        <Field name="code" label={t("cycles.code")} hint={t("cycles.codeHelp")} required placeholder="2027-03" />
        <Field name="validFrom" label={t("cycles.validFrom")} type="date" required />
        <Field name="validUntil" label={t("cycles.validUntil")} type="date" required />
        {inKind ? (
          <Field name="quantity" label={t("cycles.quantityIn", { unit: props.programme.unit ?? "", item: props.programme.item ?? "" })} inputMode="decimal" required />
        ) : (
          <Field
            name="amount"
            label={props.programme.currency ? t("cycles.amountIn", { currency: props.programme.currency }) : t("cycles.amount")}
            inputMode="decimal"
            required={props.programme.benefitType === "cash"}
          />
        )}
        <label>
          {t("cycles.format")}
          <br />
          <select name="credentialFormat" defaultValue={state.values.credentialFormat ?? "vc2"}>
            <option value="vc2">{t("cycles.formatVc2")}</option>
            <option value="vc1">{t("cycles.formatVc1")}</option>
          </select>
        </label>
      </div>
      <fieldset className={state.fields.rule ? "invalid" : undefined} aria-describedby={state.fields.rule ? "rule-error" : undefined}>
        <legend>{t("cycles.rule")}</legend>
        <p className="muted">{t("cycles.ruleHelp")}</p>
        {props.programme.area ? <p>{t("rule.programmeAreaNote", { area: props.programme.area })}</p> : null}
        {Array.from({ length: RULE_ROWS }, (_, i) => {
          const field = fields[i] as RuleField | "";
          const opList = field ? RULE_OPS[field] : [];
          const op = ops[i] && opList.includes(ops[i]!) ? ops[i]! : (opList[0] ?? "");
          return (
            <div className="row rule-row" key={i}>
              <label>
                <span className="visually-hidden">{t("cycles.field")}</span>
                <select
                  name={`field${i}`}
                  value={field}
                  onChange={(e) => setFields((f) => f.map((x, k) => (k === i ? e.target.value : x)))}
                  aria-label={t("cycles.fieldN", { n: i + 1 })}
                >
                  <option value="">{t("rule.noCondition")}</option>
                  <Options items={(Object.keys(RULE_OPS) as RuleField[]).map((f) => ({ value: f, label: t(`rule.fields.${f}`) }))} />
                </select>
              </label>
              {field ? (
                <>
                  <select name={`op${i}`} value={op} onChange={(e) => setOps((o) => o.map((x, k) => (k === i ? e.target.value : x)))} aria-label={t("cycles.opN", { n: i + 1 })}>
                    <Options items={opList.map((o) => ({ value: o, label: t(`rule.ops.${field}.${o}`) }))} />
                  </select>
                  {field === "area" ? (
                    <select
                      name={`value${i}`}
                      multiple={op === "in"}
                      size={op === "in" ? Math.min(6, props.areas.length || 1) : undefined}
                      defaultValue={op === "in" ? (state.values[`value${i}`] ?? "").split(",").filter(Boolean) : (state.values[`value${i}`] ?? "")}
                      aria-label={t("cycles.valueN", { n: i + 1 })}
                    >
                      <Options items={props.areas.map((a) => ({ value: a.code, label: t("areas.option", { code: a.code, people: count.format(a.people) }) }))} />
                    </select>
                  ) : (
                    <input name={`value${i}`} inputMode="decimal" defaultValue={state.values[`value${i}`] ?? ""} aria-label={t("cycles.valueN", { n: i + 1 })} size={6} />
                  )}
                </>
              ) : null}
            </div>
          );
        })}
        {state.fields.rule ? (
          <span id="rule-error" className="field-error" role="alert">
            {t(state.fields.rule)}
          </span>
        ) : null}
      </fieldset>
      {preview ? (
        <section className="preview" aria-live="polite" data-testid="preview" data-count={preview.count}>
          <p className="ok">
            <strong>{t("cycles.qualify", { count: preview.count, n: count.format(preview.count) })}</strong>
            {preview.total.kind === "money" ? ` · ${t("cycles.totalCost", { total: money(preview.total.value, preview.total.unit) })}` : null}
            {preview.total.kind === "quantity" ? ` · ${t("cycles.totalQuantity", { total: `${count.format(Number(preview.total.value))} ${preview.total.unit}` })}` : null}
          </p>
          {preview.sample.length ? (
            <DataTable caption={t("cycles.sample", { n: preview.sample.length })} head={[t("people.ref"), t("people.name"), t("people.area"), t("people.householdSize")]}>
              {preview.sample.map((p) => (
                <tr key={p.ref}>
                  <td className="mono">{p.ref}</td>
                  <td>{p.displayName ?? ""}</td>
                  <td>{p.area ?? ""}</td>
                  <td>{p.householdSize ?? ""}</td>
                </tr>
              ))}
            </DataTable>
          ) : null}
        </section>
      ) : null}
      <div className="row">
        <Submit className="secondary" name="intent" value="preview" pendingLabel={t("form.checking")}>{t("cycles.preview")}</Submit>
        <Submit name="intent" value="prepare">{t("cycles.prepare")}</Submit>
      </div>
    </StateForm>
  );
}
