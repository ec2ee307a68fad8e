"use client";
/**
 * The console's form pieces (client side): a field with its label, its hint and the error next to
 * it (aria-invalid, aria-describedby), the form's own error, and a button that asks for
 * confirmation in a dialog before an action that cannot be undone, a dialog that asks why before a
 * change to a person's card, a form that calls a server action from the client with its message
 * line, and a new offer shown once (QR, link, PIN). Text comes from the
 * reader's language (`createTranslator`, the catalogs are bundled).
 */
import { Fragment, createContext, useContext, useId, useRef, useState, type ComponentProps, type InputHTMLAttributes, type ReactNode, type RefObject } from "react";
import { useFormStatus } from "react-dom";
import { useRouter } from "next/navigation";
import { createTranslator, type Locale } from "@haki/i18n";
import type { FormState } from "@/server/web/form-shape";
import type { ActionResult } from "@/server/web/action-result";
import { Options } from "@/app/(console)/options";

export type T = ReturnType<typeof createTranslator>;

/** What every console form needs from the signed-in page, set once by the console layout: the session's CSRF token and the reader's language. */
const ConsoleContext = createContext<{ csrf: string; locale: Locale } | null>(null);

/**
 * @example
 * <ConsoleProvider csrf={session.csrfToken} locale={locale}>{children}</ConsoleProvider> // the console layout
 */
export function ConsoleProvider(props: { csrf: string; locale: Locale; children: ReactNode }) {
  return <ConsoleContext.Provider value={{ csrf: props.csrf, locale: props.locale }}>{props.children}</ConsoleContext.Provider>;
}

/**
 * The session's CSRF token, the language and its translator, for a client component of the console.
 *
 * @example
 * const { csrf, t } = useConsole();
 */
export function useConsole(): { csrf: string; locale: Locale; t: T } {
  const session = useContext(ConsoleContext);
  if (!session) throw new Error("A console form belongs inside the console layout's ConsoleProvider.");
  return { ...session, t: createTranslator(session.locale, "issuer") };
}

/** What a `StateForm` gives the fields inside it: the action's answer (values kept, errors by field). */
const FormContext = createContext<FormState | null>(null);

function useFormState(): FormState {
  const state = useContext(FormContext);
  if (!state) throw new Error("A console field belongs inside a StateForm.");
  return state;
}

type FieldProps = {
  name: string;
  label: string;
  hint?: string;
  /** A select or textarea instead of an input: it gets the id, aria attributes and value through `render`. */
  render?: (a: { id: string; name: string; defaultValue: string; "aria-invalid": boolean; "aria-describedby"?: string }) => ReactNode;
} & Omit<InputHTMLAttributes<HTMLInputElement>, "name" | "children">;

/**
 * A labelled field whose error shows next to it and whose value survives a refused submission.
 *
 * @example
 * <Field name="code" label={t("programmes.code")} required /> // inside a <StateForm>
 */
export function Field({ name, label, hint, render, className, defaultValue, ...input }: FieldProps) {
  const state = useFormState();
  const { t } = useConsole();
  const id = `${useId()}-${name}`;
  const error = state.fields[name];
  const describedBy = [error ? `${id}-error` : "", hint ? `${id}-hint` : ""].filter(Boolean).join(" ") || undefined;
  const a = { id, name, defaultValue: state.values[name] ?? String(defaultValue ?? ""), "aria-invalid": Boolean(error), "aria-describedby": describedBy };
  return (
    <div className={`field${error ? " invalid" : ""}${className ? ` ${className}` : ""}`}>
      <label htmlFor={id}>{label}</label>
      {/* A select ignores a new defaultValue, and React resets the form after an action: keyed by
          the value, a refused submission remounts it showing what was chosen. */}
      {render ? <Fragment key={a.defaultValue}>{render(a)}</Fragment> : <input {...input} {...a} />}
      {hint ? (
        <small id={`${id}-hint`} className="muted">
          {hint}
        </small>
      ) : null}
      {error ? (
        <span id={`${id}-error`} className="field-error" role="alert">
          {t(error)}
        </span>
      ) : null}
    </div>
  );
}

/**
 * A labelled select field: a Field whose control is a select of `options` (`onChoose` hears each
 * change, for forms that show other fields by the choice).
 *
 * @example
 * <SelectField name="kind" label={t("grievances.kind")} options={GRIEVANCE_KINDS.map((k) => ({ value: k, label: t(`grievances.kinds.${k}`) }))} />
 */
export function SelectField({
  options,
  onChoose,
  ...field
}: Omit<FieldProps, "render"> & { options: readonly { value: string; label: ReactNode }[]; onChoose?: (value: string) => void }) {
  return (
    <Field
      {...field}
      render={(a) => (
        <select {...a} onChange={onChoose ? (e) => onChoose(e.target.value) : undefined}>
          <Options items={options} />
        </select>
      )}
    />
  );
}

/** The form's own error (a refusal that is not about one field). */
export function FormError({ state, t }: { state: FormState; t: T }) {
  if (!state.code) return null;
  const fieldsNamed = Object.keys(state.fields).length > 0;
  return (
    <p className="error" role="alert">
      {fieldsNamed ? t("form.checkFields") : t(`errors.${state.code}`, { defaultValue: t("errors.ERR_INTERNAL") })}
    </p>
  );
}

/**
 * A form sending a server action run through `useActionState`: the session's CSRF token and the
 * `hidden` fields ride along; `head` (a title, a warning) comes first, then the form's own error,
 * then the fields (children).
 *
 * @example
 * <StateForm action={action} state={state} hidden={{ grievanceId }} testId="resolve-form">...</StateForm>
 */
export function StateForm(props: {
  action: (data: FormData) => void;
  state: FormState;
  hidden?: Record<string, string>;
  head?: ReactNode;
  className?: string;
  testId?: string;
  children: ReactNode;
}) {
  const { csrf, t } = useConsole();
  return (
    <form action={props.action} className={props.className} data-testid={props.testId}>
      {props.head}
      <input type="hidden" name="csrf" value={csrf} />
      {Object.entries(props.hidden ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <FormError state={props.state} t={t} />
      <FormContext.Provider value={props.state}>{props.children}</FormContext.Provider>
    </form>
  );
}

/** A submit button that says it is working ("Saving...", inside a `StateForm`, unless `pendingLabel` says otherwise) while the action runs. */
export function Submit({ children, className, name, value, pendingLabel }: { children: ReactNode; className?: string; name?: string; value?: string; pendingLabel?: string }) {
  const { pending } = useFormStatus();
  const session = useContext(ConsoleContext);
  pendingLabel ??= session ? createTranslator(session.locale, "issuer")("form.saving") : undefined;
  return (
    <button type="submit" className={className} name={name} value={value} disabled={pending} aria-busy={pending}>
      {pending && pendingLabel ? pendingLabel : children}
    </button>
  );
}

/**
 * A button that opens a dialog saying what will happen and that it cannot be undone; only the
 * dialog's confirm button submits the form (`form` names it).
 *
 * @example
 * <ConfirmButton form="approve" label="Approve" title="Approve this list?" body="..." confirm="Approve" cancel="Cancel" danger />
 */
export function ConfirmButton(props: { form: string; label: string; title: string; body: ReactNode; confirm: string; cancel: string; danger?: boolean; name?: string; value?: string; testId?: string }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  return (
    <>
      <button type="button" className={props.danger ? "danger" : undefined} onClick={() => dialog.current?.showModal()} data-testid={props.testId}>
        {props.label}
      </button>
      <dialog ref={dialog} aria-labelledby={titleId} className="confirm">
        <h2 id={titleId}>{props.title}</h2>
        <div>{props.body}</div>
        <div className="row">
          <button type="submit" form={props.form} name={props.name} value={props.value} className={props.danger ? "danger" : undefined} onClick={() => dialog.current?.close()}>
            {props.confirm}
          </button>
          <button type="button" className="secondary" onClick={() => dialog.current?.close()}>
            {props.cancel}
          </button>
        </div>
      </dialog>
    </>
  );
}

/**
 * A dialog that asks for the reason (three characters at least) before a change to someone's card;
 * `onReason` gets the trimmed reason. The caller opens it with `dialog.current?.showModal()`.
 *
 * @example
 * <ReasonDialog dialog={dialog} t={t} title={t("case.replacePhoneTitle")} confirm={t("case.replacePhoneConfirm")} danger onReason={submit} />
 */
export function ReasonDialog(props: {
  dialog: RefObject<HTMLDialogElement | null>;
  t: T;
  title: ReactNode;
  /** What will happen, above the reason field. */
  children?: ReactNode;
  confirm: ReactNode;
  danger?: boolean;
  busy?: boolean;
  /** A refusal to show inside the dialog. */
  error?: string | null;
  rows?: number;
  onReason: (reason: string) => void;
}) {
  const titleId = useId();
  const reasonId = useId();
  const { t } = props;
  return (
    <dialog ref={props.dialog} aria-labelledby={titleId} className="confirm">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const reason = String(new FormData(e.currentTarget).get("reason") ?? "").trim();
          if (reason.length >= 3) props.onReason(reason);
        }}
      >
        <h2 id={titleId}>{props.title}</h2>
        {props.children}
        <label htmlFor={reasonId}>{t("cycles.reason")}</label>
        <textarea id={reasonId} name="reason" required minLength={3} rows={props.rows ?? 3} />
        {props.error ? (
          <p className="error" role="alert">
            {props.error}
          </p>
        ) : null}
        <div className="row">
          <button
            type="submit"
            className={props.danger ? "danger" : undefined}
            disabled={props.busy}
          >
            {props.confirm}
          </button>
          <button type="button" className="secondary" onClick={() => props.dialog.current?.close()}>
            {t("form.cancel")}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/**
 * What runs behind a ReasonDialog: `run(reason)` calls the server action; a refusal is shown in the
 * dialog (in the reader's words for its code), success closes the dialog, hands the value to
 * `onDone` and refreshes the page, unless `refresh` is false: a change after which the page would
 * no longer draw the component (paper instead of the phone) keeps it, and its confirmation, in view.
 *
 * @example
 * const r = useReasonAction(t, (reason) => paperInsteadAction(csrf, { entitlementId, reason }), () => setDone(true), { refresh: false });
 * <ReasonDialog dialog={r.dialog} busy={r.busy} error={r.error} onReason={(reason) => void r.submit(reason)} ... />
 */
export function useReasonAction<V>(t: T, run: (reason: string) => Promise<ActionResult<V>>, onDone: (value: V) => void | Promise<void>, options: { refresh?: boolean } = {}) {
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (reason: string) => {
    setBusy(true);
    setError(null);
    try {
      const r = await run(reason);
      if (!r.ok) return setError(t(`errors.${r.code}`, { defaultValue: r.message }));
      dialog.current?.close();
      await onDone(r.value);
      if (options.refresh !== false) router.refresh();
    } catch {
      setError(t("errors.ERR_INTERNAL"));
    } finally {
      setBusy(false);
    }
  };
  return { dialog, error, busy, submit };
}

/**
 * A form whose submission stays on the page (no navigation): `onData` gets what was filled in, to
 * send with a server action called from the client.
 *
 * @example
 * <DataForm className="card" onData={(f) => void send(createApiTokenAction(csrf, { name: String(f.get("name") ?? "") }), done)}>...</DataForm>
 */
export function DataForm({ onData, ...form }: { onData: (data: FormData) => void } & Omit<ComponentProps<"form">, "onSubmit">) {
  return (
    <form
      {...form}
      onSubmit={(e) => {
        e.preventDefault();
        onData(new FormData(e.currentTarget));
      }}
    />
  );
}

/**
 * Server actions called from the client with one message line: `send(action, done)` hands the
 * value to `done`, shows a refusal's message, or `failed` when the call itself fails.
 *
 * @example
 * const { message, send } = useActionMessage(labels.failed ?? "");
 * void send(createSetupCodeAction(csrf, id), (code) => setSetup(code));
 */
export function useActionMessage(failed: string) {
  const [message, setMessage] = useState<string | null>(null);
  const send = <V,>(action: Promise<ActionResult<V>>, done: (value: V) => void): Promise<void> =>
    action.then((r) => (r.ok ? done(r.value) : setMessage(r.message))).catch(() => setMessage(failed));
  return { message, send, clear: () => setMessage(null), fail: () => setMessage(failed) };
}

/** An OpenID4VCI offer as the console shows it once: the QR (an SVG), the link, and the PIN when there is one. */
export interface ShownOffer {
  svg: string;
  link: string;
  txCode?: string;
}

/**
 * The offer's QR, link and PIN. The offer is long (a version 18-20 code): shown large so a phone
 * held at arm's length reads it.
 *
 * @example
 * {offer ? <OfferShown offer={offer} t={t} /> : null}
 */
export function OfferShown({ offer, t }: { offer: ShownOffer; t: T }) {
  return (
    <>
      <div
        style={{ maxWidth: "20rem" }}
        role="img"
        aria-label={t("cycles.offerQr")}
        dangerouslySetInnerHTML={{ __html: offer.svg }}
      />
      <a href={offer.link}>{t("cycles.link")}</a>
      {offer.txCode ? (
        <p>
          {t("cycles.pin")}: <strong className="mono">{offer.txCode}</strong>
        </p>
      ) : null}
    </>
  );
}
