"use client";
/**
 * The new programme form: the fields of the chosen benefit type only (a currency for cash, an item
 * and unit for in kind, a description for a voucher), the area picked from the registry's areas,
 * errors next to the fields, and what was typed kept when something is refused.
 */
import { useActionState, useState } from "react";
import { createProgrammeAction } from "@/app/actions";
import { emptyForm } from "@/server/web/form-shape";
import { Field, SelectField, StateForm, Submit, useConsole } from "@/app/(console)/kit";

export function ProgrammeForm(props: { areas: { code: string; people: number }[] }) {
  const { locale, t } = useConsole();
  const [state, action] = useActionState(createProgrammeAction, emptyForm({ benefitType: "cash", redemption: "single", bearerForms: "one" }));
  const [type, setType] = useState(state.values.benefitType ?? "cash");
  const count = new Intl.NumberFormat(locale);
  const choices = (values: string[]) => values.map((v) => ({ value: v, label: t(`programmes.${v}`) }));
  return (
    <StateForm action={action} state={state} head={<h2>{t("programmes.new")}</h2>} className="card" testId="programme-form">
      <div className="row">
        <Field name="code" label={t("programmes.code")} hint={t("programmes.codeHelp")} required placeholder="cash-transfer" />
        <Field name="name" label={t("programmes.name")} required />
        <SelectField name="benefitType" label={t("programmes.benefitType")} options={choices(["cash", "inkind", "voucher"])} onChoose={setType} />
      </div>
      <div className="row">
        {type === "cash" || type === "voucher" ? (
          <Field name="currency" label={t("programmes.currency")} hint={t("programmes.currencyHelp")} size={5} placeholder="KES" required={type === "cash"} />
        ) : null}
        {type === "inkind" ? (
          <>
            <Field name="item" label={t("programmes.item")} required placeholder={t("programmes.itemExample")} />
            <Field name="unit" label={t("programmes.unit")} required size={6} placeholder="kg" />
          </>
        ) : null}
        {type === "voucher" ? <Field name="description" label={t("programmes.description")} required /> : null}
        <SelectField
          name="area"
          label={t("programmes.area")}
          options={[{ value: "", label: t("programmes.allAreas") }, ...props.areas.map((x) => ({ value: x.code, label: t("areas.option", { code: x.code, people: count.format(x.people) }) }))]}
        />
        <Field name="contact" label={t("programmes.contact")} hint={t("programmes.contactHelp")} placeholder={t("programmes.contactPlaceholder")} />
        <SelectField name="redemption" label={t("programmes.redemption")} options={choices(["single", "partial"])} />
        <SelectField
          name="bearerForms"
          label={t("programmes.bearerForms")}
          hint={t("programmes.bearerFormsHelp")}
          options={[
            { value: "one", label: t("programmes.bearerFormsOne") },
            { value: "both", label: t("programmes.bearerFormsBoth") },
          ]}
        />
      </div>
      <Submit>{t("programmes.create")}</Submit>
    </StateForm>
  );
}
