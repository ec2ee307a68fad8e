import type { ComponentChildren, JSX } from "preact";
import { Icon } from "./icons";

/**
 * A labelled form field: the label above, the input (or select) given as children.
 *
 * @example
 * <Field label={t("backup.password")}><input name="password" type="password" /></Field>
 */
export function Field(props: { label: ComponentChildren; children: ComponentChildren }): JSX.Element {
  return (
    <label class="field">
      <span class="label">{props.label}</span>
      {props.children}
    </label>
  );
}

/**
 * A failure in plain words, announced to screen readers, with the warning sign.
 *
 * @example
 * {error && <ErrorLine testId="restore-error">{error}</ErrorLine>}
 */
export function ErrorLine(props: { testId?: string; children: ComponentChildren }): JSX.Element {
  return (
    <p class="alert bad" role="alert" data-testid={props.testId}>
      <Icon name="warn" /> {props.children}
    </p>
  );
}
